import { addDecimal, divideDecimal, ratio } from './decimal';
import { keyFields } from './channels';
import type { Breakdown } from './params';

/**
 * Calls report (call tracking). Definitions:
 *
 * - Calls in scope: started in [from, to] (workspace-local days, inclusive),
 *   with the filters applied to the call: channel, source, medium, campaign
 *   are the call's attribution (below), region the call's, manager the call's
 *   manager (below). product and temperature do not exist on a call and are
 *   ignored.
 * - Phones are E.164 already (normalised by the import), so one caller is one
 *   caller_phone whatever format the source wrote.
 * - First-time vs repeat: a call is a repeat call when the same caller made
 *   any other call (any number, any channel, filters not applied) in the
 *   `repeat_call_window_days` (workspace setting, default 30) before it,
 *   a day being 24 hours: previous.started_at >= started_at − N × 24 h. The
 *   look-back reaches before `from`, so the first call of the range can be a
 *   repeat. Every other call is a first-time call. Repeat calls are counted
 *   in `calls` but are not new demand.
 * - Attribution of a call: a call to a static number (tracking_numbers kind
 *   static, valid on the call's workspace-local day; the latest valid_from
 *   wins) takes that number's channel/source/medium/campaign; else a call with
 *   a session_id (pool number, dynamic insertion) takes that session's; else
 *   (a pool call with no session, a number with no assignment, an unknown
 *   session) channel 'unknown' with empty source, medium and campaign.
 * - Manager of a call: calls.manager (who answered, or whom the call tracking
 *   routed it to); a missed call usually has none (the data contract's
 *   manager is "who answered"), so it falls back to the manager of the lead
 *   made from that call (leads.call_id; the earliest such lead with a
 *   manager); else '(unassigned)'. Region '' shows as '(none)'.
 * - Per row (`by` channel | source_medium | campaign | region | manager | day
 *   | week | month): calls; answered; missed; missed_share = missed / calls;
 *   first_time; repeat; unique_callers = distinct caller phones (the totals
 *   row counts them over all calls, not as a sum of rows); avg_duration_sec =
 *   mean duration of answered calls that have one (1 decimal); leads = leads
 *   whose call_id is one of the row's calls (wherever they were created).
 * - Cost of a call: the spend of its cost group in the range divided by the
 *   calls of that group in the range, rounded to the cent ("what a call
 *   cost"). The cost group is the row key for by = channel, source_medium,
 *   campaign (channel, source+medium, source+medium+campaign) and the
 *   channel for every other breakdown (a day or a manager has no spend of its
 *   own). The whole spend of the group is put on its calls: an upper bound,
 *   as the same spend also bought forms and visits. A group with no spend
 *   (organic, direct, unknown, or simply no spend rows) costs 0.00 per call.
 *   Spend follows the channel, source, medium, campaign and region filters;
 *   the group's calls are counted with those filters only (a manager does not
 *   split spend), so a manager filter keeps the cost per call of the whole
 *   channel.
 * - cost_per_call of a row = the summed cost of its calls / its calls (for
 *   by = channel exactly spend / calls); missed_cost = the summed cost of its
 *   missed calls, i.e. missed × cost_per_call for a single group: what the
 *   missed calls cost, the spend that bought them. Exact decimal arithmetic
 *   (cost per call rounded to the cent first, then multiplied). Null only
 *   where there are no calls.
 * - by_hour: calls and missed per weekday (ISO: 1 = Monday .. 7 = Sunday) ×
 *   hour (0–23) of the call's start in the workspace zone, every cell of the
 *   7 × 24 grid present (zeros included).
 * - static_numbers: per static number assignment valid for some day of the
 *   range (a number reassigned in the range has a row per assignment): its
 *   calls in scope, first_time, missed, leads (as above), spend = the spend
 *   of its source/medium/campaign in the range (numbers sharing a campaign
 *   show the same spend), cpl = spend / leads (null with 0 leads). With a
 *   manager filter spend and cpl are null (spend has no manager).
 * - missed_by_manager: missed calls per manager (above) with their
 *   missed_cost (same costs as the main rows, so the section adds up to the
 *   total missed_cost), by missed descending.
 * - Order: time rows by time; other rows by calls descending, then key.
 *   Every zero denominator is null, never 0. Money is a decimal string.
 */

export const CALLS_BREAKDOWNS = ['channel', 'source_medium', 'campaign', 'region', 'manager', 'day', 'week', 'month'] as const satisfies readonly Breakdown[];
export type CallsBreakdown = (typeof CALLS_BREAKDOWNS)[number];

export interface CallsParams {
  by: CallsBreakdown;
}

export const UNASSIGNED_MANAGER = '(unassigned)';
export const NO_REGION = '(none)';
export const UNKNOWN_CHANNEL = 'unknown';
const TOTAL = 'total';

export function isCallsBreakdown(by: string): by is CallsBreakdown {
  return (CALLS_BREAKDOWNS as readonly string[]).includes(by);
}

/** Fields of the cost group of a breakdown (see the doc comment). */
export function costGroupFields(by: CallsBreakdown): string[] {
  return by === 'source_medium' || by === 'campaign' ? keyFields(by) : ['channel'];
}

/** Counts of one row; key null = all calls in scope (the totals row). */
export interface CallSliceRaw {
  key: string[] | null;
  calls: number;
  answered: number;
  missed: number;
  first_time: number;
  repeat: number;
  unique_callers: number;
  duration_sum: number;
  duration_count: number;
  leads: number;
}

/**
 * Cost inputs. part 'row': calls of a main row within a cost group; 'manager':
 * missed calls of a manager within a cost group (key = [manager]); 'group':
 * calls of a cost group counted for its cost per call; 'spend': spend of a
 * cost group. `key` is empty for 'group' and 'spend'.
 */
export interface CallCostRaw {
  part: 'row' | 'manager' | 'group' | 'spend';
  key: string[];
  cost_group: string[];
  calls: number;
  missed: number;
  spend: string | null;
}

export interface CallHourRaw {
  weekday: number;
  hour: number;
  calls: number;
  missed: number;
}

export interface StaticNumberRaw {
  number: string;
  valid_from: string;
  source: string;
  medium: string;
  campaign: string;
  calls: number;
  first_time: number;
  missed: number;
  leads: number;
  /** null when spend cannot be sliced (manager filter). */
  spend: string | null;
}

export interface CallsRaw {
  slices: CallSliceRaw[];
  costs: CallCostRaw[];
  hours: CallHourRaw[];
  staticNumbers: StaticNumberRaw[];
}

export interface CallMetrics {
  calls: number;
  answered: number;
  missed: number;
  missed_share: number | null;
  first_time: number;
  repeat: number;
  unique_callers: number;
  avg_duration_sec: number | null;
  leads: number;
  cost_per_call: string | null;
  missed_cost: string;
}

export const CALL_METRIC_FIELDS = [
  'calls', 'answered', 'missed', 'missed_share', 'first_time', 'repeat', 'unique_callers', 'avg_duration_sec', 'leads',
  'cost_per_call', 'missed_cost',
] as const satisfies readonly (keyof CallMetrics)[];

export type CallRow = Record<string, string> & CallMetrics;

export interface CallHourRow {
  weekday: number;
  hour: number;
  calls: number;
  missed: number;
}
export const CALL_HOUR_FIELDS = ['weekday', 'hour', 'calls', 'missed'] as const;

export interface StaticNumberRow {
  number: string;
  source: string;
  medium: string;
  campaign: string;
  calls: number;
  first_time: number;
  missed: number;
  leads: number;
  spend: string | null;
  cpl: string | null;
}
export const STATIC_NUMBER_FIELDS = ['number', 'source', 'medium', 'campaign', 'calls', 'first_time', 'missed', 'leads', 'spend', 'cpl'] as const;

export interface MissedByManagerRow {
  manager: string;
  missed: number;
  missed_cost: string;
}
export const MISSED_BY_MANAGER_FIELDS = ['manager', 'missed', 'missed_cost'] as const;

export interface CallsReport {
  keys: string[];
  rows: CallRow[];
  totals: CallMetrics;
  byHour: CallHourRow[];
  staticNumbers: StaticNumberRow[];
  missedByManager: MissedByManagerRow[];
}

/** amount × count, exact (amount has at most 2 decimals: a cost per call). */
export function timesCount(amount: string, count: number): string {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m || !Number.isInteger(count) || count < 0) throw new RangeError(`cannot multiply ${amount} by ${count}`);
  const cents = (BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))) * BigInt(count);
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

const groupId = (group: readonly string[]) => JSON.stringify(group);
const keyId = (key: readonly string[]) => JSON.stringify(key);

/** Cost per call of every cost group: spend / calls rounded to the cent; no spend → 0.00. */
export function costPerCallByGroup(costs: readonly CallCostRaw[]): Map<string, string | null> {
  const spend = new Map<string, string>();
  for (const c of costs) if (c.part === 'spend') spend.set(groupId(c.cost_group), addDecimal(spend.get(groupId(c.cost_group)), c.spend));
  const result = new Map<string, string | null>();
  for (const c of costs) {
    if (c.part !== 'group') continue;
    result.set(groupId(c.cost_group), divideDecimal(spend.get(groupId(c.cost_group)) ?? '0', c.calls));
  }
  return result;
}

function labelKey(field: string, value: string): string {
  if (field === 'manager' && value === '') return UNASSIGNED_MANAGER;
  if (field === 'region' && value === '') return NO_REGION;
  return value;
}

export function computeCallsReport(raw: CallsRaw, params: CallsParams): CallsReport {
  const keys = keyFields(params.by);
  const cpc = costPerCallByGroup(raw.costs);
  const costOf = (group: readonly string[]) => cpc.get(groupId(group)) ?? '0.00';

  // Summed cost of the calls and of the missed calls of every row and manager.
  const rowCost = new Map<string, { all: string[]; missed: string[] }>();
  const managerMissed = new Map<string, { missed: number; cost: string[] }>();
  for (const c of raw.costs) {
    if (c.part === 'row') {
      const id = keyId(c.key);
      const acc = rowCost.get(id) ?? { all: [], missed: [] };
      acc.all.push(timesCount(costOf(c.cost_group), c.calls));
      acc.missed.push(timesCount(costOf(c.cost_group), c.missed));
      rowCost.set(id, acc);
    } else if (c.part === 'manager') {
      const manager = labelKey('manager', c.key[0] ?? '');
      const acc = managerMissed.get(manager) ?? { missed: 0, cost: [] };
      acc.missed += c.missed;
      acc.cost.push(timesCount(costOf(c.cost_group), c.missed));
      managerMissed.set(manager, acc);
    }
  }

  const metricsOf = (s: CallSliceRaw, cost: string, missedCost: string): CallMetrics => ({
    calls: s.calls,
    answered: s.answered,
    missed: s.missed,
    missed_share: ratio(s.missed, s.calls),
    first_time: s.first_time,
    repeat: s.repeat,
    unique_callers: s.unique_callers,
    avg_duration_sec: ratio(s.duration_sum, s.duration_count, 1),
    leads: s.leads,
    cost_per_call: divideDecimal(cost, s.calls),
    missed_cost: missedCost,
  });

  const allCost: string[] = [];
  const allMissedCost: string[] = [];
  const rows: CallRow[] = [];
  let totalSlice: CallSliceRaw | undefined;
  for (const s of raw.slices) {
    if (s.key === null) {
      totalSlice = s;
      continue;
    }
    const acc = rowCost.get(keyId(s.key)) ?? { all: [], missed: [] };
    const cost = addDecimal(...acc.all);
    const missedCost = addDecimal(...acc.missed);
    allCost.push(cost);
    allMissedCost.push(missedCost);
    const key = Object.fromEntries(keys.map((k, i) => [k, labelKey(k, s.key![i] ?? '')]));
    rows.push({ ...key, ...metricsOf(s, cost, missedCost) } as CallRow);
  }
  const isTime = params.by === 'day' || params.by === 'week' || params.by === 'month';
  const keyText = (r: CallRow) => keys.map((k) => r[k]).join('\u0000');
  rows.sort((a, b) => (isTime ? keyText(a).localeCompare(keyText(b)) : b.calls - a.calls || keyText(a).localeCompare(keyText(b))));

  const empty: CallSliceRaw = {
    key: null, calls: 0, answered: 0, missed: 0, first_time: 0, repeat: 0, unique_callers: 0, duration_sum: 0, duration_count: 0, leads: 0,
  };
  const totals = metricsOf(totalSlice ?? empty, addDecimal(...allCost), addDecimal(...allMissedCost));

  const hourCells = new Map(raw.hours.map((h) => [`${h.weekday}:${h.hour}`, h]));
  const byHour: CallHourRow[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const cell = hourCells.get(`${weekday}:${hour}`);
      byHour.push({ weekday, hour, calls: cell?.calls ?? 0, missed: cell?.missed ?? 0 });
    }
  }

  const staticNumbers: StaticNumberRow[] = [...raw.staticNumbers]
    .sort((a, b) => b.calls - a.calls || a.number.localeCompare(b.number) || a.valid_from.localeCompare(b.valid_from))
    .map((n) => ({
      number: n.number,
      source: n.source,
      medium: n.medium,
      campaign: n.campaign,
      calls: n.calls,
      first_time: n.first_time,
      missed: n.missed,
      leads: n.leads,
      spend: n.spend,
      cpl: n.leads > 0 ? divideDecimal(n.spend, n.leads) : null,
    }));

  const missedByManager: MissedByManagerRow[] = [...managerMissed.entries()]
    .filter(([, v]) => v.missed > 0)
    .map(([manager, v]) => ({ manager, missed: v.missed, missed_cost: addDecimal(...v.cost) }))
    .sort((a, b) => b.missed - a.missed || a.manager.localeCompare(b.manager));

  return { keys, rows, totals, byHour, staticNumbers, missedByManager };
}

/** The totals row over the main columns: first key 'total', the other keys empty. */
export function callsTotalsRow(report: CallsReport): Record<string, string | number | null> {
  return { ...Object.fromEntries(report.keys.map((k, i) => [k, i === 0 ? TOTAL : ''])), ...report.totals };
}
