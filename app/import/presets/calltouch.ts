import { normalizeDateTime, normalizeDuration } from './normalize';
import { cell, definePreset, firstOf, PresetRowIssue } from './preset';

// Calltouch call journal download ("Журнал звонков" → Выгрузить) with its
// Russian column names, saved by Calltouch for Excel: Windows-1251 and ';'.
// The call's time is one column ("Дата и время") or a date and a time column;
// Calltouch writes dates as dd.mm.yyyy or dd/mm/yyyy. "Успешный" says whether
// the call was answered. Calltouch's session id links a dynamic-number call
// to the visit it came from.

const ANSWERED = new Set(['да', 'успешный', 'успешный звонок', 'принятый', 'отвечен', 'true', '1', 'yes']);
const MISSED = new Set(['нет', 'неуспешный', 'неуспешный звонок', 'пропущенный', 'пропущен', 'не отвечен', 'false', '0', 'no']);

export const calltouch = definePreset({
  name: 'calltouch',
  label: 'Calltouch call journal export',
  kind: 'calls',
  docs: 'https://www.calltouch.ru/support/api-metod-vygruzki-zhurnala-zvonkov/',
  encodings: ['windows-1251', 'utf-8'],
  delimiters: [';', ',', '\t'],
  fields: [
    { key: 'id', headers: ['ID звонка', 'Id звонка', 'callId', 'ID'], required: true, feeds: ['call_id'] },
    { key: 'date', headers: ['Дата и время', 'Дата звонка', 'Дата', 'date'], required: true, feeds: ['started_at'] },
    { key: 'caller', headers: ['Номер абонента', 'Телефон абонента', 'Номер звонящего', 'callerNumber'], required: true, feeds: ['caller_phone'] },
    { key: 'tracking', headers: ['Номер отслеживания', 'Отслеживаемый номер', 'Виртуальный номер', 'phoneNumber'], required: true, feeds: ['tracking_number'] },
    { key: 'time', headers: ['Время звонка', 'Время'], feeds: ['started_at'] },
    { key: 'duration', headers: ['Длительность', 'Длительность звонка', 'duration'], feeds: ['duration_sec'] },
    { key: 'answered', headers: ['Успешный', 'Статус', 'Статус звонка', 'successful'], feeds: ['status'] },
    { key: 'session', headers: ['ID сессии', 'Сессия', 'sessionId'], feeds: ['session_id'] },
    { key: 'manager', headers: ['Менеджер', 'Оператор', 'Ответивший'], feeds: ['manager'] },
    { key: 'city', headers: ['Город', 'Регион', 'city'], feeds: ['region'] },
  ],
  unmapped: ['Источник, Канал, Кампания, utm_* (Calltouch\'s attribution; Leadpath attributes through the tracking number and session)', 'Уникальный, Целевой, Теги, Запись разговора'],
  mapRow(r) {
    const answered = cell(r, 'answered').toLowerCase();
    let status: string;
    if (ANSWERED.has(answered)) status = 'answered';
    else if (MISSED.has(answered)) status = 'missed';
    else if (answered === '') status = Number(normalizeDuration(cell(r, 'duration')) || '0') > 0 ? 'answered' : 'missed';
    else return new PresetRowIssue('answered', cell(r, 'answered'), 'not a call status Calltouch writes (Да/Нет, Успешный/Неуспешный)');
    const when = cell(r, 'time') ? `${cell(r, 'date')} ${cell(r, 'time')}` : cell(r, 'date');
    return {
      call_id: cell(r, 'id'),
      started_at: normalizeDateTime(when),
      caller_phone: cell(r, 'caller'),
      tracking_number: cell(r, 'tracking'),
      session_id: firstOf(r, 'session'),
      duration_sec: normalizeDuration(cell(r, 'duration')),
      status,
      manager: cell(r, 'manager'),
      region: cell(r, 'city'),
    };
  },
});
