// Change against the comparison period, for KPI cards and any page that
// shows "vs previous period".

/**
 * (current − previous) / |previous|, rounded to 4 digits; null when there is
 * no basis: either value missing, or a previous value of zero (a change from
 * nothing has no percentage).
 */
export function relativeChange(current: number | string | null, previous: number | string | null): number | null {
  if (current === null || previous === null) return null;
  const c = Number(current);
  const p = Number(previous);
  if (!Number.isFinite(c) || !Number.isFinite(p) || p === 0) return null;
  return Math.round(((c - p) / Math.abs(p)) * 10_000) / 10_000;
}

/** Which way is good for a measure: up for revenue, down for a cost per lead. */
export type GoodDirection = 'up' | 'down' | 'neutral';
export type ChangeTone = 'good' | 'bad' | 'neutral';

export function changeTone(change: number | null, goodWhen: GoodDirection): ChangeTone {
  if (change === null || change === 0 || goodWhen === 'neutral') return 'neutral';
  return (change > 0) === (goodWhen === 'up') ? 'good' : 'bad';
}
