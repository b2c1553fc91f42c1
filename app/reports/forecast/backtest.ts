/**
 * Rolling-origin backtest (time-series cross-validation): the model is refitted
 * at each origin on the days before it only and forecasts the next days, as it
 * would have on that day; errors are measured against what then happened.
 *
 * Errors are measured on daily values, the unit the models forecast:
 * - MAPE = mean of |actual − forecast| / actual over days with actual > 0
 *   (days with no sessions have no percentage error and are left out);
 * - MASE = mean of |actual − forecast| / scale, where scale is the in-sample
 *   mean absolute error of the seasonal-naive forecast (y_d − y_{d−7}) on that
 *   origin's training days (Hyndman & Koehler 2006). MASE < 1 beats a
 *   one-week-ahead seasonal naive in-sample; comparing two models' MASE on
 *   the same origins compares their mean absolute errors.
 */

/** Forecasts the `horizon` days after the training series (whose first day is `firstDay`), or null when it cannot. */
export type Forecaster = (train: readonly number[], firstDay: number, horizon: number) => number[] | null;

export interface BacktestPoint {
  /** Index of the origin's first forecast day in the series. */
  origin: number;
  /** Days ahead, 1-based. */
  h: number;
  actual: number;
  forecast: number;
}

export interface BacktestOptions {
  /** Fewest training days at an origin. */
  minTrain: number;
  /** Days forecast from each origin (cut at the end of the series). */
  horizon: number;
  /** Days between origins. */
  step: number;
  /** Most origins (the latest ones are kept). */
  maxOrigins: number;
}

export interface BacktestErrors {
  /** Null when no forecast day had actual > 0. */
  mape: number | null;
  /** Null when the scale is 0 (a constant weekly pattern) or there are no points. */
  mase: number | null;
  points: number;
  origins: number;
}

export interface Backtest extends BacktestErrors {
  series: BacktestPoint[];
  /** The seasonal-naive scale at each origin. */
  scales: Map<number, number>;
}

/** Origins (indices of the first forecast day), spaced `step` days back from the end. */
export function backtestOrigins(length: number, opts: BacktestOptions): number[] {
  const out: number[] = [];
  // The last origin leaves at least one week to forecast.
  for (let origin = length - Math.min(opts.horizon, 7); origin >= opts.minTrain && out.length < opts.maxOrigins; origin -= opts.step) out.push(origin);
  return out.reverse();
}

export function seasonalNaiveScale(train: readonly number[], period = 7): number | null {
  if (train.length <= period) return null;
  let sum = 0;
  for (let t = period; t < train.length; t++) sum += Math.abs(train[t]! - train[t - period]!);
  const scale = sum / (train.length - period);
  return scale > 0 ? scale : null;
}

export function runBacktest(values: readonly number[], firstDay: number, forecaster: Forecaster, opts: BacktestOptions, origins = backtestOrigins(values.length, opts)): Backtest {
  const series: BacktestPoint[] = [];
  const scales = new Map<number, number>();
  for (const origin of origins) {
    const horizon = Math.min(opts.horizon, values.length - origin);
    const train = values.slice(0, origin);
    const forecast = forecaster(train, firstDay, horizon);
    const scale = seasonalNaiveScale(train);
    if (!forecast || scale === null) continue;
    scales.set(origin, scale);
    for (let h = 1; h <= horizon; h++) series.push({ origin, h, actual: values[origin + h - 1]!, forecast: forecast[h - 1]! });
  }
  return { ...errorsOf(series, scales), series, scales };
}

export function errorsOf(series: readonly BacktestPoint[], scales: ReadonlyMap<number, number>): BacktestErrors {
  let ape = 0;
  let apeCount = 0;
  let ase = 0;
  let aseCount = 0;
  for (const p of series) {
    const error = Math.abs(p.actual - p.forecast);
    if (p.actual > 0) {
      ape += error / p.actual;
      apeCount++;
    }
    const scale = scales.get(p.origin);
    if (scale !== undefined) {
      ase += error / scale;
      aseCount++;
    }
  }
  return {
    mape: apeCount > 0 ? ape / apeCount : null,
    mase: aseCount > 0 ? ase / aseCount : null,
    points: series.length,
    origins: new Set(series.map((p) => p.origin)).size,
  };
}
