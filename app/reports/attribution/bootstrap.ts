/**
 * Bootstrap intervals for the Markov and Shapley conversion credits.
 *
 * Each iteration resamples the journeys with replacement (as many as there
 * are, converting and non-converting alike) and recomputes both models on the
 * resample. Journeys are first grouped into distinct (path, converted?)
 * categories, so a resample is a vector of multinomial counts over those
 * categories, drawn one journey at a time from a lookup table; the models then
 * run on distinct paths only. The interval of a channel is the 5th–95th
 * percentile of its credit over the iterations (linear interpolation between
 * order statistics, R's default "type 7"). A channel absent from a resample
 * gets credit 0 in it.
 */
import { computeIndexedPaths } from './indexed-paths';
import { computeGlobalSplit, computeRemovalEffects } from './markov';
import { computeShapleyCredits } from './shapley';
import type { AggregatedPath, RandomSource } from './types';

export const DEFAULT_BOOTSTRAP_ITERATIONS = 200;
export const INTERVAL_LOW_QUANTILE = 0.05;
export const INTERVAL_HIGH_QUANTILE = 0.95;

export interface CreditInterval {
  readonly low: number;
  readonly high: number;
}

export interface ChannelIntervals {
  readonly channel: string;
  readonly markov: CreditInterval;
  readonly shapley: CreditInterval;
}

export interface BootstrapOptions {
  /** Seeded PRNG; the same seed gives the same intervals. */
  readonly rng: RandomSource;
  readonly iterations?: number;
}

/** Quantile q of ascending-sorted values, interpolating between order statistics (R type 7). */
export function computeQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const below = Math.floor(h);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (h - below) * (upper - lower);
}

function intervalOf(samples: Float64Array): CreditInterval {
  const sorted = samples.slice().sort();
  return {
    low: computeQuantile(sorted, INTERVAL_LOW_QUANTILE),
    high: computeQuantile(sorted, INTERVAL_HIGH_QUANTILE),
  };
}

/** Intervals per channel, in the channels' name order. Path counts must be whole journeys. */
export function computeBootstrapIntervals(
  paths: readonly AggregatedPath[],
  { rng, iterations = DEFAULT_BOOTSTRAP_ITERATIONS }: BootstrapOptions,
): ChannelIntervals[] {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`Bootstrap iterations must be a positive integer, got ${iterations}`);
  }
  for (const p of paths) {
    if (!Number.isInteger(p.conversions) || !Number.isInteger(p.nulls)) {
      throw new RangeError('Bootstrap needs whole numbers of conversions and nulls per path');
    }
  }
  const indexed = computeIndexedPaths(paths);
  const pathCount = paths.length;
  const m = indexed.channels.length;

  // Journey j of the original data, encoded as 2 × path + (converted ? 1 : 0).
  let journeyCount = 0;
  for (let p = 0; p < pathCount; p++) journeyCount += indexed.conversions[p]! + indexed.nulls[p]!;
  const categoryOfJourney = new Int32Array(journeyCount);
  let j = 0;
  for (let p = 0; p < pathCount; p++) {
    categoryOfJourney.fill(2 * p + 1, j, (j += indexed.conversions[p]!));
    categoryOfJourney.fill(2 * p, j, (j += indexed.nulls[p]!));
  }

  const markovSamples = indexed.channels.map(() => new Float64Array(iterations));
  const shapleySamples = indexed.channels.map(() => new Float64Array(iterations));
  const conversions = new Float64Array(pathCount);
  const nulls = new Float64Array(pathCount);
  for (let b = 0; b < iterations; b++) {
    conversions.fill(0);
    nulls.fill(0);
    let totalConversions = 0;
    for (let draw = 0; draw < journeyCount; draw++) {
      const category = categoryOfJourney[Math.min(journeyCount - 1, Math.floor(rng.next() * journeyCount))]!;
      if (category & 1) {
        conversions[category >> 1]! += 1;
        totalConversions += 1;
      } else {
        nulls[category >> 1]! += 1;
      }
    }
    const { removalEffects } = computeRemovalEffects(indexed, conversions, nulls);
    const markov = computeGlobalSplit(removalEffects, totalConversions);
    const shapley = computeShapleyCredits(indexed, conversions);
    for (let k = 0; k < m; k++) {
      markovSamples[k]![b] = markov[k]!;
      shapleySamples[k]![b] = shapley[k]!;
    }
  }
  return indexed.channels.map((channel, k) => ({
    channel,
    markov: intervalOf(markovSamples[k]!),
    shapley: intervalOf(shapleySamples[k]!),
  }));
}
