import { describe, expect, test } from 'vitest';
import { isWorkingTime, nextWorkingTime } from '../../../seeds/lead-lifecycle';
import { addMonths, dateParts, formatDate, monthStart, parseDate, weekdayOf, ZonedClock } from '../../../seeds/zoned-time';
import { kyivOffsetAt } from './read-seed';

const kyiv = new ZonedClock('Europe/Kyiv');
const at = (iso: string) => Date.parse(iso);

describe('calendar days', () => {
  test('parseDate / formatDate round-trip and reject non-dates', () => {
    expect(formatDate(parseDate('2026-03-01'))).toBe('2026-03-01');
    expect(parseDate('1970-01-02')).toBe(1);
    expect(() => parseDate('2026-02-30')).toThrow(RangeError);
    expect(() => parseDate('1.3.2026')).toThrow(RangeError);
  });

  test.each([
    ['2026-03-02', 0],
    ['2026-03-07', 5],
    ['2026-03-08', 6],
    ['1970-01-01', 3],
  ])('%s is weekday %i (Monday = 0)', (date, weekday) => {
    expect(weekdayOf(parseDate(date))).toBe(weekday);
  });

  test('months', () => {
    const d = parseDate('2024-02-29');
    expect(formatDate(monthStart(d))).toBe('2024-02-01');
    expect(formatDate(addMonths(d, 1))).toBe('2024-03-01');
    expect(formatDate(addMonths(parseDate('2025-12-15'), 1))).toBe('2026-01-01');
    expect(dateParts(d)).toEqual({ year: 2024, month: 2, dayOfMonth: 29, dayOfYear: 60 });
  });
});

describe('ZonedClock (Europe/Kyiv)', () => {
  test.each([
    ['winter', '2026-01-15T10:00:00Z', '2026-01-15T12:00:00+02:00'],
    ['summer', '2025-07-01T06:30:00Z', '2025-07-01T09:30:00+03:00'],
    ['last winter second before spring forward', '2025-03-30T00:59:59Z', '2025-03-30T02:59:59+02:00'],
    ['first summer second', '2025-03-30T01:00:00Z', '2025-03-30T04:00:00+03:00'],
    ['last summer second before fall back', '2025-10-26T00:59:59Z', '2025-10-26T03:59:59+03:00'],
    ['first winter second (03:00 again)', '2025-10-26T01:00:00Z', '2025-10-26T03:00:00+02:00'],
  ])('%s: formats the instant with the offset in force', (_label, utc, expected) => {
    expect(kyiv.format(at(utc))).toBe(expected);
    expect(Date.parse(expected)).toBe(at(utc));
  });

  test('offsets agree with ICU every 37 minutes over two years', () => {
    for (let t = at('2024-01-01T00:00:00Z'); t < at('2026-01-01T00:00:00Z'); t += 37 * 60_000) {
      const formatted = kyiv.format(t);
      expect(formatted.slice(-6)).toBe(kyivOffsetAt(new Date(t)));
      expect(Date.parse(formatted)).toBe(Math.floor(t / 1000) * 1000);
    }
  });

  test('toInstant is the inverse of the wall clock on ordinary days', () => {
    const day = parseDate('2025-07-01');
    expect(kyiv.format(kyiv.toInstant(day, 9 * 3600 + 15 * 60))).toBe('2025-07-01T09:15:00+03:00');
    expect(kyiv.format(kyiv.startOfDay(parseDate('2026-01-10')))).toBe('2026-01-10T00:00:00+02:00');
    expect(kyiv.dayOf(at('2025-06-30T21:30:00Z'))).toBe(day);
    expect(kyiv.hourOf(at('2025-06-30T21:30:00Z'))).toBe(0);
  });

  test('a wall time skipped by spring forward still maps to a real instant with a correct offset', () => {
    const t = kyiv.toInstant(parseDate('2025-03-30'), 3 * 3600 + 30 * 60);
    const formatted = kyiv.format(t);
    expect(formatted.slice(-6)).toBe(kyivOffsetAt(new Date(t)));
    expect(formatted.slice(0, 10)).toBe('2025-03-30');
  });

  test('other zones work too', () => {
    expect(new ZonedClock('America/New_York').format(at('2025-07-01T12:00:00Z'))).toBe('2025-07-01T08:00:00-04:00');
    expect(new ZonedClock('Asia/Kolkata').format(at('2025-07-01T12:00:00Z'))).toBe('2025-07-01T17:30:00+05:30');
    expect(new ZonedClock('UTC').format(at('2025-07-01T12:00:00Z'))).toBe('2025-07-01T12:00:00+00:00');
  });
});

describe('office hours', () => {
  test.each([
    ['Monday 10:00', '2026-03-02T10:00:00+02:00', true],
    ['Monday 19:30', '2026-03-02T19:30:00+02:00', false],
    ['Saturday 11:00', '2026-03-07T11:00:00+02:00', true],
    ['Saturday 17:00', '2026-03-07T17:00:00+02:00', false],
    ['Sunday noon', '2026-03-08T12:00:00+02:00', false],
  ])('%s open: %s', (_label, iso, open) => {
    expect(isWorkingTime(kyiv, at(iso))).toBe(open);
  });

  test.each([
    ['inside hours: unchanged', '2026-03-02T10:00:00+02:00', '2026-03-02T10:00:00+02:00'],
    ['Monday night: Tuesday 09:00', '2026-03-02T22:00:00+02:00', '2026-03-03T09:00:00+02:00'],
    ['Saturday evening: Monday 09:00', '2026-03-07T18:00:00+02:00', '2026-03-09T09:00:00+02:00'],
    ['Saturday early: Saturday 10:00', '2026-03-07T07:00:00+02:00', '2026-03-07T10:00:00+02:00'],
  ])('next working time, %s', (_label, from, expected) => {
    expect(kyiv.format(nextWorkingTime(kyiv, at(from)))).toBe(expected);
  });
});
