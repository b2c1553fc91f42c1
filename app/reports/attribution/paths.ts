/**
 * Conversion-path helpers. Definitions:
 * - A path is the sequence of a journey's touch channels, in time order.
 *   "Collapsing" removes consecutive repeats (`a > a > b > a` → `a > b > a`);
 *   other repeats stay. Paths are shown joined with ` > `.
 * - Only journeys that became leads count in the reports below; the share of
 *   a row is its leads over all leads (0 when there are none).
 * - Time to lead: days from the first touch to the lead, (leadAt − first.at) / 24 h,
 *   counted in elapsed time (not calendar days); a first touch stamped after the
 *   lead (clock skew) counts as 0.
 * - Assisted conversion of channel c: a lead whose path contains c while its
 *   last touch is not c (counted once per lead however often c appears).
 *   Last-touch conversion of c: a lead whose last touch is c. A channel that
 *   both assists and closes the same lead (`a > b > a`) counts as last touch only.
 */
import { sumMoney } from './money';
import {
  compareText,
  DAY_MS,
  isLeadJourney,
  type AggregatedPath,
  type Journey,
  type LeadJourney,
} from './types';

export const PATH_SEPARATOR = ' > ';

/** Removes consecutive repeats: `a > a > b > a` → `a > b > a`. */
export function computeCollapsedPath(channels: readonly string[]): string[] {
  return channels.filter((channel, i) => i === 0 || channels[i - 1] !== channel);
}

export function formatPath(channels: readonly string[]): string {
  return channels.join(PATH_SEPARATOR);
}

function channelsOf(journey: Journey, collapseRepeats: boolean): string[] {
  if (journey.touches.length === 0) throw new RangeError('A journey needs at least one touch');
  const channels = journey.touches.map((touch) => touch.channel);
  return collapseRepeats ? computeCollapsedPath(channels) : channels;
}

// A unit separator cannot occur in a channel name typed by a person, unlike ' > '.
const KEY_SEPARATOR = '\u001f';

function shareOf(part: number, total: number): number {
  return total > 0 ? part / total : 0;
}

/**
 * Groups journeys by their exact (uncollapsed) path, counting leads as
 * conversions and other journeys as nulls; value is the exact sum of the
 * leads' revenue, turned into a number once per path. Paths keep the order in
 * which they first occur.
 */
export function computeAggregatedPaths(journeys: Iterable<Journey>): AggregatedPath[] {
  const groups = new Map<string, { path: string[]; conversions: number; nulls: number; revenue: (string | null)[] }>();
  for (const journey of journeys) {
    const path = channelsOf(journey, false);
    const key = path.join(KEY_SEPARATOR);
    let group = groups.get(key);
    if (!group) {
      group = { path, conversions: 0, nulls: 0, revenue: [] };
      groups.set(key, group);
    }
    if (isLeadJourney(journey)) {
      group.conversions += 1;
      group.revenue.push(journey.revenue);
    } else {
      group.nulls += 1;
    }
  }
  return [...groups.values()].map(({ path, conversions, nulls, revenue }) => ({
    path,
    conversions,
    value: Number(sumMoney(revenue)),
    nulls,
  }));
}

export interface TopPath {
  /** The path joined with ` > `. */
  readonly path: string;
  readonly channels: readonly string[];
  readonly leads: number;
  /** Exact sum of the leads' revenue. */
  readonly revenue: string;
  readonly share: number;
}

export interface TopPathsOptions {
  readonly limit?: number;
  /** Collapse consecutive repeats before grouping (default true: `a > a > b` reads as `a > b`). */
  readonly collapseRepeats?: boolean;
}

/** The most frequent converting paths: most leads first, then most revenue, then by name. */
export function computeTopConvertingPaths(
  journeys: Iterable<Journey>,
  { limit = 10, collapseRepeats = true }: TopPathsOptions = {},
): TopPath[] {
  const groups = new Map<string, { channels: string[]; leads: number; revenue: (string | null)[] }>();
  let totalLeads = 0;
  for (const lead of leadsOf(journeys)) {
    const channels = channelsOf(lead, collapseRepeats);
    const key = channels.join(KEY_SEPARATOR);
    const group = groups.get(key) ?? { channels, leads: 0, revenue: [] };
    group.leads += 1;
    group.revenue.push(lead.revenue);
    groups.set(key, group);
    totalLeads += 1;
  }
  return [...groups.values()]
    .map(({ channels, leads, revenue }) => ({
      path: formatPath(channels),
      channels,
      leads,
      revenue: sumMoney(revenue),
      share: shareOf(leads, totalLeads),
    }))
    .sort(
      (a, b) =>
        b.leads - a.leads || Number(b.revenue) - Number(a.revenue) || compareText(a.path, b.path),
    )
    .slice(0, Math.max(0, limit));
}

export interface PathLengthBucket {
  /** Number of touches (of channels, when collapsed). */
  readonly length: number;
  /** True for the last bucket when capped: `length` or more. */
  readonly isOpenEnded: boolean;
  readonly leads: number;
  readonly share: number;
}

export interface PathLengthOptions {
  /** Count channels after collapsing repeats (default false: count every touch). */
  readonly collapseRepeats?: boolean;
  /** Lengths of `capAt` or more share one open-ended bucket. */
  readonly capAt?: number;
}

/** Leads by path length, with every length from 1 to the longest (or the cap) present, zeros included. */
export function computePathLengthDistribution(
  journeys: Iterable<Journey>,
  { collapseRepeats = false, capAt }: PathLengthOptions = {},
): PathLengthBucket[] {
  if (capAt !== undefined && !(Number.isInteger(capAt) && capAt >= 1)) {
    throw new RangeError(`capAt must be a positive integer, got ${capAt}`);
  }
  const counts: number[] = [];
  let totalLeads = 0;
  for (const lead of leadsOf(journeys)) {
    const length = channelsOf(lead, collapseRepeats).length;
    const bucket = capAt === undefined ? length : Math.min(length, capAt);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
    totalLeads += 1;
  }
  const longest = capAt ?? counts.length - 1;
  const buckets: PathLengthBucket[] = [];
  for (let length = 1; length <= longest && totalLeads > 0; length++) {
    const leads = counts[length] ?? 0;
    buckets.push({ length, isOpenEnded: length === capAt, leads, share: shareOf(leads, totalLeads) });
  }
  return buckets;
}

export const DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS: readonly number[] = [0, 1, 2, 3, 7, 14, 30, 60, 90];

export interface TimeToLeadBucket {
  readonly fromDays: number;
  /** Exclusive upper bound; null for the last, open-ended bucket. */
  readonly toDays: number | null;
  readonly leads: number;
  readonly share: number;
}

/** Leads by days from first touch to lead, in buckets [b0, b1), [b1, b2), ..., [bn, ∞). */
export function computeTimeToLeadDistribution(
  journeys: Iterable<Journey>,
  boundariesDays: readonly number[] = DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS,
): TimeToLeadBucket[] {
  const isIncreasing = boundariesDays.every((b, i) => i === 0 || b > (boundariesDays[i - 1] ?? b));
  if (boundariesDays[0] !== 0 || !isIncreasing) {
    throw new RangeError('Time-to-lead boundaries must start at 0 and increase');
  }
  const counts = boundariesDays.map(() => 0);
  let totalLeads = 0;
  for (const lead of leadsOf(journeys)) {
    const first = lead.touches[0];
    if (!first) throw new RangeError('A journey needs at least one touch');
    const days = Math.max(0, lead.leadAt - first.at) / DAY_MS;
    const index = boundariesDays.findLastIndex((boundary) => days >= boundary);
    counts[index] = (counts[index] ?? 0) + 1;
    totalLeads += 1;
  }
  return boundariesDays.map((fromDays, i) => ({
    fromDays,
    toDays: boundariesDays[i + 1] ?? null,
    leads: counts[i] ?? 0,
    share: shareOf(counts[i] ?? 0, totalLeads),
  }));
}

export interface ChannelConversionRoles {
  readonly channel: string;
  readonly lastTouchLeads: number;
  readonly assistedLeads: number;
  /** Assisted / last-touch leads; null when the channel closed no lead. */
  readonly assistRatio: number | null;
}

/** Assisted and last-touch leads per channel (definitions at the top), busiest channel first. */
export function computeAssistedConversions(journeys: Iterable<Journey>): ChannelConversionRoles[] {
  const roles = new Map<string, { lastTouchLeads: number; assistedLeads: number }>();
  const roleOf = (channel: string) => {
    let role = roles.get(channel);
    if (!role) {
      role = { lastTouchLeads: 0, assistedLeads: 0 };
      roles.set(channel, role);
    }
    return role;
  };
  for (const lead of leadsOf(journeys)) {
    const channels = channelsOf(lead, false);
    const last = channels[channels.length - 1];
    for (const channel of new Set(channels)) {
      if (channel === last) roleOf(channel).lastTouchLeads += 1;
      else roleOf(channel).assistedLeads += 1;
    }
  }
  return [...roles]
    .map(([channel, { lastTouchLeads, assistedLeads }]) => ({
      channel,
      lastTouchLeads,
      assistedLeads,
      assistRatio: lastTouchLeads > 0 ? assistedLeads / lastTouchLeads : null,
    }))
    .sort(
      (a, b) =>
        b.lastTouchLeads + b.assistedLeads - (a.lastTouchLeads + a.assistedLeads) ||
        compareText(a.channel, b.channel),
    );
}

function* leadsOf(journeys: Iterable<Journey>): Generator<LeadJourney> {
  for (const journey of journeys) if (isLeadJourney(journey)) yield journey;
}
