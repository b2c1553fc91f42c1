import { describe, expect, test } from 'vitest';
import { computeShapleyAttribution } from '../../../app/reports/attribution/shapley';
import type { AggregatedPath } from '../../../app/reports/attribution/types';
import { bruteForceShapley } from './naive-models';
import { loadPathData, toAggregatedPaths } from './pathdata';

const path = (p: string, conversions: number, value = 0, nulls = 0): AggregatedPath => ({
  path: p.split(' > '),
  conversions,
  value,
  nulls,
});

describe('simplified Shapley: each journey’s conversions split evenly over its distinct channels', () => {
  // R({a}) = 2, R({a,b}) = 2, R({b}) = 1, R({a,b,c}) = 3; the null-only path counts for nothing.
  // φ_a = 2 + 2/2 + 3/3 = 4, φ_b = 1 + 2/2 + 3/3 = 3, φ_c = 3/3 = 1; total 8.
  // Values: a: 20 + 40/2 + 30/3 = 50, b: 5 + 20 + 10 = 35, c: 10.
  const paths = [
    path('a', 2, 20),
    path('a > b > a', 2, 40),
    path('b', 1, 5),
    path('c > b > a', 3, 30),
    path('c', 0, 0, 9),
  ];
  const result = computeShapleyAttribution(paths);

  test.each([
    { channel: 'a', conversions: 4, value: 50 },
    { channel: 'b', conversions: 3, value: 35 },
    { channel: 'c', conversions: 1, value: 10 },
  ])('$channel: $conversions conversions, value $value', ({ channel, conversions, value }) => {
    const actual = result.channels.find((c) => c.channel === channel);
    expect(actual?.conversions).toBeCloseTo(conversions, 14);
    expect(actual?.value).toBeCloseTo(value, 13);
  });

  test('equals the textbook Shapley value', () => {
    const expected = bruteForceShapley(paths);
    for (const { channel, conversions } of result.channels) {
      expect(conversions).toBeCloseTo(expected.get(channel) ?? NaN, 12);
    }
  });

  test('sums to the conversions', () => {
    expect(result.totalConversions).toBe(8);
    expect(result.totalValue).toBe(95);
  });

  test('ordered variant: credit per position, repeats sharing the channel’s part', () => {
    // a: 'a' 2 at touch 1; 'a > b > a' gives a 1, half at touch 1 and half at touch 3;
    //    'c > b > a' gives a 1 at touch 3. → [2.5, 0, 1.5]
    // b: 'b' 1 at touch 1; 1 at touch 2 of 'a > b > a'; 1 at touch 2 of 'c > b > a'. → [1, 2]
    // c: 1 at touch 1 of 'c > b > a'. → [1]
    const positions = Object.fromEntries(result.channels.map((c) => [c.channel, c.conversionsByPosition]));
    expect(positions).toEqual({ a: [2.5, 0, 1.5], b: [1, 2], c: [1] });
  });
});

test.each([
  { name: 'all-direct paths', paths: [path('direct', 3), path('direct > direct', 1, 0, 4)], expected: { direct: 4 } },
  { name: 'a single-touch lead', paths: [path('email', 1)], expected: { email: 1 } },
  { name: 'no conversions', paths: [path('a > b', 0, 0, 3)], expected: { a: 0, b: 0 } },
])('$name', ({ paths, expected }) => {
  const result = computeShapleyAttribution(paths);
  expect(Object.fromEntries(result.channels.map((c) => [c.channel, c.conversions]))).toEqual(expected);
});

test('PathData: credits sum to the 19,785 conversions and match the textbook value on a 6-channel slice', () => {
  const paths = toAggregatedPaths(loadPathData());
  const result = computeShapleyAttribution(paths);
  expect(result.channels.reduce((sum, c) => sum + c.conversions, 0)).toBeCloseTo(19_785, 8);
  for (const c of result.channels) {
    expect(c.conversionsByPosition.reduce((sum, x) => sum + x, 0)).toBeCloseTo(c.conversions, 8);
  }
  const small = new Set(['alpha', 'beta', 'gamma', 'delta', 'eta', 'mi']);
  const slice = paths.filter((p) => p.path.every((c) => small.has(c)));
  const expected = bruteForceShapley(slice);
  for (const { channel, conversions } of computeShapleyAttribution(slice).channels) {
    expect(conversions).toBeCloseTo(expected.get(channel) ?? NaN, 8);
  }
});
