import { normalizeDate, normalizeDecimal, normalizeInteger } from './normalize';
import { cell, definePreset, isTotalLabel, PresetRowIssue } from './preset';

// Yandex Direct statistics: the Reports API TSV (a row with the report name
// and period, the FieldNames header, the rows, then "Total rows: N") and the
// Report Wizard download with Russian column names and an «Итого» row. Money
// must be in currency units: request the API report with the header
// `returnMoneyInMicros: false` (else Cost is in millionths and is refused as
// far too large for a day).

const MAX_DAILY_COST_UNITS = 100_000_000;

export const yandexDirect = definePreset({
  name: 'yandex-direct',
  label: 'Yandex Direct report (Reports API TSV or Report Wizard)',
  kind: 'spend',
  docs: 'https://yandex.ru/dev/direct/doc/ru/report-format',
  encodings: ['utf-8', 'utf-16le', 'windows-1251'],
  delimiters: ['\t', ';'],
  fields: [
    { key: 'date', headers: ['Date', 'Дата', 'День'], required: true, feeds: ['date'] },
    { key: 'campaign', headers: ['CampaignName', 'Кампания', 'Название кампании'], required: true, feeds: ['campaign'] },
    { key: 'cost', headers: ['Cost', 'Расход', 'Расход (руб.)', 'Расход, ₽', 'Расход (₽)', 'Расход (грн)'], required: true, feeds: ['cost'] },
    { key: 'ad_group', headers: ['AdGroupName', 'Группа', 'Название группы'], feeds: ['ad_group'] },
    { key: 'ad', headers: ['AdId', '№ объявления', 'Объявление'], feeds: ['ad'] },
    { key: 'impressions', headers: ['Impressions', 'Показы'], feeds: ['impressions'] },
    { key: 'clicks', headers: ['Clicks', 'Клики'], feeds: ['clicks'] },
    { key: 'region', headers: ['LocationOfPresenceName', 'Регион', 'Регион местонахождения'], feeds: ['region'] },
  ],
  unmapped: ['CampaignId, AdGroupId (ids; names are what utm_campaign carries)', 'AdNetworkType (search and network spend are both yandex / cpc, as Direct tags its clicks)', 'Ctr, AvgCpc, Conversions, CostPerConversion (derived or Direct-attributed)'],
  isTrailer: (cells) => cells.length === 1 && /^total rows:\s*\d+$/i.test(cells[0]!.trim()),
  mapRow(r) {
    if (isTotalLabel(cell(r, 'date')) || isTotalLabel(cell(r, 'campaign'))) return 'skip';
    const cost = normalizeDecimal(cell(r, 'cost'));
    if (/^\d+$/.test(cost) && Number(cost) > MAX_DAILY_COST_UNITS) {
      return new PresetRowIssue('cost', cell(r, 'cost'), 'looks like millionths of the currency: request the report with the header returnMoneyInMicros: false');
    }
    return {
      date: normalizeDate(cell(r, 'date')),
      source: 'yandex',
      // Search and network alike: Direct's own UTM tagging says cpc, so spend and visits share a channel.
      medium: 'cpc',
      campaign: cell(r, 'campaign'),
      ad_group: cell(r, 'ad_group'),
      ad: cell(r, 'ad'),
      region: cell(r, 'region'),
      impressions: normalizeInteger(cell(r, 'impressions')),
      clicks: normalizeInteger(cell(r, 'clicks')),
      cost,
    };
  },
});
