/**
 * Attribution coverage: for how many leads, and how much revenue, the channel
 * is known, and why not for the rest. Over the leads created in the range.
 *
 * - A lead's coverage is lead_journeys.coverage (db/analytics/stitch.ts):
 *   'known' when some touch has a non-direct channel; otherwise the reason:
 *   only_direct, unassigned_number, manual_no_source, no_visitor_id,
 *   outside_lookback, no_sessions.
 * - One row per reason, in that order, zero rows included.
 *   share_of_leads = leads / all leads; revenue = exact sum of the amounts
 *   of the reason's won leads; share_of_revenue = revenue / all revenue.
 *   Either share is null when its denominator is 0 (no leads, no revenue).
 * - The totals row carries all leads and all revenue (shares 1, or null when
 *   empty). A reason the list does not know yet is still shown, after the
 *   known ones, so no lead goes missing from the totals.
 */
import { addDecimal, divideDecimal, ratio } from './decimal';

export const COVERAGE_REASONS = [
  'known',
  'only_direct',
  'unassigned_number',
  'manual_no_source',
  'no_visitor_id',
  'outside_lookback',
  'no_sessions',
] as const;
export type CoverageReason = (typeof COVERAGE_REASONS)[number];

export const COVERAGE_COLUMNS = ['reason', 'leads', 'share_of_leads', 'revenue', 'share_of_revenue'] as const;

export function isCoverageReason(value: string): value is CoverageReason {
  return (COVERAGE_REASONS as readonly string[]).includes(value);
}

/** Leads created in the range with one coverage value, and their won revenue. */
export interface CoverageRawRow {
  readonly coverage: string;
  readonly leads: number;
  /** Exact decimal string. */
  readonly revenue: string;
}

export type CoverageRow = {
  reason: string;
  leads: number;
  share_of_leads: number | null;
  /** Exact, 2 decimals. */
  revenue: string;
  share_of_revenue: number | null;
};

export interface CoverageReport {
  rows: CoverageRow[];
  totals: CoverageRow;
}

const shareOfRevenue = (part: string, total: string): number | null => {
  const share = divideDecimal(part, total, 4);
  return share === null ? null : Number(share);
};

export function computeCoverageReport(raw: readonly CoverageRawRow[]): CoverageReport {
  const byReason = new Map<string, { leads: number; revenue: string }>();
  for (const r of raw) {
    const seen = byReason.get(r.coverage) ?? { leads: 0, revenue: '0' };
    byReason.set(r.coverage, { leads: seen.leads + r.leads, revenue: addDecimal(seen.revenue, r.revenue) });
  }
  const reasons = [...COVERAGE_REASONS, ...[...byReason.keys()].filter((k) => !isCoverageReason(k)).sort()];
  const totalLeads = raw.reduce((sum, r) => sum + r.leads, 0);
  const totalRevenue = addDecimal(...raw.map((r) => r.revenue));
  const rowOf = (reason: string, leads: number, revenue: string): CoverageRow => ({
    reason,
    leads,
    share_of_leads: ratio(leads, totalLeads),
    revenue: addDecimal(revenue),
    share_of_revenue: shareOfRevenue(revenue, totalRevenue),
  });
  return {
    rows: reasons.map((reason) => {
      const r = byReason.get(reason);
      return rowOf(reason, r?.leads ?? 0, r?.revenue ?? '0');
    }),
    totals: rowOf('total', totalLeads, totalRevenue),
  };
}
