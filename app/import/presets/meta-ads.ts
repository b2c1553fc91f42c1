import { normalizeDate, normalizeDecimal, normalizeInteger } from './normalize';
import { cell, definePreset, patternValues, PresetRowIssue } from './preset';

// Meta Ads Manager export (Reports → Export table data → .csv) at campaign,
// ad set or ad level with the Day breakdown. Without the breakdown a row
// covers "Reporting starts" to "Reporting ends", which is not a day of spend:
// such rows are refused with a hint. The amount column carries the account
// currency in its name: "Amount spent (UAH)".

export const metaAds = definePreset({
  name: 'meta-ads',
  label: 'Meta Ads Manager export',
  kind: 'spend',
  docs: 'https://developers.facebook.com/docs/marketing-api/insights/parameters',
  encodings: ['utf-8'],
  delimiters: [','],
  fields: [
    { key: 'campaign', headers: ['Campaign name', 'Название кампании', 'Назва кампанії'], required: true, feeds: ['campaign'] },
    { key: 'starts', headers: ['Reporting starts', 'Начало отчетности', 'Початок звітності'], required: true, feeds: ['date'] },
    { key: 'ends', headers: ['Reporting ends', 'Конец отчетности', 'Кінець звітності'], feeds: ['date'] },
    { key: 'day', headers: ['Day', 'День'], feeds: ['date'] },
    { key: 'ad_set', headers: ['Ad set name', 'Название группы объявлений', 'Назва групи оголошень'], feeds: ['ad_group'] },
    { key: 'ad', headers: ['Ad name', 'Название объявления', 'Назва оголошення'], feeds: ['ad'] },
    { key: 'impressions', headers: ['Impressions', 'Показы', 'Покази'], feeds: ['impressions'] },
    { key: 'clicks', headers: ['Link clicks', 'Клики по ссылке', 'Кліки посилання', 'Clicks (all)', 'Клики (все)', 'Кліки (усі)'], feeds: ['clicks'] },
    { key: 'platform', headers: ['Platform', 'Платформа'], feeds: ['source'] },
    { key: 'region', headers: ['Region', 'Регион', 'Регіон'], feeds: ['region'] },
  ],
  patterns: [
    { key: 'spent', pattern: /^(?:amount spent|потраченная сумма|витрачена сума)(?:\s*\((\w{3})\))?$/i, required: true, feeds: ['cost', 'currency'], label: 'Amount spent (CUR)' },
  ],
  unmapped: ['Results, Result indicator, Cost per result, Reach, Frequency, CPM, CTR (results are Meta\'s attribution, not leads; Leadpath counts leads from the CRM)', 'Attribution setting, Ad set budget'],
  mapRow(r) {
    // The optional summary row of an export has no campaign.
    if (cell(r, 'campaign') === '') return 'skip';
    const [spent] = patternValues(r, 'spent');
    const starts = cell(r, 'starts');
    const ends = cell(r, 'ends');
    const day = cell(r, 'day');
    if (!day && ends && normalizeDate(ends) !== normalizeDate(starts)) {
      return new PresetRowIssue('starts', `${starts} – ${ends}`, 'the row covers several days: export with Breakdown → By time → Day');
    }
    const platform = cell(r, 'platform').toLowerCase();
    return {
      date: normalizeDate(day || starts),
      source: platform === 'instagram' || platform === 'messenger' ? platform : 'facebook',
      medium: 'paid_social',
      campaign: cell(r, 'campaign'),
      ad_group: cell(r, 'ad_set'),
      ad: cell(r, 'ad'),
      region: cell(r, 'region'),
      impressions: normalizeInteger(cell(r, 'impressions')),
      clicks: normalizeInteger(cell(r, 'clicks')),
      cost: normalizeDecimal(spent?.[1] ?? ''),
      currency: spent?.[0] ?? '',
    };
  },
});
