import { line, max, min, scaleBand, scaleLinear } from 'd3';
import type { PointerEvent, ReactNode } from 'react';
import { AxisBottomBand, AxisLeft } from './axes';
import { ChartFrame } from './chart-frame';
import { ChartTooltip } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';

/** One measure over time, drawn in its own panel (small multiples share the time axis). */
export interface TimeSeriesDef {
  key: string;
  label: string;
  color: string;
  kind: 'bar' | 'line';
  /** The exact value for the tooltip ('UAH 1,234.56'). */
  format: (value: number | null) => string;
  /** Short axis labels ('UAH 1.2K'). */
  axisFormat: (value: number) => string;
}

export interface TimePoint {
  /** First day of the bucket, 'YYYY-MM-DD'. */
  date: string;
  values: Record<string, number | null>;
}

const MARGIN = { top: 24, right: 12, bottom: 26, left: 72 };
const PANEL_GAP = 44;

/**
 * Several measures over the same days or weeks, one panel each (no dual
 * axes: spend, leads and CPL have different units). Hover, tap or arrow keys
 * show every measure of a bucket in one tooltip.
 */
export function TimeSeriesChart(props: {
  title: string;
  description?: ReactNode;
  points: TimePoint[];
  series: TimeSeriesDef[];
  /** Axis label of a bucket ('Nov 3'). */
  formatTick: (date: string) => string;
  /** Tooltip title of a bucket ('Week of Nov 3, 2026'). */
  formatBucket: (date: string) => string;
  panelHeight?: number;
  headingLevel?: 2 | 3;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(720);
  const { points, series } = props;
  const { active, setActive, keyboardProps } = useActiveIndex(points.length);
  const isEmpty = points.length === 0 || points.every((p) => series.every((s) => !p.values[s.key]));

  const panelHeight = props.panelHeight ?? 96;
  const plotWidth = Math.max(120, width - MARGIN.left - MARGIN.right);
  const height = MARGIN.top + series.length * (panelHeight + PANEL_GAP) - PANEL_GAP + MARGIN.bottom;
  const hasBars = series.some((s) => s.kind === 'bar');
  const x = scaleBand<string>()
    .domain(points.map((p) => p.date))
    .range([0, plotWidth])
    .paddingInner(hasBars ? 0.25 : 0)
    .paddingOuter(hasBars ? 0.1 : 0.5);
  const centre = (date: string) => (x(date) ?? 0) + x.bandwidth() / 2;

  const maxTicks = Math.max(2, Math.floor(plotWidth / 72));
  const every = Math.ceil(points.length / maxTicks);
  const ticks = points
    .filter((_, i) => i % every === 0)
    .map((p) => ({ key: p.date, x: centre(p.date), label: props.formatTick(p.date) }));

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const scale = plotWidth / box.width;
    const px = (event.clientX - box.left) * scale;
    const step = x.step();
    const first = x(points[0]?.date ?? '') ?? 0;
    const index = Math.floor((px - first + (step * x.paddingInner()) / 2) / step);
    setActive(Math.max(0, Math.min(points.length - 1, index)));
  };

  const activePoint = active === null ? null : points[active];
  const legend = series.map((s) => ({ label: s.label, color: s.color, shape: s.kind }));

  return (
    <ChartFrame title={props.title} description={props.description} legend={legend} isEmpty={isEmpty} minHeight={height} headingLevel={props.headingLevel}>
      <div className="chart-body" ref={ref}>
        <svg
          width="100%"
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={props.title}
          className="chart-svg"
          {...keyboardProps}
        >
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {series.map((s, i) => {
              const values = points.map((p) => p.values[s.key] ?? null);
              const lo = Math.min(0, min(values, (v) => v ?? undefined) ?? 0);
              const hi = Math.max(0, max(values, (v) => v ?? undefined) ?? 0);
              const y = scaleLinear()
                .domain(hi === lo ? [lo, lo + 1] : [lo, hi])
                .nice(3)
                .range([panelHeight, 0]);
              const path = line<TimePoint>()
                .defined((p) => p.values[s.key] !== null && p.values[s.key] !== undefined)
                .x((p) => centre(p.date))
                .y((p) => y(p.values[s.key] ?? 0))(points);
              const top = i * (panelHeight + PANEL_GAP);
              return (
                <g key={s.key} transform={`translate(0,${top})`}>
                  <text className="chart-panel-label" x={-MARGIN.left} y={-12} fill={s.color}>
                    {s.label}
                  </text>
                  <AxisLeft scale={y} width={plotWidth} format={s.axisFormat} />
                  {s.kind === 'bar'
                    ? points.map((p, j) => {
                        const v = p.values[s.key] ?? 0;
                        return (
                          <rect
                            key={p.date}
                            x={x(p.date)}
                            width={x.bandwidth()}
                            y={Math.min(y(v), y(0))}
                            height={Math.abs(y(v) - y(0))}
                            fill={s.color}
                            opacity={active === null || active === j ? 1 : 0.55}
                          />
                        );
                      })
                    : (
                      <>
                        <path d={path ?? undefined} fill="none" stroke={s.color} strokeWidth={2} strokeLinejoin="round" />
                        {points.length <= 31
                          ? points.map((p) =>
                              p.values[s.key] === null || p.values[s.key] === undefined ? null : (
                                <circle key={p.date} cx={centre(p.date)} cy={y(p.values[s.key]!)} r={2} fill={s.color} />
                              ),
                            )
                          : null}
                      </>
                    )}
                  {activePoint && s.kind === 'line' && activePoint.values[s.key] !== null && activePoint.values[s.key] !== undefined ? (
                    <circle cx={centre(activePoint.date)} cy={y(activePoint.values[s.key]!)} r={4} fill="#fff" stroke={s.color} strokeWidth={2} />
                  ) : null}
                </g>
              );
            })}
            {activePoint ? (
              <line
                className="chart-crosshair"
                x1={centre(activePoint.date)}
                x2={centre(activePoint.date)}
                y1={0}
                y2={height - MARGIN.top - MARGIN.bottom}
              />
            ) : null}
            <AxisBottomBand ticks={ticks} y={height - MARGIN.top - MARGIN.bottom} />
            <rect
              className="chart-overlay"
              width={plotWidth}
              height={height - MARGIN.top - MARGIN.bottom}
              onPointerMove={onPointer}
              onPointerDown={onPointer}
              onPointerLeave={() => setActive(null)}
            />
          </g>
        </svg>
        {activePoint ? (
          <ChartTooltip
            x={MARGIN.left + centre(activePoint.date)}
            y={MARGIN.top}
            width={width}
            title={props.formatBucket(activePoint.date)}
            rows={series.map((s) => ({ label: s.label, value: s.format(activePoint.values[s.key] ?? null), color: s.color }))}
          />
        ) : null}
      </div>
    </ChartFrame>
  );
}
