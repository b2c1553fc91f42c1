import { describe, expect, test } from 'vitest';
import { createPrng } from '../../../seeds/prng';
import { backtestOrigins, errorsOf, runBacktest, seasonalNaiveScale } from '../../../app/reports/forecast/backtest';
import { seasonalNaive } from '../../../app/reports/forecast/baseline';
import { dayNumber, isoDay, periodsOf, weekdayOf } from '../../../app/reports/forecast/calendar';
import { rateDistribution } from '../../../app/reports/forecast/conversion';
import { fitSeasonalRegression } from '../../../app/reports/forecast/regression';
import { chooseModel, MIN_BACKTEST_DAYS } from '../../../app/reports/forecast/slice-model';

const YEAR = 365.2425;
/** Monday … Sunday, geometric mean 1. */
const WEEK = (() => {
  const raw = [1.1, 1.15, 1.05, 1.0, 0.95, 0.75, 0.9];
  const gm = Math.exp(raw.reduce((s, x) => s + Math.log(x), 0) / 7);
  return raw.map((x) => x / gm);
})();
const GROWTH = 0.2; // +20% a year
const AMPLITUDE = 0.25; // log-scale yearly amplitude: peak / trough = e^0.5
const PEAK = dayNumber('2025-06-15');

/** Poisson daily counts with a known trend, weekday and yearly cycle (no holidays). */
function synthetic(seed: number, from: string, days: number, level = 150) {
  const rng = createPrng(seed);
  const first = dayNumber(from);
  const mean = (d: number) =>
    level * Math.exp((Math.log(1 + GROWTH) * (d - first)) / YEAR) * WEEK[weekdayOf(d)]! * Math.exp(AMPLITUDE * Math.cos((2 * Math.PI * (d - PEAK)) / YEAR));
  return { first, mean, values: Array.from({ length: days }, (_, i) => rng.poisson(mean(first + i))) };
}

describe('seasonal regression recovers a known trend and seasonality', () => {
  // Two years of daily counts (~150 a day). Tolerances: growth within ±3
  // percentage points, each weekday factor within 3%, the yearly
  // peak-to-trough ratio within 5%, over five seeds.
  test.each([1, 2, 3, 4, 5])('seed %i', (seed) => {
    const s = synthetic(seed, '2024-01-01', 730);
    const fit = fitSeasonalRegression(s.values, s.first)!;
    expect(Math.abs(fit.growthPerYear - GROWTH)).toBeLessThan(0.03);
    fit.weekdayFactors.forEach((f, w) => expect(Math.abs(f / WEEK[w]! - 1)).toBeLessThan(0.03));
    const ratio = fit.yearlyFactor(PEAK) / fit.yearlyFactor(PEAK + YEAR / 2);
    expect(Math.abs(ratio / Math.exp(2 * AMPLITUDE) - 1)).toBeLessThan(0.05);
    // And the fitted mean tracks the true one within 5% on every day.
    for (let i = 0; i < 730; i += 7) expect(Math.abs(fit.predict(s.first + i) / s.mean(s.first + i) - 1)).toBeLessThan(0.05);
  });

  test('it beats seasonal naive in the rolling-origin backtest', () => {
    const s = synthetic(7, '2024-01-01', 730);
    const choice = chooseModel(s.values, s.first, 91)!;
    expect(choice.model).toBe('seasonal_regression');
    expect(choice.fallback).toBeNull();
    expect(choice.errors.model!.mase!).toBeLessThan(choice.errors.baseline!.mase!);
    expect(choice.errors.model!.origins).toBe(choice.errors.baseline!.origins);
  });
});

describe('backtest errors', () => {
  test('MAPE and MASE worked by hand on y = 1, 2, …, 21', () => {
    const values = Array.from({ length: 21 }, (_, i) => i + 1);
    // Seasonal-naive scale on the first 14 days: |y_t − y_{t−7}| = 7 everywhere.
    expect(seasonalNaiveScale(values.slice(0, 14))).toBe(7);
    const opts = { minTrain: 14, horizon: 7, step: 7, maxOrigins: 5 };
    expect(backtestOrigins(21, opts)).toEqual([14]);
    // Seasonal naive at origin 14 forecasts 8..14 for actuals 15..21: every error is 7.
    const b = runBacktest(values, 0, seasonalNaive, opts);
    expect(b.points).toBe(7);
    expect(b.mase).toBeCloseTo(1, 12);
    const mape = [15, 16, 17, 18, 19, 20, 21].reduce((s, a) => s + 7 / a, 0) / 7;
    expect(b.mape).toBeCloseTo(mape, 12);
  });

  test('days with no actual are left out of MAPE, not of MASE', () => {
    const e = errorsOf(
      [
        { origin: 10, h: 1, actual: 0, forecast: 2 },
        { origin: 10, h: 2, actual: 4, forecast: 3 },
      ],
      new Map([[10, 2]]),
    );
    expect(e.mape).toBe(0.25);
    expect(e.mase).toBe((2 / 2 + 1 / 2) / 2);
  });
});

describe('model choice and fallback to seasonal naive', () => {
  test('too little history to backtest: seasonal naive, saying why', () => {
    const values = Array.from({ length: MIN_BACKTEST_DAYS - 1 }, (_, i) => 10 + (i % 7));
    const c = chooseModel(values, dayNumber('2026-01-05'), 28)!;
    expect(c.model).toBe('seasonal_naive');
    expect(c.fallback).toBe(`too little history to backtest (${MIN_BACKTEST_DAYS - 1} days, a backtest needs ${MIN_BACKTEST_DAYS})`);
    // The forecast repeats the last week by weekday.
    const last = dayNumber('2026-01-05') + values.length - 1;
    for (let h = 1; h <= 14; h++) expect(c.predict(last + h)).toBe(values[values.length - 7 + ((h - 1) % 7)]);
  });

  test('a level that collapses near the end: the regression loses, seasonal naive is used', () => {
    const rng = createPrng(3);
    const values = Array.from({ length: 140 }, (_, i) => rng.poisson((i < 100 ? 200 : 20) * WEEK[i % 7]!));
    const c = chooseModel(values, dayNumber('2026-01-05'), 28)!;
    expect(c.model).toBe('seasonal_naive');
    expect(c.fallback).toMatch(/^the regression did not beat seasonal naive in the backtest \(MASE [\d.]+ vs [\d.]+\)$/);
    expect(c.errors.baseline!.mase!).toBeLessThan(c.errors.model!.mase!);
  });

  test('fewer than 7 days: no model', () => {
    expect(chooseModel([1, 2, 3], 0, 7)).toBeNull();
  });
});

describe('conversion rate distribution', () => {
  test('blocks that vary like binomial noise: the plain posterior Beta(1 + L, 1 + S − L)', () => {
    // 10 blocks of 28 days, 1000 sessions and exactly 50 leads each: no extra variation.
    const sessions = Array.from({ length: 280 }, (_, i) => (i % 28 === 0 ? 1000 : 0));
    const leads = Array.from({ length: 280 }, (_, i) => (i % 28 === 0 ? 50 : 0));
    const r = rateDistribution(sessions, leads)!;
    expect(r.rate).toBe(0.05);
    expect(r.overdispersion).toBe(0);
    expect([r.alpha, r.beta]).toEqual([501, 9501]);
  });

  test('rates that swing month to month widen the Beta (beta-binomial by moments)', () => {
    const sessions = Array.from({ length: 280 }, (_, i) => (i % 28 === 0 ? 1000 : 0));
    const leads = Array.from({ length: 280 }, (_, i) => (i % 28 === 0 ? (Math.floor(i / 28) % 2 === 0 ? 30 : 70) : 0));
    const r = rateDistribution(sessions, leads)!;
    expect(r.rate).toBe(0.05);
    // Σ(L − S p)² = 10 × 400, scaled by 10/9; binomial part 10 × 47.5; pairs 10 × 1000 × 999.
    const rho = ((4000 * 10) / 9 - 475) / (0.05 * 0.95 * 9_990_000);
    expect(r.overdispersion).toBeCloseTo(rho, 12);
    expect(r.alpha + r.beta).toBeCloseTo(1 / rho - 1, 6);
  });

  test('no sessions: no rate', () => {
    expect(rateDistribution([0, 0], [1, 0])).toBeNull();
  });
});

describe('calendar periods', () => {
  test.each([
    ['week', '2026-11-25', '2026-12-09', [['2026-11-23', '2026-11-25', '2026-11-29'], ['2026-11-30', '2026-11-30', '2026-12-06'], ['2026-12-07', '2026-12-07', '2026-12-09']]],
    ['month', '2026-11-23', '2027-01-05', [['2026-11-01', '2026-11-23', '2026-11-30'], ['2026-12-01', '2026-12-01', '2026-12-31'], ['2027-01-01', '2027-01-01', '2027-01-05']]],
  ] as const)('%s periods of %s..%s', (unit, from, to, expected) => {
    const got = periodsOf(dayNumber(from), dayNumber(to), unit).map((p) => [isoDay(p.start), isoDay(p.from), isoDay(p.to)]);
    expect(got).toEqual(expected);
  });

  test('2026-11-23 is a Monday', () => {
    expect(weekdayOf(dayNumber('2026-11-23'))).toBe(0);
  });
});
