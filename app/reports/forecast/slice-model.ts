import { runBacktest, backtestOrigins, type Backtest, type BacktestErrors, type BacktestOptions } from './backtest';
import { seasonalNaive } from './baseline';
import { dayNumber, weekdayOf } from './calendar';
import { DEFAULT_REGRESSION, fitSeasonalRegression, type RegressionOptions, type SeasonalRegressionFit } from './regression';

/**
 * One slice's (the whole business or one channel) daily history turned into
 * a model of its daily sessions and a conversion rate to leads, chosen by a
 * rolling-origin backtest against the seasonal-naive baseline.
 *
 * Model choice, written once:
 * - fewer than 7 days of history: no forecast;
 * - fewer than MIN_BACKTEST_DAYS (56): seasonal naive, "too little history to backtest";
 * - otherwise both are backtested on the same origins (training ≥ half the
 *   history, origins a whole number of weeks apart, at most 26) and the
 *   regression is used only when its MASE is lower than the baseline's;
 *   else the baseline, saying by how much the regression lost.
 */

export type ForecastModelName = 'seasonal_regression' | 'seasonal_naive';
export const MIN_BACKTEST_DAYS = 56;
const MAX_ORIGINS = 26;

export interface DailyHistory {
  /** First and last day of history, YYYY-MM-DD (inclusive). */
  from: string;
  to: string;
  /** Sparse: days not listed had no sessions and no leads. Leads are counts, or credit sums for a channel. */
  days: readonly { day: string; sessions: number; leads: number }[];
}

export interface DenseHistory {
  firstDay: number;
  sessions: number[];
  leads: number[];
}

export function densify(h: DailyHistory): DenseHistory {
  const firstDay = dayNumber(h.from);
  const n = dayNumber(h.to) - firstDay + 1;
  if (n < 1) throw new RangeError(`empty history ${h.from}..${h.to}`);
  const sessions = new Array<number>(n).fill(0);
  const leads = new Array<number>(n).fill(0);
  for (const d of h.days) {
    const i = dayNumber(d.day) - firstDay;
    if (i < 0 || i >= n) continue;
    sessions[i]! += d.sessions;
    leads[i]! += d.leads;
  }
  return { firstDay, sessions, leads };
}

export interface ModelChoice {
  model: ForecastModelName;
  /** Why the baseline is used, when it is. */
  fallback: string | null;
  /** Expected value of the series on any day (history or future). */
  predict(day: number): number;
  /** The chosen model's backtest (its points feed the intervals); null when there was none. */
  backtest: Backtest | null;
  errors: { model: BacktestErrors | null; baseline: BacktestErrors | null; horizon: number };
  regression: SeasonalRegressionFit | null;
}

export function backtestOptions(length: number, horizon: number): BacktestOptions {
  const minTrain = Math.max(28, Math.floor(length / 2));
  const step = 7 * Math.max(1, Math.ceil((length - minTrain) / (7 * MAX_ORIGINS)));
  return { minTrain, horizon, step, maxOrigins: MAX_ORIGINS };
}

/** The seasonal-naive prediction for any day: the same weekday of the last observed week. */
function naivePredictor(values: readonly number[], firstDay: number): (day: number) => number {
  const n = values.length;
  const lastWeekStart = firstDay + n - 7;
  return (day) => values[n - 7 + ((((day - lastWeekStart) % 7) + 7) % 7)]!;
}

function regressionForecaster(opts: RegressionOptions) {
  return (train: readonly number[], firstDay: number, horizon: number) => {
    const fit = fitSeasonalRegression(train, firstDay, opts);
    if (!fit) return null;
    const start = firstDay + train.length;
    return Array.from({ length: horizon }, (_, i) => fit.predict(start + i));
  };
}

/** Chooses and fits the model for one daily series; null when there are fewer than 7 days. */
export function chooseModel(values: readonly number[], firstDay: number, horizon: number, opts: RegressionOptions = DEFAULT_REGRESSION): ModelChoice | null {
  const n = values.length;
  if (n < 7) return null;
  const naive = naivePredictor(values, firstDay);
  const backtestHorizon = Math.min(horizon, n - backtestOptions(n, horizon).minTrain);
  if (n < MIN_BACKTEST_DAYS) {
    return {
      model: 'seasonal_naive',
      fallback: `too little history to backtest (${n} days, a backtest needs ${MIN_BACKTEST_DAYS})`,
      predict: naive,
      backtest: null,
      errors: { model: null, baseline: null, horizon: 0 },
      regression: null,
    };
  }
  const bo = backtestOptions(n, horizon);
  const origins = backtestOrigins(n, bo);
  const regressionRun = runBacktest(values, firstDay, regressionForecaster(opts), bo, origins);
  const baselineRun = runBacktest(values, firstDay, seasonalNaive, bo, origins);
  const errors = { model: errorsOnly(regressionRun), baseline: errorsOnly(baselineRun), horizon: backtestHorizon };
  const fit = fitSeasonalRegression(values, firstDay, opts);
  const modelMase = regressionRun.mase;
  const baselineMase = baselineRun.mase;
  if (fit && modelMase !== null && (baselineMase === null || modelMase < baselineMase)) {
    return { model: 'seasonal_regression', fallback: null, predict: (d) => fit.predict(d), backtest: regressionRun, errors, regression: fit };
  }
  const fallback = !fit
    ? 'the regression could not be fitted (no sessions)'
    : modelMase === null || baselineMase === null
      ? 'the backtest had no usable points'
      : `the regression did not beat seasonal naive in the backtest (MASE ${modelMase.toFixed(3)} vs ${baselineMase.toFixed(3)})`;
  return { model: 'seasonal_naive', fallback, predict: naive, backtest: baselineRun, errors, regression: fit };
}

function errorsOnly(b: Backtest): BacktestErrors {
  return { mape: b.mape, mase: b.mase, points: b.points, origins: b.origins };
}

/**
 * Leads per session, by weekday: the pooled rate × a weekday multiplier
 * (calls and forms do not follow visits hour for hour: the office is shut on
 * Sunday). Each multiplier is shrunk towards 1 by WEEKDAY_PRIOR_LEADS
 * pseudo-leads so that a channel with a handful of leads gets a flat week.
 */
export const WEEKDAY_PRIOR_LEADS = 10;

export function weekdayMultipliers(sessions: readonly number[], leads: readonly number[], firstDay: number): number[] {
  const s = new Array<number>(7).fill(0);
  const l = new Array<number>(7).fill(0);
  let totalS = 0;
  let totalL = 0;
  for (let i = 0; i < sessions.length; i++) {
    const w = weekdayOf(firstDay + i);
    s[w]! += sessions[i]!;
    l[w]! += leads[i]!;
    totalS += sessions[i]!;
    totalL += leads[i]!;
  }
  if (!(totalS > 0) || !(totalL > 0)) return new Array<number>(7).fill(1);
  const rate = totalL / totalS;
  const raw = s.map((sw, w) => (l[w]! + WEEKDAY_PRIOR_LEADS) / (rate * sw + WEEKDAY_PRIOR_LEADS));
  // Normalise so that the multipliers keep the pooled rate over history's own weekday mix.
  let weighted = 0;
  for (let w = 0; w < 7; w++) weighted += raw[w]! * s[w]!;
  const norm = weighted / totalS;
  return raw.map((m) => m / norm);
}
