import { describe, expect, test } from 'vitest';
import {
  computeCallsReport,
  costGroupFields,
  costPerCallByGroup,
  timesCount,
  type CallCostRaw,
  type CallSliceRaw,
  type CallsRaw,
} from '../../../app/reports/calls';

const slice = (key: string[] | null, s: Partial<CallSliceRaw>): CallSliceRaw => ({
  key, calls: 0, answered: 0, missed: 0, first_time: 0, repeat: 0, unique_callers: 0, duration_sum: 0, duration_count: 0, leads: 0, ...s,
});
const cost = (part: CallCostRaw['part'], key: string[], group: string[], calls: number, missed: number, spend: string | null = null): CallCostRaw => ({
  part, key, cost_group: group, calls, missed, spend,
});
const raw = (r: Partial<CallsRaw>): CallsRaw => ({ slices: [], costs: [], hours: [], staticNumbers: [], ...r });

describe('timesCount (exact money × count)', () => {
  test.each([
    ['333.33', 3, '999.99'],
    ['0.01', 100, '1.00'],
    ['250.1', 2, '500.20'],
    ['7', 0, '0.00'],
    ['0.00', 12, '0.00'],
    ['99999999999999.99', 3, '299999999999999.97'],
  ])('%s × %i = %s', (amount, count, expected) => {
    expect(timesCount(amount, count)).toBe(expected);
  });

  test.each([['1.005', 2], ['-1.00', 2], ['1.00', -1], ['1.00', 1.5]])('rejects %s × %s', (amount, count) => {
    expect(() => timesCount(amount, count)).toThrow(RangeError);
  });
});

describe('cost per call of a cost group', () => {
  test.each([
    // 1000.00 / 3 = 333.333… → 333.33
    { spend: ['1000.00'], calls: 3, expected: '333.33' },
    // spend split over several rows is summed first: (0.01 + 0.01) / 3 = 0.00667 → 0.01
    { spend: ['0.01', '0.01'], calls: 3, expected: '0.01' },
    // half a cent rounds away from zero: 0.05 / 2 = 0.025 → 0.03
    { spend: ['0.05'], calls: 2, expected: '0.03' },
    // spend 0 → 0.00, and no spend rows at all → 0.00 too
    { spend: ['0'], calls: 4, expected: '0.00' },
    { spend: [], calls: 4, expected: '0.00' },
  ])('spend $spend over $calls calls → $expected', ({ spend, calls, expected }) => {
    const costs = [cost('group', [], ['offline'], calls, 0), ...spend.map((s) => cost('spend', [], ['offline'], 0, 0, s))];
    expect(costPerCallByGroup(costs).get(JSON.stringify(['offline']))).toBe(expected);
  });

  test.each([
    ['channel', ['channel']],
    ['source_medium', ['channel', 'source', 'medium']],
    ['campaign', ['channel', 'source', 'medium', 'campaign']],
    ['day', ['channel']],
    ['manager', ['channel']],
    ['region', ['channel']],
  ] as const)('by %s costs calls by %j', (by, fields) => {
    expect(costGroupFields(by)).toEqual(fields);
  });
});

describe('computeCallsReport', () => {
  // Two channels: offline spend 1501.00 over 6 calls → 250.17 a call (250.1666…);
  // paid_search 700.00 over 2 calls → 350.00; organic has no spend → 0.00.
  const costs: CallCostRaw[] = [
    cost('group', [], ['offline'], 6, 0),
    cost('group', [], ['paid_search'], 2, 0),
    cost('group', [], ['organic_search'], 1, 0),
    cost('spend', [], ['offline'], 0, 0, '1001.00'),
    cost('spend', [], ['offline'], 0, 0, '500.00'),
    cost('spend', [], ['paid_search'], 0, 0, '700.00'),
    cost('spend', [], ['display'], 0, 0, '90.00'), // spend with no calls: no call carries it
  ];

  test('by channel: cost per call = spend / calls, missed cost = missed × cost per call', () => {
    const report = computeCallsReport(
      raw({
        slices: [
          slice(['offline'], { calls: 6, answered: 4, missed: 2, first_time: 5, repeat: 1, unique_callers: 5, duration_sum: 225, duration_count: 4, leads: 3 }),
          slice(['paid_search'], { calls: 2, answered: 1, missed: 1, first_time: 1, repeat: 1, unique_callers: 1, duration_sum: 120, duration_count: 1, leads: 1 }),
          slice(['organic_search'], { calls: 1, missed: 1, first_time: 1, unique_callers: 1 }),
          slice(null, { calls: 9, answered: 5, missed: 4, first_time: 7, repeat: 2, unique_callers: 6, duration_sum: 345, duration_count: 5, leads: 4 }),
        ],
        costs: [
          ...costs,
          cost('row', ['offline'], ['offline'], 6, 2),
          cost('row', ['paid_search'], ['paid_search'], 2, 1),
          cost('row', ['organic_search'], ['organic_search'], 1, 1),
        ],
      }),
      { by: 'channel' },
    );
    expect(report.keys).toEqual(['channel']);
    expect(report.rows.map((r) => [r.channel, r.calls, r.missed_share, r.avg_duration_sec, r.cost_per_call, r.missed_cost])).toEqual([
      // 2 / 6 = 0.3333; 225 / 4 = 56.25 → 56.3; missed cost 2 × 250.17 = 500.34 (not 1501 × 2 / 6 = 500.33)
      ['offline', 6, 0.3333, 56.3, '250.17', '500.34'],
      ['paid_search', 2, 0.5, 120, '350.00', '350.00'],
      // no answered call → no average; no spend → 0.00
      ['organic_search', 1, 1, null, '0.00', '0.00'],
    ]);
    // Totals: unique callers from the query (a caller in two channels is one), cost
    // 6 × 250.17 + 2 × 350.00 + 0 = 2201.02 over 9 calls = 244.5577… → 244.56;
    // missed cost 500.34 + 350.00 + 0.00 = 850.34; 345 / 5 = 69 s.
    expect(report.totals).toEqual({
      calls: 9, answered: 5, missed: 4, missed_share: 0.4444, first_time: 7, repeat: 2, unique_callers: 6,
      avg_duration_sec: 69, leads: 4, cost_per_call: '244.56', missed_cost: '850.34',
    });
  });

  test('by day: a day mixes channels, each call carrying its channel\'s cost', () => {
    const report = computeCallsReport(
      raw({
        slices: [
          slice(['2026-03-29'], { calls: 3, missed: 2 }),
          slice(['2026-03-02'], { calls: 1 }),
          slice(null, { calls: 4, missed: 2 }),
        ],
        costs: [
          ...costs,
          cost('row', ['2026-03-29'], ['offline'], 2, 1),
          cost('row', ['2026-03-29'], ['organic_search'], 1, 1),
          cost('row', ['2026-03-02'], ['paid_search'], 1, 0),
        ],
      }),
      { by: 'day' },
    );
    // 2026-03-29: (2 × 250.17 + 0.00) / 3 = 166.78; missed 250.17 + 0.00.
    expect(report.rows.map((r) => [r.day, r.cost_per_call, r.missed_cost])).toEqual([
      ['2026-03-02', '350.00', '0.00'],
      ['2026-03-29', '166.78', '250.17'],
    ]);
    expect([report.totals.cost_per_call, report.totals.missed_cost]).toEqual(['212.59', '250.17']); // 850.34 / 4 = 212.585 → 212.59
  });

  test('missed by manager adds up to the total missed cost; empty manager and region are labelled', () => {
    const report = computeCallsReport(
      raw({
        slices: [slice([''], { calls: 2, missed: 2 }), slice(['Olena'], { calls: 3, missed: 1 }), slice(null, { calls: 5, missed: 3 })],
        costs: [
          ...costs,
          cost('row', [''], ['offline'], 1, 1),
          cost('row', [''], ['paid_search'], 1, 1),
          cost('row', ['Olena'], ['offline'], 3, 1),
          cost('manager', [''], ['offline'], 0, 1),
          cost('manager', [''], ['paid_search'], 0, 1),
          cost('manager', ['Olena'], ['offline'], 0, 1),
        ],
      }),
      { by: 'manager' },
    );
    expect(report.rows.map((r) => [r.manager, r.calls, r.missed_cost])).toEqual([
      ['Olena', 3, '250.17'],
      ['(unassigned)', 2, '600.17'],
    ]);
    // 250.17 + 350.00 = 600.17 unassigned; 250.17 Olena; together 850.34 = total missed cost
    expect(report.missedByManager).toEqual([
      { manager: '(unassigned)', missed: 2, missed_cost: '600.17' },
      { manager: 'Olena', missed: 1, missed_cost: '250.17' },
    ]);
    expect(report.totals.missed_cost).toBe('850.34');
    const byRegion = computeCallsReport(raw({ slices: [slice([''], { calls: 1 })] }), { by: 'region' });
    expect(byRegion.rows[0]?.region).toBe('(none)');
  });

  test('the hour grid has every weekday × hour cell, zeros included', () => {
    const report = computeCallsReport(raw({ hours: [{ weekday: 7, hour: 0, calls: 2, missed: 1 }, { weekday: 1, hour: 9, calls: 5, missed: 0 }] }), { by: 'channel' });
    expect(report.byHour).toHaveLength(7 * 24);
    expect(report.byHour[0]).toEqual({ weekday: 1, hour: 0, calls: 0, missed: 0 });
    expect(report.byHour.find((h) => h.weekday === 1 && h.hour === 9)).toEqual({ weekday: 1, hour: 9, calls: 5, missed: 0 });
    expect(report.byHour.at(-1)).toEqual({ weekday: 7, hour: 23, calls: 0, missed: 0 });
    expect(report.byHour.find((h) => h.weekday === 7 && h.hour === 0)).toEqual({ weekday: 7, hour: 0, calls: 2, missed: 1 });
  });

  test.each([
    { spend: '1001.00', leads: 2, cpl: '500.50' },
    { spend: '200.00', leads: 0, cpl: null }, // no leads → no CPL
    { spend: '0.00', leads: 3, cpl: '0.00' },
    { spend: null, leads: 3, cpl: null }, // spend not sliceable (manager filter)
  ])('static number: spend $spend, $leads leads → CPL $cpl', ({ spend, leads, cpl }) => {
    const report = computeCallsReport(
      raw({ staticNumbers: [{ number: '+380441110001', valid_from: '-infinity', source: 's', medium: 'offline', campaign: 'c', calls: 4, first_time: 3, missed: 2, leads, spend }] }),
      { by: 'channel' },
    );
    expect(report.staticNumbers).toEqual([
      { number: '+380441110001', source: 's', medium: 'offline', campaign: 'c', calls: 4, first_time: 3, missed: 2, leads, spend, cpl },
    ]);
  });

  test('no calls: an empty report with null ratios', () => {
    const report = computeCallsReport(raw({ slices: [slice(null, {})] }), { by: 'channel' });
    expect(report.rows).toEqual([]);
    expect(report.totals).toMatchObject({ calls: 0, missed_share: null, avg_duration_sec: null, cost_per_call: null, missed_cost: '0.00' });
    expect(report.missedByManager).toEqual([]);
  });
});
