// Formatting at the edge, shared by pages, cards, charts and table cells.
//
// The locale is never read from the environment: the root loader decides it
// (the user's language, refined by Accept-Language) and hands it to the
// browser, so the server render and the hydration print the same text. Pages
// get a Formatter bound to that locale and the workspace currency from
// useFormat() (app/i18n/i18n.ts); the module-level functions below keep the
// default locale for code that has no user (logs, tests).

export const DEFAULT_LOCALE = 'en-US';

/** Shown for a value that does not exist (a ratio over zero, spend of a lead-only slice). */
export const MISSING = '—';

export interface Formatter {
  readonly locale: string;
  readonly currency: string;
  /** Whole counts: 1,234. */
  count(value: number | null): string;
  /** Counts that may be fractional (attributed credit): 12, 12.5. */
  number(value: number | null, maxFractionDigits?: number): string;
  /** An exact decimal string as money, every cent kept: UAH 1,234.56. */
  money(amount: string | number | null): string;
  /** Money without cents for axes and cards that need room: UAH 1.2M. */
  moneyCompact(amount: string | number | null): string;
  /** A ratio (0.25) as a percentage: 25%. */
  percent(ratio: number | null, maxFractionDigits?: number): string;
  /** A relative change (0.123) with its sign: +12.3%. */
  change(ratio: number | null): string;
  /** Large counts for axes: 1.2K. */
  compact(value: number | null): string;
  /** A calendar day 'YYYY-MM-DD' (already in the workspace zone): Nov 3, 2026. */
  day(day: string): string;
  /** A day without its year, for axes: Nov 3. */
  shortDay(day: string): string;
  /** The month of a day: Nov 2026. */
  month(day: string): string;
  dayRange(first: string | null, last: string | null): string;
  /** An instant as the workspace's wall-clock time: Nov 3, 2026, 14:05. */
  dateTime(instant: Date, timeZone: string): string;
}

/**
 * Currency signs pinned per language where ICU builds disagree: Node prints
 * the hryvnia as ₴ in Ukrainian and Russian, Chromium as грн / грн. A page
 * whose server and browser print different text fails to hydrate, so these
 * come from this table instead of from the ICU data. Keys: currency, then
 * the locale's language.
 */
const CURRENCY_SIGNS: Record<string, Record<string, string>> = {
  UAH: { uk: 'грн', ru: 'грн' },
};

const formatters = new Map<string, Formatter>();

/** A formatter for a locale and currency; cached, so calling it in render is cheap. */
export function createFormatter(locale: string, currency: string): Formatter {
  const cacheKey = `${locale}|${currency}`;
  let f = formatters.get(cacheKey);
  if (!f) {
    f = buildFormatter(locale, currency);
    formatters.set(cacheKey, f);
  }
  return f;
}

function buildFormatter(locale: string, currency: string): Formatter {
  const nf = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options);
  const count = nf({ maximumFractionDigits: 0 });
  const numbers = new Map<number, Intl.NumberFormat>();
  const percents = new Map<number, Intl.NumberFormat>();
  const money = withSign(nf({ style: 'currency', currency }), CURRENCY_SIGNS[currency]?.[locale.split('-')[0]!]);
  const moneyCompact = withSign(
    // minimumFractionDigits: without it V8 versions differ on whether 0 is "UAH 0" or "UAH 0.0".
    nf({ style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }),
    CURRENCY_SIGNS[currency]?.[locale.split('-')[0]!],
  );
  const change = nf({ style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const compact = nf({ notation: 'compact', maximumFractionDigits: 1 });
  const utc = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
  const day = utc({ day: 'numeric', month: 'short', year: 'numeric' });
  const shortDay = utc({ day: 'numeric', month: 'short' });
  const month = utc({ month: 'short', year: 'numeric' });
  const dateTimes = new Map<string, Intl.DateTimeFormat>();
  const asDate = (d: string) => new Date(`${d}T00:00:00Z`);
  const cached = (map: Map<number, Intl.NumberFormat>, digits: number, options: Intl.NumberFormatOptions) => {
    let format = map.get(digits);
    if (!format) {
      format = nf({ ...options, maximumFractionDigits: digits });
      map.set(digits, format);
    }
    return format;
  };

  const self: Formatter = {
    locale,
    currency,
    count: (v) => (v === null ? MISSING : count.format(v)),
    number: (v, digits = 1) => (v === null ? MISSING : cached(numbers, digits, {}).format(v)),
    // Intl formats decimal strings without going through a float, so large sums keep their last cent.
    money: (v) => (v === null ? MISSING : money.format(v)),
    moneyCompact: (v) => (v === null ? MISSING : moneyCompact.format(Number(v))),
    percent: (v, digits = 1) => (v === null ? MISSING : cached(percents, digits, { style: 'percent' }).format(v)),
    change: (v) => (v === null ? MISSING : change.format(v)),
    compact: (v) => (v === null ? MISSING : compact.format(v)),
    day: (d) => day.format(asDate(d)),
    shortDay: (d) => shortDay.format(asDate(d)),
    month: (d) => month.format(asDate(d)),
    dayRange: (first, last) => {
      if (first === null || last === null) return MISSING;
      return first === last ? self.day(first) : `${self.day(first)} – ${self.day(last)}`;
    },
    dateTime: (instant, timeZone) => {
      let format = dateTimes.get(timeZone);
      if (!format) {
        format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone });
        dateTimes.set(timeZone, format);
      }
      return format.format(instant);
    },
  };
  return self;
}

/** A currency format whose currency sign is replaced by `sign` (when given); everything else stays Intl's. */
function withSign(format: Intl.NumberFormat, sign: string | undefined): { format(value: number | string): string } {
  if (sign === undefined) return { format: (v) => format.format(v as Intl.StringNumericLiteral) };
  return {
    format: (v) =>
      format
        .formatToParts(v as unknown as number)
        .map((part) => (part.type === 'currency' ? sign : part.value))
        .join(''),
  };
}

// ---------- Default-locale helpers ----------

const defaults = () => createFormatter(DEFAULT_LOCALE, 'USD');

export function formatCount(value: number, locale = DEFAULT_LOCALE): string {
  return createFormatter(locale, 'USD').count(value);
}

export function formatMoney(amount: string, currency: string, locale = DEFAULT_LOCALE): string {
  return createFormatter(locale, currency).money(amount);
}

/** A calendar day 'YYYY-MM-DD' (already in the workspace zone) as 'Nov 3, 2026'. */
export function formatDay(day: string): string {
  return defaults().day(day);
}

export function formatDayRange(first: string | null, last: string | null): string {
  if (first === null || last === null) return 'No data';
  return defaults().dayRange(first, last);
}

/** An instant as the workspace's wall-clock time: 'Nov 3, 2026, 14:05'. */
export function formatDateTime(instant: Date, timeZone: string): string {
  return defaults().dateTime(instant, timeZone);
}
