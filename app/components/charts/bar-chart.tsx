import { max, min, scaleBand, scaleLinear } from 'd3';
import type { PointerEvent, ReactNode } from 'react';
import { AxisBottomLinear } from './axes';
import { ChartFrame } from './chart-frame';
import { ChartTooltip } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';

export interface BarSeriesDef {
  key: string;
  label: string;
  color: string;
  /** A colour per value (e.g. negative ROMI in the "negative" role colour); overrides `color`. */
  colorOf?: (value: number) => string;
  format: (value: number | null) => string;
}

export interface BarRow {
  key: string;
  label: string;
  values: Record<string, number | null>;
}

const MARGIN = { top: 4, right: 16, bottom: 22 };
const BAR = 12;
const ROW_GAP = 10;

/**
 * Horizontal bars, one group per row and one bar per series (spend vs
 * revenue per channel; ROMI per channel). Negative values grow to the left
 * of a zero line. Labels sit on the left, truncated with the full text in a
 * tooltip.
 */
export function BarChart(props: {
  title: string;
  description?: ReactNode;
  rows: BarRow[];
  series: BarSeriesDef[];
  axisFormat: (value: number) => string;
  headingLevel?: 2 | 3;
  emptyMessage?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(560);
  const { rows, series } = props;
  const { active, setActive, keyboardProps } = useActiveIndex(rows.length);
  const isEmpty = rows.length === 0 || rows.every((r) => series.every((s) => !r.values[s.key]));

  const labelWidth = Math.round(Math.min(170, Math.max(90, width * 0.32)));
  const plotWidth = Math.max(80, width - labelWidth - MARGIN.right);
  const rowHeight = series.length * BAR + ROW_GAP;
  const plotHeight = rows.length * rowHeight;
  const height = MARGIN.top + plotHeight + MARGIN.bottom;

  const all = rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0));
  const lo = Math.min(0, min(all) ?? 0);
  const hi = Math.max(0, max(all) ?? 0);
  const x = scaleLinear()
    .domain(lo === hi ? [0, 1] : [lo, hi])
    .nice(Math.max(2, Math.floor(plotWidth / 90)))
    .range([0, plotWidth]);
  const y = scaleBand<string>()
    .domain(rows.map((r) => r.key))
    .range([0, plotHeight]);
  const maxChars = Math.floor((labelWidth - 10) / 6.6);
  const truncate = (s: string) => (s.length > maxChars ? `${s.slice(0, Math.max(1, maxChars - 1))}…` : s);

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const py = ((event.clientY - box.top) / box.height) * plotHeight;
    setActive(Math.max(0, Math.min(rows.length - 1, Math.floor(py / rowHeight))));
  };

  const activeRow = active === null ? null : rows[active];
  const legend = series.length > 1 ? series.map((s) => ({ label: s.label, color: s.color, shape: 'bar' as const })) : undefined;

  return (
    <ChartFrame
      title={props.title}
      description={props.description}
      legend={legend}
      isEmpty={isEmpty}
      emptyMessage={props.emptyMessage}
      headingLevel={props.headingLevel}
    >
      <div className="chart-body" ref={ref}>
        <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} className="chart-svg" {...keyboardProps}>
          <g transform={`translate(${labelWidth},${MARGIN.top})`}>
            <AxisBottomLinear scale={x} height={plotHeight} format={props.axisFormat} ticks={Math.max(2, Math.floor(plotWidth / 90))} />
            {rows.map((row, i) => (
              <g key={row.key} transform={`translate(0,${y(row.key)})`} opacity={active === null || active === i ? 1 : 0.6}>
                <text className="chart-row-label" x={-8} y={rowHeight / 2 - ROW_GAP / 4} dy="0.32em" textAnchor="end">
                  <title>{row.label}</title>
                  {truncate(row.label)}
                </text>
                {series.map((s, j) => {
                  const v = row.values[s.key] ?? 0;
                  return (
                    <rect
                      key={s.key}
                      x={Math.min(x(v), x(0))}
                      y={ROW_GAP / 2 + j * BAR}
                      width={Math.max(v === 0 ? 0 : 1, Math.abs(x(v) - x(0)))}
                      height={BAR - 2}
                      rx={2}
                      fill={s.colorOf ? s.colorOf(v) : s.color}
                    />
                  );
                })}
              </g>
            ))}
            <rect
              className="chart-overlay"
              x={-labelWidth}
              width={labelWidth + plotWidth}
              height={plotHeight}
              onPointerMove={onPointer}
              onPointerDown={onPointer}
              onPointerLeave={() => setActive(null)}
            />
          </g>
        </svg>
        {activeRow ? (
          <ChartTooltip
            x={labelWidth + x(Math.max(0, ...series.map((s) => activeRow.values[s.key] ?? 0)))}
            y={MARGIN.top + (y(activeRow.key) ?? 0)}
            width={width}
            title={activeRow.label}
            rows={series.map((s) => ({ label: s.label, value: s.format(activeRow.values[s.key] ?? null), color: s.color }))}
          />
        ) : null}
      </div>
    </ChartFrame>
  );
}
