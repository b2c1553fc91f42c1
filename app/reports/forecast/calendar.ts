// Calendar days as integers (days since 1970-01-01), so the models can index
// daily series by plain arithmetic. A day is a workspace-local calendar day:
// no instants and no time zones here (the queries bucket instants in the
// workspace zone before any of this runs).

export type PeriodUnit = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' → day number. */
export function dayNumber(iso: string): number {
  const m = ISO_DAY.exec(iso);
  if (!m) throw new RangeError(`not a date YYYY-MM-DD: ${iso}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

/** Day number → 'YYYY-MM-DD'. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function monthOf(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth() + 1;
}

export function dayOfMonth(day: number): number {
  return new Date(day * DAY_MS).getUTCDate();
}

/** First day of the calendar month of `day`. */
export function monthStartOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
}

/** First day of the month `n` months after the month of `day`. */
export function addMonths(day: number, n: number): number {
  const d = new Date(day * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1) / DAY_MS);
}

/** 'YYYY-MM' → [first day, last day] of that month. */
export function monthRange(month: string): { first: number; last: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`not a month YYYY-MM: ${month}`);
  const first = Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) / DAY_MS);
  return { first, last: addMonths(first, 1) - 1 };
}

/** First day of the period (ISO week from Monday, calendar month) holding `day`. */
export function periodStartOf(day: number, unit: PeriodUnit): number {
  if (unit === 'day') return day;
  if (unit === 'week') return day - weekdayOf(day);
  return monthStartOf(day);
}

/** Consecutive periods covering days first..last: each with its first day in the period and the part of it inside the range. */
export function periodsOf(first: number, last: number, unit: PeriodUnit): { start: number; from: number; to: number }[] {
  const out: { start: number; from: number; to: number }[] = [];
  let day = first;
  while (day <= last) {
    const start = periodStartOf(day, unit);
    const next = unit === 'day' ? start + 1 : unit === 'week' ? start + 7 : addMonths(start, 1);
    const to = Math.min(last, next - 1);
    out.push({ start, from: day, to });
    day = to + 1;
  }
  return out;
}
