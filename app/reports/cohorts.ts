import { addDecimal, divideDecimal, subtractDecimal } from './decimal';

/**
 * Cohort maturation report: how the outcomes of each month's leads grow as
 * the leads age, so a recent month is compared with older ones at the same
 * age, not with their finished totals. Definitions:
 *
 * - Cohort: the month (workspace zone) a lead was created in, 'YYYY-MM'.
 *   Leads created in [from, to] (workspace-local days, inclusive); a cohort
 *   is the part of its month inside the range, every month of the range is a
 *   cohort (an empty one shows zeros), none later than `to`.
 * - asOf = the end of the `to` day. Nothing after asOf counts: the report
 *   shows what was known then.
 * - Age of a cohort = whole weeks from its first day (the 1st, or `from` when
 *   later) to asOf: floor(days / 7). Rows: week 0, 1, .. up to that age,
 *   capped at 26; weeks that have not begun at asOf are absent.
 * - Age of an outcome = whole weeks (7 × 24 h) from its own lead's
 *   created_at to the outcome: week k covers [created_at + 7k days,
 *   created_at + 7(k+1) days). Row `week` = w counts the cohort's outcomes
 *   of age ≤ w that happened before asOf (cumulative).
 * - leads: the cohort's leads (a count, not attributed credit; junk
 *   included), the same in every week. qualified: leads whose qualified_at
 *   (lead_journeys: first entry into the qualified stage or a later one) is
 *   counted; sales: won leads, at closed_at (created_at when missing);
 *   revenue: their amounts (a missing amount counts 0).
 * - spend: spend rows of the cohort's month inside the range (the same for
 *   every week of the cohort); cpql = spend / qualified, cac = spend / sales,
 *   romi = (revenue − spend) / spend.
 * - Filters: channel, source, medium, campaign are the lead's last non-direct
 *   touch (lead_credits, model last_non_direct); region, manager, product,
 *   temperature the lead's. Spend follows channel, source, medium, campaign
 *   and region; with a manager, product or temperature filter it cannot be
 *   sliced and is null (so are cpql, cac, romi).
 * - summary: per cohort its last row (week = min(age, 26)) with age_weeks
 *   (the real age, not capped) and mature = age_weeks ≥ 12.
 * - Every zero denominator is null, never 0. Money is a decimal string,
 *   ratios are numbers (0.25 = 25%).
 */

export const MAX_WEEK = 26;
export const MATURE_WEEKS = 12;
const DAY_MS = 86_400_000;

export interface CohortsParams {
  from: string;
  to: string;
}

/** One count of the query: kind 'lead' (week 0), 'qualified' or 'won' at an outcome age `week`. */
export interface CohortCountRaw {
  cohort: string;
  kind: 'lead' | 'qualified' | 'won';
  week: number;
  leads: number;
  revenue: string;
}

export interface CohortSpendRaw {
  cohort: string;
  spend: string;
}

export interface CohortsRaw {
  counts: CohortCountRaw[];
  spend: CohortSpendRaw[];
  /** False when a lead-only filter is on: spend does not apply. */
  spendSliceable: boolean;
}

export interface CohortValues {
  leads: number;
  qualified: number;
  sales: number;
  revenue: string;
  spend: string | null;
  cpql: string | null;
  cac: string | null;
  romi: number | null;
}

export type CohortRow = { cohort: string; week: number } & CohortValues;
export type CohortSummaryRow = { cohort: string; age_weeks: number; mature: boolean } & CohortValues;

export const COHORT_FIELDS = ['cohort', 'week', 'leads', 'qualified', 'sales', 'revenue', 'spend', 'cpql', 'cac', 'romi'] as const;
export const COHORT_SUMMARY_FIELDS = ['cohort', 'age_weeks', 'mature', 'leads', 'qualified', 'sales', 'revenue', 'spend', 'cpql', 'cac', 'romi'] as const;

export interface CohortsReport {
  rows: CohortRow[];
  summary: CohortSummaryRow[];
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** The months of [from, to] as 'YYYY-MM', in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

/** Whole weeks from the cohort's first day (its 1st, or `from` when later) to the end of `to`. */
export function cohortAgeWeeks(cohort: string, from: string, to: string): number {
  const first = `${cohort}-01` < from ? from : `${cohort}-01`;
  return Math.floor((dayNumber(to) + 1 - dayNumber(first)) / 7);
}

function valuesOf(leads: number, qualified: number, sales: number, revenue: string, spend: string | null): CohortValues {
  return {
    leads,
    qualified,
    sales,
    revenue,
    spend,
    cpql: qualified > 0 ? divideDecimal(spend, qualified) : null,
    cac: sales > 0 ? divideDecimal(spend, sales) : null,
    romi: spend === null ? null : toNumber(divideDecimal(subtractDecimal(revenue, spend), spend, 4)),
  };
}

const toNumber = (s: string | null) => (s === null ? null : Number(s));

export function computeCohorts(raw: CohortsRaw, params: CohortsParams): CohortsReport {
  const spendOf = new Map<string, string>();
  for (const s of raw.spend) spendOf.set(s.cohort, addDecimal(spendOf.get(s.cohort), s.spend));
  const rows: CohortRow[] = [];
  const summary: CohortSummaryRow[] = [];
  for (const cohort of monthsOf(params.from, params.to)) {
    const counts = raw.counts.filter((c) => c.cohort === cohort);
    const leads = counts.filter((c) => c.kind === 'lead').reduce((n, c) => n + c.leads, 0);
    const spend = raw.spendSliceable ? (spendOf.get(cohort) ?? '0.00') : null;
    const age = cohortAgeWeeks(cohort, params.from, params.to);
    const lastWeek = Math.min(age, MAX_WEEK);
    let last: CohortValues | undefined;
    for (let week = 0; week <= lastWeek; week++) {
      const upTo = (kind: CohortCountRaw['kind']) => counts.filter((c) => c.kind === kind && c.week <= week);
      const won = upTo('won');
      last = valuesOf(
        leads,
        upTo('qualified').reduce((n, c) => n + c.leads, 0),
        won.reduce((n, c) => n + c.leads, 0),
        addDecimal(...won.map((c) => c.revenue)),
        spend,
      );
      rows.push({ cohort, week, ...last });
    }
    summary.push({ cohort, age_weeks: age, mature: age >= MATURE_WEEKS, ...last! });
  }
  return { rows, summary };
}
