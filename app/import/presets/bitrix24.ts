import { normalizeDateTime, normalizeDecimal } from './normalize';
import { cell, definePreset, firstOf, PresetRowIssue, statusTarget, type StatusMapEntry } from './preset';

// Bitrix24 CRM leads list exported to CSV/Excel (CRM → Leads → ⚙ → Export),
// in the portal's language, or the crm.lead.list REST field codes as column
// names. A lead's status becomes a pipeline stage and an outcome through the
// workspace's status map: the standard statuses are mapped below, custom
// ones with `npx leadpath status-map set --preset bitrix24 …`. A junk status
// makes the lead junk with the status name as the reason.

export const BITRIX24_STATUS_MAP: readonly StatusMapEntry[] = [
  ...['NEW', 'Не обработан', 'Необработанный', 'Не оброблений', 'Unassigned', 'Not processed'].map((status) => ({ status, stage: 'new', outcome: 'open' as const })),
  ...['IN_PROCESS', 'В работе', 'В роботі', 'In progress'].map((status) => ({ status, stage: 'contacted', outcome: 'open' as const })),
  ...['PROCESSED', 'Обработан', 'Оброблений', 'Processed'].map((status) => ({ status, stage: 'qualified', outcome: 'open' as const })),
  // A converted lead became a deal: qualified and handed on. Its sale lives in
  // Bitrix24 deals; map CONVERTED to won here if the lead is the sale.
  ...['CONVERTED', 'Качественный лид', 'Якісний лід', 'Good lead', 'Converted'].map((status) => ({ status, stage: 'qualified', outcome: 'open' as const })),
  ...['JUNK', 'Некачественный лид', 'Неякісний лід', 'Junk lead', 'Junk'].map((status) => ({ status, stage: 'contacted', outcome: 'junk' as const })),
];

const KINDS: [RegExp, string][] = [
  [/^(call|звонок|дзвінок|телефон)/i, 'call'],
  [/^(web|webform|веб|форма|сайт|crm-форма|crm form|store)/i, 'form'],
  [/^(email|e-mail|почта|пошта)/i, 'email'],
  [/^(openline|chat|чат|открытая линия|відкрита лінія|whatsapp|telegram|instagram|facebook|vk)/i, 'chat'],
];

export const bitrix24 = definePreset({
  name: 'bitrix24',
  label: 'Bitrix24 leads export',
  kind: 'leads',
  docs: 'https://apidocs.bitrix24.com/api-reference/crm/leads/',
  encodings: ['windows-1251', 'utf-8'],
  delimiters: [';', ',', '\t'],
  fields: [
    { key: 'id', headers: ['ID', 'Ид'], required: true, feeds: ['lead_id'] },
    { key: 'created', headers: ['Дата создания', 'Створено', 'Дата створення', 'Created', 'Date created', 'DATE_CREATE'], required: true, feeds: ['created_at'] },
    { key: 'status', headers: ['Стадия', 'Статус', 'Стадія', 'Stage', 'Status', 'STATUS_ID'], required: true, feeds: ['stage', 'outcome', 'loss_reason'] },
    { key: 'source', headers: ['Источник', 'Джерело', 'Source', 'SOURCE_ID'], feeds: ['kind'] },
    { key: 'manager', headers: ['Ответственный', 'Відповідальний', 'Responsible', 'ASSIGNED_BY'], feeds: ['manager'] },
    { key: 'phone', headers: ['Мобильный телефон', 'Рабочий телефон', 'Телефон', 'Мобільний телефон', 'Робочий телефон', 'Mobile phone', 'Work phone', 'Phone', 'PHONE'], feeds: ['phone'] },
    { key: 'email', headers: ['Рабочий e-mail', 'E-mail', 'Робочий e-mail', 'Work e-mail', 'Email', 'EMAIL'], feeds: ['email'] },
    { key: 'amount', headers: ['Сумма', 'Сума', 'Opportunity', 'OPPORTUNITY'], feeds: ['amount'] },
    { key: 'currency', headers: ['Валюта', 'Currency', 'CURRENCY_ID'], feeds: ['amount'] },
    { key: 'closed', headers: ['Дата закрытия', 'Дата закриття', 'Closed', 'DATE_CLOSED'], feeds: ['closed_at'] },
    { key: 'utm_source', headers: ['UTM Source', 'UTM_SOURCE'], feeds: ['source'] },
    { key: 'utm_medium', headers: ['UTM Medium', 'UTM_MEDIUM'], feeds: ['medium'] },
    { key: 'utm_campaign', headers: ['UTM Campaign', 'UTM_CAMPAIGN'], feeds: ['campaign'] },
    { key: 'city', headers: ['Город', 'Місто', 'City', 'ADDRESS_CITY'], feeds: ['region'] },
    { key: 'contact', headers: ['Контакт', 'Contact', 'CONTACT_ID'], feeds: ['customer_id'] },
  ],
  statusMap: BITRIX24_STATUS_MAP,
  unmapped: ['Название лида, Имя, Фамилия, Комментарий (free text)', 'UTM Content, UTM Term (leads keep source, medium, campaign only)', 'Дата изменения (not a stage time)'],
  mapRow(r, ctx) {
    const status = cell(r, 'status');
    const target = statusTarget('bitrix24', 'status', status, ctx);
    if (target instanceof PresetRowIssue) return target;
    const currency = cell(r, 'currency').toUpperCase().replace(/^RUR$/, 'RUB');
    const amount = normalizeDecimal(cell(r, 'amount'));
    if (currency && currency !== ctx.currency && amount !== '' && Number(amount) !== 0) {
      return new PresetRowIssue('currency', currency, `the amount is in ${currency}, the workspace currency is ${ctx.currency}`);
    }
    const closed = target.outcome === 'open' ? '' : normalizeDateTime(cell(r, 'closed'));
    const source = cell(r, 'source');
    return {
      lead_id: cell(r, 'id'),
      created_at: normalizeDateTime(cell(r, 'created')),
      kind: KINDS.find(([re]) => re.test(source))?.[1] ?? 'import',
      phone: firstPhone(cell(r, 'phone')),
      email: cell(r, 'email').split(/[,;]\s*/)[0] ?? '',
      source: cell(r, 'utm_source'),
      medium: cell(r, 'utm_medium'),
      campaign: cell(r, 'utm_campaign'),
      region: cell(r, 'city'),
      manager: cell(r, 'manager'),
      customer_id: firstOf(r, 'contact'),
      stage: target.stage,
      outcome: target.outcome,
      loss_reason: target.outcome === 'junk' || target.outcome === 'lost' ? status : '',
      amount: amount === '0' || amount === '0.00' ? '' : amount,
      closed_at: closed,
    };
  },
});

/** Bitrix24 writes several phones of a field into one cell, separated by commas. */
function firstPhone(cellText: string): string {
  return cellText.split(/[,;]\s*(?=\+?\d)/)[0]?.trim() ?? '';
}
