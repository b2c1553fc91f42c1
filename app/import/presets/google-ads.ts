import { normalizeDate, normalizeDecimal, normalizeInteger } from './normalize';
import { cell, definePreset, isTotalLabel, type PresetRecord } from './preset';

// Google Ads campaign / ad group report as the UI downloads it (Reports →
// Download → .csv): a title row with the report name, a row with the date
// range, the header, one row per day × campaign (× ad group), then "Total: …"
// rows. Column names follow the UI language; English, Russian and Ukrainian
// spellings are listed. Amounts are in the account currency.

const isTotal = (r: PresetRecord) => isTotalLabel(cell(r, 'day')) || isTotalLabel(cell(r, 'campaign'));

export const googleAds = definePreset({
  name: 'google-ads',
  label: 'Google Ads campaign / ad group report',
  kind: 'spend',
  docs: 'https://support.google.com/google-ads/answer/7498572',
  encodings: ['utf-8', 'utf-16le'],
  delimiters: [',', '\t'],
  fields: [
    { key: 'day', headers: ['Day', 'День'], required: true, feeds: ['date'] },
    { key: 'campaign', headers: ['Campaign', 'Кампания', 'Кампанія'], required: true, feeds: ['campaign'] },
    { key: 'cost', headers: ['Cost', 'Стоимость', 'Вартість', 'Расходы', 'Витрати'], required: true, feeds: ['cost'] },
    { key: 'ad_group', headers: ['Ad group', 'Группа объявлений', 'Група оголошень'], feeds: ['ad_group'] },
    { key: 'impressions', headers: ['Impr.', 'Impressions', 'Показы', 'Показ.', 'Покази'], feeds: ['impressions'] },
    { key: 'clicks', headers: ['Clicks', 'Клики', 'Кліки'], feeds: ['clicks'] },
    { key: 'currency', headers: ['Currency code', 'Currency', 'Код валюты', 'Код валюти', 'Валюта'], feeds: ['currency'] },
  ],
  unmapped: ['CTR, Avg. CPC, Conversions, Cost / conv. (derived metrics, recomputed by Leadpath)', 'Campaign state, Ad group state, Campaign type (auto-tagged visits of every campaign type arrive as google / cpc)'],
  mapRow(r) {
    if (isTotal(r) || cell(r, 'day') === '--') return 'skip';
    return {
      date: normalizeDate(cell(r, 'day'), 'mdy'),
      source: 'google',
      // Every campaign type: auto-tagged Google Ads visits arrive as google / cpc.
      medium: 'cpc',
      campaign: cell(r, 'campaign'),
      ad_group: cell(r, 'ad_group') === '--' ? '' : cell(r, 'ad_group'),
      impressions: normalizeInteger(cell(r, 'impressions')),
      clicks: normalizeInteger(cell(r, 'clicks')),
      cost: normalizeDecimal(cell(r, 'cost')),
      currency: cell(r, 'currency') === '--' ? '' : cell(r, 'currency'),
    };
  },
});
