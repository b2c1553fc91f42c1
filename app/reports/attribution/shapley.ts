/**
 * Shapley-value attribution over channel sets, the simplified method of Zhao,
 * Mahboobi & Bagheri (2018), "Shapley Value Methods for Attribution Modeling
 * in Online Advertising", arXiv:1804.05327.
 *
 * Definitions:
 * - The coalition of a converting journey is its set of distinct channels.
 *   R(T) = conversions of the journeys whose channel set is exactly T.
 * - Characteristic function v(S) = Σ_{T ⊆ S} R(T): the conversions of the
 *   journeys that used only channels in S. Because v is additive over exact
 *   sets, the Shapley value reduces to φ_k = Σ_{T ∋ k} R(T) / |T|: each
 *   converting journey's conversions are split evenly over its distinct
 *   channels. Credits sum to the total conversions (efficiency).
 * - Only converting journeys count: this is the paper's formulation (v built
 *   from the KPI, conversions). A conversion-rate characteristic function,
 *   which would need the non-converting journeys, is not additive over sets,
 *   so the simplification does not hold for it; it is not implemented.
 * - Value credit: the same split applied to the journeys' value,
 *   φᵛ_k = Σ_{T ∋ k} Value(T) / |T|.
 * - Ordered variant (the paper's ordered Shapley value): φ_k is further split
 *   by the position of k's touches in the path as given (repeats kept), a
 *   journey's share R/|T| of k being divided evenly over k's touches in it.
 *   `conversionsByPosition[i]` is the credit k earned as touch i + 1, and the
 *   positions sum to φ_k.
 */
import { computeIndexedPaths, type IndexedPaths } from './indexed-paths';
import { compareText, type AggregatedPath } from './types';

export interface ShapleyChannelCredit {
  readonly channel: string;
  readonly conversions: number;
  readonly value: number;
  /** Ordered Shapley: credit earned at touch 1, 2, ... of the paths. */
  readonly conversionsByPosition: readonly number[];
}

export interface ShapleyAttribution {
  /** Largest conversion credit first. */
  readonly channels: readonly ShapleyChannelCredit[];
  readonly totalConversions: number;
  readonly totalValue: number;
}

/** φ_k per channel index for the given conversion counts per path (the bootstrap passes resampled counts). */
export function computeShapleyCredits(
  indexed: IndexedPaths,
  conversions: Float64Array = indexed.conversions,
): Float64Array {
  const credits = new Float64Array(indexed.channels.length);
  indexed.channelSets.forEach((channelSet, p) => {
    const perChannel = conversions[p]! / channelSet.length;
    if (perChannel === 0) return;
    for (const c of channelSet) credits[c]! += perChannel;
  });
  return credits;
}

export function computeShapleyAttribution(paths: readonly AggregatedPath[]): ShapleyAttribution {
  const indexed = computeIndexedPaths(paths);
  const m = indexed.channels.length;
  const conversions = computeShapleyCredits(indexed);
  const values = new Float64Array(m);
  const byPosition = indexed.channels.map(() => [] as number[]);
  let totalConversions = 0;
  let totalValue = 0;
  indexed.sequences.forEach((sequence, p) => {
    const c = indexed.conversions[p]!;
    if (c === 0) return;
    const channelSet = indexed.channelSets[p]!;
    const value = indexed.values[p]!;
    totalConversions += c;
    totalValue += value;
    for (const k of channelSet) values[k]! += value / channelSet.length;
    const touchesOf = new Map<number, number>();
    for (const k of sequence) touchesOf.set(k, (touchesOf.get(k) ?? 0) + 1);
    sequence.forEach((k, position) => {
      const positions = byPosition[k]!;
      while (positions.length <= position) positions.push(0);
      positions[position]! += c / channelSet.length / touchesOf.get(k)!;
    });
  });
  const channels = indexed.channels
    .map((channel, k) => ({
      channel,
      conversions: conversions[k]!,
      value: values[k]!,
      conversionsByPosition: byPosition[k]!,
    }))
    .sort((a, b) => b.conversions - a.conversions || compareText(a.channel, b.channel));
  return { channels, totalConversions, totalValue };
}
