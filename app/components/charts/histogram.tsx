import { max, scaleBand, scaleLinear } from 'd3';
import type { PointerEvent, ReactNode } from 'react';
import { AxisLeft } from './axes';
import { ChartFrame } from './chart-frame';
import { ChartTooltip, type TooltipRow } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';

export interface HistogramBin {
  key: string;
  /** Under the bar. */
  label: string;
  value: number;
  /** Tooltip title (default: the label). */
  title?: string;
  /** Extra tooltip rows under the value (e.g. its share). */
  details?: TooltipRow[];
}

const MARGIN = { top: 8, right: 8, bottom: 28, left: 44 };
const PLOT_HEIGHT = 170;

/**
 * Vertical bars over ordered buckets (touches per lead, days to lead): the
 * buckets come in order and every one is drawn, empty ones included, so the
 * shape of the distribution reads at a glance.
 */
export function Histogram(props: {
  title: string;
  description?: ReactNode;
  bins: HistogramBin[];
  color: string;
  /** The value's name in the tooltip ("Leads"). */
  valueLabel: string;
  format: (value: number) => string;
  axisFormat: (value: number) => string;
  /** Under the bucket labels ("touches before the lead"). */
  axisLabel?: string;
  headingLevel?: 2 | 3;
  emptyMessage?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(420);
  const { bins } = props;
  const { active, setActive, keyboardProps } = useActiveIndex(bins.length);
  const isEmpty = bins.every((b) => b.value === 0);
  const axisRoom = props.axisLabel ? 16 : 0;
  const plotWidth = Math.max(60, width - MARGIN.left - MARGIN.right);
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom + axisRoom;
  const x = scaleBand<string>()
    .domain(bins.map((b) => b.key))
    .range([0, plotWidth])
    .paddingInner(0.18)
    .paddingOuter(0.08);
  const y = scaleLinear()
    .domain([0, Math.max(1, max(bins, (b) => b.value) ?? 0)])
    .nice(4)
    .range([PLOT_HEIGHT, 0]);
  // Every label when they fit, else every n-th one (the tooltip still names each bar).
  const widestLabel = (max(bins, (b) => b.label.length) ?? 1) * 6.4 + 6;
  const labelEvery = Math.max(1, Math.ceil(widestLabel / x.step()));

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * plotWidth;
    setActive(Math.max(0, Math.min(bins.length - 1, Math.floor(px / x.step()))));
  };
  const activeBin = active === null ? null : bins[active];

  return (
    <ChartFrame title={props.title} description={props.description} isEmpty={isEmpty} emptyMessage={props.emptyMessage} headingLevel={props.headingLevel}>
      <div className="chart-body" ref={ref}>
        <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} className="chart-svg" {...keyboardProps}>
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <AxisLeft scale={y} width={plotWidth} ticks={4} format={props.axisFormat} />
            {bins.map((b, i) => {
              const top = y(b.value);
              return (
                <rect
                  key={b.key}
                  x={x(b.key) ?? 0}
                  y={top}
                  width={x.bandwidth()}
                  height={Math.max(b.value > 0 ? 1 : 0, PLOT_HEIGHT - top)}
                  rx={2}
                  fill={props.color}
                  opacity={active === null || active === i ? 1 : 0.6}
                />
              );
            })}
            <g className="chart-axis" aria-hidden="true">
              {bins.map((b, i) =>
                i % labelEvery === 0 ? (
                  <text key={b.key} x={(x(b.key) ?? 0) + x.bandwidth() / 2} y={PLOT_HEIGHT + 16} textAnchor="middle">
                    {b.label}
                  </text>
                ) : null,
              )}
              {props.axisLabel ? (
                <text x={plotWidth / 2} y={PLOT_HEIGHT + 16 + axisRoom} textAnchor="middle">
                  {props.axisLabel}
                </text>
              ) : null}
            </g>
            <rect
              className="chart-overlay"
              width={plotWidth}
              height={PLOT_HEIGHT}
              onPointerMove={onPointer}
              onPointerDown={onPointer}
              onPointerLeave={() => setActive(null)}
            />
          </g>
        </svg>
        {activeBin ? (
          <ChartTooltip
            x={MARGIN.left + (x(activeBin.key) ?? 0) + x.bandwidth() / 2}
            y={MARGIN.top + y(activeBin.value)}
            width={width}
            title={activeBin.title ?? activeBin.label}
            rows={[{ label: props.valueLabel, value: props.format(activeBin.value), color: props.color }, ...(activeBin.details ?? [])]}
          />
        ) : null}
      </div>
    </ChartFrame>
  );
}
