/**
 * Shared shapes of the attribution engine. Everything here is plain data so
 * that a loader can return it as JSON and the UI can import the types.
 */

/** The channel a journey reaches everything else through when it has no campaign. */
export const DIRECT_CHANNEL = 'direct';

export const DAY_MS = 86_400_000;

/** One marketing touch: the channel it came through and when (epoch ms). */
export interface Touch {
  readonly channel: string;
  readonly at: number;
}

/**
 * One visitor's or lead's journey. Touches are in time order and never empty:
 * the caller gives a lead without any known touch a single touch of its
 * explicit channel (or `direct`).
 */
export interface Journey {
  readonly touches: readonly Touch[];
  /** When the journey became a lead; null for a journey that has not converted. */
  readonly leadAt: number | null;
  /** Revenue of the lead as a decimal string (`"1250.00"`); null when unknown or not won. */
  readonly revenue: string | null;
  /**
   * Where last non-direct sends the credit when every touch is direct: the
   * lead's explicit channel, else `direct` (the default).
   */
  readonly fallbackChannel?: string;
}

/** A journey that ended in a lead. */
export interface LeadJourney extends Journey {
  readonly leadAt: number;
}

/** The share of one lead credited to one touch, labelled with the channel that receives it. */
export interface TouchCredit {
  readonly channel: string;
  readonly credit: number;
}

/**
 * Journeys with the same sequence of channels, counted together (the input
 * format of ChannelAttribution): how many converted, their total value, and
 * how many did not convert.
 */
export interface AggregatedPath {
  readonly path: readonly string[];
  readonly conversions: number;
  readonly value: number;
  readonly nulls: number;
}

/**
 * A seeded source of uniform floats in [0, 1), e.g. the project's `Prng`
 * (seeds/prng.ts): the same seed gives the same bootstrap, never `Math.random`.
 */
export interface RandomSource {
  next(): number;
}

export function isLeadJourney(journey: Journey): journey is LeadJourney {
  return journey.leadAt !== null;
}

/** Locale-independent ordering, so results do not depend on the server's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
