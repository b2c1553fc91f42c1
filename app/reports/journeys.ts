/**
 * The journeys the attribution, paths and Markov-credit code run on, built
 * from the rows their queries return (issue "journeys"):
 *
 * - Converting journey: a lead, with its touches from lead_touches in position
 *   order (repeats kept). A lead with no known touch already has one
 *   'explicit' or 'direct' touch there, so a journey is never empty. Its
 *   revenue is the lead's amount when it is won, else null; last non-direct
 *   falls back to the lead's explicit channel, else `direct` (the same input
 *   db/analytics/stitch.ts gives the heuristics when it writes lead_credits).
 * - Non-converting journey: a visitor who never produced a lead, made of the
 *   channels of their sessions in time order. They arrive grouped by path
 *   (the query aggregates in SQL) and are kept with consecutive repeats
 *   collapsed: they only feed the Markov chain, which collapses repeats
 *   itself, so a collapsed path gives the same chain and fewer distinct rows.
 */
import { computeCollapsedPath } from './attribution/paths';
import { compareText, DIRECT_CHANNEL, type Journey, type LeadJourney } from './attribution/types';

/** One lead and its touches (one row per lead, arrays in touch order). */
export interface LeadPathRow {
  readonly leadId: string;
  /** Lead creation time, epoch ms. */
  readonly leadAt: number;
  readonly channels: readonly string[];
  /** Touch times, epoch ms, parallel to `channels`. */
  readonly touchedAt: readonly number[];
  /** The lead's explicit channel (its own source/medium), null when none was given. */
  readonly explicitChannel: string | null;
  readonly isWon: boolean;
  /** The lead's amount as a decimal string, null when not given. */
  readonly amount: string | null;
  /** Session and call touches; 0 when the only touch is the stand-in 'explicit' or 'direct' one. */
  readonly knownTouches: number;
}

/** Visitors without a lead whose sessions form the same (collapsed) path. */
export interface NonConvertingPathRow {
  readonly path: readonly string[];
  readonly journeys: number;
}

/**
 * Visitor counts per path as visited → per collapsed path (`a > a > b` and
 * `a > b` merge), most visitors first, then by path, so the order (and with
 * it a seeded bootstrap) does not depend on the order rows arrive in.
 */
export function computeNonConvertingPaths(rows: readonly NonConvertingPathRow[]): NonConvertingPathRow[] {
  const merged = new Map<string, { path: string[]; journeys: number }>();
  for (const row of rows) {
    const path = computeCollapsedPath(row.path);
    const key = path.join('\u001f');
    const entry = merged.get(key);
    if (entry) entry.journeys += row.journeys;
    else merged.set(key, { path, journeys: row.journeys });
  }
  return [...merged.entries()]
    .sort(([ka, a], [kb, b]) => b.journeys - a.journeys || compareText(ka, kb))
    .map(([, row]) => row);
}

/** The revenue a lead brings: its amount when won, else nothing. */
export function revenueOf(row: Pick<LeadPathRow, 'isWon' | 'amount'>): string | null {
  return row.isWon ? row.amount : null;
}

export function toLeadJourney(row: LeadPathRow): LeadJourney {
  if (row.channels.length === 0 || row.channels.length !== row.touchedAt.length) {
    throw new RangeError(`Lead ${row.leadId}: touches and their times must be non-empty and of equal length`);
  }
  return {
    touches: row.channels.map((channel, i) => ({ channel, at: row.touchedAt[i]! })),
    leadAt: row.leadAt,
    revenue: revenueOf(row),
    fallbackChannel: row.explicitChannel ?? DIRECT_CHANNEL,
  };
}

/**
 * One journey per visitor without a lead. The visitors of one path share a
 * single frozen journey object (an array of references, not copies), so
 * millions of visitors cost one pointer each. Touch times are not known here
 * and not needed (no heuristic runs on a journey that did not convert): 0.
 */
export function expandNonConverting(rows: readonly NonConvertingPathRow[]): Journey[] {
  const journeys: Journey[] = [];
  for (const { path, journeys: count } of rows) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`journeys must be a whole number >= 0, got ${count}`);
    if (count === 0) continue;
    const journey: Journey = Object.freeze({
      touches: Object.freeze(path.map((channel) => Object.freeze({ channel, at: 0 }))),
      leadAt: null,
      revenue: null,
    });
    for (let i = 0; i < count; i++) journeys.push(journey);
  }
  return journeys;
}
