import { addDecimal } from './decimal';
import { dayNumber, monthRange, weekdayOf } from './forecast/calendar';
import type { StageCohort } from './forecast/forecast';

/**
 * The marketing planner: what a month's budget per channel buys (what-if),
 * and what budget a target needs (reverse funnel), on each channel's history.
 *
 * Response curve (cost → traffic), per channel, on whole weeks of history
 * (Monday to Sunday) with spend > 0:
 *   weekly sessions = a · (1 − e^(−weekly spend / b))
 * a saturating curve (diminishing returns: each extra unit of money buys
 * fewer sessions; `a` is the most a week can bring), fitted by least squares:
 * for a given b the best a is linear, so b is found by a search over a log
 * grid refined by golden section. With fewer than MIN_CURVE_WEEKS such weeks,
 * or weekly spend that hardly varies (coefficient of variation < 0.1, so the
 * curve's bend cannot be seen), the curve is `constant`: sessions = spend ÷
 * the history's cost per session (total spend ÷ total sessions of all its
 * whole weeks). A channel with spend but no sessions
 * (offline media reached by phone) works in leads instead, at a constant
 * cost per lead.
 *
 * A month's budget B over D days is spent evenly: weekly spend = B·7/D,
 * monthly sessions = f(weekly spend)·D/7. Then leads = sessions × the
 * channel's conversion rate, qualified = leads × qualified rate, sales =
 * leads × win rate, revenue = sales × average deal (stage rates on the mature
 * cohort, as in the forecast), CPL = B ÷ leads, ROMI = (revenue − B) ÷ B.
 * The reverse funnel runs the same steps backwards, so the two round-trip.
 */

export const MIN_CURVE_WEEKS = 8;
export const MIN_SPEND_VARIATION = 0.1;
/** Unpaid channels are taken to bring their leads at the rate of this many last days of history. */
export const RUN_RATE_DAYS = 91;

export type CurveKind = 'saturating' | 'constant';

export interface ResponseCurve {
  curve: CurveKind;
  /** What the curve buys: sessions, or leads for a channel without sessions. */
  unit: 'sessions' | 'leads';
  /** Saturating: most units a week can bring, and the spend scale (units = a·(1 − e^(−spend/b))). */
  a: number | null;
  b: number | null;
  /** Constant: money per unit. */
  costPerUnit: number | null;
  /** Weeks with spend the curve was fitted on. */
  weeks: number;
}

export interface PlannerDay {
  day: string;
  spend: number;
  sessions: number;
  leads: number;
}

export interface PlannerHistory {
  channel: string;
  from: string;
  to: string;
  /** Sparse daily history. */
  days: readonly PlannerDay[];
  cohort: StageCohort;
}

export interface PlannerChannel {
  channel: string;
  /** Null for a channel that had no spend (it cannot be bought). */
  curve: ResponseCurve | null;
  /** Leads per session over the history (null without sessions). */
  conversion: number | null;
  qualifiedRate: number | null;
  winRate: number | null;
  avgDeal: number | null;
  /** Leads a day over the last RUN_RATE_DAYS of history (what an unpaid channel brings without budget). */
  leadsPerDay: number;
}

// ---------------------------------------------------------------- curves

export function fitResponseCurve(points: readonly { spend: number; units: number }[], unit: 'sessions' | 'leads'): ResponseCurve | null {
  const paid = points.filter((p) => p.spend > 0);
  // The constant cost is over all weeks: media invoiced monthly put a month's spend in one week.
  const spend = points.reduce((s, p) => s + p.spend, 0);
  const units = points.reduce((s, p) => s + p.units, 0);
  if (!(spend > 0) || !(units > 0)) return null;
  const constant: ResponseCurve = { curve: 'constant', unit, a: null, b: null, costPerUnit: spend / units, weeks: paid.length };
  if (unit === 'leads' || paid.length < MIN_CURVE_WEEKS) return constant;
  const mean = spend / paid.length;
  const sd = Math.sqrt(paid.reduce((s, p) => s + (p.spend - mean) ** 2, 0) / (paid.length - 1));
  if (sd / mean < MIN_SPEND_VARIATION) return constant;

  const sse = (b: number) => {
    let gy = 0;
    let gg = 0;
    for (const p of paid) {
      const g = 1 - Math.exp(-p.spend / b);
      gy += g * p.units;
      gg += g * g;
    }
    const a = gg > 0 ? gy / gg : 0;
    let s = 0;
    for (const p of paid) s += (p.units - a * (1 - Math.exp(-p.spend / b))) ** 2;
    return { a, s };
  };
  const lo = Math.log(Math.min(...paid.map((p) => p.spend)) / 20);
  const hi = Math.log(Math.max(...paid.map((p) => p.spend)) * 50);
  const steps = 200;
  let best = lo;
  let bestS = Infinity;
  for (let i = 0; i <= steps; i++) {
    const x = lo + ((hi - lo) * i) / steps;
    const { s } = sse(Math.exp(x));
    if (s < bestS) {
      bestS = s;
      best = x;
    }
  }
  // Golden-section refinement in the grid cell around the best point.
  let left = Math.max(lo, best - (hi - lo) / steps);
  let right = Math.min(hi, best + (hi - lo) / steps);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const m1 = right - phi * (right - left);
    const m2 = left + phi * (right - left);
    if (sse(Math.exp(m1)).s <= sse(Math.exp(m2)).s) right = m2;
    else left = m1;
  }
  const b = Math.exp((left + right) / 2);
  const { a } = sse(b);
  if (!(a > 0)) return constant;
  return { curve: 'saturating', unit, a, b, costPerUnit: null, weeks: paid.length };
}

/** Units a week of `spend` buys. */
export function unitsForSpend(c: ResponseCurve, spend: number): number {
  if (spend <= 0) return 0;
  if (c.curve === 'constant') return spend / c.costPerUnit!;
  return c.a! * (1 - Math.exp(-spend / c.b!));
}

/** Weekly spend that buys `units` a week; null when a saturating curve cannot reach it. */
export function spendForUnits(c: ResponseCurve, units: number): number | null {
  if (units <= 0) return 0;
  if (c.curve === 'constant') return units * c.costPerUnit!;
  if (units >= c.a!) return null;
  return -c.b! * Math.log(1 - units / c.a!);
}

// ---------------------------------------------------------------- models per channel

export function buildPlannerChannel(h: PlannerHistory): PlannerChannel {
  const first = dayNumber(h.from);
  const last = dayNumber(h.to);
  // Whole Monday..Sunday weeks inside the history.
  const firstMonday = first + ((7 - weekdayOf(first)) % 7);
  const weeks = new Map<number, { spend: number; sessions: number; leads: number }>();
  for (let w = firstMonday; w + 6 <= last; w += 7) weeks.set(w, { spend: 0, sessions: 0, leads: 0 });
  let sessions = 0;
  let leads = 0;
  let recentLeads = 0;
  for (const d of h.days) {
    const n = dayNumber(d.day);
    if (n < first || n > last) continue;
    sessions += d.sessions;
    leads += d.leads;
    if (n > last - RUN_RATE_DAYS) recentLeads += d.leads;
    const week = weeks.get(n - weekdayOf(n));
    if (week) {
      week.spend += d.spend;
      week.sessions += d.sessions;
      week.leads += d.leads;
    }
  }
  const unit: 'sessions' | 'leads' = sessions > 0 ? 'sessions' : 'leads';
  const curve = fitResponseCurve([...weeks.values()].map((w) => ({ spend: w.spend, units: unit === 'sessions' ? w.sessions : w.leads })), unit);
  const c = h.cohort;
  return {
    channel: h.channel,
    curve,
    conversion: sessions > 0 ? leads / sessions : null,
    qualifiedRate: c.leads > 0 ? c.qualified / c.leads : null,
    winRate: c.leads > 0 ? c.sales / c.leads : null,
    avgDeal: c.sales > 0 ? Number(c.revenue) / c.sales : null,
    leadsPerDay: recentLeads / Math.min(RUN_RATE_DAYS, last - first + 1),
  };
}

// ---------------------------------------------------------------- what-if

export interface WhatIfInput {
  channel: string;
  /** Budget for the month (decimal string); or, instead, sessions for the month. */
  budget?: string;
  sessions?: number;
}

export interface WhatIfRow {
  channel: string;
  curve: CurveKind | null;
  budget: string | null;
  sessions: number | null;
  leads: number | null;
  qualified: number | null;
  sales: number | null;
  revenue: string | null;
  cpl: string | null;
  romi: number | null;
  /** Why a value is missing (no curve, no conversion history, ...). */
  note: string | null;
}

export interface WhatIfResult {
  month: string;
  days: number;
  rows: WhatIfRow[];
  total: WhatIfRow;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;
const money = (n: number) => addDecimal(n.toFixed(6));

export function daysInMonth(month: string): number {
  const { first, last } = monthRange(month);
  return last - first + 1;
}

function carry(ch: PlannerChannel, leads: number | null) {
  const qualified = leads !== null && ch.qualifiedRate !== null ? leads * ch.qualifiedRate : null;
  const sales = leads !== null && ch.winRate !== null ? leads * ch.winRate : null;
  const revenue = sales !== null && ch.avgDeal !== null ? sales * ch.avgDeal : sales === 0 ? 0 : null;
  return { qualified, sales, revenue };
}

export function computeWhatIf(channels: readonly PlannerChannel[], month: string, inputs: readonly WhatIfInput[]): WhatIfResult {
  const days = daysInMonth(month);
  const byName = new Map(channels.map((c) => [c.channel, c]));
  const rows: WhatIfRow[] = inputs.map((input) => {
    const ch = byName.get(input.channel);
    const empty: WhatIfRow = { channel: input.channel, curve: null, budget: input.budget ?? null, sessions: input.sessions ?? null, leads: null, qualified: null, sales: null, revenue: null, cpl: null, romi: null, note: null };
    if (!ch) return { ...empty, note: 'no history for this channel' };
    let budget: number | null = input.budget !== undefined ? Number(input.budget) : null;
    let sessions: number | null = null;
    let leads: number | null = null;
    let note: string | null = null;
    const curve = ch.curve;
    if (input.sessions !== undefined) {
      sessions = input.sessions;
      if (curve && curve.unit === 'sessions') {
        const weekly = spendForUnits(curve, (sessions * 7) / days);
        budget = weekly === null ? null : (weekly * days) / 7;
        if (weekly === null) note = `the response curve saturates at ${Math.round((curve.a! * days) / 7)} sessions a month`;
      }
    } else if (budget !== null) {
      if (!curve) note = 'no spend in history: no response curve';
      else {
        const units = (unitsForSpend(curve, (budget * 7) / days) * days) / 7;
        if (curve.unit === 'sessions') sessions = units;
        else leads = units;
      }
    }
    if (leads === null && sessions !== null) {
      if (ch.conversion === null) note = note ?? 'no sessions in history: no conversion rate';
      else leads = sessions * ch.conversion;
    }
    const { qualified, sales, revenue } = carry(ch, leads);
    return {
      channel: ch.channel,
      curve: curve?.curve ?? null,
      budget: budget === null ? null : money(budget),
      sessions: sessions === null ? null : round2(sessions),
      leads: leads === null ? null : round2(leads),
      qualified: qualified === null ? null : round2(qualified),
      sales: sales === null ? null : round2(sales),
      revenue: revenue === null ? null : money(revenue),
      cpl: budget !== null && leads !== null && leads > 0 ? money(budget / leads) : null,
      romi: budget !== null && budget > 0 && revenue !== null ? round4((revenue - budget) / budget) : null,
      note,
    };
  });
  const sum = (k: 'sessions' | 'leads' | 'qualified' | 'sales') => round2(rows.reduce((s, r) => s + (r[k] ?? 0), 0));
  const budget = rows.reduce((s, r) => s + (r.budget === null ? 0 : Number(r.budget)), 0);
  const revenue = rows.reduce((s, r) => s + (r.revenue === null ? 0 : Number(r.revenue)), 0);
  const leads = sum('leads');
  const total: WhatIfRow = {
    channel: 'total',
    curve: null,
    budget: money(budget),
    sessions: sum('sessions'),
    leads,
    qualified: sum('qualified'),
    sales: sum('sales'),
    revenue: money(revenue),
    cpl: leads > 0 ? money(budget / leads) : null,
    romi: budget > 0 ? round4((revenue - budget) / budget) : null,
    note: null,
  };
  return { month, days, rows, total };
}

// ---------------------------------------------------------------- reverse funnel

export type TargetMetric = 'leads' | 'sales' | 'revenue';

export interface ReverseTarget {
  metric: TargetMetric;
  value: number;
  /** One channel; without it, the whole business. */
  channel?: string;
}

export interface FunnelStep {
  channel: string;
  /** e.g. 'revenue → sales'. */
  step: string;
  input: number;
  /** The rate or price used ('average deal', 'win rate', 'conversion', 'response curve', ...). */
  using: string;
  rate: number | null;
  output: number | null;
}

export interface ReverseChannelRow {
  channel: string;
  curve: CurveKind | null;
  leads: number;
  sessions: number | null;
  budget: string | null;
  note: string | null;
}

export interface ReverseResult {
  month: string;
  target: ReverseTarget;
  requiredLeads: number | null;
  steps: FunnelStep[];
  channels: ReverseChannelRow[];
  /** Sum of the channels' budgets; null when a needed channel cannot reach its part. */
  budget: string | null;
  notes: string[];
}

/** Target → leads with the given rates; the steps are appended. */
function leadsForTarget(t: ReverseTarget, rates: { winRate: number | null; avgDeal: number | null }, channel: string, steps: FunnelStep[]): number | null {
  let value = t.value;
  if (t.metric === 'revenue') {
    const sales = rates.avgDeal ? value / rates.avgDeal : null;
    steps.push({ channel, step: 'revenue → sales', input: value, using: 'average deal', rate: rates.avgDeal, output: sales === null ? null : round2(sales) });
    if (sales === null) return null;
    value = sales;
  }
  if (t.metric === 'revenue' || t.metric === 'sales') {
    const leads = rates.winRate ? value / rates.winRate : null;
    steps.push({ channel, step: 'sales → leads', input: round2(value), using: 'win rate (sales per lead)', rate: rates.winRate === null ? null : round4(rates.winRate), output: leads === null ? null : round2(leads) });
    if (leads === null) return null;
    value = leads;
  }
  return value;
}

function channelBudget(ch: PlannerChannel, leads: number, days: number, steps: FunnelStep[]): ReverseChannelRow {
  const row: ReverseChannelRow = { channel: ch.channel, curve: ch.curve?.curve ?? null, leads: round2(leads), sessions: null, budget: null, note: null };
  const curve = ch.curve;
  let units = leads;
  if (!curve || curve.unit === 'sessions') {
    if (ch.conversion === null || ch.conversion === 0) {
      steps.push({ channel: ch.channel, step: 'leads → sessions', input: round2(leads), using: 'conversion (leads per session)', rate: ch.conversion, output: null });
      row.note = 'no conversion history';
      return row;
    }
    units = leads / ch.conversion;
    row.sessions = round2(units);
    steps.push({ channel: ch.channel, step: 'leads → sessions', input: round2(leads), using: 'conversion (leads per session)', rate: round4(ch.conversion), output: round2(units) });
  }
  if (!curve) {
    row.note = 'no spend in history: no response curve';
    return row;
  }
  const weekly = spendForUnits(curve, (units * 7) / days);
  const budget = weekly === null ? null : (weekly * days) / 7;
  steps.push({
    channel: ch.channel,
    step: `${curve.unit} → budget`,
    input: round2(units),
    using: curve.curve === 'saturating' ? `response curve ${curve.unit} = ${round2(curve.a!)}·(1 − e^(−spend/${round2(curve.b!)})) a week` : `constant cost per ${curve.unit === 'sessions' ? 'session' : 'lead'} (history too thin for a curve)`,
    rate: curve.curve === 'constant' ? round4(curve.costPerUnit!) : null,
    output: budget === null ? null : round2(budget),
  });
  if (budget === null) row.note = `not reachable: the curve saturates at ${Math.round((curve.a! * days) / 7)} ${curve.unit} a month`;
  row.budget = budget === null ? null : money(budget);
  return row;
}

/**
 * Target → leads → sessions → budget. For one channel, with its own rates.
 * For the whole business: leads from the business's rates (`overall`);
 * unpaid channels (no spend in history) bring their recent run rate
 * (RUN_RATE_DAYS) for free; paid channels make up the rest in proportion to
 * their run rates, each through its own conversion and response curve.
 */
export function computeReverseFunnel(
  channels: readonly PlannerChannel[],
  overall: { winRate: number | null; avgDeal: number | null },
  month: string,
  target: ReverseTarget,
): ReverseResult {
  const days = daysInMonth(month);
  const steps: FunnelStep[] = [];
  const notes: string[] = [];
  if (target.channel !== undefined) {
    const ch = channels.find((c) => c.channel === target.channel);
    if (!ch) return { month, target, requiredLeads: null, steps, channels: [], budget: null, notes: [`no history for channel ${target.channel}`] };
    const leads = leadsForTarget(target, ch, ch.channel, steps);
    if (leads === null) return { month, target, requiredLeads: null, steps, channels: [], budget: null, notes: ['no won deals in the cohort: the rates are unknown'] };
    const row = channelBudget(ch, leads, days, steps);
    return { month, target, requiredLeads: round2(leads), steps, channels: [row], budget: row.budget, notes };
  }

  const leads = leadsForTarget(target, overall, 'total', steps);
  if (leads === null) return { month, target, requiredLeads: null, steps, channels: [], budget: null, notes: ['no won deals in the cohort: the rates are unknown'] };
  const free = channels.filter((c) => !c.curve);
  const paid = channels.filter((c) => c.curve && c.leadsPerDay > 0);
  const freeLeads = free.reduce((s, c) => s + c.leadsPerDay * days, 0);
  steps.push({ channel: 'total', step: 'leads from unpaid channels', input: round2(leads), using: `their run rate over the last ${RUN_RATE_DAYS} days`, rate: null, output: round2(freeLeads) });
  const needed = Math.max(0, leads - freeLeads);
  const paidRate = paid.reduce((s, c) => s + c.leadsPerDay, 0);
  const rows: ReverseChannelRow[] = free.map((c) => ({ channel: c.channel, curve: null, leads: round2(c.leadsPerDay * days), sessions: null, budget: null, note: 'unpaid: its run rate, no budget' }));
  let budget = 0;
  let reachable = true;
  if (needed > 0 && paidRate === 0) {
    notes.push('no paid channel with leads in history: the gap cannot be bought');
    reachable = false;
  }
  for (const c of paid) {
    const share = paidRate > 0 ? c.leadsPerDay / paidRate : 0;
    steps.push({ channel: c.channel, step: 'paid leads → channel', input: round2(needed), using: 'share of paid leads (run rate)', rate: round4(share), output: round2(needed * share) });
    const row = channelBudget(c, needed * share, days, steps);
    rows.push(row);
    if (row.budget === null) reachable = false;
    else budget += Number(row.budget);
  }
  if (freeLeads >= leads) notes.push('unpaid channels alone are expected to reach the target');
  return { month, target, requiredLeads: round2(leads), steps, channels: rows, budget: reachable ? money(budget) : null, notes };
}

// ---------------------------------------------------------------- saving a scenario

export interface PlanRowInput {
  /** YYYY-MM. */
  month: string;
  channel: string;
  region: string;
  manager: string;
  leads: number | null;
  max_cpl: string | null;
  budget: string | null;
  sales: number | null;
  revenue: string | null;
}

/** A what-if scenario as the month's plan rows: one per channel with a budget, and the whole business. */
export function planRowsOfScenario(s: WhatIfResult, opts: { maxCpl?: 'scenario' | null } = { maxCpl: 'scenario' }): PlanRowInput[] {
  const row = (r: WhatIfRow, channel: string): PlanRowInput => ({
    month: s.month,
    channel,
    region: '',
    manager: '',
    leads: r.leads === null ? null : Math.round(r.leads),
    max_cpl: opts.maxCpl === 'scenario' ? r.cpl : null,
    budget: r.budget,
    sales: r.sales === null ? null : Math.round(r.sales),
    revenue: r.revenue,
  });
  return [row(s.total, ''), ...s.rows.filter((r) => r.budget !== null || r.leads !== null).map((r) => row(r, r.channel))];
}
