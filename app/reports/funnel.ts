import { ratio } from './decimal';
import type { Breakdown } from './params';

/**
 * Sales funnel report (issue "funnel and managers"). Definitions:
 *
 * - Leads in scope: created in [from, to] (workspace-local days, inclusive),
 *   with the filters applied. region, manager, product and temperature are the
 *   lead's own. channel, source, medium and campaign are those of the lead's
 *   primary touch under the chosen model (lead_credits, model = params.model):
 *   the channel with the largest summed credit, ties broken by the latest
 *   touch, and within it that channel's latest touch. Under the single-touch
 *   models (first, last, last_non_direct) that is simply the one credited
 *   touch. The same rule gives the group of `--by channel`, so filtering
 *   channel=X returns exactly the X group. markov has no per-lead credits;
 *   last_non_direct stands in for it.
 * - The pipeline is the workspace's ordered stages. A lead reached a stage if
 *   it entered it or any later one (skipped stages count as passed); a won
 *   lead reached every stage; lost and junk leads reached the stages they
 *   entered and every earlier one. This is lead_journeys.reached_position
 *   (precomputed by stitching); entered is lead_journeys.entered_mask.
 * - Per stage: entered = leads with a history row for it; reached = leads
 *   with reached_position >= its position; skipped = reached − entered;
 *   step_conversion = reached(next stage) / reached(this stage), null on the
 *   last stage; conversion_from_first = reached / reached(first stage);
 *   median_hours_to_next = median, over the leads that have both, of the hours
 *   from the first entry into this stage to the first entry into any later
 *   stage (null when no lead has both, always null on the last stage).
 * - Outcomes: win_rate = won / (won + lost), junk excluded; junk_rate =
 *   junk / leads; open = leads still open; median_sales_cycle_days = median
 *   days from creation to closed_at over won leads with a closed_at.
 * - Reasons: lost and junk leads by loss_reason ('(not given)' when empty),
 *   ranked by count; share = leads with the reason / leads with that outcome.
 *   Over all leads in scope (not per group).
 * - Speed to first contact (per manager): first contact = the first entry into
 *   the `contacted` stage or any later one (a lead moved straight past
 *   contacted was contacted by then; the same "or later" rule as qualified_at).
 *   contacted = leads that reached `contacted` (reach rule above);
 *   median_hours_to_contact = median hours from creation to first contact over
 *   leads with a first contact; contacted_within_15m_share = those contacted
 *   at most 15 minutes after creation / leads with a first contact.
 * - Breakdowns: region, manager, temperature (the lead's; empty → '(none)',
 *   manager empty → '(unassigned)'), month (creation month in the workspace
 *   zone, 'YYYY-MM-01'), channel (primary touch, above). With a breakdown the
 *   funnel of every group is followed by the funnel of all leads, group
 *   'total'. Groups are ordered by leads (months by time).
 * - Medians are the 50th percentile with interpolation (mean of the two middle
 *   values for an even count), as PostgreSQL's percentile_cont(0.5); hours and
 *   days are rounded to 2 decimals, ratios to 4. Every zero denominator is
 *   null, never 0.
 * - The funnel always counts leads by creation (cohort by lead).
 */

export const FUNNEL_BREAKDOWNS = ['region', 'channel', 'manager', 'temperature', 'month'] as const;
export type FunnelBreakdown = (typeof FUNNEL_BREAKDOWNS)[number];

export interface FunnelParams {
  /** null = no breakdown: one funnel of all leads in scope. */
  by: FunnelBreakdown | null;
}

export const TOTAL_GROUP = 'total';
/** Stands for the all-leads row (group null) among group keys; no real value starts with NUL. */
const TOTAL_KEY = '\u0000total';
export const UNASSIGNED_MANAGER = '(unassigned)';
const NO_VALUE = '(none)';
const NO_REASON = '(not given)';
const DURATION_DIGITS = 2;

/** Raw SQL aggregates; `group` null is the row over all leads in scope. */
export interface FunnelStageRaw {
  group: string | null;
  position: number;
  stage: string;
  entered: number;
  reached: number;
  median_hours_to_next: number | null;
}

export interface FunnelOutcomeRaw {
  group: string | null;
  leads: number;
  won: number;
  lost: number;
  junk: number;
  open: number;
  median_sales_cycle_days: number | null;
}

export interface FunnelReasonRaw {
  outcome: 'lost' | 'junk';
  reason: string | null;
  leads: number;
}

/** Speed to first contact of one manager; manager null = all managers. */
export interface SpeedRaw {
  manager: string | null;
  leads: number;
  contacted: number;
  /** Leads with a first-contact time. */
  timed: number;
  within_15m: number;
  median_hours_to_contact: number | null;
}

export interface FunnelRawRows {
  stages: FunnelStageRaw[];
  outcomes: FunnelOutcomeRaw[];
  reasons: FunnelReasonRaw[];
  speed: SpeedRaw[];
}

export type FunnelStageRow = {
  group: string;
  stage: string;
  position: number;
  entered: number;
  reached: number;
  skipped: number;
  step_conversion: number | null;
  conversion_from_first: number | null;
  median_hours_to_next: number | null;
};

export type FunnelOutcomeRow = {
  group: string;
  leads: number;
  won: number;
  lost: number;
  junk: number;
  open: number;
  win_rate: number | null;
  junk_rate: number | null;
  median_sales_cycle_days: number | null;
};

export type FunnelReasonRow = {
  outcome: 'lost' | 'junk';
  reason: string;
  leads: number;
  share: number | null;
};

export type SpeedRow = {
  manager: string;
  leads: number;
  contacted: number;
  median_hours_to_contact: number | null;
  contacted_within_15m_share: number | null;
};

export interface FunnelReport {
  by: FunnelBreakdown | null;
  /** Group labels in display order (with a breakdown, 'total' last); [''] without one. */
  groups: string[];
  stages: FunnelStageRow[];
  outcomes: FunnelOutcomeRow[];
  reasons: FunnelReasonRow[];
  speed: SpeedRow[];
}

export const FUNNEL_STAGE_FIELDS = [
  'group', 'stage', 'position', 'entered', 'reached', 'skipped', 'step_conversion', 'conversion_from_first', 'median_hours_to_next',
] as const satisfies readonly (keyof FunnelStageRow)[];
export const FUNNEL_OUTCOME_FIELDS = [
  'group', 'leads', 'won', 'lost', 'junk', 'open', 'win_rate', 'junk_rate', 'median_sales_cycle_days',
] as const satisfies readonly (keyof FunnelOutcomeRow)[];
export const FUNNEL_REASON_FIELDS = ['outcome', 'reason', 'leads', 'share'] as const satisfies readonly (keyof FunnelReasonRow)[];
export const SPEED_FIELDS = [
  'manager', 'leads', 'contacted', 'median_hours_to_contact', 'contacted_within_15m_share',
] as const satisfies readonly (keyof SpeedRow)[];

/** The funnel's breakdown for a report `by`; undefined (none asked for) → null. Throws for slices the funnel has no rule for. */
export function funnelBreakdownOf(by: Breakdown | undefined): FunnelBreakdown | null {
  if (by === undefined) return null;
  if ((FUNNEL_BREAKDOWNS as readonly string[]).includes(by)) return by as FunnelBreakdown;
  throw new RangeError(`the funnel can be broken down by ${FUNNEL_BREAKDOWNS.join(', ')}; not by ${by}`);
}

export function roundDuration(value: number | null): number | null {
  if (value === null) return null;
  const f = 10 ** DURATION_DIGITS;
  return Math.round(value * f) / f;
}

/** Display label of a group value ('' means the lead has none). */
export function groupLabel(by: FunnelBreakdown | null, value: string): string {
  if (by === null) return '';
  if (value !== '') return value;
  return by === 'manager' ? UNASSIGNED_MANAGER : NO_VALUE;
}

export function managerLabel(manager: string): string {
  return manager === '' ? UNASSIGNED_MANAGER : manager;
}

export function computeSpeed(raw: SpeedRaw): Pick<SpeedRow, 'median_hours_to_contact' | 'contacted_within_15m_share'> {
  return {
    median_hours_to_contact: raw.timed > 0 ? roundDuration(raw.median_hours_to_contact) : null,
    contacted_within_15m_share: ratio(raw.within_15m, raw.timed),
  };
}

export function computeFunnel(raw: FunnelRawRows, params: FunnelParams): FunnelReport {
  const { by } = params;
  const order = groupOrder(raw, by);
  const labelOf = (g: string | null) => (g === null ? (by === null ? '' : TOTAL_GROUP) : groupLabel(by, g));
  const rank = new Map(order.map((g, i) => [g, i]));
  const keyOf = (g: string | null) => g ?? TOTAL_KEY;

  const stages: FunnelStageRow[] = [];
  for (const g of order) {
    const own = raw.stages.filter((s) => keyOf(s.group) === g).sort((a, b) => a.position - b.position);
    const first = own[0]?.reached ?? 0;
    own.forEach((s, i) => {
      const next = own[i + 1];
      stages.push({
        group: labelOf(s.group),
        stage: s.stage,
        position: s.position,
        entered: s.entered,
        reached: s.reached,
        skipped: s.reached - s.entered,
        step_conversion: next ? ratio(next.reached, s.reached) : null,
        conversion_from_first: ratio(s.reached, first),
        median_hours_to_next: next ? roundDuration(s.median_hours_to_next) : null,
      });
    });
  }

  const outcomes = raw.outcomes
    .filter((o) => rank.has(keyOf(o.group)))
    .sort((a, b) => rank.get(keyOf(a.group))! - rank.get(keyOf(b.group))!)
    .map((o): FunnelOutcomeRow => ({
      group: labelOf(o.group),
      leads: o.leads,
      won: o.won,
      lost: o.lost,
      junk: o.junk,
      open: o.open,
      win_rate: ratio(o.won, o.won + o.lost),
      junk_rate: ratio(o.junk, o.leads),
      median_sales_cycle_days: o.won > 0 ? roundDuration(o.median_sales_cycle_days) : null,
    }));

  return {
    by,
    groups: order.map((g) => labelOf(g === TOTAL_KEY ? null : g)),
    stages,
    outcomes,
    reasons: computeReasons(raw.reasons),
    speed: computeSpeedRows(raw.speed),
  };
}

/** Group keys in display order, the all-leads row last. */
function groupOrder(raw: FunnelRawRows, by: FunnelBreakdown | null): string[] {
  if (by === null) return raw.outcomes.some((o) => o.group === null && o.leads > 0) ? [TOTAL_KEY] : [];
  const leads = new Map<string, number>();
  for (const o of raw.outcomes) if (o.group !== null) leads.set(o.group, o.leads);
  for (const s of raw.stages) if (s.group !== null && !leads.has(s.group)) leads.set(s.group, 0);
  const groups = [...leads.keys()];
  if (by === 'month') groups.sort();
  else groups.sort((a, b) => leads.get(b)! - leads.get(a)! || compareLabels(groupLabel(by, a), groupLabel(by, b)));
  return groups.length > 0 ? [...groups, TOTAL_KEY] : [];
}

const compareLabels = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function computeReasons(raw: FunnelReasonRaw[]): FunnelReasonRow[] {
  const merged = new Map<string, FunnelReasonRaw & { reason: string }>();
  for (const r of raw) {
    const reason = r.reason === null || r.reason === '' ? NO_REASON : r.reason;
    const key = `${r.outcome}\u0000${reason}`;
    const prev = merged.get(key);
    merged.set(key, { outcome: r.outcome, reason, leads: (prev?.leads ?? 0) + r.leads });
  }
  const perOutcome = { lost: 0, junk: 0 };
  for (const r of merged.values()) perOutcome[r.outcome] += r.leads;
  return [...merged.values()]
    .sort((a, b) =>
      (a.outcome === b.outcome ? 0 : a.outcome === 'lost' ? -1 : 1) || b.leads - a.leads || compareLabels(a.reason, b.reason))
    .map((r) => ({ outcome: r.outcome, reason: r.reason, leads: r.leads, share: ratio(r.leads, perOutcome[r.outcome]) }));
}

/** One row per manager (by leads, then name; '(unassigned)' last), then 'total'. */
export function computeSpeedRows(raw: SpeedRaw[]): SpeedRow[] {
  const row = (r: SpeedRaw, manager: string): SpeedRow => ({ manager, leads: r.leads, contacted: r.contacted, ...computeSpeed(r) });
  const managers = raw
    .filter((r) => r.manager !== null)
    .sort((a, b) => Number(a.manager === '') - Number(b.manager === '') || b.leads - a.leads || compareLabels(a.manager!, b.manager!))
    .map((r) => row(r, managerLabel(r.manager!)));
  const total = raw.find((r) => r.manager === null);
  return total && managers.length > 0 ? [...managers, row(total, TOTAL_GROUP)] : managers;
}
