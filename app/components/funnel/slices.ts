import type { CallsBreakdown } from '../../reports/calls';
import { FUNNEL_BREAKDOWNS, type FunnelBreakdown, type FunnelReport } from '../../reports/funnel';
import type { Breakdown } from '../../reports/params';

// The slices the Funnel and Calls pages offer, and how a page reads a
// report's all-leads funnel. Client-safe (no server imports): the routes
// build their breakdown links from these, the models their queries.

/** The funnel's breakdown of a URL `by`; anything the funnel has no rule for means none. */
export function funnelByOf(by: Breakdown | undefined): FunnelBreakdown | null {
  return (FUNNEL_BREAKDOWNS as readonly string[]).includes(by ?? '') ? (by as FunnelBreakdown) : null;
}

/** The stages of the all-leads funnel: the only group without a breakdown, the last ('total') with one. */
export function allLeadsStages(report: Pick<FunnelReport, 'groups' | 'stages'>): FunnelReport['stages'] {
  const all = report.groups.at(-1);
  return report.stages.filter((s) => s.group === all);
}

/** The slices the Calls page's table offers (time is the volume chart's). */
export const CALLS_PAGE_BREAKDOWNS = ['channel', 'source_medium', 'campaign', 'region', 'manager'] as const satisfies readonly CallsBreakdown[];
export type CallsPageBy = (typeof CALLS_PAGE_BREAKDOWNS)[number];

export function callsByOf(by: Breakdown | undefined): CallsPageBy {
  return (CALLS_PAGE_BREAKDOWNS as readonly string[]).includes(by ?? '') ? (by as CallsPageBy) : 'channel';
}
