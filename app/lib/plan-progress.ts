import { compareDecimal } from '../reports/decimal';
import type { Metrics } from '../reports/metrics';
import type { Filters } from '../reports/params';
import { daysInMonth, monthStart, rangeLength, type Day } from './calendar';

// Plan against actual, as the dashboard shows it. Pure: rows in, figures out.
//
// - A plan row is a month and a slice (channel, region, manager; '' = all).
// - Progress compares the month's actuals so far with the month's targets,
//   next to the share of the month that has passed ("pace").
// - The CPL limit of a channel over a range is the HIGHEST max CPL its plan
//   sets for the months the range touches: a row is flagged only when its CPL
//   is above every month's limit, so a range that mixes a strict and a lenient
//   month never raises a false alarm.

/** One plan row (data contract "plans"): targets for a month and a slice; '' = the whole business. */
export interface PlanRow {
  /** First day of the month, 'YYYY-MM-01'. */
  month: string;
  channel: string;
  region: string;
  manager: string;
  leads: number | null;
  /** Decimal strings. */
  max_cpl: string | null;
  budget: string | null;
  sales: number | null;
  revenue: string | null;
}

export interface PlanSlice {
  channel: string;
  region: string;
  manager: string;
}

/**
 * The plan slice the filters select: one channel, region or manager at most
 * (or none = the whole business). Null when another filter is on, or several
 * values of one: no plan row describes such a slice.
 */
export function planSliceOf(filters: Filters): PlanSlice | null {
  const single = (values: string[] | undefined): string | null => (values === undefined ? '' : values.length === 1 ? values[0]! : null);
  for (const key of ['source', 'medium', 'campaign', 'product', 'temperature'] as const) {
    if ((filters[key]?.length ?? 0) > 0) return null;
  }
  const channel = single(filters.channel);
  const region = single(filters.region);
  const manager = single(filters.manager);
  if (channel === null || region === null || manager === null) return null;
  return { channel, region, manager };
}

export function findPlan(rows: PlanRow[], month: Day, slice: PlanSlice): PlanRow | null {
  return (
    rows.find((r) => r.month === month && r.channel === slice.channel && r.region === slice.region && r.manager === slice.manager) ?? null
  );
}

export interface PlanTargetProgress {
  measure: 'leads' | 'budget' | 'sales' | 'revenue';
  kind: 'count' | 'money';
  actual: number | string;
  target: number | string;
  /** actual / target (0.5 = half way); null when the target is zero. */
  share: number | null;
}

export interface PlanProgress {
  /** 'YYYY-MM-01' */
  month: Day;
  /** Last day counted. */
  through: Day;
  /** Share of the month's days up to `through`: where a steady pace would be. */
  expectedShare: number;
  targets: PlanTargetProgress[];
  /** The month's CPL so far against the plan's maximum. */
  cpl: { actual: string | null; max: string; isOver: boolean } | null;
}

/** Progress of one plan row given the month's actuals from its first day through `through`. */
export function computePlanProgress(plan: PlanRow, actual: Metrics, through: Day): PlanProgress {
  const month = monthStart(through);
  const share = (a: number, t: number) => (t === 0 ? null : Math.round((a / t) * 10_000) / 10_000);
  const targets: PlanTargetProgress[] = [];
  if (plan.leads !== null) targets.push({ measure: 'leads', kind: 'count', actual: actual.leads, target: plan.leads, share: share(actual.leads, plan.leads) });
  if (plan.budget !== null && actual.spend !== null) {
    targets.push({ measure: 'budget', kind: 'money', actual: actual.spend, target: plan.budget, share: share(Number(actual.spend), Number(plan.budget)) });
  }
  if (plan.sales !== null) targets.push({ measure: 'sales', kind: 'count', actual: actual.sales, target: plan.sales, share: share(actual.sales, plan.sales) });
  if (plan.revenue !== null) {
    targets.push({ measure: 'revenue', kind: 'money', actual: actual.revenue, target: plan.revenue, share: share(Number(actual.revenue), Number(plan.revenue)) });
  }
  const cpl =
    plan.max_cpl === null || actual.spend === null
      ? null
      : { actual: actual.cpl, max: plan.max_cpl, isOver: isAboveLimit(actual.cpl, plan.max_cpl) };
  return {
    month,
    through,
    expectedShare: Math.round((rangeLength(month, through) / daysInMonth(month)) * 10_000) / 10_000,
    targets,
    cpl,
  };
}

/** Per channel, the highest max CPL its whole-channel plan rows set in the given months. */
export function maxCplByChannel(rows: PlanRow[], months: Day[]): Map<string, string> {
  const wanted = new Set(months);
  const limits = new Map<string, string>();
  for (const r of rows) {
    if (!wanted.has(r.month) || r.channel === '' || r.region !== '' || r.manager !== '' || r.max_cpl === null) continue;
    const old = limits.get(r.channel);
    if (old === undefined || compareDecimal(r.max_cpl, old) > 0) limits.set(r.channel, r.max_cpl);
  }
  return limits;
}

/** True when a CPL exists and is strictly above the limit. */
export function isAboveLimit(cpl: string | null, limit: string | undefined): boolean {
  return cpl !== null && limit !== undefined && compareDecimal(cpl, limit) > 0;
}
