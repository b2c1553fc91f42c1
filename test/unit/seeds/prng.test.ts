import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createPrng, hashString, Prng } from '../../../seeds/prng';

const draw = (rng: Prng, n: number, f: (r: Prng) => number) => Array.from({ length: n }, () => f(rng));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

describe('Prng', () => {
  test('the same seed gives the same stream; another seed another stream', () => {
    const a = draw(createPrng(42), 50, (r) => r.nextUint32());
    const b = draw(createPrng(42), 50, (r) => r.nextUint32());
    const c = draw(createPrng(43), 50, (r) => r.nextUint32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('pinned first values, so a change to the generator is noticed (it changes every seed file)', () => {
    expect(draw(createPrng(1), 3, (r) => r.nextUint32())).toMatchInlineSnapshot(`
      [
        210021770,
        1070422497,
        1873476992,
      ]
    `);
  });

  test('next() is uniform in [0, 1)', () => {
    const xs = draw(createPrng(7), 20_000, (r) => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    const deciles = new Array(10).fill(0);
    for (const x of xs) deciles[Math.floor(x * 10)]++;
    for (const count of deciles) expect(count).toBeGreaterThan(1_700);
  });

  test('int(min, max) stays within both inclusive bounds and reaches them', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 20 }), (seed, min, span) => {
        const rng = createPrng(seed);
        const values = draw(rng, 200, (r) => r.int(min, min + span));
        return values.every((v) => Number.isInteger(v) && v >= min && v <= min + span);
      }),
    );
    const seen = new Set(draw(createPrng(3), 500, (r) => r.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => createPrng(1).int(5, 4)).toThrow(RangeError);
  });

  test('weighted() follows the weights and never picks a zero weight', () => {
    const rng = createPrng(11);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[rng.weighted<'a' | 'b' | 'c'>([['a', 1], ['b', 3], ['c', 0]])]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
    expect(() => rng.weighted([['x', 0]])).toThrow(RangeError);
  });

  test('normal, lognormal, poisson and bernoulli have the right moments', () => {
    const rng = createPrng(5);
    const normals = draw(rng, 20_000, (r) => r.normal(10, 2));
    expect(mean(normals)).toBeCloseTo(10, 1);
    expect(sd(normals)).toBeCloseTo(2, 1);

    const logs = draw(rng, 20_000, (r) => r.lognormal(100, 0.5)).sort((a, b) => a - b);
    expect(logs[10_000]! / 100).toBeGreaterThan(0.95);
    expect(logs[10_000]! / 100).toBeLessThan(1.05);
    expect(logs[0]).toBeGreaterThan(0);

    for (const lambda of [0.3, 4, 75]) {
      const counts = draw(rng, 10_000, (r) => r.poisson(lambda));
      expect(counts.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      expect(mean(counts) / lambda).toBeGreaterThan(0.95);
      expect(mean(counts) / lambda).toBeLessThan(1.05);
    }
    expect(rng.poisson(0)).toBe(0);

    const hits = draw(rng, 20_000, (r) => (r.bernoulli(0.2) ? 1 : 0));
    expect(mean(hits)).toBeCloseTo(0.2, 1);
  });

  test('shuffle() returns a permutation of the same items', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { maxLength: 50 }), (seed, items) => {
        const shuffled = createPrng(seed).shuffle([...items]);
        return JSON.stringify([...shuffled].sort()) === JSON.stringify([...items].sort());
      }),
    );
  });

  test('fork(label) is deterministic and independent of the label-less stream', () => {
    const a = createPrng(9).fork('calls');
    const b = createPrng(9).fork('calls');
    const c = createPrng(9).fork('leads');
    expect(draw(a, 5, (r) => r.nextUint32())).toEqual(draw(b, 5, (r) => r.nextUint32()));
    expect(draw(createPrng(9).fork('calls'), 5, (r) => r.nextUint32())).not.toEqual(draw(c, 5, (r) => r.nextUint32()));
    expect(hashString('calls')).toBe(hashString('calls'));
  });
});
