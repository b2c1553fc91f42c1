/**
 * Per-touch Markov credits of one lead, for storing beside the heuristic
 * credits (lead_credits, model 'markov'):
 *
 * - The lead's share of channel k is its path-restricted Markov share,
 *   RE_k / Σ_{j in the lead's path} RE_j (computeMarkovLeadShares: channels
 *   the model has not seen count as RE 0; an all-zero path splits evenly).
 * - A channel's share is divided evenly among the lead's touches of that
 *   channel, so every touch gets a credit and the lead sums to 1:
 *   `a > b > a` with shares a 0.6, b 0.4 gives 0.3, 0.4, 0.3.
 */
import { computeMarkovLeadShares } from './attribution/markov';

export function computeMarkovTouchCredits(
  channels: readonly string[],
  removalEffects: ReadonlyMap<string, number>,
): number[] {
  if (channels.length === 0) throw new RangeError('A journey needs at least one touch');
  const touchesOf = new Map<string, number>();
  for (const channel of channels) touchesOf.set(channel, (touchesOf.get(channel) ?? 0) + 1);
  const shares = new Map(computeMarkovLeadShares(channels, removalEffects).map((s) => [s.channel, s.share]));
  return channels.map((channel) => (shares.get(channel) ?? 0) / touchesOf.get(channel)!);
}
