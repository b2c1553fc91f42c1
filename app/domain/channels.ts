// Channel grouping: a touch's channel is derived from (source, medium) by
// ordered rules; the first rule that matches wins (data contract, "Default
// channel grouping"). Values are compared lower-cased and trimmed; '' stands
// for an empty value inside a rule's list. A rule list of null matches anything.

export interface ChannelRule {
  channel: string;
  sourceIn: string[] | null;
  sourceNotIn: string[] | null;
  mediumIn: string[] | null;
}

export const SOCIAL_SOURCES = [
  'facebook', 'instagram', 'vk', 'tiktok', 'linkedin', 'twitter', 'x', 'telegram', 'youtube',
];

export const CHANNELS = [
  'direct', 'paid_search', 'paid_social', 'display', 'cpa', 'email', 'organic_search',
  'organic_social', 'referral', 'offline', 'other',
] as const;

const rule = (channel: string, r: Partial<Omit<ChannelRule, 'channel'>>): ChannelRule => ({
  channel,
  sourceIn: r.sourceIn ?? null,
  sourceNotIn: r.sourceNotIn ?? null,
  mediumIn: r.mediumIn ?? null,
});

export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  rule('direct', { sourceIn: ['', '(direct)'], mediumIn: ['', '(none)', '(not set)'] }),
  rule('paid_search', { mediumIn: ['cpc', 'ppc', 'paidsearch', 'paid_search'], sourceNotIn: SOCIAL_SOURCES }),
  rule('paid_social', { mediumIn: ['paid_social', 'paidsocial', 'cpc', 'cpm', 'ppc'], sourceIn: SOCIAL_SOURCES }),
  rule('display', { mediumIn: ['display', 'banner', 'cpm', 'interstitial'] }),
  rule('cpa', { mediumIn: ['cpa', 'affiliate', 'partner'] }),
  rule('email', { mediumIn: ['email', 'e-mail'] }),
  rule('email', { sourceIn: ['email'] }),
  rule('organic_search', { mediumIn: ['organic'] }),
  rule('organic_social', { mediumIn: ['social', 'social-network', 'sm', 'smm'] }),
  rule('organic_social', { sourceIn: SOCIAL_SOURCES, mediumIn: ['referral'] }),
  rule('referral', { mediumIn: ['referral'] }),
  rule('offline', { mediumIn: ['offline'] }),
];

export const FALLBACK_CHANNEL = 'other';

export function channelOf(rules: readonly ChannelRule[], source: string | null | undefined, medium: string | null | undefined): string {
  const s = (source ?? '').trim().toLowerCase();
  const m = (medium ?? '').trim().toLowerCase();
  for (const r of rules) {
    if (r.sourceIn && !r.sourceIn.includes(s)) continue;
    if (r.sourceNotIn && r.sourceNotIn.includes(s)) continue;
    if (r.mediumIn && !r.mediumIn.includes(m)) continue;
    return r.channel;
  }
  return FALLBACK_CHANNEL;
}

/** Memoised channelOf for hot import loops (few distinct pairs, millions of rows). */
export function channelResolver(rules: readonly ChannelRule[]): (source: string, medium: string) => string {
  const cache = new Map<string, string>();
  return (source, medium) => {
    const key = `${source}\u0000${medium}`;
    let channel = cache.get(key);
    if (channel === undefined) {
      channel = channelOf(rules, source, medium);
      cache.set(key, channel);
    }
    return channel;
  };
}
