// Slow, obviously-correct versions of the models, to check the fast ones against.
import type { AggregatedPath } from '../../../app/reports/attribution/types';

/**
 * The textbook Shapley value, φ_k = Σ_{S ⊆ N∖{k}} |S|!(n−|S|−1)!/n! · (v(S ∪ {k}) − v(S)),
 * with v(S) = conversions of journeys whose channel set is a subset of S.
 * Exponential in the number of channels: a check for small cases only.
 */
export function bruteForceShapley(paths: readonly AggregatedPath[]): Map<string, number> {
  const channels = [...new Set(paths.flatMap((p) => p.path))].sort();
  const n = channels.length;
  const masks = paths.map((p) => p.path.reduce((mask, c) => mask | (1 << channels.indexOf(c)), 0));
  const v = (coalition: number) =>
    paths.reduce((sum, p, i) => ((masks[i]! & ~coalition) === 0 ? sum + p.conversions : sum), 0);
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const popcount = (mask: number) => mask.toString(2).replaceAll('0', '').length;
  return new Map(
    channels.map((channel, k) => {
      let phi = 0;
      for (let s = 0; s < 1 << n; s++) {
        if (s & (1 << k)) continue;
        const size = popcount(s);
        phi += ((factorial(size) * factorial(n - size - 1)) / factorial(n)) * (v(s | (1 << k)) - v(s));
      }
      return [channel, phi];
    }),
  );
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is n×n, row arrays). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = col + 1; row < n; row++) {
      const f = m[row]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[row]![k]! -= f * m[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= m[row]![k]! * x[k]!;
    x[row] = sum / m[row]![row]!;
  }
  return x;
}

/**
 * Removal effects by brute force: for each channel k, rebuild the chain with
 * every transition into k sent to null and solve it again from scratch.
 */
export function naiveRemovalEffects(paths: readonly AggregatedPath[]): Map<string, number> {
  const channels = [...new Set(paths.flatMap((p) => p.path))].sort();
  const n = channels.length;
  const idx = (c: string) => channels.indexOf(c);
  const start = new Array<number>(n).fill(0);
  const trans = channels.map(() => new Array<number>(n).fill(0));
  const conv = new Array<number>(n).fill(0);
  const out = new Array<number>(n).fill(0);
  for (const p of paths) {
    const states = p.path.filter((c, i) => i === 0 || p.path[i - 1] !== c).map(idx);
    const w = p.conversions + p.nulls;
    if (w === 0) continue;
    start[states[0]!]! += w;
    for (let i = 0; i + 1 < states.length; i++) {
      trans[states[i]!]![states[i + 1]!]! += w;
      out[states[i]!]! += w;
    }
    conv[states.at(-1)!]! += p.conversions;
    out[states.at(-1)!]! += w;
  }
  const startTotal = start.reduce((a, b) => a + b, 0);
  const probability = (removed: number) => {
    // x_i = Σ_j Q_ij x_j + r_i, with Q_ik = 0 for the removed k.
    const a = channels.map((_, i) =>
      channels.map((_, j) => (i === j ? 1 : 0) - (j === removed || out[i] === 0 ? 0 : trans[i]![j]! / out[i]!)),
    );
    const r = channels.map((_, i) => (out[i] === 0 ? 0 : conv[i]! / out[i]!));
    const x = solve(a, r);
    if (startTotal === 0) return 0;
    return start.reduce((sum, w, i) => (i === removed ? sum : sum + (w / startTotal) * x[i]!), 0);
  };
  const p = probability(-1);
  return new Map(channels.map((c, k) => [c, p > 0 ? 1 - probability(k) / p : 0]));
}
