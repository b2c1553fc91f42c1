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
 *   Where only paths matter (Markov, Shapley), leads come grouped by path
 *   (ConvertingPathRow).
 * - Non-converting journey: a visitor who never produced a lead (no
 *   lead_journeys row with their visitor_id), made of the channels of ALL
 *   their sessions in time order with consecutive repeats collapsed, counted
 *   in the range that contains the visitor's FIRST session (journey cohort by
 *   first touch). They only feed the Markov chain, which collapses repeats
 *   itself, so a collapsed path gives the same chain and fewer distinct rows.
 *   They arrive grouped by path from the nonconverting_paths rollup
 *   (db/analytics/visitor-paths.ts), never one visitor at a time.
 */
import { computeCollapsedPath } from './attribution/paths';
import { sumMoney } from './attribution/money';
import { compareText, DIRECT_CHANNEL, type LeadJourney } from './attribution/types';

// A unit separator cannot occur in a channel name typed by a person, unlike ' > '.
const KEY_SEPARATOR = '\u001f';

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

/** Leads with the same path: how many, how many won, and the exact revenue of the won ones. */
export interface ConvertingPathRow {
  /** Collapsed or as touched (Markov and Shapley give the same credits for both). */
  readonly path: readonly string[];
  readonly leads: number;
  readonly wonLeads: number;
  /** Exact sum of the won leads' amounts, a decimal string ('0' when none). */
  readonly revenue: string;
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
    const key = path.join(KEY_SEPARATOR);
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
 * Lead rows grouped by collapsed path, most leads first, then by path (the
 * order the SQL aggregation returns too, so a seeded bootstrap sees the same input).
 */
export function computeConvertingPaths(rows: readonly LeadPathRow[]): ConvertingPathRow[] {
  const groups = new Map<string, { path: string[]; leads: number; wonLeads: number; revenue: (string | null)[] }>();
  for (const row of rows) {
    if (row.channels.length === 0) throw new RangeError(`Lead ${row.leadId}: a journey needs at least one touch`);
    const path = computeCollapsedPath(row.channels);
    const key = path.join(KEY_SEPARATOR);
    const group = groups.get(key) ?? { path, leads: 0, wonLeads: 0, revenue: [] };
    group.leads += 1;
    if (row.isWon) group.wonLeads += 1;
    group.revenue.push(revenueOf(row));
    groups.set(key, group);
  }
  return orderConvertingPaths(
    [...groups.values()].map(({ path, leads, wonLeads, revenue }) => ({ path, leads, wonLeads, revenue: sumMoney(revenue) })),
  );
}

/** Most leads first, then by path: an order independent of how rows arrive (a seeded bootstrap depends on it). */
export function orderConvertingPaths(rows: readonly ConvertingPathRow[]): ConvertingPathRow[] {
  return rows
    .map((row) => ({ row, key: row.path.join(KEY_SEPARATOR) }))
    .sort((a, b) => b.row.leads - a.row.leads || compareText(a.key, b.key))
    .map(({ row }) => row);
}
