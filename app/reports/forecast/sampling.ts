import type { Prng } from '../../../seeds/prng';

// Draws the interval simulation needs, on the project's seeded PRNG so that a
// forecast is the same on every run and machine.

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 through the boost u^(1/shape). */
export function gammaDraw(rng: Prng, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gammaDraw(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function betaDraw(rng: Prng, alpha: number, beta: number): number {
  const x = gammaDraw(rng, alpha);
  const y = gammaDraw(rng, beta);
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}

/** Quantile of sorted values by linear interpolation (type 7, as R's and NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
