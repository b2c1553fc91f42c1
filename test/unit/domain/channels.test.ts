import { describe, expect, test } from 'vitest';
import { channelOf, channelResolver, DEFAULT_CHANNEL_RULES } from '../../../app/domain/channels';

describe('default channel grouping (data contract)', () => {
  test.each([
    ['', '', 'direct'],
    ['(direct)', '(none)', 'direct'],
    ['(direct)', '(not set)', 'direct'],
    ['google', 'cpc', 'paid_search'],
    ['Yandex', 'CPC', 'paid_search'],
    ['bing', 'ppc', 'paid_search'],
    ['facebook', 'cpc', 'paid_social'],
    ['vk', 'paid_social', 'paid_social'],
    ['instagram', 'cpm', 'paid_social'],
    ['google', 'cpm', 'display'],
    ['gdn', 'banner', 'display'],
    ['admitad', 'cpa', 'cpa'],
    ['partner_site', 'affiliate', 'cpa'],
    ['newsletter', 'email', 'email'],
    ['email', 'promo', 'email'],
    ['google', 'organic', 'organic_search'],
    ['facebook', 'social', 'organic_social'],
    ['facebook', 'referral', 'organic_social'],
    ['forum.example', 'referral', 'referral'],
    ['billboard_north', 'offline', 'offline'],
    ['google', '', 'other'],
    ['', 'cpc', 'paid_search'],
    ['tiktok', 'video', 'other'],
  ])('%s / %s → %s', (source, medium, channel) => {
    expect(channelOf(DEFAULT_CHANNEL_RULES, source, medium)).toBe(channel);
  });

  test('the first matching rule wins, and a workspace may reorder rules', () => {
    const rules = [{ channel: 'brand', sourceIn: ['google'], sourceNotIn: null, mediumIn: ['cpc'] }, ...DEFAULT_CHANNEL_RULES];
    expect(channelOf(rules, 'google', 'cpc')).toBe('brand');
    expect(channelOf(rules, 'yandex', 'cpc')).toBe('paid_search');
  });

  test('the memoised resolver agrees with channelOf', () => {
    const resolve = channelResolver(DEFAULT_CHANNEL_RULES);
    for (const [s, m] of [['google', 'cpc'], ['google', 'cpc'], ['', ''], ['vk', 'referral']] as const) {
      expect(resolve(s, m)).toBe(channelOf(DEFAULT_CHANNEL_RULES, s, m));
    }
  });
});
