import { describe, expect, test } from 'vitest';
import { cohortAgeWeeks, computeCohorts, monthsOf, type CohortCountRaw, type CohortsRaw } from '../../../app/reports/cohorts';

const count = (cohort: string, kind: CohortCountRaw['kind'], week: number, leads: number, revenue = '0'): CohortCountRaw => ({
  cohort, kind, week, leads, revenue,
});

describe('months and ages', () => {
  test.each([
    ['2026-03-15', '2026-03-20', ['2026-03']],
    ['2025-11-23', '2026-02-01', ['2025-11', '2025-12', '2026-01', '2026-02']],
    ['2026-01-31', '2026-02-01', ['2026-01', '2026-02']],
  ])('months of %s..%s', (from, to, months) => {
    expect(monthsOf(from, to)).toEqual(months);
  });

  test.each([
    // (to + 1 day − first day) / 7, floored
    { cohort: '2026-03', from: '2026-03-01', to: '2026-03-01', age: 0 }, // 1 day
    { cohort: '2026-03', from: '2026-03-01', to: '2026-03-06', age: 0 }, // 6 days
    { cohort: '2026-03', from: '2026-03-01', to: '2026-03-07', age: 1 }, // 7 days: week 1 begins at the end of the 7th
    { cohort: '2026-03', from: '2026-03-01', to: '2026-04-30', age: 8 }, // 61 days
    { cohort: '2026-04', from: '2026-03-01', to: '2026-04-30', age: 4 }, // 30 days
    { cohort: '2026-03', from: '2026-03-15', to: '2026-04-30', age: 6 }, // from later than the 1st: 47 days
    { cohort: '2025-11', from: '2025-11-23', to: '2026-11-22', age: 52 }, // 365 days
  ])('cohort $cohort from $from to $to is $age weeks old', ({ cohort, from, to, age }) => {
    expect(cohortAgeWeeks(cohort, from, to)).toBe(age);
  });
});

describe('computeCohorts', () => {
  // March cohort: 4 leads; qualified at ages 0 and 2; won at age 1 (1000.00) and at
  // age 4 (2500.50); spend 1000.00. April cohort: 2 leads, qualified at age 0, won at
  // age 2 (400.00), no spend. Range 2026-03-01..2026-04-30: March is 8 weeks old,
  // April 4.
  const raw: CohortsRaw = {
    counts: [
      count('2026-03', 'lead', 0, 4),
      count('2026-03', 'qualified', 0, 1),
      count('2026-03', 'qualified', 2, 1),
      count('2026-03', 'won', 1, 1, '1000.00'),
      count('2026-03', 'won', 4, 1, '2500.50'),
      count('2026-04', 'lead', 0, 2),
      count('2026-04', 'qualified', 0, 1),
      count('2026-04', 'won', 2, 1, '400.00'),
    ],
    spend: [{ cohort: '2026-03', spend: '600.00' }, { cohort: '2026-03', spend: '400.00' }],
    spendSliceable: true,
  };
  const report = computeCohorts(raw, { from: '2026-03-01', to: '2026-04-30' });
  const at = (cohort: string, week: number) => report.rows.find((r) => r.cohort === cohort && r.week === week);

  test.each([
    // week 0: 1 qualified, no sale: CPQL 1000 / 1; CAC none; ROMI (0 − 1000) / 1000 = −1
    { week: 0, qualified: 1, sales: 0, revenue: '0.00', cpql: '1000.00', cac: null, romi: -1 },
    // week 1: + the sale at age 1: ROMI (1000 − 1000) / 1000 = 0
    { week: 1, qualified: 1, sales: 1, revenue: '1000.00', cpql: '1000.00', cac: '1000.00', romi: 0 },
    // week 2: + the qualification at age 2: CPQL 1000 / 2 = 500
    { week: 2, qualified: 2, sales: 1, revenue: '1000.00', cpql: '500.00', cac: '1000.00', romi: 0 },
    { week: 3, qualified: 2, sales: 1, revenue: '1000.00', cpql: '500.00', cac: '1000.00', romi: 0 },
    // week 4: + the sale at age 4: revenue 3500.50, CAC 1000 / 2 = 500, ROMI 2500.50 / 1000 = 2.5005
    { week: 4, qualified: 2, sales: 2, revenue: '3500.50', cpql: '500.00', cac: '500.00', romi: 2.5005 },
    { week: 8, qualified: 2, sales: 2, revenue: '3500.50', cpql: '500.00', cac: '500.00', romi: 2.5005 },
  ])('March, week $week: cumulative outcomes', ({ week, ...values }) => {
    expect(at('2026-03', week)).toEqual({ cohort: '2026-03', week, leads: 4, spend: '1000.00', ...values });
  });

  test('weeks beyond the cohort\'s age are absent', () => {
    expect(report.rows.filter((r) => r.cohort === '2026-03').map((r) => r.week)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(report.rows.filter((r) => r.cohort === '2026-04').map((r) => r.week)).toEqual([0, 1, 2, 3, 4]);
  });

  test('no spend: ROMI is null, CPQL and CAC are 0.00 once there is something to divide', () => {
    expect(at('2026-04', 1)).toEqual({ cohort: '2026-04', week: 1, leads: 2, qualified: 1, sales: 0, revenue: '0.00', spend: '0.00', cpql: '0.00', cac: null, romi: null });
    expect(at('2026-04', 2)).toMatchObject({ sales: 1, revenue: '400.00', cac: '0.00', romi: null });
  });

  test('summary: the latest week with the real age; mature from 12 weeks', () => {
    expect(report.summary).toEqual([
      { cohort: '2026-03', age_weeks: 8, mature: false, leads: 4, qualified: 2, sales: 2, revenue: '3500.50', spend: '1000.00', cpql: '500.00', cac: '500.00', romi: 2.5005 },
      { cohort: '2026-04', age_weeks: 4, mature: false, leads: 2, qualified: 1, sales: 1, revenue: '400.00', spend: '0.00', cpql: '0.00', cac: '0.00', romi: null },
    ]);
    const older = computeCohorts(raw, { from: '2026-02-01', to: '2026-05-24' });
    // Feb: (May 24 + 1 − Feb 1) = 113 days → 16 weeks; Mar 85 → 12 (mature); Apr 54 → 7; May 24 → 3
    expect(older.summary.map((s) => [s.cohort, s.age_weeks, s.mature])).toEqual([
      ['2026-02', 16, true], ['2026-03', 12, true], ['2026-04', 7, false], ['2026-05', 3, false],
    ]);
    // An empty cohort still shows, with zeros and null ratios (spend 0.00: ROMI null).
    expect(older.summary[0]).toMatchObject({ leads: 0, qualified: 0, sales: 0, revenue: '0.00', spend: '0.00', cpql: null, cac: null, romi: null });
  });

  test('weeks stop at 26, and outcomes older than that are not counted', () => {
    const long = computeCohorts(
      { counts: [count('2026-01', 'lead', 0, 1), count('2026-01', 'won', 27, 1, '50.00')], spend: [], spendSliceable: true },
      { from: '2026-01-01', to: '2026-12-31' },
    );
    const jan = long.rows.filter((r) => r.cohort === '2026-01');
    expect(jan.map((r) => r.week).at(-1)).toBe(26);
    expect(jan.at(-1)?.sales).toBe(0);
    expect(long.summary[0]).toMatchObject({ age_weeks: 52, mature: true, sales: 0 });
  });

  test('spend that cannot be sliced (lead-only filter) is null, and so are its ratios', () => {
    const r = computeCohorts({ ...raw, spend: [], spendSliceable: false }, { from: '2026-03-01', to: '2026-04-30' });
    expect(r.summary[0]).toMatchObject({ spend: null, cpql: null, cac: null, romi: null, revenue: '3500.50' });
  });
});
