import { normalizeDate, normalizeDecimal, slugify } from './normalize';
import { cell, definePreset, isTotalLabel, PresetRowIssue, type CanonicalRow } from './preset';

// A generic offline-media invoice or media plan: one row per placement with
// its date (or period) and cost. The placement becomes the source
// (billboard_north) so that static call-tracking numbers printed on it can
// name the same source; medium is offline unless the file says otherwise. A
// period ("01.03.2026 – 31.03.2026") is spread evenly over its days, to the
// kopeck, so daily reports add up to the invoice.

const MAX_PERIOD_DAYS = 366;

export const offlineMedia = definePreset({
  name: 'offline-media',
  label: 'Offline media invoice (date, placement, cost)',
  kind: 'spend',
  docs: 'docs/data-contract.md#spend-ad-platforms-offline-media-invoices',
  encodings: ['utf-8', 'windows-1251'],
  delimiters: [',', ';', '\t'],
  fields: [
    { key: 'date', headers: ['Date', 'Period', 'Дата', 'Период', 'Дата размещения', 'Період', 'Дата розміщення'], required: true, feeds: ['date'] },
    { key: 'placement', headers: ['Placement', 'Размещение', 'Площадка', 'Носитель', 'Розміщення', 'Майданчик', 'Носій'], required: true, feeds: ['source', 'campaign'] },
    { key: 'cost', headers: ['Cost', 'Amount', 'Стоимость', 'Сумма', 'Вартість', 'Сума'], required: true, feeds: ['cost'] },
    { key: 'campaign', headers: ['Campaign', 'Кампания', 'Кампанія'], feeds: ['campaign'] },
    { key: 'medium', headers: ['Medium', 'Канал', 'Тип'], feeds: ['medium'] },
    { key: 'region', headers: ['Region', 'City', 'Регион', 'Город', 'Регіон', 'Місто'], feeds: ['region'] },
    { key: 'currency', headers: ['Currency', 'Валюта'], feeds: ['currency'] },
  ],
  unmapped: ['invoice number, VAT, contractor (not spend dimensions)'],
  mapRow(r) {
    if (isTotalLabel(cell(r, 'placement')) || isTotalLabel(cell(r, 'date'))) return 'skip';
    const placement = cell(r, 'placement');
    const base: CanonicalRow = {
      source: slugify(placement),
      medium: cell(r, 'medium') ? slugify(cell(r, 'medium')) : 'offline',
      campaign: cell(r, 'campaign') || placement,
      region: cell(r, 'region'),
      currency: cell(r, 'currency'),
    };
    const cost = normalizeDecimal(cell(r, 'cost'));
    const period = splitPeriod(cell(r, 'date'));
    if (!period) return { ...base, date: normalizeDate(cell(r, 'date')), cost };
    const days = daysBetween(period[0], period[1]);
    if (days === null || days.length > MAX_PERIOD_DAYS) {
      return new PresetRowIssue('date', cell(r, 'date'), `not a period of 1 to ${MAX_PERIOD_DAYS} days (first day – last day)`);
    }
    const shares = splitEvenly(cost, days.length);
    if (!shares) return { ...base, date: days[0]!, cost };
    return days.map((date, i) => ({ ...base, date, cost: shares[i]! }));
  },
});

/** "A – B", "A — B", "A..B" or "dd.mm.yyyy-dd.mm.yyyy" → both ends as YYYY-MM-DD. */
export function splitPeriod(text: string): [string, string] | null {
  const m = /^(.+?)\s*(?:–|—|\.\.|\s-\s)\s*(.+)$/.exec(text) ?? /^(\d{1,2}\.\d{1,2}\.\d{2,4})-(\d{1,2}\.\d{1,2}\.\d{2,4})$/.exec(text);
  if (!m) return null;
  const a = normalizeDate(m[1]!);
  const b = normalizeDate(m[2]!);
  return /^\d{4}-\d{2}-\d{2}$/.test(a) && /^\d{4}-\d{2}-\d{2}$/.test(b) ? [a, b] : null;
}

function daysBetween(from: string, to: string): string[] | null {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return null;
  const out: string[] = [];
  for (let t = start; t <= end && out.length <= MAX_PERIOD_DAYS; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A decimal split into n shares of whole kopecks that add up to it exactly; the first shares take the remainder. */
export function splitEvenly(amount: string, n: number): string[] | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m || n < 1) return null;
  const cents = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  const share = cents / BigInt(n);
  const rest = Number(cents % BigInt(n));
  return Array.from({ length: n }, (_, i) => {
    const c = share + (i < rest ? 1n : 0n);
    return `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  });
}
