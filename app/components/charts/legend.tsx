export interface LegendItem {
  label: string;
  color: string;
  /** How the series is drawn, so the swatch looks like it. */
  shape?: 'bar' | 'line' | 'dashed';
}

export function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.label}>
          <svg width="18" height="10" aria-hidden="true" className="chart-legend-swatch">
            {item.shape === 'line' || item.shape === 'dashed' ? (
              <line x1="1" x2="17" y1="5" y2="5" stroke={item.color} strokeWidth="2.5" strokeDasharray={item.shape === 'dashed' ? '4 3' : undefined} />
            ) : (
              <rect x="1" y="0" width="16" height="10" rx="2" fill={item.color} />
            )}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}
