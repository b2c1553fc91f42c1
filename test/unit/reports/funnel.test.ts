import { describe, expect, test } from 'vitest';
import {
  computeFunnel,
  computeReasons,
  computeSpeedRows,
  funnelBreakdownOf,
  type FunnelOutcomeRaw,
  type FunnelRawRows,
  type FunnelStageRaw,
} from '../../../app/reports/funnel';

const STAGE_NAMES = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won'];

/** Raw stage rows of one group from [entered, reached, median hours] per stage. */
function stagesOf(group: string | null, counts: [number, number, number | null][]): FunnelStageRaw[] {
  return counts.map(([entered, reached, median], i) => ({
    group, position: i + 1, stage: STAGE_NAMES[i]!, entered, reached, median_hours_to_next: median,
  }));
}

function outcomeOf(group: string | null, leads: number, over: Partial<FunnelOutcomeRaw> = {}): FunnelOutcomeRaw {
  return { group, leads, won: 0, lost: 0, junk: 0, open: leads, median_sales_cycle_days: null, ...over };
}

const raw = (over: Partial<FunnelRawRows>): FunnelRawRows => ({ stages: [], outcomes: [], reasons: [], speed: [], ...over });

describe('funnelBreakdownOf', () => {
  test.each([
    [undefined, null],
    ['region', 'region'],
    ['channel', 'channel'],
    ['manager', 'manager'],
    ['temperature', 'temperature'],
    ['month', 'month'],
  ] as const)('%s → %s', (by, expected) => {
    expect(funnelBreakdownOf(by)).toBe(expected);
  });

  test.each(['week', 'campaign', 'source_medium'] as const)('%s is refused with the list of breakdowns', (by) => {
    expect(() => funnelBreakdownOf(by)).toThrow(/region, channel, manager, temperature, month; not by/);
  });
});

describe('stage rows', () => {
  test.each([
    {
      name: 'skipped = reached − entered; step and first-stage conversions from reached',
      // reached 10 8 6 3 2 1: step 8/10, 6/8, 3/6, 2/3, 1/2, none after the last stage.
      counts: [[10, 10, 0.5], [7, 8, 24], [4, 6, 48.123], [3, 3, null], [1, 2, 12], [1, 1, 99]] as [number, number, number | null][],
      expected: [
        ['new', 0, 0.8, 1, 0.5],
        ['contacted', 1, 0.75, 0.8, 24],
        ['qualified', 2, 0.5, 0.6, 48.12],
        ['proposal', 0, 0.6667, 0.3, null],
        ['negotiation', 1, 0.5, 0.2, 12],
        // The last stage has no next stage: no step conversion and no time to next.
        ['won', 0, null, 0.1, null],
      ],
    },
    {
      name: 'a stage nobody reached gives null step conversion, never 0 or Infinity',
      counts: [[2, 2, null], [0, 0, null], [0, 0, null], [0, 0, null], [0, 0, null], [0, 0, null]] as [number, number, number | null][],
      expected: [
        ['new', 0, 0, 1, null],
        ['contacted', 0, null, 0, null],
        ['qualified', 0, null, 0, null],
        ['proposal', 0, null, 0, null],
        ['negotiation', 0, null, 0, null],
        ['won', 0, null, 0, null],
      ],
    },
  ])('$name', ({ counts, expected }) => {
    const report = computeFunnel(raw({ stages: stagesOf(null, counts), outcomes: [outcomeOf(null, counts[0]![1])] }), { by: null });
    expect(report.stages.map((s) => [s.stage, s.skipped, s.step_conversion, s.conversion_from_first, s.median_hours_to_next])).toEqual(expected);
    expect(report.stages.every((s) => s.group === '')).toBe(true);
  });

  test('no leads: no groups and no rows', () => {
    const report = computeFunnel(raw({ outcomes: [outcomeOf(null, 0)] }), { by: null });
    expect([report.groups, report.stages, report.outcomes]).toEqual([[], [], []]);
  });
});

describe('outcomes', () => {
  test.each([
    // win_rate = won / (won + lost): junk never enters it.
    { name: 'junk left out of the win rate', o: { won: 2, lost: 2, junk: 6, open: 0 }, leads: 10, win: 0.5, junk: 0.6 },
    { name: 'only junk and open: no win rate', o: { won: 0, lost: 0, junk: 1, open: 2 }, leads: 3, win: null, junk: 0.3333 },
    { name: 'all won', o: { won: 3, lost: 0, junk: 0, open: 0 }, leads: 3, win: 1, junk: 0 },
  ])('$name', ({ o, leads, win, junk }) => {
    const report = computeFunnel(raw({ stages: stagesOf(null, [[leads, leads, null]]), outcomes: [outcomeOf(null, leads, o)] }), { by: null });
    expect(report.outcomes).toEqual([{ group: '', leads, ...o, win_rate: win, junk_rate: junk, median_sales_cycle_days: null }]);
  });

  test('sales cycle rounded to 2 decimals, and empty without wins', () => {
    const report = computeFunnel(raw({
      stages: [...stagesOf('a', [[1, 1, null]]), ...stagesOf('b', [[1, 1, null]]), ...stagesOf(null, [[2, 2, null]])],
      outcomes: [
        outcomeOf('a', 1, { won: 1, open: 0, median_sales_cycle_days: 7.520833 }),
        outcomeOf('b', 1, { median_sales_cycle_days: null }),
        outcomeOf(null, 2, { won: 1, open: 1, median_sales_cycle_days: 7.520833 }),
      ],
    }), { by: 'region' });
    expect(report.outcomes.map((o) => [o.group, o.median_sales_cycle_days])).toEqual([['a', 7.52], ['b', null], ['total', 7.52]]);
  });
});

describe('groups', () => {
  test.each([
    {
      by: 'region' as const,
      // By leads, then name; the empty region is '(none)'; the total last.
      groups: [['Lviv', 2], ['', 5], ['Kyiv', 2]] as [string, number][],
      expected: ['(none)', 'Kyiv', 'Lviv', 'total'],
    },
    {
      by: 'manager' as const,
      groups: [['Anna', 1], ['', 3]] as [string, number][],
      expected: ['(unassigned)', 'Anna', 'total'],
    },
    {
      by: 'month' as const,
      // Months in time order, whatever their size.
      groups: [['2026-04-01', 9], ['2026-02-01', 1], ['2026-03-01', 4]] as [string, number][],
      expected: ['2026-02-01', '2026-03-01', '2026-04-01', 'total'],
    },
  ])('order and labels by $by', ({ by, groups, expected }) => {
    const total = groups.reduce((s, [, n]) => s + n, 0);
    const report = computeFunnel(raw({
      stages: [...groups.flatMap(([g, n]) => stagesOf(g, [[n, n, null], [0, 0, null]])), ...stagesOf(null, [[total, total, null], [0, 0, null]])],
      outcomes: [...groups.map(([g, n]) => outcomeOf(g, n)), outcomeOf(null, total)],
    }), { by });
    expect(report.groups).toEqual(expected);
    expect(report.outcomes.map((o) => o.group)).toEqual(expected);
    // Each group's stages together, in pipeline order.
    expect(report.stages.map((s) => `${s.group}/${s.stage}`)).toEqual(expected.flatMap((g) => [`${g}/new`, `${g}/contacted`]));
  });
});

describe('reasons', () => {
  test('ranked by count within lost then junk; missing reasons merged; share of the outcome', () => {
    expect(computeReasons([
      { outcome: 'junk', reason: 'spam', leads: 3 },
      { outcome: 'lost', reason: 'price', leads: 2 },
      { outcome: 'lost', reason: null, leads: 1 },
      { outcome: 'lost', reason: '', leads: 1 },
      { outcome: 'lost', reason: 'competitor', leads: 4 },
      { outcome: 'junk', reason: 'duplicate', leads: 1 },
    ])).toEqual([
      // lost: 4 + 2 + (1 + 1) = 8; junk: 3 + 1 = 4. Equal counts by name.
      { outcome: 'lost', reason: 'competitor', leads: 4, share: 0.5 },
      { outcome: 'lost', reason: '(not given)', leads: 2, share: 0.25 },
      { outcome: 'lost', reason: 'price', leads: 2, share: 0.25 },
      { outcome: 'junk', reason: 'spam', leads: 3, share: 0.75 },
      { outcome: 'junk', reason: 'duplicate', leads: 1, share: 0.25 },
    ]);
  });
});

describe('speed to first contact', () => {
  test('median and 15-minute share over leads with a contact time; none → null', () => {
    expect(computeSpeedRows([
      { manager: '', leads: 9, contacted: 0, timed: 0, within_15m: 0, median_hours_to_contact: null },
      { manager: 'Bohdan', leads: 2, contacted: 2, timed: 2, within_15m: 0, median_hours_to_contact: 24 },
      { manager: 'Anna', leads: 4, contacted: 3, timed: 3, within_15m: 2, median_hours_to_contact: 0.083333 },
      { manager: null, leads: 15, contacted: 5, timed: 5, within_15m: 2, median_hours_to_contact: 0.625 },
    ])).toEqual([
      // By leads; '(unassigned)' last before the total. Anna 2/3 within 15 minutes.
      { manager: 'Anna', leads: 4, contacted: 3, median_hours_to_contact: 0.08, contacted_within_15m_share: 0.6667 },
      { manager: 'Bohdan', leads: 2, contacted: 2, median_hours_to_contact: 24, contacted_within_15m_share: 0 },
      { manager: '(unassigned)', leads: 9, contacted: 0, median_hours_to_contact: null, contacted_within_15m_share: null },
      { manager: 'total', leads: 15, contacted: 5, median_hours_to_contact: 0.63, contacted_within_15m_share: 0.4 },
    ]);
  });
});
