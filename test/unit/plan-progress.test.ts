import { describe, expect, test } from 'vitest';
import { bucketsOf, bucketStart } from '../../app/lib/calendar';
import { rankByRomi } from '../../app/lib/overview';
import { computePlanProgress, findPlan, isAboveLimit, maxCplByChannel, planSliceOf, type PlanRow } from '../../app/lib/plan-progress';
import type { ChannelRow } from '../../app/reports/channels';
import { computeMetrics } from '../../app/reports/metrics';

const plan = (over: Partial<PlanRow>): PlanRow => ({
  month: '2026-11-01', channel: '', region: '', manager: '', leads: null, max_cpl: null, budget: null, sales: null, revenue: null, ...over,
});

describe('which plan slice the filters select', () => {
  test.each([
    [{}, { channel: '', region: '', manager: '' }],
    [{ channel: ['paid_search'] }, { channel: 'paid_search', region: '', manager: '' }],
    [{ channel: ['paid_search'], region: ['Kyiv'] }, { channel: 'paid_search', region: 'Kyiv', manager: '' }],
    [{ channel: ['paid_search', 'email'] }, null],
    [{ source: ['google'] }, null],
    [{ temperature: ['hot'] }, null],
  ])('%j → %j', (filters, slice) => {
    expect(planSliceOf(filters)).toEqual(slice);
  });

  test('finds the row of the month and slice', () => {
    const rows = [plan({ leads: 1 }), plan({ channel: 'email', leads: 2 }), plan({ month: '2026-10-01', leads: 3 })];
    expect(findPlan(rows, '2026-11-01', { channel: 'email', region: '', manager: '' })?.leads).toBe(2);
    expect(findPlan(rows, '2026-11-01', { channel: '', region: '', manager: '' })?.leads).toBe(1);
    expect(findPlan(rows, '2026-12-01', { channel: '', region: '', manager: '' })).toBeNull();
  });
});

test('progress of a month: shares of each target, the pace, CPL against the maximum', () => {
  // Nov 1..12: 12 of 30 days = 40% of the month.
  const actual = computeMetrics({
    spend: '36000.00', impressions: 0, clicks: 0, sessions: 0, leads: 80, junk: 0, qualified: 40, sales: 9, revenue: '300000.00',
  });
  const p = computePlanProgress(plan({ leads: 190, max_cpl: '420.00', budget: '90000.00', sales: 27, revenue: '815000.00' }), actual, '2026-11-12');
  expect(p.month).toBe('2026-11-01');
  expect(p.expectedShare).toBe(0.4);
  expect(p.targets).toEqual([
    { measure: 'leads', kind: 'count', actual: 80, target: 190, share: 0.4211 },
    { measure: 'budget', kind: 'money', actual: '36000.00', target: '90000.00', share: 0.4 },
    { measure: 'sales', kind: 'count', actual: 9, target: 27, share: 0.3333 },
    { measure: 'revenue', kind: 'money', actual: '300000.00', target: '815000.00', share: 0.3681 },
  ]);
  // CPL 36000 / 80 = 450 > 420.
  expect(p.cpl).toEqual({ actual: '450.00', max: '420.00', isOver: true });
});

test('targets the plan does not set are left out; a zero target has no share', () => {
  const actual = computeMetrics({ spend: '0', impressions: 0, clicks: 0, sessions: 0, leads: 3, junk: 0, qualified: 0, sales: 0, revenue: '0' });
  const p = computePlanProgress(plan({ leads: 0 }), actual, '2026-11-30');
  expect(p.targets).toEqual([{ measure: 'leads', kind: 'count', actual: 3, target: 0, share: null }]);
  expect(p.cpl).toBeNull();
  expect(p.expectedShare).toBe(1);
});

describe('CPL limits over a range', () => {
  const rows = [
    plan({ month: '2026-10-01', channel: 'paid_search', max_cpl: '440.00' }),
    plan({ month: '2026-11-01', channel: 'paid_search', max_cpl: '300.00' }),
    plan({ month: '2026-11-01', channel: 'offline', max_cpl: '3310.00' }),
    plan({ month: '2026-11-01', channel: 'direct' }),
    plan({ month: '2026-11-01', channel: 'email', region: 'Kyiv', max_cpl: '10.00' }),
    plan({ month: '2026-11-01', max_cpl: '510.00' }),
  ];

  test('the highest monthly limit of the months in range, whole-channel rows only', () => {
    expect(Object.fromEntries(maxCplByChannel(rows, ['2026-11-01']))).toEqual({ paid_search: '300.00', offline: '3310.00' });
    expect(Object.fromEntries(maxCplByChannel(rows, ['2026-10-01', '2026-11-01']))).toEqual({ paid_search: '440.00', offline: '3310.00' });
  });

  test.each([
    ['300.01', '300.00', true],
    ['300.00', '300.00', false],
    ['299.99', '300.00', false],
    [null, '300.00', false],
    ['999.00', undefined, false],
  ])('CPL %s against %s → %s', (cpl, limit, over) => {
    expect(isAboveLimit(cpl, limit)).toBe(over);
  });
});

describe('channels by ROMI', () => {
  const row = (channel: string, spend: string | null, revenue: string) =>
    ({ channel, ...computeMetrics({ spend, impressions: 0, clicks: 0, sessions: 0, leads: 1, junk: 0, qualified: 0, sales: 0, revenue }) }) as ChannelRow;

  test('only channels with spend; best first, worst first, no channel in both', () => {
    const rows = [
      row('a', '100.00', '300.00'), // ROMI 2
      row('b', '100.00', '0.00'), // -1
      row('c', '0.00', '500.00'), // no spend: no ROMI
      row('d', '100.00', '150.00'), // 0.5
      row('e', '100.00', '1000.00'), // 9
      row('f', '100.00', '100.00'), // 0
      row(' organic', null, '50.00'),
    ];
    const { top, bottom } = rankByRomi(rows);
    expect(top.map((r) => [r.channel, r.romi])).toEqual([['e', 9], ['a', 2], ['d', 0.5]]);
    expect(bottom.map((r) => [r.channel, r.romi])).toEqual([['b', -1], ['f', 0]]);
  });

  test('one channel is only "best"; none gives two empty lists', () => {
    expect(rankByRomi([row('a', '10.00', '5.00')])).toMatchObject({ top: [{ channel: 'a' }], bottom: [] });
    expect(rankByRomi([])).toEqual({ top: [], bottom: [] });
  });
});

describe('chart buckets', () => {
  test('weeks start on Monday, as date_trunc(week) does', () => {
    expect(bucketStart('2026-11-23', 'week')).toBe('2026-11-23'); // a Monday
    expect(bucketStart('2026-11-22', 'week')).toBe('2026-11-16'); // a Sunday
    expect(bucketsOf('2026-11-04', '2026-11-23', 'week')).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
  });

  test('every day and every month of a range', () => {
    expect(bucketsOf('2026-02-27', '2026-03-02', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(bucketsOf('2026-11-15', '2027-01-10', 'month')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
  });
});
