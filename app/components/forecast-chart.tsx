import { area, color as d3color, line, max, scaleLinear, scalePoint } from 'd3';
import type { PointerEvent } from 'react';
import { AxisLeft } from './charts/axes';
import { ChartFrame } from './charts/chart-frame';
import { ChartTooltip, type TooltipRow } from './charts/tooltip';
import { useActiveIndex } from './charts/use-active-index';
import { useElementWidth } from './charts/use-element-width';
import type { ForecastPoint } from '../models/forecast.server';

// History and forecast of one measure over days, weeks or months: the
// history as a solid line, the forecast dashed, inside its 80% and 95%
// intervals (the darker band is the 80% one). d3 computes the scales and the
// paths; React draws them. Hover, tap or the arrow keys show a period.

const MARGIN = { top: 16, right: 16, bottom: 28, left: 64 };

export interface ForecastChartLabels {
  history: string;
  forecast: string;
  band80: string;
  band95: string;
  forecastStart: string;
  /** Tooltip rows. */
  actual: string;
  soFar: (days: number) => string;
  partial: (days: number) => string;
}

const withOpacity = (c: string, opacity: number) => {
  const parsed = d3color(c);
  if (!parsed) return c;
  parsed.opacity = opacity;
  return parsed.formatRgb();
};

export function ForecastChart(props: {
  title: string;
  description?: string;
  points: ForecastPoint[];
  color: string;
  height?: number;
  labels: ForecastChartLabels;
  format: (value: number) => string;
  axisFormat: (value: number) => string;
  formatTick: (date: string) => string;
  formatPeriod: (date: string) => string;
  /** Days a whole period has (for "partial period" notes). */
  periodDays: (date: string) => number;
  emptyMessage?: string;
  headingLevel?: 2 | 3;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(720);
  const { points, labels } = props;
  const { active, setActive, keyboardProps } = useActiveIndex(points.length);
  const isEmpty = points.every((p) => !p.actual && !p.forecast);
  const height = props.height ?? 280;
  const plotWidth = Math.max(120, width - MARGIN.left - MARGIN.right);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;

  const x = scalePoint<string>()
    .domain(points.map((p) => p.date))
    .range([0, plotWidth])
    .padding(0.3);
  const top = max(points, (p) => Math.max(p.actual ?? 0, p.upper95 ?? 0, p.forecast ?? 0)) ?? 0;
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .nice(4)
    .range([plotHeight, 0]);
  const px = (p: ForecastPoint) => x(p.date) ?? 0;

  const forecastPoints = points.filter((p) => p.forecast !== null);
  const band = (lo: 'lower80' | 'lower95', hi: 'upper80' | 'upper95') =>
    area<ForecastPoint>()
      .x(px)
      .y0((p) => y(p[lo] ?? 0))
      .y1((p) => y(p[hi] ?? 0))(forecastPoints) ?? undefined;
  const historyPath =
    line<ForecastPoint>()
      .defined((p) => p.actual !== null && (p.actualDays === 0 || p.actualDays === p.days))
      .x(px)
      .y((p) => y(p.actual ?? 0))(points) ?? undefined;
  const forecastPath =
    line<ForecastPoint>()
      .x(px)
      .y((p) => y(p.forecast ?? 0))(forecastPoints) ?? undefined;
  const firstForecast = points.find((p) => p.forecast !== null && p.actualDays < p.days);

  const maxTicks = Math.max(2, Math.floor(plotWidth / 80));
  const every = Math.max(1, Math.ceil(points.length / maxTicks));
  const ticks = points.filter((_, i) => i % every === 0);

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const at = ((event.clientX - box.left) / box.width) * plotWidth;
    const step = x.step();
    const index = Math.round((at - (x(points[0]?.date ?? '') ?? 0)) / step);
    setActive(Math.max(0, Math.min(points.length - 1, index)));
  };

  const activePoint = active === null ? null : points[active];
  const tooltipRows = (p: ForecastPoint): TooltipRow[] => {
    const rows: TooltipRow[] = [];
    const isHistory = p.actual !== null && (p.actualDays === 0 || p.actualDays === p.days);
    if (p.actual !== null) rows.push({ label: isHistory ? labels.actual : labels.soFar(p.actualDays), value: props.format(p.actual), color: props.color });
    if (p.forecast !== null && !isHistory) {
      rows.push({ label: labels.forecast, value: props.format(p.forecast), color: props.color });
      rows.push({ label: labels.band80, value: `${props.format(p.lower80 ?? 0)} – ${props.format(p.upper80 ?? 0)}` });
      rows.push({ label: labels.band95, value: `${props.format(p.lower95 ?? 0)} – ${props.format(p.upper95 ?? 0)}` });
    }
    if (p.days < props.periodDays(p.date)) rows.push({ label: labels.partial(p.days), value: '' });
    return rows;
  };

  const legend = [
    { label: labels.history, color: props.color, shape: 'line' as const },
    { label: labels.forecast, color: props.color, shape: 'dashed' as const },
    { label: labels.band80, color: withOpacity(props.color, 0.35), shape: 'bar' as const },
    { label: labels.band95, color: withOpacity(props.color, 0.15), shape: 'bar' as const },
  ];

  return (
    <ChartFrame title={props.title} description={props.description} legend={legend} isEmpty={isEmpty} emptyMessage={props.emptyMessage} minHeight={height} headingLevel={props.headingLevel}>
      <div className="chart-body" ref={ref}>
        <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} className="chart-svg" {...keyboardProps}>
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <AxisLeft scale={y} width={plotWidth} format={props.axisFormat} ticks={4} />
            <path className="chart-band" d={band('lower95', 'upper95')} fill={withOpacity(props.color, 0.15)} data-band="95" />
            <path className="chart-band" d={band('lower80', 'upper80')} fill={withOpacity(props.color, 0.3)} data-band="80" />
            <path className="chart-history-line" d={historyPath} stroke={props.color} />
            <path className="chart-forecast-line" d={forecastPath} stroke={props.color} />
            {firstForecast ? (
              <g transform={`translate(${px(firstForecast)},0)`}>
                <line className="chart-divider" y1={0} y2={plotHeight} />
                <text className="chart-divider-label" x={4} y={10}>
                  {labels.forecastStart}
                </text>
              </g>
            ) : null}
            {activePoint ? (
              <>
                <line className="chart-crosshair" x1={px(activePoint)} x2={px(activePoint)} y1={0} y2={plotHeight} />
                {activePoint.actual !== null ? <circle cx={px(activePoint)} cy={y(activePoint.actual)} r={4} fill="#fff" stroke={props.color} strokeWidth={2} /> : null}
                {activePoint.forecast !== null && activePoint.actualDays < activePoint.days ? (
                  <circle cx={px(activePoint)} cy={y(activePoint.forecast)} r={4} fill={props.color} stroke="#fff" strokeWidth={1.5} />
                ) : null}
              </>
            ) : null}
            <g className="chart-axis chart-axis-bottom" aria-hidden="true" transform={`translate(0,${plotHeight})`}>
              {ticks.map((p) => (
                <g key={p.date} transform={`translate(${px(p)},0)`}>
                  <line y1={0} y2={4} className="chart-tick" />
                  <text y={16} textAnchor="middle">
                    {props.formatTick(p.date)}
                  </text>
                </g>
              ))}
            </g>
            <rect
              className="chart-overlay"
              width={plotWidth}
              height={plotHeight}
              onPointerMove={onPointer}
              onPointerDown={onPointer}
              onPointerLeave={() => setActive(null)}
            />
          </g>
        </svg>
        {activePoint ? (
          <ChartTooltip x={MARGIN.left + px(activePoint)} y={MARGIN.top} width={width} title={props.formatPeriod(activePoint.date)} rows={tooltipRows(activePoint)} />
        ) : null}
      </div>
    </ChartFrame>
  );
}
