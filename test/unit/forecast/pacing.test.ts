import { describe, expect, test } from 'vitest';
import { computePacing, monthDays, monthPhase, statusOf, type DayShape, type PacingInput } from '../../../app/reports/pacing';

// A hand-made March 2026 (31 days; the 1st is a Sunday: 22 weekdays, 9
// weekend days). The forecast's shape: 100 sessions, 5 leads, 0.5 sales
// and 10000.00 revenue on each weekday, nothing at weekends. Today is
// March 11, so March 1–10 are counted: 7 weekdays of the 22.
const shape: DayShape[] = monthDays('2026-03').map((day) => {
  const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
  return weekend ? { day, sessions: 0, leads: 0, sales: 0, revenue: 0 } : { day, sessions: 100, leads: 5, sales: 0.5, revenue: 10000 };
});
const input: PacingInput = {
  month: '2026-03',
  today: '2026-03-11',
  plan: { leads: 150, max_cpl: '250.00', budget: '30000.00', sales: 10, revenue: '300000.00' },
  actual: { leads: 35, spend: '7000.00', sales: 3, revenue: '60000.50' },
  shape,
};

describe('pacing a month in progress', () => {
  test('every metric, to the unit', () => {
    const r = computePacing(input);
    expect([r.phase, r.daysInMonth, r.daysElapsed]).toEqual(['current', 31, 10]);
    expect(r.share).toEqual({ leads: 0.3182, sessions: 0.3182 }); // 7 / 22
    expect(r.rows).toEqual([
      // expected 150 × 7/22 = 47.727…; projected 35 + 15 weekdays × 5 = 110; 110 / 150 < 0.95.
      { metric: 'leads', plan: 150, actual: 35, progress: 0.2333, expected: 47.73, projected: 110, attainment: 0.7333, status: 'behind' },
      // projected 3 + 15 × 0.5 = 10.5 = 105% of 10: ahead (the boundary counts as ahead).
      { metric: 'sales', plan: 10, actual: 3, progress: 0.3, expected: 3.18, projected: 10.5, attainment: 1.05, status: 'ahead' },
      { metric: 'revenue', plan: '300000.00', actual: '60000.50', progress: 0.2, expected: '95454.55', projected: '210000.50', attainment: 0.7, status: 'behind' },
      // Spend runs at 7000 per 7/22 of the month's traffic: 22000.00 by the end.
      { metric: 'budget', plan: '30000.00', actual: '7000.00', progress: 0.2333, expected: '9545.45', projected: '22000.00', attainment: 0.7333, status: 'under' },
      { metric: 'cpl', plan: '250.00', actual: '200.00', progress: null, expected: null, projected: '200.00', attainment: 0.8, status: 'within' },
    ]);
  });

  test('the shape, not a flat line: a flat line would expect 150 × 10/31 = 48.39 leads', () => {
    const flat = computePacing({ ...input, shape: null });
    expect(flat.flatShape).toBe(true);
    expect(flat.rows[0]).toMatchObject({ metric: 'leads', expected: 48.39, projected: null, attainment: null, status: null });
  });

  test('a month that is over: final attainment', () => {
    const r = computePacing({ ...input, today: '2026-04-01', actual: { leads: 142, spend: '31000.00', sales: 11, revenue: '290000.00' } });
    expect(r.phase).toBe('past');
    expect(r.rows).toEqual([
      { metric: 'leads', plan: 150, actual: 142, progress: 0.9467, expected: 150, projected: 142, attainment: 0.9467, status: 'behind' },
      { metric: 'sales', plan: 10, actual: 11, progress: 1.1, expected: 10, projected: 11, attainment: 1.1, status: 'ahead' },
      { metric: 'revenue', plan: '300000.00', actual: '290000.00', progress: 0.9667, expected: '300000.00', projected: '290000.00', attainment: 0.9667, status: 'on_track' },
      { metric: 'budget', plan: '30000.00', actual: '31000.00', progress: 1.0333, expected: '30000.00', projected: '31000.00', attainment: 1.0333, status: 'on_track' },
      { metric: 'cpl', plan: '250.00', actual: '218.31', progress: null, expected: null, projected: '218.31', attainment: 0.8732, status: 'within' },
    ]);
  });

  test('a month not started: the forecast of the whole month', () => {
    const r = computePacing({ ...input, today: '2026-03-01', actual: { leads: 0, spend: '0.00', sales: 0, revenue: '0.00' } });
    expect(r.phase).toBe('future');
    expect(r.rows[0]).toEqual({ metric: 'leads', plan: 150, actual: 0, progress: 0, expected: 0, projected: 110, attainment: 0.7333, status: 'behind' });
  });

  test('only the planned metrics get rows; a manager has no spend', () => {
    const r = computePacing({ ...input, plan: { leads: null, max_cpl: '250.00', budget: null, sales: 10, revenue: null }, actual: { ...input.actual, spend: null } });
    expect(r.rows.map((x) => [x.metric, x.status])).toEqual([['sales', 'ahead'], ['cpl', null]]);
  });
});

describe('rules', () => {
  test.each([
    [1.05, 'ahead'], [1.0499, 'on_track'], [0.95, 'on_track'], [0.9499, 'behind'], [null, null],
  ] as const)('attainment %s → %s', (a, status) => {
    expect(statusOf(a, { high: 'ahead', low: 'behind' })).toBe(status);
  });

  test.each([
    ['2026-03-01', 'future', 0], ['2026-03-02', 'current', 1], ['2026-03-31', 'current', 30], ['2026-04-01', 'past', 31],
  ] as const)('today %s: March is %s with %i days counted', (today, phase, elapsed) => {
    expect(monthPhase('2026-03', today)).toMatchObject({ phase, daysElapsed: elapsed });
  });
});
