/**
 * Data-driven attribution with a first-order Markov chain and removal effects,
 * computed exactly (absorbing-chain linear algebra, no simulation).
 *
 * The chain (ChannelAttribution's semantics, so results match that library):
 * - States: (start), one per channel, (conversion), (null). Consecutive
 *   repeats of a channel are collapsed (`a > a > b` visits a, b); other
 *   repeats are kept (`a > b > a`).
 * - Each aggregated path with c conversions and n nulls adds weight c + n to
 *   `(start) → first` and to every following transition, c to
 *   `last → (conversion)` and n to `last → (null)`. Transition probabilities
 *   are each state's weights over its total outgoing weight. Converting and
 *   non-converting journeys both shape the chain.
 * - P = P(reach (conversion) from (start)). Removing channel k sends every
 *   transition into k to (null); P₋ₖ is the same probability afterwards and
 *   the removal effect is RE_k = 1 − P₋ₖ / P (0 for every channel when P = 0).
 *
 * How it is computed: with Q the channel-to-channel transition matrix, r the
 * one-step conversion probabilities and s the start distribution, the
 * fundamental matrix N = (I − Q)⁻¹ gives x = N·r (conversion probability from
 * each channel) and P = s·x. After removing k, a journey converts exactly
 * when it converts without ever visiting k, so P − P₋ₖ = P(visit k) · x_k,
 * with P(visit k) = (s·N)_k / N_kk. One inversion serves all channels.
 *
 * Credits (Leadpath's definitions):
 * - Conversion credit of k = total conversions × RE_k / Σ_j RE_j, over all
 *   channels. This global split is what ChannelAttribution reports; channel
 *   totals use it so that Leadpath's numbers can be checked against the
 *   reference, and they sum to the total conversions.
 * - Per-lead share of k in a lead's path = RE_k / Σ_{j in the path} RE_j,
 *   over the distinct channels of that path only, summing to 1. A lead's
 *   display must not hand credit to channels the lead never touched, so it is
 *   path-restricted; as a consequence, summing per-lead shares over leads does
 *   NOT reproduce the global conversion credits.
 * - Value credit of k = Σ over converting journeys of journey value × the
 *   journey's per-lead share of k, i.e. revenue follows the path-restricted
 *   split (ChannelAttribution's own value split is not comparable). Value
 *   credits sum to the value of the converting paths. Value on a path with no
 *   conversions is ignored.
 * - If every channel of a path has RE 0 (only possible for a path the model
 *   says cannot convert), its share is split evenly over its channels.
 */
import { computeIndexedPaths, type IndexedPaths } from './indexed-paths';
import { compareText, type AggregatedPath } from './types';

export interface MarkovChannelCredit {
  readonly channel: string;
  readonly removalEffect: number;
  /** Conversions credited: total conversions × RE / Σ RE. */
  readonly conversions: number;
  /** Value credited through the path-restricted split. */
  readonly value: number;
}

export interface MarkovAttribution {
  /** Largest conversion credit first. */
  readonly channels: readonly MarkovChannelCredit[];
  /** P(conversion) from (start) in the fitted chain. */
  readonly conversionProbability: number;
  readonly totalConversions: number;
  /** Value of the converting paths. */
  readonly totalValue: number;
}

export interface RemovalEffects {
  readonly removalEffects: Float64Array;
  readonly conversionProbability: number;
}

/** Gauss-Jordan inverse with partial pivoting of an m×m row-major matrix. */
function invert(matrix: Float64Array, m: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inverse = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inverse[i * m + i] = 1;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let row = col + 1; row < m; row++) {
      if (Math.abs(a[row * m + col]!) > Math.abs(a[pivot * m + col]!)) pivot = row;
    }
    const pivotValue = a[pivot * m + col]!;
    // I − Q is non-singular for any chain built from paths (every path ends in an absorbing state).
    if (pivotValue === 0) throw new Error('Markov chain has a closed set of channels');
    if (pivot !== col) {
      for (let k = 0; k < m; k++) {
        [a[col * m + k], a[pivot * m + k]] = [a[pivot * m + k]!, a[col * m + k]!];
        [inverse[col * m + k], inverse[pivot * m + k]] = [inverse[pivot * m + k]!, inverse[col * m + k]!];
      }
    }
    for (let k = 0; k < m; k++) {
      a[col * m + k]! /= pivotValue;
      inverse[col * m + k]! /= pivotValue;
    }
    for (let row = 0; row < m; row++) {
      const factor = a[row * m + col]!;
      if (row === col || factor === 0) continue;
      for (let k = 0; k < m; k++) {
        a[row * m + k]! -= factor * a[col * m + k]!;
        inverse[row * m + k]! -= factor * inverse[col * m + k]!;
      }
    }
  }
  return inverse;
}

/**
 * Removal effects of every channel of `indexed`, with the conversion and null
 * counts given per path (the bootstrap passes resampled counts).
 */
export function computeRemovalEffects(
  indexed: IndexedPaths,
  conversions: Float64Array = indexed.conversions,
  nulls: Float64Array = indexed.nulls,
): RemovalEffects {
  const m = indexed.channels.length;
  const start = new Float64Array(m);
  const transitions = new Float64Array(m * m);
  const toConversion = new Float64Array(m);
  const outgoing = new Float64Array(m);
  indexed.collapsed.forEach((states, p) => {
    const c = conversions[p]!;
    const weight = c + nulls[p]!;
    if (weight === 0) return;
    start[states[0]!]! += weight;
    for (let i = 0; i + 1 < states.length; i++) {
      transitions[states[i]! * m + states[i + 1]!]! += weight;
      outgoing[states[i]!]! += weight;
    }
    const last = states[states.length - 1]!;
    toConversion[last]! += c;
    outgoing[last]! += weight;
  });
  const startTotal = start.reduce((sum, w) => sum + w, 0);
  const removalEffects = new Float64Array(m);
  if (startTotal === 0) return { removalEffects, conversionProbability: 0 };

  // I − Q; a channel with no outgoing weight (seen only on empty paths) keeps an identity row.
  const identityMinusQ = new Float64Array(m * m);
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    identityMinusQ[i * m + i] = 1;
    const out = outgoing[i]!;
    if (out === 0) continue;
    for (let j = 0; j < m; j++) identityMinusQ[i * m + j]! -= transitions[i * m + j]! / out;
    r[i] = toConversion[i]! / out;
  }
  const fundamental = invert(identityMinusQ, m);
  const x = new Float64Array(m);
  const visits = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const s = start[i]! / startTotal;
    for (let j = 0; j < m; j++) {
      x[i]! += fundamental[i * m + j]! * r[j]!;
      visits[j]! += s * fundamental[i * m + j]!;
    }
  }
  const conversionProbability = start.reduce((sum, w, i) => sum + (w / startTotal) * x[i]!, 0);
  if (conversionProbability <= 0) return { removalEffects, conversionProbability: 0 };
  for (let k = 0; k < m; k++) {
    const lost = (visits[k]! / fundamental[k * m + k]!) * x[k]!;
    removalEffects[k] = Math.min(1, Math.max(0, lost / conversionProbability));
  }
  return { removalEffects, conversionProbability };
}

/** Conversion credits from removal effects: total × RE_k / Σ RE (zeros when Σ RE = 0). */
export function computeGlobalSplit(removalEffects: Float64Array, totalConversions: number): Float64Array {
  const sum = removalEffects.reduce((acc, re) => acc + re, 0);
  return removalEffects.map((re) => (sum > 0 ? (totalConversions * re) / sum : 0));
}

/** Shares of a path's distinct channels (indices), path-restricted; see the module comment. */
function pathShares(channelSet: Int32Array, removalEffects: Float64Array): Float64Array {
  const sum = channelSet.reduce((acc, c) => acc + removalEffects[c]!, 0);
  return Float64Array.from(channelSet, (c) => (sum > 0 ? removalEffects[c]! / sum : 1 / channelSet.length));
}

export function computeMarkovAttribution(paths: readonly AggregatedPath[]): MarkovAttribution {
  const indexed = computeIndexedPaths(paths);
  const { removalEffects, conversionProbability } = computeRemovalEffects(indexed);
  const totalConversions = indexed.conversions.reduce((sum, c) => sum + c, 0);
  const conversionCredits = computeGlobalSplit(removalEffects, totalConversions);
  const valueCredits = new Float64Array(indexed.channels.length);
  let totalValue = 0;
  indexed.channelSets.forEach((channelSet, p) => {
    if (indexed.conversions[p] === 0) return;
    const value = indexed.values[p]!;
    totalValue += value;
    const shares = pathShares(channelSet, removalEffects);
    channelSet.forEach((c, i) => {
      valueCredits[c]! += value * shares[i]!;
    });
  });
  const channels = indexed.channels
    .map((channel, k) => ({
      channel,
      removalEffect: removalEffects[k]!,
      conversions: conversionCredits[k]!,
      value: valueCredits[k]!,
    }))
    .sort((a, b) => b.conversions - a.conversions || compareText(a.channel, b.channel));
  return { channels, conversionProbability, totalConversions, totalValue };
}

export interface MarkovLeadShare {
  readonly channel: string;
  readonly share: number;
}

/**
 * A lead's Markov credit per channel of its own path (distinct channels, in
 * order of first touch): RE_k / Σ_{j in path} RE_j, summing to 1. Channels the
 * model has not seen count as RE 0; all-zero paths split evenly.
 */
type ChannelRemovalEffect = Pick<MarkovChannelCredit, 'channel' | 'removalEffect'>;

export function computeMarkovLeadShares(
  path: readonly string[],
  removalEffects: ReadonlyMap<string, number> | readonly ChannelRemovalEffect[],
): MarkovLeadShare[] {
  const effects =
    removalEffects instanceof Map
      ? removalEffects
      : new Map((removalEffects as readonly ChannelRemovalEffect[]).map((c) => [c.channel, c.removalEffect]));
  const channels = [...new Set(path)];
  const sum = channels.reduce((acc, channel) => acc + (effects.get(channel) ?? 0), 0);
  return channels.map((channel) => ({
    channel,
    share: sum > 0 ? (effects.get(channel) ?? 0) / sum : 1 / channels.length,
  }));
}
