import type { ScaleLinear } from 'd3';

// Axes drawn by React from d3's scales (no DOM access): gridlines and labels
// as plain SVG, styled by app.css (.chart-axis).

/** Horizontal gridlines with value labels on the left of a plot `width` wide. */
export function AxisLeft(props: { scale: ScaleLinear<number, number>; width: number; ticks?: number; format: (value: number) => string }) {
  const ticks = props.scale.ticks(props.ticks ?? 3);
  return (
    <g className="chart-axis chart-axis-left" aria-hidden="true">
      {ticks.map((tick) => {
        const y = props.scale(tick);
        return (
          <g key={tick} transform={`translate(0,${y})`}>
            <line x1={0} x2={props.width} className={tick === 0 ? 'chart-zero' : 'chart-grid'} />
            <text x={-6} dy="0.32em" textAnchor="end">
              {props.format(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Vertical gridlines with value labels under a plot `height` tall (for horizontal bars). */
export function AxisBottomLinear(props: { scale: ScaleLinear<number, number>; height: number; ticks?: number; format: (value: number) => string }) {
  const ticks = props.scale.ticks(props.ticks ?? 4);
  return (
    <g className="chart-axis chart-axis-bottom" aria-hidden="true">
      {ticks.map((tick) => {
        const x = props.scale(tick);
        return (
          <g key={tick} transform={`translate(${x},0)`}>
            <line y1={0} y2={props.height} className={tick === 0 ? 'chart-zero' : 'chart-grid'} />
            <text y={props.height + 14} textAnchor="middle">
              {props.format(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Labels under evenly spaced categories (days, weeks) at their centres. */
export function AxisBottomBand(props: { ticks: { key: string; x: number; label: string }[]; y: number }) {
  return (
    <g className="chart-axis chart-axis-bottom" aria-hidden="true" transform={`translate(0,${props.y})`}>
      {props.ticks.map((tick) => (
        <g key={tick.key} transform={`translate(${tick.x},0)`}>
          <line y1={0} y2={4} className="chart-tick" />
          <text y={16} textAnchor="middle">
            {tick.label}
          </text>
        </g>
      ))}
    </g>
  );
}
