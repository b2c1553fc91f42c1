import { addDecimal, compareDecimal, divideDecimal, ratio } from './decimal';
import { computeSpeed, managerLabel, TOTAL_GROUP } from './funnel';

/**
 * Managers leaderboard: one row per manager (the lead's `manager`; empty
 * shown as '(unassigned)'), then a 'total' row computed from the summed
 * counts (its median is over all leads, never a mean of the rows).
 *
 * - Scope: leads with the filters applied exactly as in the funnel (touch
 *   filters on the lead's primary touch under the model, the others on the
 *   lead); a `manager` filter keeps those managers only, on leads and calls.
 * - leads: leads created in the range (counts, not attributed credit).
 * - contacted: of those, leads that reached the `contacted` stage (entered it
 *   or any later one, or won). median_hours_to_contact and
 *   contacted_within_15m_share: speed to first contact as in the funnel
 *   (first entry into contacted or a later stage; median hours from creation
 *   over leads with a first contact; share of them contacted within 15
 *   minutes, inclusive).
 * - qualified: leads that reached the `qualified` stage (lead_journeys.
 *   qualified_at is set); qualified_rate = qualified / leads.
 * - won, lost, junk: leads with that outcome; win_rate = won / (won + lost),
 *   junk excluded. revenue: sum of the amounts of won leads (a missing amount
 *   counts 0); avg_deal = revenue / won.
 * - Cohort: 'lead' (default) counts qualified, won, lost, junk and revenue
 *   over the leads created in the range; 'event' counts them when they
 *   happened: qualified when qualified_at is in the range, won/lost/junk when
 *   closed_at (else created_at) is in the range, whenever the lead was
 *   created. leads, contacted and speed always follow creation.
 * - calls: calls started in the range whose `manager` (who answered, or for a
 *   missed call the manager the call-tracking routed it to) is this manager;
 *   missed_calls: those with status missed; missed_share = missed / calls.
 *   Calls with no manager (often missed ones) form the '(unassigned)' row.
 *   The region filter applies to the call's region. A call has no channel,
 *   source, medium, campaign, product or temperature, so with one of those
 *   filters on the call columns are empty (null).
 * - Every zero denominator is null. Money is a decimal string.
 * - Order: revenue, then won, then leads, descending; then name;
 *   '(unassigned)' last.
 */

/** Lead aggregates of one manager; manager null = all managers. */
export interface ManagerLeadRaw {
  manager: string | null;
  leads: number;
  contacted: number;
  timed: number;
  within_15m: number;
  median_hours_to_contact: number | null;
  qualified: number;
  won: number;
  lost: number;
  junk: number;
  revenue: string;
}

/** Call counts of one manager; manager null = all calls. */
export interface ManagerCallRaw {
  manager: string | null;
  calls: number;
  missed_calls: number;
}

export interface ManagersRawRows {
  leads: ManagerLeadRaw[];
  /** null = calls do not apply to the current filters. */
  calls: ManagerCallRaw[] | null;
}

export type ManagerRow = {
  manager: string;
  leads: number;
  contacted: number;
  median_hours_to_contact: number | null;
  contacted_within_15m_share: number | null;
  qualified: number;
  qualified_rate: number | null;
  won: number;
  lost: number;
  junk: number;
  win_rate: number | null;
  revenue: string;
  avg_deal: string | null;
  calls: number | null;
  missed_calls: number | null;
  missed_share: number | null;
};

export const MANAGER_FIELDS = [
  'manager', 'leads', 'contacted', 'median_hours_to_contact', 'contacted_within_15m_share', 'qualified', 'qualified_rate',
  'won', 'lost', 'junk', 'win_rate', 'revenue', 'avg_deal', 'calls', 'missed_calls', 'missed_share',
] as const satisfies readonly (keyof ManagerRow)[];

export interface ManagersReport {
  rows: ManagerRow[];
  totals: ManagerRow;
  /** False when a filter calls cannot be sliced by is on: the call columns are null. */
  hasCalls: boolean;
}

const NO_LEADS: Omit<ManagerLeadRaw, 'manager'> = {
  leads: 0, contacted: 0, timed: 0, within_15m: 0, median_hours_to_contact: null, qualified: 0, won: 0, lost: 0, junk: 0, revenue: '0',
};

export function computeManagers(raw: ManagersRawRows): ManagersReport {
  const { leads: leadRows, calls: callRows } = raw;
  const names = new Set<string>();
  for (const r of [...leadRows, ...(callRows ?? [])]) if (r.manager !== null) names.add(r.manager);
  const leadsOf = (m: string | null) => leadRows.find((r) => r.manager === m);
  const callsOf = (m: string | null) => callRows?.find((r) => r.manager === m);
  const rowOf = (m: string | null): ManagerRow =>
    computeManagerRow(m === null ? TOTAL_GROUP : managerLabel(m), leadsOf(m) ?? { manager: m, ...NO_LEADS }, callRows === null ? null : (callsOf(m) ?? { manager: m, calls: 0, missed_calls: 0 }));
  const rows = [...names]
    .map((m) => ({ unassigned: m === '', row: rowOf(m) }))
    .sort((a, b) =>
      Number(a.unassigned) - Number(b.unassigned) ||
      compareDecimal(b.row.revenue, a.row.revenue) ||
      b.row.won - a.row.won ||
      b.row.leads - a.row.leads ||
      (a.row.manager < b.row.manager ? -1 : a.row.manager > b.row.manager ? 1 : 0))
    .map((x) => x.row);
  return { rows, totals: rowOf(null), hasCalls: callRows !== null };
}

export function computeManagerRow(manager: string, l: Omit<ManagerLeadRaw, 'manager'>, c: Omit<ManagerCallRaw, 'manager'> | null): ManagerRow {
  const revenue = addDecimal(l.revenue);
  return {
    manager,
    leads: l.leads,
    contacted: l.contacted,
    ...computeSpeed({ manager, ...l }),
    qualified: l.qualified,
    qualified_rate: ratio(l.qualified, l.leads),
    won: l.won,
    lost: l.lost,
    junk: l.junk,
    win_rate: ratio(l.won, l.won + l.lost),
    revenue,
    avg_deal: l.won > 0 ? divideDecimal(revenue, l.won) : null,
    calls: c?.calls ?? null,
    missed_calls: c?.missed_calls ?? null,
    missed_share: c ? ratio(c.missed_calls, c.calls) : null,
  };
}
