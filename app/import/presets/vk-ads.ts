import { normalizeDate, normalizeDecimal, normalizeInteger } from './normalize';
import { cell, definePreset, isTotalLabel, firstOf, patternValues } from './preset';

// VK Ads (ads.vk.com) statistics download: one row per day × campaign (× ad
// group × ad) with the base metrics shows, clicks and spent, in the cabinet's
// Russian column names or the API's metric names; an «Итого» row closes it.
// The spent column may carry the currency in its name ("Потрачено, ₽").

const CURRENCY_SIGNS: Record<string, string> = { '₽': 'RUB', 'руб': 'RUB', 'руб.': 'RUB', '₴': 'UAH', 'грн': 'UAH', '$': 'USD', '€': 'EUR' };

export const vkAds = definePreset({
  name: 'vk-ads',
  label: 'VK Ads statistics export',
  kind: 'spend',
  docs: 'https://ads.vk.com/doc/api/info/Statistics',
  encodings: ['utf-8', 'windows-1251'],
  delimiters: [';', ',', '\t'],
  fields: [
    { key: 'date', headers: ['Дата', 'Date', 'date'], required: true, feeds: ['date'] },
    { key: 'campaign', headers: ['Кампания', 'Название кампании', 'Campaign', 'ad_plan_name'], required: true, feeds: ['campaign'] },
    { key: 'ad_group', headers: ['Группа объявлений', 'Ad group', 'ad_group_name'], feeds: ['ad_group'] },
    { key: 'ad', headers: ['Объявление', 'Ad', 'banner_name'], feeds: ['ad'] },
    { key: 'impressions', headers: ['Показы', 'Impressions', 'base.shows', 'shows'], feeds: ['impressions'] },
    { key: 'clicks', headers: ['Клики', 'Clicks', 'base.clicks', 'clicks'], feeds: ['clicks'] },
  ],
  patterns: [
    {
      key: 'spent',
      pattern: /^(?:потрачено|списания|spent|base\.spent)(?:,?\s*\(?\s*([^()\s]+)\s*\)?)?$/i,
      required: true,
      feeds: ['cost', 'currency'],
      label: 'Потрачено',
    },
  ],
  unmapped: ['Охват, Частота, CTR, eCPC, eCPM, Результаты (derived or VK-attributed)', 'ID кампании, ID группы (ids)'],
  mapRow(r) {
    if (isTotalLabel(cell(r, 'date')) || isTotalLabel(cell(r, 'campaign'))) return 'skip';
    const [spent] = patternValues(r, 'spent');
    const sign = (spent?.[0] ?? '').toLowerCase();
    return {
      date: normalizeDate(cell(r, 'date')),
      source: 'vk',
      medium: 'paid_social',
      campaign: cell(r, 'campaign'),
      ad_group: cell(r, 'ad_group'),
      ad: firstOf(r, 'ad'),
      impressions: normalizeInteger(cell(r, 'impressions')),
      clicks: normalizeInteger(cell(r, 'clicks')),
      cost: normalizeDecimal(spent?.[1] ?? ''),
      currency: CURRENCY_SIGNS[sign] ?? (/^[a-z]{3}$/.test(sign) ? sign.toUpperCase() : ''),
    };
  },
});
