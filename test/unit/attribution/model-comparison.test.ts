import { describe, expect, test } from 'vitest';
import {
  computeBootstrapIntervals,
  computeQuantile,
  drawPoisson,
  POISSON_NORMAL_THRESHOLD,
} from '../../../app/reports/attribution/bootstrap';
import { HEURISTIC_MODELS } from '../../../app/reports/attribution/heuristics';
import { computeMarkovAttribution } from '../../../app/reports/attribution/markov';
import { computeModelComparison } from '../../../app/reports/attribution/model-comparison';
import { computeShapleyAttribution } from '../../../app/reports/attribution/shapley';
import { DAY_MS, type Journey } from '../../../app/reports/attribution/types';
import { createPrng } from '../../../seeds/prng';
import { expectRelativelyClose, loadPathData, readReference, toAggregatedPaths } from './pathdata';

const LEAD_AT = Date.UTC(2026, 4, 1);

function journey(channels: string[], isLead: boolean, fallbackChannel?: string): Journey {
  return {
    touches: channels.map((channel, i) => ({ channel, at: LEAD_AT - (channels.length - i) * DAY_MS })),
    leadAt: isLead ? LEAD_AT : null,
    revenue: null,
    fallbackChannel,
  };
}

const repeat = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('computeQuantile (R type 7)', () => {
  test.each([
    { values: [1, 2, 3, 4, 5], q: 0.5, expected: 3 },
    { values: [1, 2, 3, 4, 5], q: 0.05, expected: 1.2 }, // h = 4 × 0.05 = 0.2
    { values: [1, 2, 3, 4, 5], q: 0.95, expected: 4.8 },
    { values: [7], q: 0.95, expected: 7 },
    { values: [], q: 0.5, expected: 0 },
  ])('$q of $values = $expected', ({ values, q, expected }) => {
    expect(computeQuantile(values, q)).toBeCloseTo(expected, 14);
  });
});

describe('computeModelComparison on a small case', () => {
  // 10 email-only leads and 10 email-only non-leads, plus one all-direct lead
  // whose explicit channel is offline.
  const journeys = [
    ...repeat(10, () => journey(['email'], true)),
    ...repeat(10, () => journey(['email'], false)),
    journey(['direct', 'direct'], true, 'offline'),
  ];
  const comparison = computeModelComparison(journeys, { rng: createPrng(1), bootstrapIterations: 300 });
  const rows = new Map(comparison.rows.map((row) => [row.channel, row]));

  test('counts', () => {
    expect(comparison).toMatchObject({ leads: 11, journeys: 21, bootstrapIterations: 300 });
    expect([...rows.keys()]).toEqual(['email', 'direct', 'offline']);
  });

  test('every model gives email its 10 leads', () => {
    expect(Object.values(rows.get('email')?.credits ?? {}).map((c) => +c.toFixed(9))).toEqual(
      Array(8).fill(10),
    );
  });

  test('email agrees: its bootstrap count varies around 10 (binomial-like), and 10 is inside', () => {
    const row = rows.get('email');
    expect(row?.markovInterval.low).toBeLessThan(10);
    expect(row?.markovInterval.high).toBeGreaterThan(10);
    expect(row?.disagrees).toBe(false);
    expect(row?.disagreeingModels).toEqual([]);
  });

  test('the all-direct lead: direct for every model except last non-direct, which uses offline', () => {
    const rounded = (channel: string) =>
      Object.fromEntries(Object.entries(rows.get(channel)?.credits ?? {}).map(([model, c]) => [model, +c.toFixed(9)]));
    expect(rounded('direct')).toEqual({
      first: 1,
      last: 1,
      last_non_direct: 0,
      linear: 1,
      time_decay: 1,
      position: 1,
      markov: 1,
      shapley: 1,
    });
    expect(rounded('offline')).toMatchObject({ last_non_direct: 1, markov: 0, shapley: 0 });
    // Markov can never credit offline (no journey touched it): interval [0, 0], so last non-direct disagrees.
    expect(rows.get('offline')).toMatchObject({
      markovInterval: { low: 0, high: 0 },
      disagrees: true,
      disagreeingModels: ['last_non_direct'],
    });
    // Direct's lone lead is missing from P(Poisson(1) = 0) = e^−1 ≈ 37% of the resamples, so its
    // interval starts at 0 and last non-direct's 0 for direct lies inside it.
    expect(rows.get('direct')?.markovInterval.low).toBe(0);
    expect(rows.get('direct')?.disagrees).toBe(false);
  });

  test('deterministic for a seed', () => {
    const again = computeModelComparison(journeys, { rng: createPrng(1), bootstrapIterations: 300 });
    expect(again).toEqual(comparison);
  });

  test.each([0, -1, 2.5])('rejects %s bootstrap iterations', (bootstrapIterations) => {
    expect(() => computeModelComparison(journeys, { rng: createPrng(1), bootstrapIterations })).toThrow(RangeError);
  });

  test('no journeys: no rows', () => {
    expect(computeModelComparison([], { rng: createPrng(1) })).toMatchObject({
      leads: 0,
      journeys: 0,
      bootstrapIterations: 200,
      rows: [],
      markov: { channels: [], totalConversions: 0 },
      shapley: { channels: [], totalConversions: 0 },
    });
  });
});

describe('drawPoisson', () => {
  // Mean and variance of Poisson(λ) are both λ; 20,000 draws put the sample mean within
  // 4 standard errors (4 √(λ / 20,000)) and the sample variance within 10%.
  test.each([0.3, 4, 37, POISSON_NORMAL_THRESHOLD - 1, POISSON_NORMAL_THRESHOLD, 2500])('λ = %s: mean and variance λ', (lambda) => {
    const rng = createPrng(99);
    const draws = Array.from({ length: 20_000 }, () => drawPoisson(lambda, rng));
    const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
    const variance = draws.reduce((s, d) => s + (d - mean) ** 2, 0) / (draws.length - 1);
    expect(draws.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / draws.length));
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.1);
  });

  test('λ = 1: P(0) = e^−1', () => {
    const rng = createPrng(5);
    const zeros = Array.from({ length: 20_000 }, () => drawPoisson(1, rng)).filter((d) => d === 0).length;
    expect(Math.abs(zeros / 20_000 - Math.exp(-1))).toBeLessThan(0.015); // 4 standard errors
  });

  test('λ = 0 always draws 0', () => {
    expect(drawPoisson(0, createPrng(1))).toBe(0);
  });
});

test('bootstrap needs whole journeys', () => {
  expect(() =>
    computeBootstrapIntervals([{ path: ['a'], conversions: 1.5, value: 0, nulls: 0 }], { rng: createPrng(1) }),
  ).toThrow(RangeError);
});

describe('PathData: 88,387 journeys, 200 bootstrap iterations', () => {
  const rows = loadPathData();
  // One journey per conversion and per null; touches a day apart (time plays no part in the reference).
  const journeys = rows.flatMap((row) => [
    ...repeat(row.conversions, () => journey(row.path, true)),
    ...repeat(row.nulls, () => journey(row.path, false)),
  ]);
  const seed = 20_260_501;
  const comparison = computeModelComparison(journeys, { rng: createPrng(seed) });
  const markov = computeMarkovAttribution(toAggregatedPaths(rows));
  const shapley = computeShapleyAttribution(toAggregatedPaths(rows));
  const reference = readReference('ca_heuristic.csv');

  test('sizes', () => {
    expect(comparison).toMatchObject({ leads: 19_785, journeys: 88_387 });
    expect(comparison.rows).toHaveLength(12);
  });

  test.each(markov.channels.map((c) => c.channel))('%s: point estimates inside their 90% intervals', (channel) => {
    const row = comparison.rows.find((r) => r.channel === channel);
    const markovCredit = markov.channels.find((c) => c.channel === channel)?.conversions ?? NaN;
    const shapleyCredit = shapley.channels.find((c) => c.channel === channel)?.conversions ?? NaN;
    expect(row?.credits.markov).toBeCloseTo(markovCredit, 9);
    expect(row?.credits.shapley).toBeCloseTo(shapleyCredit, 9);
    expect(row?.markovInterval.low).toBeLessThanOrEqual(markovCredit);
    expect(row?.markovInterval.high).toBeGreaterThanOrEqual(markovCredit);
    expect(row?.shapleyInterval.low).toBeLessThanOrEqual(shapleyCredit);
    expect(row?.shapleyInterval.high).toBeGreaterThanOrEqual(shapleyCredit);
  });

  test.each([...reference.keys()])('%s: first, last and linear as ChannelAttribution', (channel) => {
    const credits = comparison.rows.find((r) => r.channel === channel)?.credits;
    const expected = reference.get(channel) ?? {};
    expectRelativelyClose(credits?.first ?? NaN, expected.first_touch_conversions ?? NaN, 1e-6);
    expectRelativelyClose(credits?.last ?? NaN, expected.last_touch_conversions ?? NaN, 1e-6);
    expectRelativelyClose(credits?.linear ?? NaN, expected.linear_touch_conversions ?? NaN, 1e-6);
  });

  test('disagrees is exactly "some heuristic outside the Markov interval"', () => {
    for (const row of comparison.rows) {
      const outside = HEURISTIC_MODELS.filter(
        (model) =>
          row.credits[model] < row.markovInterval.low - 1e-6 || row.credits[model] > row.markovInterval.high + 1e-6,
      );
      expect(row.disagreeingModels).toEqual(outside);
      expect(row.disagrees).toBe(outside.length > 0);
    }
  });

  test('the bootstrap is deterministic for a seed and changes with it', () => {
    const paths = toAggregatedPaths(rows);
    const once = computeBootstrapIntervals(paths, { rng: createPrng(seed), iterations: 50 });
    const twice = computeBootstrapIntervals(paths, { rng: createPrng(seed), iterations: 50 });
    const other = computeBootstrapIntervals(paths, { rng: createPrng(seed + 1), iterations: 50 });
    expect(twice).toEqual(once);
    expect(other).not.toEqual(once);
  });
});

test('PathData: Poisson and multinomial bootstrap intervals agree within 10% of the interval width', { timeout: 60_000 }, () => {
  // The Poisson bootstrap approximates the multinomial one (bootstrap.ts); 1,500 resamples each
  // keep the Monte Carlo noise of a 5% or 95% quantile near 3% of the width, so what is left
  // is the difference of the methods.
  const paths = toAggregatedPaths(loadPathData());
  const iterations = 1500;
  const poisson = computeBootstrapIntervals(paths, { rng: createPrng(11), iterations });
  const multinomial = computeBootstrapIntervals(paths, { rng: createPrng(12), iterations, resampling: 'multinomial' });
  expect(poisson.map((i) => i.channel)).toEqual(multinomial.map((i) => i.channel));
  for (const [k, p] of poisson.entries()) {
    const m = multinomial[k]!;
    for (const model of ['markov', 'shapley'] as const) {
      const width = m[model].high - m[model].low;
      expect(width, `${p.channel} ${model}`).toBeGreaterThan(0);
      expect(Math.abs(p[model].low - m[model].low), `${p.channel} ${model} low`).toBeLessThanOrEqual(0.1 * width);
      expect(Math.abs(p[model].high - m[model].high), `${p.channel} ${model} high`).toBeLessThanOrEqual(0.1 * width);
    }
  }
});

test('50,000 journeys × 200 bootstrap iterations compare without error', { timeout: 60_000 }, () => {
  const rng = createPrng(42);
  const channels = ['direct', 'paid_search', 'paid_social', 'display', 'cpa', 'email', 'organic_search', 'referral'];
  const journeys: Journey[] = repeat(50_000, () => {
    const length = 1 + Math.floor(-Math.log(1 - rng.next()) * 2.5);
    let at = LEAD_AT - Math.floor(rng.next() * 60) * DAY_MS;
    const touches = repeat(length, () => {
      at += Math.floor(rng.next() * 3 * DAY_MS);
      return { channel: channels[Math.floor(rng.next() ** 1.7 * channels.length)] ?? 'other', at };
    });
    const isLead = rng.next() < 0.2;
    return { touches, leadAt: isLead ? at + 3_600_000 : null, revenue: isLead ? '100.00' : null };
  });
  // Speed is measured by `npm run bench`, never asserted here.
  const comparison = computeModelComparison(journeys, { rng: createPrng(7) });
  expect(comparison.journeys).toBe(50_000);
});
