/**
 * Rule-based (heuristic) attribution models. Each lead carries a credit of 1,
 * split over its touches; every model returns one entry per touch, in touch
 * order, whose credits sum to 1.
 *
 * - first: all credit to the first touch.
 * - last: all credit to the last touch.
 * - last_non_direct: all credit to the last touch whose channel is not
 *   `direct`. When every touch is direct the credit goes to the lead's
 *   fallback channel (its explicit channel, else `direct`); it is recorded on
 *   the last touch, relabelled with the fallback channel, so the result keeps
 *   one entry per touch.
 * - linear: 1/n to each of the n touches; repeated channels are NOT collapsed
 *   (`a > a > b` gives a 2/3), as in ChannelAttribution's heuristics.
 * - time_decay: touch i weighs 2^(−Δi / halfLife), Δi = leadAt − at_i, and
 *   credits are the normalised weights. A touch stamped after the lead
 *   (clock skew between sources) counts as Δ = 0.
 * - position: 40% first, 40% last, 20% split evenly over the middle touches;
 *   one touch gets 100%, two touches 50/50.
 *
 * Revenue credited to a channel is revenue × credit (see money.ts).
 */
import { computeCreditedMoney } from './money';
import {
  compareText,
  DAY_MS,
  DIRECT_CHANNEL,
  type LeadJourney,
  type Touch,
  type TouchCredit,
} from './types';

export const HEURISTIC_MODELS = [
  'first',
  'last',
  'last_non_direct',
  'linear',
  'time_decay',
  'position',
] as const;
export type HeuristicModel = (typeof HEURISTIC_MODELS)[number];

export const DEFAULT_HALF_LIFE_MS = 7 * DAY_MS;

const POSITION_END_SHARE = 0.4;

function assertTouches(touches: readonly Touch[]): void {
  // The caller turns a touchless lead into a one-touch lead, so an empty list is a bug upstream.
  if (touches.length === 0) throw new RangeError('A journey needs at least one touch');
}

function creditsFromWeights(touches: readonly Touch[], weights: readonly number[]): TouchCredit[] {
  return touches.map((touch, i) => ({ channel: touch.channel, credit: weights[i] ?? 0 }));
}

function allToIndex(touches: readonly Touch[], index: number, channel?: string): TouchCredit[] {
  return touches.map((touch, i) => ({
    channel: i === index ? (channel ?? touch.channel) : touch.channel,
    credit: i === index ? 1 : 0,
  }));
}

export function computeFirstTouchCredits(touches: readonly Touch[]): TouchCredit[] {
  assertTouches(touches);
  return allToIndex(touches, 0);
}

export function computeLastTouchCredits(touches: readonly Touch[]): TouchCredit[] {
  assertTouches(touches);
  return allToIndex(touches, touches.length - 1);
}

export function computeLastNonDirectCredits(
  touches: readonly Touch[],
  fallbackChannel: string = DIRECT_CHANNEL,
): TouchCredit[] {
  assertTouches(touches);
  const index = touches.findLastIndex((touch) => touch.channel !== DIRECT_CHANNEL);
  if (index >= 0) return allToIndex(touches, index);
  return allToIndex(touches, touches.length - 1, fallbackChannel);
}

export function computeLinearCredits(touches: readonly Touch[]): TouchCredit[] {
  assertTouches(touches);
  const credit = 1 / touches.length;
  return touches.map((touch) => ({ channel: touch.channel, credit }));
}

export function computeTimeDecayCredits(
  touches: readonly Touch[],
  leadAt: number,
  halfLifeMs: number = DEFAULT_HALF_LIFE_MS,
): TouchCredit[] {
  assertTouches(touches);
  if (!(halfLifeMs > 0) || !Number.isFinite(halfLifeMs)) {
    throw new RangeError(`Half-life must be a positive number of ms, got ${halfLifeMs}`);
  }
  const ages = touches.map((touch) => Math.max(0, leadAt - touch.at));
  // Weights are taken relative to the most recent touch: the ratio is what
  // matters, and old journeys (Δ of years) would otherwise underflow to 0/0.
  const youngest = Math.min(...ages);
  const weights = ages.map((age) => 2 ** (-(age - youngest) / halfLifeMs));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return creditsFromWeights(touches, weights.map((w) => w / total));
}

export function computePositionBasedCredits(touches: readonly Touch[]): TouchCredit[] {
  assertTouches(touches);
  const n = touches.length;
  if (n === 1) return creditsFromWeights(touches, [1]);
  if (n === 2) return creditsFromWeights(touches, [0.5, 0.5]);
  const middle = (1 - 2 * POSITION_END_SHARE) / (n - 2);
  const weights = touches.map((_, i) => (i === 0 || i === n - 1 ? POSITION_END_SHARE : middle));
  return creditsFromWeights(touches, weights);
}

export interface HeuristicOptions {
  /** Half-life of the time-decay model, in ms (default 7 days). */
  readonly halfLifeMs?: number;
}

/** The per-touch credits of one lead under one heuristic model. */
export function computeLeadCredits(
  lead: LeadJourney,
  model: HeuristicModel,
  options: HeuristicOptions = {},
): TouchCredit[] {
  switch (model) {
    case 'first':
      return computeFirstTouchCredits(lead.touches);
    case 'last':
      return computeLastTouchCredits(lead.touches);
    case 'last_non_direct':
      return computeLastNonDirectCredits(lead.touches, lead.fallbackChannel);
    case 'linear':
      return computeLinearCredits(lead.touches);
    case 'time_decay':
      return computeTimeDecayCredits(lead.touches, lead.leadAt, options.halfLifeMs);
    case 'position':
      return computePositionBasedCredits(lead.touches);
  }
}

export interface CreditedLead {
  readonly credits: readonly TouchCredit[];
  /** Revenue of the lead (or of all `count` leads together); null when unknown. */
  readonly revenue: string | null;
  /** How many identical leads this entry stands for (default 1), e.g. one row of an aggregated path. */
  readonly count?: number;
}

export interface ChannelTotal {
  readonly channel: string;
  /** Leads credited to the channel (sums to the number of leads over all channels). */
  readonly credit: number;
  /** Revenue credited to the channel: Σ revenue × credit (float, see money.ts). */
  readonly revenue: number;
}

/**
 * Per-channel totals of per-lead credits, largest credit first. Every channel
 * that appears gets a row, even with zero credit, so tables line up across models.
 */
export function computeChannelTotals(leads: Iterable<CreditedLead>): ChannelTotal[] {
  const totals = new Map<string, { credit: number; revenue: number }>();
  for (const lead of leads) {
    const count = lead.count ?? 1;
    const revenue = computeCreditedMoney(lead.revenue, lead.credits.map((c) => c.credit));
    lead.credits.forEach(({ channel, credit }, i) => {
      const total = totals.get(channel) ?? { credit: 0, revenue: 0 };
      total.credit += count * credit;
      total.revenue += revenue[i] ?? 0;
      totals.set(channel, total);
    });
  }
  return [...totals]
    .map(([channel, total]) => ({ channel, ...total }))
    .sort((a, b) => b.credit - a.credit || compareText(a.channel, b.channel));
}
