import { createPrng } from '../../../seeds/prng';
import { addDecimal } from '../decimal';
import type { BacktestErrors } from './backtest';
import { isoDay, monthStartOf, periodsOf, weekdayOf, type PeriodUnit } from './calendar';
import { rateDistribution, type RateDistribution } from './conversion';
import { betaDraw, quantileSorted } from './sampling';
import { chooseModel, densify, weekdayMultipliers, type DailyHistory, type ForecastModelName, type ModelChoice } from './slice-model';

/**
 * Sessions, leads, qualified leads, sales and revenue forecast for one slice
 * (the whole business or one channel), per day, week or month.
 *
 * - sessions: the chosen model's expected daily sessions (slice-model.ts),
 *   summed per period;
 * - leads = sessions × conversion rate (conversion.ts) × the weekday
 *   multiplier of each day; a slice with no sessions at all but with leads
 *   (offline media reached by phone) has its daily leads forecast directly;
 * - qualified, sales, revenue: leads × the slice's stage conversions and
 *   average deal in its mature cohort (StageRates);
 * - intervals (80% and 95%) are simulated, DRAWS draws per period on the
 *   seeded PRNG: sessions = point × exp(e), e drawn from the backtest's
 *   log errors log((actual + ½) / (forecast + ½)) of periods like this one
 *   (the nearest in length and in days ahead, widened by √(days ahead /
 *   their days ahead) past the horizons the backtest saw), centred on their
 *   mean: a backtest bias belongs to the season it was measured in, so the
 *   intervals take the errors' spread and stay around the point forecast;
 *   a rate per calendar month from the rate's
 *   Beta; leads ~ Poisson(sessions × rate × weekday mix). Without a backtest
 *   (too little history) the sessions vary by Poisson noise only, and a note
 *   says the intervals are too narrow.
 */

export const FORECAST_UNITS = ['day', 'week', 'month'] as const;
export type ForecastUnit = (typeof FORECAST_UNITS)[number];
/** Six calendar months at most (31 + 31 + 30 + 31 + 30 + 31). */
export const MAX_HORIZON_DAYS = 184;
export const DRAWS = 2000;
/** Leads younger than this at the end of history are left out of stage conversions (95% of demo wins close within 36 days). */
export const MATURITY_DAYS = 45;

export interface StageCohort {
  /** Leads created in the cohort window (credit sum for a channel). */
  leads: number;
  /** Of those, reached qualified or a later stage. */
  qualified: number;
  /** Of those, won. */
  sales: number;
  /** Amount of the won ones (decimal string). */
  revenue: string;
  /** Cohort window, YYYY-MM-DD inclusive. */
  from: string;
  to: string;
}

export interface SliceHistory extends DailyHistory {
  /** 'total' or a channel name. */
  slice: string;
  cohort: StageCohort;
}

export interface ForecastOptions {
  horizon: number;
  by: ForecastUnit;
  seed?: number;
  draws?: number;
}

export interface StageRates {
  qualifiedRate: number | null;
  winRate: number | null;
  /** Revenue per won deal, decimal string. */
  avgDeal: string | null;
  cohort: StageCohort;
}

export interface ForecastRow {
  /** First day of the period (the forecast may cover only part of the first and last). */
  period: string;
  /** Forecast days in this period. */
  days: number;
  sessions: number;
  sessions_lower80: number;
  sessions_upper80: number;
  sessions_lower95: number;
  sessions_upper95: number;
  leads: number;
  leads_lower80: number;
  leads_upper80: number;
  leads_lower95: number;
  leads_upper95: number;
  qualified: number | null;
  sales: number | null;
  revenue: string | null;
  model: ForecastModelName;
}

export interface ActualRow {
  period: string;
  days: number;
  sessions: number;
  leads: number;
}

export interface ForecastResult {
  slice: string;
  by: ForecastUnit;
  history: { from: string; to: string; days: number };
  range: { from: string; to: string };
  /** Null when there is too little history for any forecast (rows are then empty). */
  model: ForecastModelName | null;
  fallback: string | null;
  /** What the daily model forecasts: sessions (then × rate), or leads directly for a slice without sessions. */
  basis: 'sessions' | 'leads';
  /** Daily MAPE and MASE of the regression and of seasonal naive on the same origins. */
  backtest: { horizon: number; model: BacktestErrors | null; baseline: BacktestErrors | null };
  components: { growthPerYear: number; weekdayFactors: number[]; holidayFactors: { christmas: number; newYear: number }; dispersion: number } | null;
  conversion: { rate: number; lower95: number; upper95: number; overdispersion: number; leads: number; sessions: number } | null;
  stages: StageRates;
  actual: ActualRow[];
  rows: ForecastRow[];
  /** Point forecast per day (for charts and pacing shapes). */
  daily: { day: string; sessions: number; leads: number }[];
  notes: string[];
}

export const FORECAST_FIELDS = [
  'period', 'sessions', 'leads', 'leads_lower80', 'leads_upper80', 'leads_lower95', 'leads_upper95', 'qualified', 'sales', 'revenue', 'model',
] as const satisfies readonly (keyof ForecastRow)[];

export function stageRatesOf(cohort: StageCohort): StageRates {
  const leads = cohort.leads;
  return {
    qualifiedRate: leads > 0 ? cohort.qualified / leads : null,
    winRate: leads > 0 ? cohort.sales / leads : null,
    avgDeal: cohort.sales > 0 ? decimalOf(Number(cohort.revenue) / cohort.sales) : null,
    cohort,
  };
}

/** A slice's fitted daily model and rates, shared by the forecast and pacing. */
export interface SliceForecaster {
  choice: ModelChoice | null;
  basis: 'sessions' | 'leads';
  rate: RateDistribution | null;
  multipliers: number[];
  firstDay: number;
  lastDay: number;
  /** Expected sessions on a day (0 for a leads-basis slice). */
  sessionsOn(day: number): number;
  /** Expected leads on a day. */
  leadsOn(day: number): number;
}

export function buildSliceForecaster(history: DailyHistory, backtestHorizon: number): SliceForecaster {
  const full = densify(history);
  // Days before the slice's first session or lead are before it existed (a channel launched later), not zeros to fit.
  let start = 0;
  while (start < full.sessions.length - 1 && full.sessions[start] === 0 && full.leads[start] === 0) start++;
  const dense = { firstDay: full.firstDay + start, sessions: full.sessions.slice(start), leads: full.leads.slice(start) };
  const n = dense.sessions.length;
  const totalSessions = dense.sessions.reduce((a, b) => a + b, 0);
  const totalLeads = dense.leads.reduce((a, b) => a + b, 0);
  const basis: 'sessions' | 'leads' = totalSessions === 0 && totalLeads > 0 ? 'leads' : 'sessions';
  const series = basis === 'sessions' ? dense.sessions : dense.leads;
  const choice = chooseModel(series, dense.firstDay, backtestHorizon);
  const rate = basis === 'sessions' ? rateDistribution(dense.sessions, dense.leads) : null;
  const multipliers = basis === 'sessions' ? weekdayMultipliers(dense.sessions, dense.leads, dense.firstDay) : new Array<number>(7).fill(1);
  const sessionsOn = (day: number) => (choice && basis === 'sessions' ? choice.predict(day) : 0);
  const leadsOn = (day: number) => {
    if (!choice) return 0;
    if (basis === 'leads') return choice.predict(day);
    return choice.predict(day) * (rate?.rate ?? 0) * multipliers[weekdayOf(day)]!;
  };
  return { choice, basis, rate, multipliers, firstDay: dense.firstDay, lastDay: dense.firstDay + n - 1, sessionsOn, leadsOn };
}

interface PoolEntry {
  length: number;
  ahead: number;
  error: number;
}

/** Log errors of the backtest aggregated to the report's periods. */
function errorPool(f: SliceForecaster, unit: PeriodUnit): PoolEntry[] {
  const bt = f.choice?.backtest;
  if (!bt) return [];
  const byOrigin = new Map<number, { actual: number[]; forecast: number[] }>();
  for (const p of bt.series) {
    let o = byOrigin.get(p.origin);
    if (!o) {
      o = { actual: [], forecast: [] };
      byOrigin.set(p.origin, o);
    }
    o.actual[p.h - 1] = p.actual;
    o.forecast[p.h - 1] = p.forecast;
  }
  const pool: PoolEntry[] = [];
  for (const [origin, o] of byOrigin) {
    const start = f.firstDay + origin;
    for (const period of periodsOf(start, start + o.actual.length - 1, unit)) {
      let a = 0;
      let fc = 0;
      for (let d = period.from; d <= period.to; d++) {
        a += o.actual[d - start]!;
        fc += o.forecast[d - start]!;
      }
      pool.push({ length: period.to - period.from + 1, ahead: (period.from + period.to) / 2 - start + 1, error: Math.log((a + 0.5) / (fc + 0.5)) });
    }
  }
  return pool;
}

/** The backtest errors of the periods most like (length, days ahead), and how much to widen them. */
function neighbours(pool: readonly PoolEntry[], length: number, ahead: number): { errors: number[]; widen: number } {
  const k = Math.min(pool.length, Math.max(20, Math.ceil(pool.length / 5)));
  const ranked = pool
    .map((p) => ({ p, d: Math.abs(Math.log(p.length / length)) + Math.abs(Math.log(p.ahead / ahead)) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k);
  const meanAhead = ranked.reduce((s, r) => s + r.p.ahead, 0) / ranked.length;
  const bias = ranked.reduce((s, r) => s + r.p.error, 0) / ranked.length;
  return { errors: ranked.map((r) => r.p.error - bias), widen: Math.sqrt(Math.max(1, ahead / meanAhead)) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
function decimalOf(n: number): string {
  return addDecimal(n.toFixed(6));
}

export function computeForecast(history: SliceHistory, opts: ForecastOptions): ForecastResult {
  const { horizon, by } = opts;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON_DAYS) throw new RangeError(`horizon must be 1..${MAX_HORIZON_DAYS} days`);
  const f = buildSliceForecaster(history, horizon);
  const stages = stageRatesOf(history.cohort);
  const lastDay = f.lastDay;
  const range = { from: isoDay(lastDay + 1), to: isoDay(lastDay + horizon) };
  const notes: string[] = [];
  const dense = densify(history);

  const actual: ActualRow[] = periodsOf(dense.firstDay, lastDay, by).map((p) => {
    let s = 0;
    let l = 0;
    for (let d = p.from; d <= p.to; d++) {
      s += dense.sessions[d - dense.firstDay]!;
      l += dense.leads[d - dense.firstDay]!;
    }
    return { period: isoDay(p.start), days: p.to - p.from + 1, sessions: s, leads: round2(l) };
  });

  const base = {
    slice: history.slice,
    by,
    history: { from: history.from, to: history.to, days: lastDay - dense.firstDay + 1 },
    range,
    basis: f.basis,
    stages,
    actual,
  };
  const choice = f.choice;
  if (!choice) {
    notes.push(`no forecast: ${lastDay - f.firstDay + 1} days of history with sessions or leads, at least 7 are needed`);
    return { ...base, model: null, fallback: null, backtest: { horizon: 0, model: null, baseline: null }, components: null, conversion: null, rows: [], daily: [], notes };
  }

  const rng = createPrng(opts.seed ?? 1);
  const draws = opts.draws ?? DRAWS;
  const periods = periodsOf(lastDay + 1, lastDay + horizon, by);
  const pool = errorPool(f, by);

  // One conversion rate per draw and calendar month.
  const months = [...new Set(periods.map((p) => monthStartOf(p.from)))];
  const rates = new Map<number, Float64Array>();
  for (const m of months) {
    const r = new Float64Array(draws);
    for (let j = 0; j < draws; j++) r[j] = f.rate ? betaDraw(rng, f.rate.alpha, f.rate.beta) : 1;
    rates.set(m, r);
  }

  const rows: ForecastRow[] = [];
  const daily: ForecastResult['daily'] = [];
  const sessionDraws = new Float64Array(draws);
  const leadDraws = new Float64Array(draws);
  for (const period of periods) {
    let sessions = 0;
    let leads = 0;
    for (let d = period.from; d <= period.to; d++) {
      const s = f.sessionsOn(d);
      const l = f.leadsOn(d);
      sessions += s;
      leads += l;
      daily.push({ day: isoDay(d), sessions: round2(s), leads: round2(l) });
    }
    // The series the model forecasts (sessions, or leads for a leads-basis slice).
    const point = f.basis === 'sessions' ? sessions : leads;
    // Leads per forecast session in this period, the weekday mix included, per unit of rate.
    const mix = f.basis === 'sessions' && sessions > 0 && f.rate && f.rate.rate > 0 ? leads / sessions / f.rate.rate : 1;
    const length = period.to - period.from + 1;
    const ahead = (period.from + period.to) / 2 - lastDay;
    const near = pool.length > 0 ? neighbours(pool, length, ahead) : null;
    const monthRates = rates.get(monthStartOf(period.from))!;
    for (let j = 0; j < draws; j++) {
      let s: number;
      if (near) {
        const e = near.errors[Math.floor(rng.next() * near.errors.length)]! * near.widen;
        s = Math.max(0, (point + 0.5) * Math.exp(e) - 0.5);
      } else {
        s = rng.poisson(point);
      }
      sessionDraws[j] = s;
      if (f.basis === 'leads') leadDraws[j] = s;
      else {
        const rate = f.rate ? monthRates[j]! : 0;
        leadDraws[j] = rng.poisson(s * rate * mix);
      }
    }
    sessionDraws.sort();
    leadDraws.sort();
    const q = (a: Float64Array, p: number) => round2(quantileSorted(a, p));
    const sessionsInterval = f.basis === 'sessions';
    rows.push({
      period: isoDay(period.start),
      days: length,
      sessions: Math.round(sessions),
      sessions_lower80: sessionsInterval ? Math.round(quantileSorted(sessionDraws, 0.1)) : 0,
      sessions_upper80: sessionsInterval ? Math.round(quantileSorted(sessionDraws, 0.9)) : 0,
      sessions_lower95: sessionsInterval ? Math.round(quantileSorted(sessionDraws, 0.025)) : 0,
      sessions_upper95: sessionsInterval ? Math.round(quantileSorted(sessionDraws, 0.975)) : 0,
      leads: round2(leads),
      leads_lower80: q(leadDraws, 0.1),
      leads_upper80: q(leadDraws, 0.9),
      leads_lower95: q(leadDraws, 0.025),
      leads_upper95: q(leadDraws, 0.975),
      qualified: stages.qualifiedRate === null ? null : round2(leads * stages.qualifiedRate),
      sales: stages.winRate === null ? null : round2(leads * stages.winRate),
      revenue: stages.winRate === null || stages.avgDeal === null ? null : decimalOf(leads * stages.winRate * Number(stages.avgDeal)),
      model: choice.model,
    });
  }

  const conversion = f.rate
    ? (() => {
        const sample = new Float64Array(draws);
        for (let j = 0; j < draws; j++) sample[j] = betaDraw(rng, f.rate!.alpha, f.rate!.beta);
        sample.sort();
        return {
          rate: f.rate.rate,
          lower95: quantileSorted(sample, 0.025),
          upper95: quantileSorted(sample, 0.975),
          overdispersion: f.rate.overdispersion,
          leads: f.rate.leads,
          sessions: f.rate.sessions,
        };
      })()
    : null;
  const reg = choice.regression;
  const components = reg && choice.model === 'seasonal_regression'
    ? { growthPerYear: reg.growthPerYear, weekdayFactors: reg.weekdayFactors, holidayFactors: reg.holidayFactors, dispersion: reg.dispersion }
    : null;

  notes.push(...forecastNotes(choice, f, conversion, stages, pool.length));
  if (history.cohort.leads > 0 && history.cohort.to === history.to) {
    notes.push(`no lead is ${MATURITY_DAYS} days old: stage conversions use every lead, some still open (understated)`);
  }
  return { ...base, model: choice.model, fallback: choice.fallback, backtest: choice.errors, components, conversion, rows, daily, notes };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(3));

function forecastNotes(
  choice: ModelChoice,
  f: SliceForecaster,
  conversion: ForecastResult['conversion'],
  stages: StageRates,
  poolSize: number,
): string[] {
  const notes: string[] = [];
  const e = choice.errors;
  if (choice.model === 'seasonal_regression') notes.push('model: seasonal regression (log-linear: trend, weekday, yearly Fourier terms, year-end holidays)');
  else notes.push(`model: seasonal naive (the last week repeated) — fallback: ${choice.fallback}`);
  if (e.model && e.baseline) {
    notes.push(
      `backtest (rolling origin, ${e.model.origins} origins, 1–${e.horizon} days ahead, daily values): ` +
        `seasonal regression MAPE ${pct(e.model.mape)}, MASE ${num(e.model.mase)}; seasonal naive MAPE ${pct(e.baseline.mape)}, MASE ${num(e.baseline.mase)}`,
    );
  }
  if (poolSize === 0) notes.push('intervals: sessions vary by Poisson noise only (no backtest to measure forecast error): they are too narrow');
  if (f.basis === 'leads') notes.push('this slice has no sessions (leads come by phone from offline media): leads are forecast directly from daily lead counts');
  else if (conversion) {
    notes.push(
      `leads = sessions × ${pct(conversion.rate)} conversion (95% of future months between ${pct(conversion.lower95)} and ${pct(conversion.upper95)}), by weekday mix`,
    );
  }
  const c = stages.cohort;
  notes.push(
    `qualified ${pct(stages.qualifiedRate)}, sales ${pct(stages.winRate)} of leads, average deal ${stages.avgDeal ?? '—'}: leads created ${c.from}..${c.to} (${round2(c.leads)} leads)`,
  );
  return notes;
}
