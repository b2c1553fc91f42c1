import type { ReactNode } from 'react';

export interface TooltipRow {
  label: string;
  value: string;
  color?: string;
}

/**
 * A tooltip inside a chart's positioned body: `x`, `y` are the anchor in the
 * body's pixels; it flips to the left of the anchor on the right half so it
 * never leaves the chart.
 */
export function ChartTooltip(props: { x: number; y: number; width: number; title: ReactNode; rows: TooltipRow[] }) {
  const flip = props.x > props.width / 2;
  return (
    <div
      className="chart-tooltip"
      style={{
        left: flip ? undefined : props.x + 12,
        right: flip ? props.width - props.x + 12 : undefined,
        top: Math.max(0, props.y),
      }}
    >
      <div className="chart-tooltip-title">{props.title}</div>
      <table>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">
                {row.color ? <span className="chart-tooltip-swatch" style={{ background: row.color }} aria-hidden="true" /> : null}
                {row.label}
              </th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
