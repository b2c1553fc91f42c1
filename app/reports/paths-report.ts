/**
 * Paths report: how leads arrive, over the leads created in the range (one
 * converting journey each, see journeys.ts). Definitions are the engine's
 * (app/reports/attribution/paths.ts):
 *
 * - Top paths: the lead's channels in touch order with consecutive repeats
 *   collapsed, joined with ' > '; the 20 paths with most leads (then most
 *   revenue, then by name). share = leads / all leads; revenue = exact sum of
 *   the amounts of the path's won leads; won = its won leads.
 * - length: touches per lead, repeats counted (a lead without a known touch
 *   has its one stand-in touch); every length from 1 up, zeros included,
 *   with 10 or more in one '10+' bucket. share = leads / all leads.
 * - time_to_lead: days from the first touch to the lead (elapsed time), in
 *   buckets [0, 1), [1, 2), [2, 3), [3, 7), [7, 14), [14, 30), [30, 60),
 *   [60, 90), 90+. Only leads with a known touch (a session or a call) count:
 *   a stand-in touch is stamped at the lead's own time and would read as
 *   "0 days". share = leads / those leads.
 * - assisted, per channel: last_touch_leads = leads whose last touch is the
 *   channel; assisted_leads = leads with the channel on the path but not
 *   last (once per lead); assist_ratio = assisted / last-touch (null when
 *   the channel closed no lead). Busiest channel first.
 * Shares are rounded to 4 decimals; a share of no leads at all is null (the
 * engine says 0; the only rows that can show it are the all-zero
 * time-to-lead buckets of a range without a known touch).
 */
import {
  computeAssistedConversions,
  computeCollapsedPath,
  computePathLengthDistribution,
  computeTimeToLeadDistribution,
  computeTopConvertingPaths,
  formatPath,
} from './attribution/paths';
import { sumMoney } from './attribution/money';
import { addDecimal } from './decimal';
import { revenueOf, toLeadJourney, type LeadPathRow } from './journeys';

export const TOP_PATHS_LIMIT = 20;
export const PATH_LENGTH_CAP = 10;

export const PATHS_COLUMNS = ['path', 'leads', 'share', 'revenue', 'won'] as const;
export const PATH_LENGTH_COLUMNS = ['touches', 'leads', 'share'] as const;
export const TIME_TO_LEAD_COLUMNS = ['bucket', 'leads', 'share'] as const;
export const ASSISTED_COLUMNS = ['channel', 'last_touch_leads', 'assisted_leads', 'assist_ratio'] as const;

export type TopPathRow = {
  path: string;
  leads: number;
  share: number;
  /** Exact, 2 decimals. */
  revenue: string;
  won: number;
};

export type PathLengthRow = {
  /** '1', '2', ..., '10+'. */
  touches: string;
  leads: number;
  share: number;
};

export type TimeToLeadRow = {
  /** Days, '0-1' = [0, 1), ..., '90+'. */
  bucket: string;
  leads: number;
  /** Null when no lead has a known touch. */
  share: number | null;
};

export type AssistedRow = {
  channel: string;
  last_touch_leads: number;
  assisted_leads: number;
  assist_ratio: number | null;
};

export interface PathsReport {
  rows: TopPathRow[];
  length: PathLengthRow[];
  timeToLead: TimeToLeadRow[];
  assisted: AssistedRow[];
  leads: number;
  won: number;
  /** Exact revenue of the won leads, 2 decimals. */
  revenue: string;
  /** Leads left out of time to lead: no session or call touch. */
  leadsWithoutKnownTouch: number;
  /** Distinct collapsed paths (the top rows show at most TOP_PATHS_LIMIT). */
  distinctPaths: number;
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

export function computePathsReport(leads: readonly LeadPathRow[], { topLimit = TOP_PATHS_LIMIT } = {}): PathsReport {
  const journeys = leads.map(toLeadJourney);
  const wonByPath = new Map<string, number>();
  for (const lead of leads) {
    const path = formatPath(computeCollapsedPath(lead.channels));
    wonByPath.set(path, (wonByPath.get(path) ?? 0) + (lead.isWon ? 1 : 0));
  }
  const rows = computeTopConvertingPaths(journeys, { limit: topLimit }).map((p) => ({
    path: p.path,
    leads: p.leads,
    share: round4(p.share),
    revenue: addDecimal(p.revenue),
    won: wonByPath.get(p.path) ?? 0,
  }));
  const length = computePathLengthDistribution(journeys, { capAt: PATH_LENGTH_CAP }).map((b) => ({
    touches: b.isOpenEnded ? `${b.length}+` : String(b.length),
    leads: b.leads,
    share: round4(b.share),
  }));
  const touched = journeys.filter((_, i) => leads[i]!.knownTouches > 0);
  const timeToLead = computeTimeToLeadDistribution(touched).map((b) => ({
    bucket: b.toDays === null ? `${b.fromDays}+` : `${b.fromDays}-${b.toDays}`,
    leads: b.leads,
    share: touched.length > 0 ? round4(b.share) : null,
  }));
  const assisted = computeAssistedConversions(journeys).map((c) => ({
    channel: c.channel,
    last_touch_leads: c.lastTouchLeads,
    assisted_leads: c.assistedLeads,
    assist_ratio: c.assistRatio === null ? null : round4(c.assistRatio),
  }));
  return {
    rows,
    length,
    timeToLead,
    assisted,
    leads: leads.length,
    won: leads.filter((l) => l.isWon).length,
    revenue: addDecimal(sumMoney(leads.map(revenueOf))),
    leadsWithoutKnownTouch: leads.filter((l) => l.knownTouches === 0).length,
    distinctPaths: wonByPath.size,
  };
}
