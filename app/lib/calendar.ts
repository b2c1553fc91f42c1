// Calendar days as 'YYYY-MM-DD' strings. A day string names a day of the
// workspace calendar, so all arithmetic here is plain calendar arithmetic done
// on UTC dates (no zone, no DST); only todayIn() looks at a zone.

export type Day = string;

const DAY_MS = 86_400_000;

function toDate(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

function fromDate(d: Date): Day {
  return d.toISOString().slice(0, 10);
}

/** Today's date on the wall calendar of `timeZone` at the instant `now`. */
export function todayIn(timeZone: string, now: Date): Day {
  // en-CA prints ISO order (2026-11-23).
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(day: Day, n: number): Day {
  return fromDate(new Date(toDate(day).getTime() + n * DAY_MS));
}

/** Days from a to b: daysBetween('2026-01-01', '2026-01-02') = 1. */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toDate(b).getTime() - toDate(a).getTime()) / DAY_MS);
}

/** Length of an inclusive range in days. */
export function rangeLength(from: Day, to: Day): number {
  return daysBetween(from, to) + 1;
}

export function monthStart(day: Day): Day {
  return `${day.slice(0, 7)}-01`;
}

export function monthEnd(day: Day): Day {
  const d = toDate(monthStart(day));
  d.setUTCMonth(d.getUTCMonth() + 1);
  return addDays(fromDate(d), -1);
}

export function daysInMonth(day: Day): number {
  return Number(monthEnd(day).slice(8, 10));
}

/** The first day of the month `n` months from the month of `day`. */
export function addMonths(day: Day, n: number): Day {
  const d = toDate(monthStart(day));
  d.setUTCMonth(d.getUTCMonth() + n);
  return fromDate(d);
}

export function quarterStart(day: Day): Day {
  const month = Number(day.slice(5, 7));
  const first = month - ((month - 1) % 3);
  return `${day.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

export function yearStart(day: Day): Day {
  return `${day.slice(0, 4)}-01-01`;
}

/** The same calendar date `years` years away; Feb 29 becomes Feb 28 in a year without one. */
export function shiftYears(day: Day, years: number): Day {
  const year = Number(day.slice(0, 4)) + years;
  const monthDay = day.slice(5);
  const candidate = `${String(year).padStart(4, '0')}-${monthDay}`;
  if (monthDay === '02-29' && !isLeapYear(year)) return `${String(year).padStart(4, '0')}-02-28`;
  return candidate;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Each month ('YYYY-MM-01') that the inclusive range touches, in order. */
export function monthsOf(from: Day, to: Day): Day[] {
  const months: Day[] = [];
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The bucket a day falls in, as PostgreSQL's date_trunc names it (weeks start on Monday). */
export function bucketStart(day: Day, unit: 'day' | 'week' | 'month'): Day {
  if (unit === 'day') return day;
  if (unit === 'month') return monthStart(day);
  const weekday = (toDate(day).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -weekday);
}

/** Every bucket from the one holding `from` to the one holding `to`, so a chart shows empty days as zero. */
export function bucketsOf(from: Day, to: Day, unit: 'day' | 'week' | 'month'): Day[] {
  const out: Day[] = [];
  const step = (d: Day) => (unit === 'day' ? addDays(d, 1) : unit === 'week' ? addDays(d, 7) : addMonths(d, 1));
  for (let d = bucketStart(from, unit); d <= to; d = step(d)) out.push(d);
  return out;
}
