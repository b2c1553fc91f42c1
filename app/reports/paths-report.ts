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
  computeCollapsedPath,
  computeTimeToLeadDistribution,
  DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS,
  formatPath,
} from './attribution/paths';
import { sumMoney } from './attribution/money';
import { compareText } from './attribution/types';
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

/** Leads with the same touches: channels as touched (repeats kept), how many, how many won, their revenue. */
export interface LeadPathGroup {
  readonly channels: readonly string[];
  readonly leads: number;
  readonly won: number;
  /** Exact sum of the won leads' amounts, a decimal string ('0' when none). */
  readonly revenue: string;
}

/**
 * What the report needs of the leads, grouped (the query groups in SQL, so
 * a hundred thousand leads arrive as a few thousand rows).
 */
export interface PathsInput {
  readonly paths: readonly LeadPathGroup[];
  /** Leads with a known touch per time-to-lead bucket, in DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS order. */
  readonly timeToLead: readonly number[];
}

// A unit separator cannot occur in a channel name typed by a person, unlike ' > '.
const KEY_SEPARATOR = '\u001f';

/** Lead rows grouped the way getPathsInput groups them in SQL. */
export function groupLeadPaths(leads: readonly LeadPathRow[]): PathsInput {
  const groups = new Map<string, { channels: readonly string[]; leads: number; won: number; revenue: (string | null)[] }>();
  for (const lead of leads) {
    if (lead.channels.length === 0) throw new RangeError(`Lead ${lead.leadId}: a journey needs at least one touch`);
    const key = lead.channels.join(KEY_SEPARATOR);
    const group = groups.get(key) ?? { channels: lead.channels, leads: 0, won: 0, revenue: [] };
    group.leads += 1;
    if (lead.isWon) group.won += 1;
    group.revenue.push(revenueOf(lead));
    groups.set(key, group);
  }
  const touched = leads.filter((l) => l.knownTouches > 0).map(toLeadJourney);
  return {
    paths: [...groups.values()].map((g) => ({ channels: g.channels, leads: g.leads, won: g.won, revenue: sumMoney(g.revenue) })),
    timeToLead: computeTimeToLeadDistribution(touched).map((b) => b.leads),
  };
}

export function computePathsReport(leads: readonly LeadPathRow[], options: { topLimit?: number } = {}): PathsReport {
  return computePathsReportFromGroups(groupLeadPaths(leads), options);
}

/**
 * The report from grouped leads. Each section follows the engine's function of
 * the same name in attribution/paths.ts (computeTopConvertingPaths,
 * computePathLengthDistribution, computeTimeToLeadDistribution,
 * computeAssistedConversions), counting a group's leads at once;
 * test/unit/reports/paths-groups.test.ts checks both give the same report.
 */
export function computePathsReportFromGroups(input: PathsInput, { topLimit = TOP_PATHS_LIMIT } = {}): PathsReport {
  let leads = 0;
  let won = 0;
  const collapsed = new Map<string, { channels: string[]; leads: number; won: number; revenue: string[] }>();
  const lengthCounts = new Array<number>(PATH_LENGTH_CAP + 1).fill(0);
  const roles = new Map<string, { lastTouchLeads: number; assistedLeads: number }>();
  for (const group of input.paths) {
    if (group.channels.length === 0) throw new RangeError('A journey needs at least one touch');
    leads += group.leads;
    won += group.won;
    const channels = computeCollapsedPath(group.channels);
    const key = channels.join(KEY_SEPARATOR);
    const path = collapsed.get(key) ?? { channels, leads: 0, won: 0, revenue: [] };
    path.leads += group.leads;
    path.won += group.won;
    path.revenue.push(group.revenue);
    collapsed.set(key, path);
    lengthCounts[Math.min(group.channels.length, PATH_LENGTH_CAP)]! += group.leads;
    // A channel on the path counts once per lead: as its last touch, else as an assist.
    const last = group.channels[group.channels.length - 1];
    for (const channel of new Set(group.channels)) {
      const role = roles.get(channel) ?? { lastTouchLeads: 0, assistedLeads: 0 };
      if (channel === last) role.lastTouchLeads += group.leads;
      else role.assistedLeads += group.leads;
      roles.set(channel, role);
    }
  }
  const share = (part: number, total: number) => (total > 0 ? part / total : 0);

  // Most leads first, then most revenue, then by name.
  const rows = [...collapsed.values()]
    .map((p) => ({ path: formatPath(p.channels), leads: p.leads, revenue: sumMoney(p.revenue), won: p.won }))
    .sort((a, b) => b.leads - a.leads || Number(b.revenue) - Number(a.revenue) || compareText(a.path, b.path))
    .slice(0, Math.max(0, topLimit))
    .map((p) => ({ path: p.path, leads: p.leads, share: round4(share(p.leads, leads)), revenue: addDecimal(p.revenue), won: p.won }));

  const length: PathLengthRow[] = [];
  for (let n = 1; n <= PATH_LENGTH_CAP && leads > 0; n++) {
    length.push({ touches: n === PATH_LENGTH_CAP ? `${n}+` : String(n), leads: lengthCounts[n]!, share: round4(share(lengthCounts[n]!, leads)) });
  }

  const touchedLeads = input.timeToLead.reduce((sum, n) => sum + n, 0);
  const timeToLead = DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS.map((fromDays, i) => {
    const toDays = DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS[i + 1];
    const count = input.timeToLead[i] ?? 0;
    return {
      bucket: toDays === undefined ? `${fromDays}+` : `${fromDays}-${toDays}`,
      leads: count,
      share: touchedLeads > 0 ? round4(share(count, touchedLeads)) : null,
    };
  });

  // Busiest channel first, then by name.
  const assisted = [...roles]
    .sort(([ca, a], [cb, b]) => b.lastTouchLeads + b.assistedLeads - (a.lastTouchLeads + a.assistedLeads) || compareText(ca, cb))
    .map(([channel, { lastTouchLeads, assistedLeads }]) => ({
      channel,
      last_touch_leads: lastTouchLeads,
      assisted_leads: assistedLeads,
      assist_ratio: lastTouchLeads > 0 ? round4(assistedLeads / lastTouchLeads) : null,
    }));

  return {
    rows,
    length,
    timeToLead,
    assisted,
    leads,
    won,
    revenue: addDecimal(sumMoney(input.paths.map((p) => p.revenue))),
    leadsWithoutKnownTouch: leads - touchedLeads,
    distinctPaths: collapsed.size,
  };
}
