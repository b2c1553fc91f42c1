import type { ChannelRow } from '../reports/channels';

// Pure pieces of the Overview page.

export interface ChannelRomi {
  channel: string;
  romi: number;
  spend: string;
  revenue: string;
}

/**
 * Channels with spend in the period (ROMI exists only there), best first and
 * worst first. At most `limit` each, and no channel in both lists: with five
 * channels the best three and the worst two are shown.
 */
export function rankByRomi(rows: ChannelRow[], limit = 3): { top: ChannelRomi[]; bottom: ChannelRomi[] } {
  const ranked = rows
    .filter((r) => r.romi !== null && r.spend !== null && Number(r.spend) > 0)
    .map((r) => ({ channel: String(r.channel), romi: r.romi!, spend: r.spend!, revenue: r.revenue }))
    .sort((a, b) => b.romi - a.romi || a.channel.localeCompare(b.channel));
  const topCount = Math.min(limit, Math.ceil(ranked.length / 2));
  const bottomCount = Math.min(limit, ranked.length - topCount);
  return {
    top: ranked.slice(0, topCount),
    bottom: ranked.slice(ranked.length - bottomCount).reverse(),
  };
}
