import { describe, expect, test } from 'vitest';
import { formatValue } from '../../app/components/value';
import { changeTone, relativeChange } from '../../app/lib/change';
import { createFormatter, formatCount, formatDateTime, formatDay, formatDayRange, formatMoney, MISSING } from '../../app/lib/format';

// Intl separates currency codes with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('formatMoney', () => {
  test.each([
    ['0', 'USD', '$0.00'],
    ['2231.05', 'UAH', 'UAH 2,231.05'],
    // Beyond float precision: a float would print ...234.56 or ...234.58.
    ['12345678901234.57', 'USD', '$12,345,678,901,234.57'],
    ['0.30000000000000001', 'EUR', '€0.30'],
    ['1000', 'JPY', '¥1,000'],
  ])('%s %s → %s', (amount, currency, expected) => {
    expect(plain(formatMoney(amount, currency))).toBe(expected);
  });
});

test.each([
  [0, '0'],
  [1234567, '1,234,567'],
])('formatCount(%d) → %s', (value, expected) => {
  expect(formatCount(value)).toBe(expected);
});

describe('days and instants', () => {
  test('a calendar day prints as that day, whatever the machine zone', () => {
    expect(formatDay('2026-11-01')).toBe('Nov 1, 2026');
  });

  test.each([
    [null, null, 'No data'],
    ['2026-11-06', '2026-11-06', 'Nov 6, 2026'],
    ['2026-11-01', '2026-11-20', 'Nov 1, 2026 – Nov 20, 2026'],
  ])('range %s..%s → %s', (first, last, expected) => {
    expect(formatDayRange(first, last)).toBe(expected);
  });

  test.each([
    ['Europe/Kyiv', 'Nov 1, 2026, 00:30'],
    ['UTC', 'Oct 31, 2026, 22:30'],
    ['America/New_York', 'Oct 31, 2026, 18:30'],
  ])('an instant in %s → %s', (timeZone, expected) => {
    expect(plain(formatDateTime(new Date('2026-10-31T22:30:00Z'), timeZone))).toBe(expected);
  });
});

describe('a formatter for the user locale and the workspace currency', () => {
  test.each([
    ['en-US', 'UAH', 'UAH 1,234,567.89', '12.3%', '+4.5%', 'Nov 3, 2026', 'Nov 3', 'Nov 2026'],
    ['en-GB', 'UAH', 'UAH 1,234,567.89', '12.3%', '+4.5%', '3 Nov 2026', '3 Nov', 'Nov 2026'],
    // The hryvnia sign is pinned (ICU builds disagree), the rest is Intl's.
    ['uk-UA', 'UAH', '1 234 567,89 грн', '12,3%', '+4,5%', '3 лист. 2026 р.', '3 лист.', 'лист. 2026 р.'],
    ['ru-RU', 'UAH', '1 234 567,89 грн', '12,3 %', '+4,5 %', '3 нояб. 2026 г.', '3 нояб.', 'нояб. 2026 г.'],
    ['uk-UA', 'USD', '1 234 567,89 USD', '12,3%', '+4,5%', '3 лист. 2026 р.', '3 лист.', 'лист. 2026 р.'],
    ['en-US', 'USD', '$1,234,567.89', '12.3%', '+4.5%', 'Nov 3, 2026', 'Nov 3', 'Nov 2026'],
  ])('%s %s', (locale, currency, money, percent, change, day, shortDay, month) => {
    const f = createFormatter(locale, currency);
    // Intl separates groups with (narrow) no-break spaces.
    const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(norm(f.money('1234567.891'))).toBe(money);
    expect(norm(f.percent(0.1234))).toBe(percent);
    expect(norm(f.change(0.045))).toBe(change);
    expect(f.day('2026-11-03')).toBe(day);
    expect(f.shortDay('2026-11-03')).toBe(shortDay);
    expect(f.month('2026-11-03')).toBe(month);
  });

  test('missing values print as a dash, never as 0 or NaN', () => {
    const f = createFormatter('en-US', 'UAH');
    expect([f.count(null), f.number(null), f.money(null), f.percent(null), f.change(null), f.compact(null), f.dayRange(null, null)]).toEqual(
      Array(7).fill(MISSING),
    );
  });

  test('credits keep one decimal, counts none; a change of zero has no sign', () => {
    const f = createFormatter('en-US', 'UAH');
    expect(f.number(12.3333)).toBe('12.3');
    expect(f.number(62)).toBe('62');
    expect(f.count(1234.6)).toBe('1,235');
    expect(f.change(0)).toBe('0%');
    expect(f.change(-0.1234)).toBe('-12.3%');
    expect(plain(f.moneyCompact(1234567))).toBe('UAH 1.2M');
  });

  test('the same formatter object for the same locale and currency', () => {
    expect(createFormatter('uk-UA', 'UAH')).toBe(createFormatter('uk-UA', 'UAH'));
  });

  test('shared cell formatters by kind', () => {
    const f = createFormatter('en-US', 'UAH');
    expect(plain(formatValue(f, 'money', '19910.57'))).toBe('UAH 19,910.57');
    expect(formatValue(f, 'percent', 0.0456)).toBe('4.6%');
    expect(formatValue(f, 'count', 23836)).toBe('23,836');
    expect(formatValue(f, 'number', 8.5)).toBe('8.5');
    expect(formatValue(f, 'money', null)).toBe(MISSING);
    expect(formatValue(f, 'text', null)).toBe('');
    expect(formatValue(f, 'text', 'paid_search')).toBe('paid_search');
  });
});

describe('change against the comparison period', () => {
  test.each([
    [110, 100, 0.1],
    ['90.00', '100.00', -0.1],
    [5, 0, null],
    [null, 100, null],
    [100, null, null],
    // A loss that shrinks is an improvement: −0.5 → −0.25 is +50%.
    [-0.25, -0.5, 0.5],
    [1, 3, -0.6667],
  ])('%s against %s → %s', (current, previous, expected) => {
    expect(relativeChange(current, previous)).toBe(expected);
  });

  test.each([
    [0.1, 'up', 'good'],
    [0.1, 'down', 'bad'],
    [-0.1, 'down', 'good'],
    [-0.1, 'up', 'bad'],
    [0.1, 'neutral', 'neutral'],
    [0, 'up', 'neutral'],
    [null, 'up', 'neutral'],
  ] as const)('a change of %s where %s is good is %s', (change, goodWhen, tone) => {
    expect(changeTone(change, goodWhen)).toBe(tone);
  });
});
