import { z } from 'zod';
import { addDecimal, divideDecimal } from './decimal';
import { dayNumber, isoDay, monthRange } from './forecast/calendar';

/**
 * Plan vs actual for one month and slice, defined once:
 *
 * - "today" is the first day not yet counted: actuals are the month's days
 *   before it (a day counts once it is over). A month is `past` when today is
 *   after its last day, `future` when today is on or before its first day,
 *   else `current`.
 * - expected by today = plan × share, where share = the forecast's expected
 *   value over the month's days before today ÷ over all its days (the
 *   forecast's daily shape: weekdays, season, holidays; not a flat line).
 *   Leads, sales and revenue use the leads shape, the budget the sessions
 *   shape. A past month expects the whole plan, a future one nothing.
 * - projected month end = actual + the forecast of the days left (a future
 *   month: the forecast of all its days; a past month: the actual). Spend has
 *   no forecast of its own: its projection is the run rate spend ÷ share.
 * - progress = actual ÷ plan (budget: the burn); attainment = projected ÷ plan
 *   (for a past month, the final attainment).
 * - status of leads, sales and revenue: `ahead` if attainment ≥ 1.05,
 *   `behind` if < 0.95, else `on_track`; of the budget: `over` ≥ 1.05,
 *   `under` < 0.95, else `on_track`; of CPL: `within` when CPL ≤ max CPL,
 *   else `over` (the month-to-date CPL; a future month's projected CPL).
 *   No status without a plan value or without anything to compare.
 * Counts are rounded to 2 decimals, money is a decimal string.
 */

export const AHEAD_AT = 1.05;
export const BEHIND_BELOW = 0.95;

export type PacingMetric = 'leads' | 'sales' | 'revenue' | 'budget' | 'cpl';
export type PacingStatus = 'ahead' | 'on_track' | 'behind' | 'over' | 'under' | 'within';
export type MonthPhase = 'past' | 'current' | 'future';

export interface PlanTargets {
  leads: number | null;
  max_cpl: string | null;
  budget: string | null;
  sales: number | null;
  revenue: string | null;
}

/** The month's actuals over the counted days (spend null where the slice has none, e.g. a manager). */
export interface SliceActuals {
  leads: number;
  spend: string | null;
  sales: number;
  revenue: string;
}

/** Forecast expected values per day of the month (every day, the first first). */
export interface DayShape {
  day: string;
  sessions: number;
  leads: number;
  sales: number;
  revenue: number;
}

export interface PacingInput {
  month: string;
  today: string;
  plan: PlanTargets;
  actual: SliceActuals;
  /** Null when no forecast could be made: expected falls back to days elapsed, and projections are empty. */
  shape: readonly DayShape[] | null;
}

export interface PacingRow {
  metric: PacingMetric;
  plan: number | string;
  actual: number | string | null;
  progress: number | null;
  expected: number | string | null;
  projected: number | string | null;
  attainment: number | null;
  status: PacingStatus | null;
}

export interface PacingResult {
  month: string;
  phase: MonthPhase;
  daysInMonth: number;
  daysElapsed: number;
  /** Shares of the month elapsed on the forecast's shapes. */
  share: { leads: number; sessions: number };
  /** True when there was no forecast shape and shares are days elapsed ÷ days in month. */
  flatShape: boolean;
  rows: PacingRow[];
}

export const PACING_FIELDS = ['metric', 'plan', 'actual', 'progress', 'expected', 'projected', 'attainment', 'status'] as const satisfies readonly (keyof PacingRow)[];

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;
const money = (n: number) => addDecimal(n.toFixed(6));

export function statusOf(attainment: number | null, words: { high: PacingStatus; low: PacingStatus }): PacingStatus | null {
  if (attainment === null) return null;
  if (attainment >= AHEAD_AT) return words.high;
  if (attainment < BEHIND_BELOW) return words.low;
  return 'on_track';
}

export function monthPhase(month: string, today: string): { phase: MonthPhase; daysInMonth: number; daysElapsed: number } {
  const { first, last } = monthRange(month);
  const t = dayNumber(today);
  const daysInMonth = last - first + 1;
  const daysElapsed = Math.min(daysInMonth, Math.max(0, t - first));
  const phase: MonthPhase = t > last ? 'past' : t <= first ? 'future' : 'current';
  return { phase, daysInMonth, daysElapsed };
}

export function computePacing(input: PacingInput): PacingResult {
  const { phase, daysInMonth, daysElapsed } = monthPhase(input.month, input.today);
  const { first } = monthRange(input.month);
  const shape = input.shape;
  const sums = (key: keyof Omit<DayShape, 'day'>) => {
    let before = 0;
    let after = 0;
    if (shape) {
      for (const d of shape) {
        if (dayNumber(d.day) - first < daysElapsed) before += d[key];
        else after += d[key];
      }
    }
    return { before, after, total: before + after };
  };
  const leadsShape = sums('leads');
  const sessionsShape = sums('sessions');
  const salesShape = sums('sales');
  const revenueShape = sums('revenue');
  const flat = daysElapsed / daysInMonth;
  const shareOf = (s: { before: number; total: number }) => (phase === 'past' ? 1 : phase === 'future' ? 0 : s.total > 0 ? s.before / s.total : flat);
  const share = { leads: shareOf(leadsShape), sessions: shareOf(sessionsShape) };
  const flatShape = phase === 'current' && (!shape || leadsShape.total === 0);
  const hasShape = shape !== null && leadsShape.total > 0;

  const rows: PacingRow[] = [];
  const projectedCount = (actual: number, s: { after: number; total: number }) =>
    phase === 'past' ? actual : !hasShape ? null : phase === 'future' ? s.total : actual + s.after;
  const countRow = (metric: 'leads' | 'sales', plan: number | null, actual: number, s: { after: number; total: number }) => {
    if (plan === null) return;
    const projected = projectedCount(actual, s);
    const attainment = projected !== null && plan > 0 ? round4(projected / plan) : null;
    rows.push({
      metric,
      plan,
      actual: round2(actual),
      progress: plan > 0 ? round4(actual / plan) : null,
      expected: round2(plan * share.leads),
      projected: projected === null ? null : round2(projected),
      attainment,
      status: statusOf(attainment, { high: 'ahead', low: 'behind' }),
    });
  };
  countRow('leads', input.plan.leads, input.actual.leads, leadsShape);
  countRow('sales', input.plan.sales, input.actual.sales, salesShape);

  if (input.plan.revenue !== null) {
    const plan = Number(input.plan.revenue);
    const actual = Number(input.actual.revenue);
    const projected = projectedCount(actual, revenueShape);
    const attainment = projected !== null && plan > 0 ? round4(projected / plan) : null;
    rows.push({
      metric: 'revenue',
      plan: input.plan.revenue,
      actual: input.actual.revenue,
      progress: plan > 0 ? round4(actual / plan) : null,
      expected: money(plan * share.leads),
      projected: projected === null ? null : money(projected),
      attainment,
      status: statusOf(attainment, { high: 'ahead', low: 'behind' }),
    });
  }

  // Spend: projected by run rate on the sessions shape.
  const spend = input.actual.spend;
  const projectedSpend =
    spend === null ? null : phase === 'past' ? Number(spend) : phase === 'current' && share.sessions > 0 ? Number(spend) / share.sessions : null;
  if (input.plan.budget !== null) {
    const plan = Number(input.plan.budget);
    const attainment = projectedSpend !== null && plan > 0 ? round4(projectedSpend / plan) : null;
    rows.push({
      metric: 'budget',
      plan: input.plan.budget,
      actual: spend,
      progress: spend !== null && plan > 0 ? round4(Number(spend) / plan) : null,
      expected: money(plan * share.sessions),
      projected: projectedSpend === null ? null : money(projectedSpend),
      attainment,
      status: statusOf(attainment, { high: 'over', low: 'under' }),
    });
  }

  if (input.plan.max_cpl !== null) {
    const cpl = spend !== null && input.actual.leads > 0 ? divideDecimal(spend, round2(input.actual.leads).toFixed(2)) : null;
    const projectedLeads = projectedCount(input.actual.leads, leadsShape);
    const projectedCpl =
      projectedSpend !== null && projectedLeads !== null && projectedLeads > 0 ? money(projectedSpend / projectedLeads) : null;
    const compared = phase === 'future' ? projectedCpl : cpl;
    const max = Number(input.plan.max_cpl);
    rows.push({
      metric: 'cpl',
      plan: input.plan.max_cpl,
      actual: cpl,
      progress: null,
      expected: null,
      projected: projectedCpl,
      attainment: compared !== null && max > 0 ? round4(Number(compared) / max) : null,
      status: compared === null ? null : Number(compared) <= max ? 'within' : 'over',
    });
  }

  return { month: input.month, phase, daysInMonth, daysElapsed, share: { leads: round4(share.leads), sessions: round4(share.sessions) }, flatShape, rows };
}

/** Every day of the month, for building a shape. */
export function monthDays(month: string): string[] {
  const { first, last } = monthRange(month);
  const out: string[] = [];
  for (let d = first; d <= last; d++) out.push(isoDay(d));
  return out;
}

export const PLAN_BREAKDOWNS = ['channel', 'region', 'manager'] as const;
export type PlanBreakdown = (typeof PLAN_BREAKDOWNS)[number];

/** Parameters of the plan-vs-actual report; `today` defaults to today in the workspace zone (the server owns time). */
export const planParamsSchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
    .refine((m) => m >= '1970-01' && m <= '2100-12', 'a month 1970-01..2100-12'),
  by: z.enum(PLAN_BREAKDOWNS).optional(),
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .refine((d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
    }, 'no such calendar date')
    .optional(),
});
export type PlanParams = z.output<typeof planParamsSchema>;
