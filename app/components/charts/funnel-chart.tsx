import { scaleLinear } from 'd3';
import { useId, type PointerEvent, type ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { ChartTooltip, type TooltipRow } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';
import { OKABE_ITO } from './palette';

/** One stage of a funnel, as the funnel report gives it (app/reports/funnel.ts). */
export interface FunnelStage {
  key: string;
  label: string;
  /** Leads with a history row for the stage. */
  entered: number;
  /** Leads that entered it or a later stage (skipped stages count as passed). */
  reached: number;
  /** reached(next) / reached(this); null on the last stage. */
  stepConversion: number | null;
  /** reached / reached(first stage). */
  conversionFromFirst: number | null;
  /** Median hours from entering this stage to entering a later one; null on the last stage. */
  medianHoursToNext: number | null;
}

export interface FunnelChartText {
  entered: string;
  skipped: string;
  reached: string;
  stepConversion: string;
  conversionFromFirst: string;
  medianToNext: string;
  count: (value: number) => string;
  percent: (value: number | null) => string;
  duration: (hours: number | null) => string;
  /** '5 skipped', shown under a bar that holds skipped leads. */
  skippedCount: (count: number) => string;
}

export const FUNNEL_COLORS = { entered: OKABE_ITO.blue, skipped: OKABE_ITO.skyBlue } as const;

const BAR = 22;
const GAP_FULL = 26;
const GAP_COMPACT = 5;
const BAR_COMPACT = 13;

/**
 * A stage funnel as horizontal bars, one per stage, as long as the leads
 * that reached it. Each bar shows openly what rests on inferred passage: the
 * solid part entered the stage (a history row), the hatched part skipped it
 * (reached a later stage without entering this one). Between bars, the step
 * conversion and the median time to the next stage. `compact` draws the
 * bars only (small multiples) on a scale of `domainMax` leads, or of the
 * first stage when shares are compared (`relative`).
 */
export function FunnelChart(props: {
  title: string;
  description?: ReactNode;
  stages: FunnelStage[];
  text: FunnelChartText;
  compact?: boolean;
  /** Bars as a share of the first stage (so funnels of different sizes compare). */
  relative?: boolean;
  headingLevel?: 2 | 3;
  emptyMessage?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(props.compact ? 260 : 640);
  const { stages, text, compact = false } = props;
  const { active, setActive, keyboardProps } = useActiveIndex(stages.length);
  const rawId = useId();
  const patternId = `hatch-${rawId.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const isEmpty = stages.length === 0 || stages.every((s) => s.reached === 0);

  const bar = compact ? BAR_COMPACT : BAR;
  const gap = compact ? GAP_COMPACT : GAP_FULL;
  const labelWidth = compact ? Math.round(Math.min(96, Math.max(64, width * 0.3))) : Math.round(Math.min(150, Math.max(84, width * 0.24)));
  const valueWidth = compact ? 40 : Math.min(132, Math.max(84, width * 0.2));
  const plotWidth = Math.max(40, width - labelWidth - valueWidth);
  const rowHeight = bar + gap;
  const height = stages.length * rowHeight - gap + (compact ? 2 : 16);
  const first = stages[0]?.reached ?? 0;
  const top = props.relative ? 1 : Math.max(1, ...stages.map((s) => s.reached));
  const x = scaleLinear().domain([0, top]).range([0, plotWidth]);
  const size = (v: number) => (props.relative ? (first > 0 ? v / first : 0) : v);
  const maxChars = Math.floor((labelWidth - 8) / (compact ? 6 : 6.8));
  const truncate = (s: string) => (s.length > maxChars ? `${s.slice(0, Math.max(1, maxChars - 1))}…` : s);

  const onPointer = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const py = ((event.clientY - box.top) / box.height) * height;
    setActive(Math.max(0, Math.min(stages.length - 1, Math.floor(py / rowHeight))));
  };

  const activeStage = active === null ? null : stages[active];
  const legend = compact
    ? undefined
    : [
        { label: text.entered, color: FUNNEL_COLORS.entered, shape: 'bar' as const },
        { label: text.skipped, color: FUNNEL_COLORS.skipped, shape: 'bar' as const },
      ];
  const tooltipRows = (s: FunnelStage): TooltipRow[] => [
    { label: text.reached, value: text.count(s.reached) },
    { label: text.entered, value: text.count(s.entered), color: FUNNEL_COLORS.entered },
    { label: text.skipped, value: text.count(s.reached - s.entered), color: FUNNEL_COLORS.skipped },
    { label: text.conversionFromFirst, value: text.percent(s.conversionFromFirst) },
    ...(s.stepConversion === null ? [] : [{ label: text.stepConversion, value: text.percent(s.stepConversion) }]),
    ...(s.medianHoursToNext === null ? [] : [{ label: text.medianToNext, value: text.duration(s.medianHoursToNext) }]),
  ];

  return (
    <ChartFrame
      title={props.title}
      description={props.description}
      legend={legend}
      isEmpty={isEmpty}
      emptyMessage={props.emptyMessage}
      headingLevel={props.headingLevel}
      minHeight={compact ? 80 : 160}
    >
      <div className="chart-body" ref={ref}>
        <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} className="chart-svg" {...keyboardProps}>
          <defs>
            <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={FUNNEL_COLORS.skipped} opacity="0.35" />
              <line x1="0" y1="0" x2="0" y2="6" stroke={FUNNEL_COLORS.skipped} strokeWidth="3" />
            </pattern>
          </defs>
          {stages.map((s, i) => {
            const y = i * rowHeight;
            const reachedW = x(size(s.reached));
            const enteredW = x(size(Math.min(s.entered, s.reached)));
            const skipped = s.reached - s.entered;
            return (
              <g key={s.key} transform={`translate(0,${y})`} opacity={active === null || active === i ? 1 : 0.6}>
                <text className="chart-row-label" x={labelWidth - 8} y={bar / 2} dy="0.32em" textAnchor="end">
                  <title>{s.label}</title>
                  {truncate(s.label)}
                </text>
                <rect x={labelWidth} y={0} width={plotWidth} height={bar} rx={2} className="funnel-track" />
                <rect x={labelWidth} y={0} width={Math.max(s.entered > 0 ? 1 : 0, enteredW)} height={bar} rx={2} fill={FUNNEL_COLORS.entered} />
                {skipped > 0 ? (
                  <rect x={labelWidth + enteredW} y={0} width={Math.max(1, reachedW - enteredW)} height={bar} fill={`url(#${patternId})`} />
                ) : null}
                <text className="funnel-value" x={labelWidth + plotWidth + 6} y={bar / 2} dy="0.32em">
                  {compact ? text.percent(s.conversionFromFirst) : `${text.count(s.reached)} · ${text.percent(s.conversionFromFirst)}`}
                </text>
                {!compact && i < stages.length - 1 ? (
                  <text className="funnel-step" x={labelWidth + 4} y={bar + gap / 2 + 1} dy="0.32em">
                    {`↓ ${text.percent(s.stepConversion)}`}
                    {s.medianHoursToNext !== null ? ` · ${text.duration(s.medianHoursToNext)}` : ''}
                  </text>
                ) : null}
                {!compact && skipped > 0 ? (
                  <text className="funnel-skipped" x={labelWidth + plotWidth + 6} y={bar + 9} dy="0.32em">
                    {text.skippedCount(skipped)}
                  </text>
                ) : null}
              </g>
            );
          })}
          <rect
            className="chart-overlay"
            width={width}
            height={height}
            onPointerMove={onPointer}
            onPointerDown={onPointer}
            onPointerLeave={() => setActive(null)}
          />
        </svg>
        {activeStage ? (
          <ChartTooltip
            x={labelWidth + x(size(activeStage.reached))}
            y={(active ?? 0) * rowHeight + bar}
            width={width}
            title={activeStage.label}
            rows={tooltipRows(activeStage)}
          />
        ) : null}
      </div>
    </ChartFrame>
  );
}
