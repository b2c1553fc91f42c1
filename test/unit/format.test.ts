import { describe, expect, test } from 'vitest';
import { formatCount, formatDateTime, formatDay, formatDayRange, formatMoney } from '../../app/lib/format';

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
