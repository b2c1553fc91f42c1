import type { Breakdown } from '../reports/params';

// The slices the Channels page shows. Client-safe: the page builds drill-down
// links and breadcrumbs from these.

/** Drill levels, top down: channel → source/medium → campaign → ad. */
export const CHANNEL_DRILL = ['channel', 'source_medium', 'campaign', 'ad'] as const;
export type ChannelLevel = (typeof CHANNEL_DRILL)[number];

/** Other slices the same table can show (no drill-down from them). */
export const OTHER_SLICES = ['region', 'manager', 'product', 'temperature'] as const satisfies readonly Breakdown[];
export type ChannelsBy = ChannelLevel | (typeof OTHER_SLICES)[number];

/** The `by` of the URL if the Channels page shows it, else the top level. */
export function channelsByOf(by: Breakdown | undefined): ChannelsBy {
  return ([...CHANNEL_DRILL, ...OTHER_SLICES] as readonly string[]).includes(by ?? '') ? (by as ChannelsBy) : 'channel';
}
