import { interpolateRgb, scaleSequential } from 'd3';
import type { PointerEvent, ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { ChartTooltip, type TooltipRow } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';
import { OKABE_ITO } from './palette';

export interface HeatmapCell {
  /** Row and column index into `rows` and `columns`. */
  row: number;
  column: number;
  /** What the colour encodes. */
  value: number;
  /** Tooltip lines for the cell. */
  details: TooltipRow[];
}

const LOW = '#f3f6fb';
const MARGIN = { top: 4, right: 4, bottom: 20 };

/**
 * A grid of cells (weekday × hour of the day), coloured by value on one
 * sequential scale from near-white to blue; the scale's ends are printed
 * under it, so the colours read without a legend hunt. Hover, tap or arrow
 * keys show a cell's figures.
 */
export function HeatmapChart(props: {
  title: string;
  description?: ReactNode;
  /** Row labels, top down (Mon … Sun). */
  rows: string[];
  /** Column labels, left to right (0 … 23). */
  columns: string[];
  /** Show every n-th column label (the rest stay in the tooltip). */
  columnLabelEvery?: number;
  cells: HeatmapCell[];
  /** Tooltip title of a cell ('Mon, 14:00–15:00'). */
  cellTitle: (row: number, column: number) => string;
  /** Labels of the scale's two ends ('0 calls', '12 calls'). */
  scaleLabel: (value: number) => string;
  color?: string;
  headingLevel?: 2 | 3;
  emptyMessage?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(720);
  const { rows, columns, cells } = props;
  const byIndex = new Map(cells.map((c) => [c.row * columns.length + c.column, c]));
  const { active, setActive, keyboardProps } = useActiveIndex(rows.length * columns.length);
  const isEmpty = cells.every((c) => c.value === 0);

  const labelWidth = width < 480 ? 34 : 44;
  const cellW = Math.max(8, (width - labelWidth - MARGIN.right) / Math.max(1, columns.length));
  const cellH = Math.max(16, Math.min(28, cellW * 0.9));
  const plotWidth = cellW * columns.length;
  const plotHeight = cellH * rows.length;
  const height = MARGIN.top + plotHeight + MARGIN.bottom;
  const max = Math.max(1, ...cells.map((c) => c.value));
  const color = scaleSequential(interpolateRgb(LOW, props.color ?? OKABE_ITO.blue)).domain([0, max]);
  const every = props.columnLabelEvery ?? (cellW < 20 ? 3 : cellW < 28 ? 2 : 1);

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * plotWidth;
    const py = ((event.clientY - box.top) / box.height) * plotHeight;
    const column = Math.max(0, Math.min(columns.length - 1, Math.floor(px / cellW)));
    const row = Math.max(0, Math.min(rows.length - 1, Math.floor(py / cellH)));
    setActive(row * columns.length + column);
  };

  const activeCell = active === null ? null : byIndex.get(active);
  const activeRow = active === null ? 0 : Math.floor(active / columns.length);
  const activeColumn = active === null ? 0 : active % columns.length;

  return (
    <ChartFrame title={props.title} description={props.description} isEmpty={isEmpty} emptyMessage={props.emptyMessage} headingLevel={props.headingLevel}>
      <div className="chart-body" ref={ref}>
        <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} className="chart-svg" {...keyboardProps}>
          <g transform={`translate(${labelWidth},${MARGIN.top})`}>
            <g className="chart-axis" aria-hidden="true">
              {rows.map((label, r) => (
                <text key={label} x={-6} y={r * cellH + cellH / 2} dy="0.32em" textAnchor="end">
                  {label}
                </text>
              ))}
              {columns.map((label, c) =>
                c % every === 0 ? (
                  <text key={label} x={c * cellW + cellW / 2} y={plotHeight + 14} textAnchor="middle">
                    {label}
                  </text>
                ) : null,
              )}
            </g>
            {rows.map((_, r) =>
              columns.map((_, c) => {
                const cell = byIndex.get(r * columns.length + c);
                const value = cell?.value ?? 0;
                return (
                  <rect
                    key={`${r}:${c}`}
                    x={c * cellW + 1}
                    y={r * cellH + 1}
                    width={Math.max(1, cellW - 2)}
                    height={Math.max(1, cellH - 2)}
                    rx={2}
                    fill={color(value)}
                    className={active === r * columns.length + c ? 'heatmap-cell is-active' : 'heatmap-cell'}
                  />
                );
              }),
            )}
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
        <div className="heatmap-scale" aria-hidden="true">
          <span>{props.scaleLabel(0)}</span>
          <span className="heatmap-ramp" style={{ background: `linear-gradient(to right, ${color(0)}, ${color(max)})` }} />
          <span>{props.scaleLabel(max)}</span>
        </div>
        {activeCell ? (
          <ChartTooltip
            x={labelWidth + activeColumn * cellW + cellW}
            y={MARGIN.top + activeRow * cellH + cellH}
            width={width}
            title={props.cellTitle(activeRow, activeColumn)}
            rows={activeCell.details}
          />
        ) : null}
      </div>
    </ChartFrame>
  );
}
