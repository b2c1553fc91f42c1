import { describe, expect, test } from 'vitest';
import { monthSplit } from '../../../db/queries/report-sql';

// The whole months of an inclusive day range, which the channels report
// reads from monthly_traffic (the days around them from daily_traffic).
describe('monthSplit', () => {
  test.each([
    ['two whole years', '2024-11-01', '2026-10-31', { first: '2024-11-01', end: '2026-11-01' }],
    ['one whole month', '2026-09-01', '2026-09-30', { first: '2026-09-01', end: '2026-10-01' }],
    ['a year from the 23rd: the eleven months inside', '2025-11-23', '2026-11-22', { first: '2025-12-01', end: '2026-11-01' }],
    ['a range across a year end', '2025-12-15', '2026-02-28', { first: '2026-01-01', end: '2026-03-01' }],
    ['February of a leap year', '2024-02-01', '2024-02-29', { first: '2024-02-01', end: '2024-03-01' }],
    ['a month without its first day', '2026-09-02', '2026-09-30', null],
    ['a month without its last day', '2026-09-01', '2026-09-29', null],
    ['February 2024 without the 29th', '2024-02-01', '2024-02-28', null],
    ['one day', '2026-03-01', '2026-03-01', null],
  ])('%s', (_, from, to, expected) => {
    expect(monthSplit(from, to)).toEqual(expected);
  });
});
