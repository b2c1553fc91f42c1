// Formatting at the edge, shared by pages and table cells. The locale is
// fixed so the server render and the browser's hydration print the same text.
const LOCALE = 'en-US';

const countFormat = new Intl.NumberFormat(LOCALE);
const dayFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/**
 * An exact decimal string ('1234.5') as money. Intl formats decimal strings
 * without going through a float, so large sums keep their last cent.
 */
export function formatMoney(amount: string, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(amount as Intl.StringNumericLiteral);
}

/** A calendar day 'YYYY-MM-DD' (already in the workspace zone) as 'Nov 3, 2026'. */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

export function formatDayRange(first: string | null, last: string | null): string {
  if (first === null || last === null) return 'No data';
  return first === last ? formatDay(first) : `${formatDay(first)} – ${formatDay(last)}`;
}

/** An instant as the workspace's wall-clock time: 'Nov 3, 2026, 14:05'. */
export function formatDateTime(instant: Date, timeZone: string): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone });
    dateTimeFormats.set(timeZone, format);
  }
  return format.format(instant);
}
