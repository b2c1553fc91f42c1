import { describe, expect, test } from 'vitest';
import { computeMarkovAttribution, computeMarkovLeadShares } from '../../../app/reports/attribution/markov';
import { naiveRemovalEffects } from './naive-models';
import { loadPathData, readReference, toAggregatedPaths } from './pathdata';

const byChannel = <T extends { channel: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.channel, r]));

describe('a two-channel chain solved by hand', () => {
  // Paths:  a (1 conversion, 1 null), a > b (1, 1), b (0, 2).
  // Weights: start→a 2+2 = 4, start→b 2; a→b 2, a→conv 1, a→null 1; b→conv 1, b→null 1+2 = 3.
  // Probabilities: start: a 2/3, b 1/3; a: b 1/2, conv 1/4, null 1/4; b: conv 1/4, null 3/4.
  // x_b = 1/4, x_a = 1/4 + 1/2 · 1/4 = 3/8, P = 2/3 · 3/8 + 1/3 · 1/4 = 1/3.
  // Without a: start→a is lost, P = 1/3 · 1/4 = 1/12, RE_a = 1 − (1/12)/(1/3) = 3/4.
  // Without b: a→b is lost, x_a = 1/4, P = 2/3 · 1/4 + 0 = 1/6, RE_b = 1 − (1/6)/(1/3) = 1/2.
  // Credits: 2 conversions × (3/4)/(5/4) = 1.2 for a, 2 × (1/2)/(5/4) = 0.8 for b.
  // Value: path a (10) all to a; path a > b (30) split 3/4 : 1/2 = 0.6 : 0.4 → a 18, b 12.
  const result = computeMarkovAttribution([
    { path: ['a'], conversions: 1, value: 10, nulls: 1 },
    { path: ['a', 'b'], conversions: 1, value: 30, nulls: 1 },
    { path: ['b'], conversions: 0, value: 0, nulls: 2 },
  ]);
  const channels = byChannel(result.channels);

  test('P(conversion) = 1/3', () => {
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 14);
    expect(result.totalConversions).toBe(2);
    expect(result.totalValue).toBe(40);
  });

  test.each([
    { channel: 'a', removalEffect: 3 / 4, conversions: 1.2, value: 28 },
    { channel: 'b', removalEffect: 1 / 2, conversions: 0.8, value: 12 },
  ])('$channel: RE $removalEffect, $conversions conversions, value $value', ({ channel, ...expected }) => {
    const actual = channels.get(channel);
    expect(actual?.removalEffect).toBeCloseTo(expected.removalEffect, 14);
    expect(actual?.conversions).toBeCloseTo(expected.conversions, 14);
    expect(actual?.value).toBeCloseTo(expected.value, 12);
  });

  test('per-lead shares are restricted to the lead’s own path', () => {
    const shares = (path: string[]) =>
      computeMarkovLeadShares(path, result.channels).map(({ channel, share }) => [channel, +share.toFixed(12)]);
    expect(shares(['a', 'b', 'a'])).toEqual([['a', 0.6], ['b', 0.4]]);
    expect(shares(['b'])).toEqual([['b', 1]]);
    // An unknown channel has RE 0; a path of unknown channels splits evenly.
    expect(shares(['x', 'b'])).toEqual([['x', 0], ['b', 1]]);
    expect(shares(['x', 'y'])).toEqual([['x', 0.5], ['y', 0.5]]);
  });

  test('a Map of removal effects works too', () => {
    const effects = new Map(result.channels.map((c) => [c.channel, c.removalEffect]));
    expect(computeMarkovLeadShares(['b', 'a'], effects).map((s) => s.share)).toEqual(
      computeMarkovLeadShares(['b', 'a'], result.channels).map((s) => s.share),
    );
  });
});

describe('edge cases', () => {
  test('all-direct paths: direct is the only state, RE 1, all conversions', () => {
    // direct > direct collapses to direct; every conversion needs direct.
    const result = computeMarkovAttribution([
      { path: ['direct'], conversions: 3, value: 30, nulls: 1 },
      { path: ['direct', 'direct'], conversions: 1, value: 5, nulls: 2 },
    ]);
    expect(result.conversionProbability).toBeCloseTo(4 / 7, 14);
    expect(result.channels).toEqual([{ channel: 'direct', removalEffect: 1, conversions: 4, value: 35 }]);
  });

  test('a single-touch lead', () => {
    const result = computeMarkovAttribution([{ path: ['email'], conversions: 1, value: 0, nulls: 0 }]);
    expect(result.channels).toEqual([{ channel: 'email', removalEffect: 1, conversions: 1, value: 0 }]);
  });

  test('no conversions: P = 0, every RE and credit 0', () => {
    const result = computeMarkovAttribution([{ path: ['a', 'b'], conversions: 0, value: 0, nulls: 5 }]);
    expect(result.conversionProbability).toBe(0);
    expect(result.channels.map((c) => [c.removalEffect, c.conversions])).toEqual([[0, 0], [0, 0]]);
  });

  test('no paths at all', () => {
    expect(computeMarkovAttribution([])).toEqual({
      channels: [],
      conversionProbability: 0,
      totalConversions: 0,
      totalValue: 0,
    });
  });

  test('a loop a > b > a is kept (only consecutive repeats collapse)', () => {
    // start→a 1; a→b 1, b→a 1, a→conv 1: a goes to b or converts (1/2 each), b goes back to a.
    // x_a = 1/2 + 1/2 · x_b, x_b = x_a → x_a = 1 = P.
    // Without a nothing converts: RE_a = 1. Without b, a→b is lost: P = 1/2, RE_b = 1/2.
    // Credits 1 × 1/(3/2) = 2/3 and 1/3; the value 8 follows the same split.
    const result = computeMarkovAttribution([{ path: ['a', 'a', 'b', 'a'], conversions: 1, value: 8, nulls: 0 }]);
    expect(result.conversionProbability).toBeCloseTo(1, 14);
    const expected = [
      ['a', 1, 2 / 3, 16 / 3],
      ['b', 1 / 2, 1 / 3, 8 / 3],
    ] as const;
    result.channels.forEach((c, i) => {
      const [channel, removalEffect, conversions, value] = expected[i] ?? [];
      expect(c.channel).toBe(channel);
      expect(c.removalEffect).toBeCloseTo(removalEffect ?? NaN, 14);
      expect(c.conversions).toBeCloseTo(conversions ?? NaN, 14);
      expect(c.value).toBeCloseTo(value ?? NaN, 13);
    });
  });

  test.each([
    { name: 'an empty path', path: [], conversions: 1, nulls: 0 },
    { name: 'negative conversions', path: ['a'], conversions: -1, nulls: 0 },
    { name: 'NaN nulls', path: ['a'], conversions: 1, nulls: Number.NaN },
  ])('rejects $name', ({ path, conversions, nulls }) => {
    expect(() => computeMarkovAttribution([{ path, conversions, value: 0, nulls }])).toThrow(RangeError);
  });
});

describe('ChannelAttribution markov_model(order = 1) on PathData', () => {
  const paths = toAggregatedPaths(loadPathData());
  const result = computeMarkovAttribution(paths);
  const channels = byChannel(result.channels);
  const removalEffects = readReference('ca_markov_o1_hisim_removal_effects.csv');
  // The reference simulates 10^7 paths; an exact computation is expected within
  // 0.25% of the total conversions of either seed's run.
  const tolerance = 0.0025 * result.totalConversions;

  test('totals', () => {
    expect(result.totalConversions).toBe(19_785);
    expect(result.totalValue).toBeCloseTo(74_802.97158721, 6);
    expect(result.channels.reduce((sum, c) => sum + c.conversions, 0)).toBeCloseTo(19_785, 8);
    expect(result.channels.reduce((sum, c) => sum + c.value, 0)).toBeCloseTo(result.totalValue, 8);
  });

  const cases = ['ca_markov_o1_hisim.csv', 'ca_markov_o1_hisim_seed10.csv'].flatMap((file) =>
    [...readReference(file)].map(([channel, row]) => ({ file, channel, expected: row.total_conversions ?? NaN })),
  );
  test.each(cases)('$file: $channel within 0.25% of total conversions', ({ channel, expected }) => {
    expect(Math.abs((channels.get(channel)?.conversions ?? NaN) - expected)).toBeLessThanOrEqual(tolerance);
  });

  const removalCases = [...removalEffects].map(([channel, row]) => ({
    channel,
    expected: row.removal_effects_conversion ?? NaN,
  }));
  test.each(removalCases)(
    '$channel removal effect within ±0.006',
    ({ channel, expected }) => {
      expect(Math.abs((channels.get(channel)?.removalEffect ?? NaN) - expected)).toBeLessThanOrEqual(0.006);
    },
  );

  test('the fundamental-matrix shortcut equals re-solving the chain without each channel', () => {
    for (const [channel, expected] of naiveRemovalEffects(paths)) {
      expect(channels.get(channel)?.removalEffect).toBeCloseTo(expected, 12);
    }
  });

  test('the same channels as the reference', () => {
    expect([...channels.keys()].sort()).toEqual([...removalEffects.keys()].sort());
  });
});
