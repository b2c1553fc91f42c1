// Number and date normalisers for real exports: the text a platform writes in
// its own locale ("1 234,56", "01.03.2026 10:15", "1 березня 2026 р.") turned
// into canonical cell text ("1234.56", "2026-03-01T10:15:00"). Each returns
// the trimmed input unchanged when it cannot read it, so the canonical row
// validation rejects the cell and the error shows what the file said.

/** Spaces used as thousands separators: space, no-break space, narrow no-break space, thin space, apostrophes. */
const GROUP_SPACES = /[\s\u00a0\u202f\u2009'’]/g;
/** Currency marks that exports glue to amounts. */
const CURRENCY_MARKS = /^(?:[A-Z]{3}|руб\.?|р\.|грн\.?|₽|₴|\$|€|£)\s*|\s*(?:[A-Z]{3}|руб\.?|р\.|грн\.?|₽|₴|\$|€|£)$/giu;
const EMPTY_MARKS = new Set(['', '-', '--', '—', '–', 'n/a', '(not set)']);

export type DecimalMark = ',' | '.' | 'auto';

/**
 * A decimal in canonical form ('1234.56'). With `decimal: 'auto'` a lone
 * comma followed by exactly three digits is a thousands separator (English
 * exports: "1,234") and any other lone comma is the decimal mark (Russian and
 * Ukrainian exports: "1234,5"); with both marks present the last one is the
 * decimal mark.
 */
export function normalizeDecimal(raw: string, decimal: DecimalMark = 'auto'): string {
  let s = raw.trim();
  if (EMPTY_MARKS.has(s.toLowerCase())) return '';
  s = s.replace(CURRENCY_MARKS, '').replace(GROUP_SPACES, '');
  const sign = s.startsWith('-') ? '-' : '';
  s = s.replace(/^[-+]/, '');
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return raw.trim();
  const commas = count(s, ',');
  const dots = count(s, '.');
  let out: string;
  if (commas > 0 && dots > 0) {
    const mark = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
    const other = mark === ',' ? '.' : ',';
    if (count(s, mark) > 1) return raw.trim();
    out = s.split(other).join('').replace(mark, '.');
  } else if (commas > 0) {
    out = readOneMark(s, ',', decimal === ',' ? 'decimal' : decimal === '.' ? 'group' : 'guess');
  } else if (dots > 0) {
    out = readOneMark(s, '.', decimal === ',' ? 'group' : decimal === '.' ? 'decimal' : 'guess');
  } else {
    out = s;
  }
  if (!/^\d+(\.\d+)?$/.test(out)) return raw.trim();
  return sign + out;
}

function readOneMark(s: string, mark: ',' | '.', as: 'decimal' | 'group' | 'guess'): string {
  const parts = s.split(mark);
  const grouped = parts.length > 1 && /^\d{1,3}$/.test(parts[0]!) && parts.slice(1).every((p) => /^\d{3}$/.test(p));
  if (parts.length > 2) return grouped ? parts.join('') : '';
  if (as === 'group') return grouped ? parts.join('') : '';
  if (as === 'decimal') return parts.join('.');
  // One mark, guessed: ",234" after 1–3 digits is a thousands group for a comma;
  // a dot is a decimal point unless the file said otherwise.
  return mark === ',' && grouped ? parts.join('') : parts.join('.');
}

/** A whole number ('1234') from "1 234", "1,234", "1.234" or "12.0". */
export function normalizeInteger(raw: string): string {
  const s = raw.trim();
  if (EMPTY_MARKS.has(s.toLowerCase())) return '';
  const compact = s.replace(GROUP_SPACES, '');
  if (/^-?\d{1,3}([.,]\d{3})+$/.test(compact)) return compact.replace(/[.,]/g, '');
  const d = normalizeDecimal(s, 'auto');
  const m = /^(-?\d+)(?:\.0+)?$/.exec(d);
  return m ? m[1]! : s;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

// Month names as Russian, Ukrainian and English exports write them, in any
// case (nominative, genitive) and abbreviated; matched by their stems.
const MONTH_STEMS: [RegExp, number][] = [
  [/^(янв|січ|jan)/, 1], [/^(фев|лют|feb)/, 2], [/^(мар|бер|mar)/, 3], [/^(апр|квіт|apr)/, 4],
  [/^(ма[йя]|трав|may)/, 5], [/^(июн|черв|jun)/, 6], [/^(июл|лип|jul)/, 7], [/^(авг|серп|aug)/, 8],
  [/^(сен|вер|sep)/, 9], [/^(окт|жовт|oct)/, 10], [/^(ноя|лист|nov)/, 11], [/^(дек|груд|dec)/, 12],
];

/** 1–12 for a month name ("марта", "березня", "Mar", "груд."), else null. */
export function monthNumber(word: string): number | null {
  const w = word.trim().toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  for (const [re, n] of MONTH_STEMS) if (re.test(w)) return n;
  return null;
}

export type DayOrder = 'dmy' | 'mdy';

const pad = (n: number) => String(n).padStart(2, '0');
const year4 = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * A date as 'YYYY-MM-DD' from ISO, 'YYYYMMDD', 'dd.mm.yyyy', 'dd/mm/yyyy'
 * ('mm/dd/yyyy' with order 'mdy'), '1 марта 2026 г.', '1 березня 2026 р.',
 * 'Mar 1, 2026' or '1 Mar 2026'. Unreadable text comes back trimmed.
 */
export function normalizeDate(raw: string, order: DayOrder = 'dmy'): string {
  const s = raw.trim();
  const parsed = readDate(s, order);
  return parsed ? parsed.date : s;
}

function readDate(s: string, order: DayOrder): { date: string; rest: string } | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), m[4]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), '');
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)(.*)$/.exec(s);
  if (m) return ymd(year4(m[3]!), Number(m[2]), Number(m[1]), m[4]!);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?!\d)(.*)$/.exec(s);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return order === 'mdy' ? ymd(year4(m[3]!), a, b, m[4]!) : ymd(year4(m[3]!), b, a, m[4]!);
  }
  // "1 марта 2026 г.", "01 бер. 2026 р.", "1 Mar 2026"
  m = /^(\d{1,2})\s+([\p{L}]+\.?)\s+(\d{4})(?:\s*(?:г\.|года|р\.|року))?(.*)$/u.exec(s);
  if (m) {
    const mo = monthNumber(m[2]!);
    if (mo) return ymd(Number(m[3]), mo, Number(m[1]), m[4]!);
  }
  // "Mar 1, 2026", "March 1 2026"
  m = /^([\p{L}]+\.?)\s+(\d{1,2}),?\s+(\d{4})(.*)$/u.exec(s);
  if (m) {
    const mo = monthNumber(m[1]!);
    if (mo) return ymd(Number(m[3]), mo, Number(m[2]), m[4]!);
  }
  return null;
}

function ymd(y: number, m: number, d: number, rest: string): { date: string; rest: string } | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return { date: `${y}-${pad(m)}-${pad(d)}`, rest };
}

/**
 * A timestamp as 'YYYY-MM-DDTHH:MM:SS' (plus the offset when the text has
 * one) from any date form normalizeDate reads followed by a time ('10:15',
 * '10:15:30', '10:15 AM', 'T10:15:30.123+03:00'). A date alone is midnight.
 * Without an offset the import reads it in the workspace time zone.
 */
export function normalizeDateTime(raw: string, order: DayOrder = 'dmy'): string {
  const s = raw.trim();
  if (s === '') return '';
  const d = readDate(s, order);
  if (!d) return s;
  const rest = d.rest.replace(/^[,T\s]+/, '').trim();
  if (rest === '') return `${d.date}T00:00:00`;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d{1,6})?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/.exec(rest);
  if (!m) return s;
  let h = Number(m[1]);
  const ampm = m[5]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return s;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  }
  const zone = m[6] === 'UTC' || m[6] === 'GMT' ? 'Z' : m[6] ?? '';
  return `${d.date}T${pad(h)}:${m[2]}:${m[3] ?? '00'}${m[4] ?? ''}${zone}`;
}

/** An epoch number (seconds, milliseconds or microseconds) as an ISO instant in UTC. */
export function epochToIso(raw: string, unit: 's' | 'ms' | 'us'): string {
  const s = raw.trim();
  if (!/^\d{1,19}$/.test(s)) return s;
  const ms = unit === 's' ? Number(s) * 1000 : unit === 'ms' ? Number(s) : Number(BigInt(s) / 1000n);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return s;
  return date.toISOString().replace('.000Z', 'Z');
}

/** Seconds from "155", "2:35", "00:02:35" or "2 мин 35 сек". */
export function normalizeDuration(raw: string): string {
  const s = raw.trim();
  if (EMPTY_MARKS.has(s)) return '';
  if (/^\d+$/.test(s)) return s;
  let m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(s);
  if (m) return String(Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]));
  m = /^(?:(\d+)\s*(?:ч|год|h)\S*\s*)?(?:(\d+)\s*(?:мин|хв|m)\S*\s*)?(?:(\d+)\s*(?:сек|с|s)\S*)?$/i.exec(s);
  if (m && (m[1] || m[2] || m[3])) return String(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
  return s;
}

/** A UTM-style value from a name: lower case, spaces and punctuation as '_' ("Billboard North" → billboard_north). */
export function slugify(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}
