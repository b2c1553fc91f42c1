import { normalizeDateTime, normalizeDecimal } from './normalize';
import { cell, definePreset, PresetRowIssue, statusTarget, type StatusMapEntry } from './preset';

// amoCRM (Kommo) deals list exported from Сделки → … → Экспорт: one row per
// deal with its pipeline stage («Этап сделки»), budget, responsible user and
// the utm_* fields amoCRM's forms fill. Stages map through the workspace's
// status map; the default pipeline's stages are mapped below (142 and 143
// are amoCRM's fixed "won" and "lost" stage ids).

export const AMOCRM_STATUS_MAP: readonly StatusMapEntry[] = [
  ...['Неразобранное', 'Incoming leads'].map((status) => ({ status, stage: 'new', outcome: 'open' as const })),
  ...['Первичный контакт', 'Initial contact'].map((status) => ({ status, stage: 'contacted', outcome: 'open' as const })),
  ...['Переговоры', 'Discussions'].map((status) => ({ status, stage: 'qualified', outcome: 'open' as const })),
  ...['Принимают решение', 'Decision making'].map((status) => ({ status, stage: 'proposal', outcome: 'open' as const })),
  ...['Согласование договора', 'Contract discussion'].map((status) => ({ status, stage: 'negotiation', outcome: 'open' as const })),
  ...['Успешно реализовано', 'Closed - won', '142'].map((status) => ({ status, stage: 'won', outcome: 'won' as const })),
  ...['Закрыто и не реализовано', 'Closed - lost', '143'].map((status) => ({ status, stage: 'contacted', outcome: 'lost' as const })),
];

export const amocrm = definePreset({
  name: 'amocrm',
  label: 'amoCRM deals export',
  kind: 'leads',
  docs: 'https://www.amocrm.ru/developers/content/crm_platform/leads-api',
  encodings: ['utf-8', 'windows-1251'],
  delimiters: [';', ','],
  fields: [
    { key: 'id', headers: ['ID', 'Id сделки'], required: true, feeds: ['lead_id'] },
    { key: 'created', headers: ['Дата создания', 'Дата создания сделки', 'Created'], required: true, feeds: ['created_at'] },
    { key: 'status', headers: ['Этап сделки', 'Этап', 'Статус', 'Stage'], required: true, feeds: ['stage', 'outcome'] },
    { key: 'budget', headers: ['Бюджет', 'Бюджет ₽', 'Бюджет, руб.', 'Сумма', 'Budget'], feeds: ['amount'] },
    { key: 'manager', headers: ['Ответственный', 'Responsible user'], feeds: ['manager'] },
    { key: 'closed', headers: ['Дата закрытия', 'Closed at'], feeds: ['closed_at'] },
    { key: 'loss_reason', headers: ['Причина отказа', 'Loss reason'], feeds: ['loss_reason'] },
    { key: 'phone', headers: ['Рабочий телефон', 'Мобильный телефон', 'Телефон', 'Phone'], feeds: ['phone'] },
    { key: 'email', headers: ['Рабочий email', 'Email', 'E-mail'], feeds: ['email'] },
    { key: 'contact', headers: ['ID контакта', 'Основной контакт ID'], feeds: ['customer_id'] },
    { key: 'utm_source', headers: ['utm_source'], feeds: ['source'] },
    { key: 'utm_medium', headers: ['utm_medium'], feeds: ['medium'] },
    { key: 'utm_campaign', headers: ['utm_campaign'], feeds: ['campaign'] },
    { key: 'city', headers: ['Город', 'City'], feeds: ['region'] },
  ],
  statusMap: AMOCRM_STATUS_MAP,
  unmapped: ['Название сделки, Основной контакт, Компания, Теги, Примечания (free text)', 'Воронка (one status map for all pipelines: stage names are matched alone)', 'utm_content, utm_term, roistat, _ym_uid (no canonical lead column)'],
  mapRow(r, ctx) {
    const status = cell(r, 'status');
    const target = statusTarget('amocrm', 'status', status, ctx);
    if (target instanceof PresetRowIssue) return target;
    const amount = normalizeDecimal(cell(r, 'budget'));
    const closed = target.outcome === 'open' ? '' : normalizeDateTime(cell(r, 'closed'));
    return {
      lead_id: cell(r, 'id'),
      created_at: normalizeDateTime(cell(r, 'created')),
      kind: 'import',
      phone: cell(r, 'phone').split(/[,;]\s*/)[0] ?? '',
      email: cell(r, 'email').split(/[,;]\s*/)[0] ?? '',
      source: cell(r, 'utm_source'),
      medium: cell(r, 'utm_medium'),
      campaign: cell(r, 'utm_campaign'),
      region: cell(r, 'city'),
      manager: cell(r, 'manager'),
      customer_id: cell(r, 'contact'),
      stage: target.stage,
      outcome: target.outcome,
      loss_reason: target.outcome === 'lost' || target.outcome === 'junk' ? cell(r, 'loss_reason') || status : '',
      amount: amount === '0' ? '' : amount,
      closed_at: closed,
    };
  },
});
