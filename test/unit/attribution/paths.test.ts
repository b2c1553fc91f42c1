import { describe, expect, test } from 'vitest';
import {
  computeAggregatedPaths,
  computeAssistedConversions,
  computeCollapsedPath,
  computePathLengthDistribution,
  computeTimeToLeadDistribution,
  computeTopConvertingPaths,
  formatPath,
} from '../../../app/reports/attribution/paths';
import { DAY_MS, type Journey } from '../../../app/reports/attribution/types';

const LEAD_AT = Date.UTC(2026, 3, 1, 9);
const HOUR_MS = 3_600_000;

/** A journey from `a > b > c`, touches an hour apart ending `daysToLead` after the first one. */
function journey(path: string, outcome: { revenue?: string | null; daysToLead?: number } | null): Journey {
  const channels = path.split(' > ');
  const firstAt = LEAD_AT - (outcome?.daysToLead ?? 1) * DAY_MS;
  return {
    touches: channels.map((channel, i) => ({ channel, at: firstAt + i * HOUR_MS })),
    leadAt: outcome ? LEAD_AT : null,
    revenue: outcome?.revenue ?? null,
  };
}

describe('collapse and format', () => {
  test.each([
    { path: ['a'], collapsed: ['a'] },
    { path: ['a', 'a', 'b'], collapsed: ['a', 'b'] },
    { path: ['a', 'a', 'b', 'a', 'a'], collapsed: ['a', 'b', 'a'] },
    { path: [], collapsed: [] },
  ])('$path → $collapsed', ({ path, collapsed }) => {
    expect(computeCollapsedPath(path)).toEqual(collapsed);
  });

  test('joins with " > "', () => {
    expect(formatPath(['paid_search', 'email', 'direct'])).toBe('paid_search > email > direct');
  });
});

const journeys: Journey[] = [
  journey('paid_search > email', { revenue: '100.10', daysToLead: 0.5 }),
  journey('paid_search > email > email', { revenue: '0.20', daysToLead: 3 }),
  journey('paid_search > email', { revenue: null, daysToLead: 8 }),
  journey('direct', { revenue: '50', daysToLead: 0 }),
  journey('email > paid_search > email', { revenue: '10', daysToLead: 120 }),
  journey('paid_search > email', null),
  journey('organic_search', null),
];

describe('computeAggregatedPaths', () => {
  test('groups exact paths (repeats kept) into conversions, value and nulls', () => {
    expect(computeAggregatedPaths(journeys)).toEqual([
      { path: ['paid_search', 'email'], conversions: 2, value: 100.1, nulls: 1 },
      { path: ['paid_search', 'email', 'email'], conversions: 1, value: 0.2, nulls: 0 },
      { path: ['direct'], conversions: 1, value: 50, nulls: 0 },
      { path: ['email', 'paid_search', 'email'], conversions: 1, value: 10, nulls: 0 },
      { path: ['organic_search'], conversions: 0, value: 0, nulls: 1 },
    ]);
  });

  test('rejects a journey without touches', () => {
    expect(() => computeAggregatedPaths([{ touches: [], leadAt: LEAD_AT, revenue: null }])).toThrow(RangeError);
  });
});

describe('computeTopConvertingPaths', () => {
  test('collapsed by default; leads, exact revenue and share of the 5 leads', () => {
    // paid_search > email: 2 raw + 1 collapsed (email > email) = 3 leads, 100.10 + 0.20 = 100.30.
    expect(computeTopConvertingPaths(journeys)).toEqual([
      { path: 'paid_search > email', channels: ['paid_search', 'email'], leads: 3, revenue: '100.30', share: 3 / 5 },
      { path: 'direct', channels: ['direct'], leads: 1, revenue: '50', share: 1 / 5 },
      {
        path: 'email > paid_search > email',
        channels: ['email', 'paid_search', 'email'],
        leads: 1,
        revenue: '10',
        share: 1 / 5,
      },
    ]);
  });

  test('uncollapsed and limited', () => {
    const top = computeTopConvertingPaths(journeys, { collapseRepeats: false, limit: 2 });
    expect(top.map((p) => [p.path, p.leads])).toEqual([
      ['paid_search > email', 2],
      ['direct', 1],
    ]);
  });

  test('no leads: no rows', () => {
    expect(computeTopConvertingPaths([journey('a', null)])).toEqual([]);
  });
});

describe('computePathLengthDistribution', () => {
  test.each([
    {
      name: 'touches, gaps filled',
      options: {},
      // lengths: 2, 3, 2, 1, 3
      expected: [
        { length: 1, isOpenEnded: false, leads: 1, share: 0.2 },
        { length: 2, isOpenEnded: false, leads: 2, share: 0.4 },
        { length: 3, isOpenEnded: false, leads: 2, share: 0.4 },
      ],
    },
    {
      name: 'collapsed',
      options: { collapseRepeats: true },
      // lengths: 2, 2, 2, 1, 3
      expected: [
        { length: 1, isOpenEnded: false, leads: 1, share: 0.2 },
        { length: 2, isOpenEnded: false, leads: 3, share: 0.6 },
        { length: 3, isOpenEnded: false, leads: 1, share: 0.2 },
      ],
    },
    {
      name: 'capped at 2',
      options: { capAt: 2 },
      expected: [
        { length: 1, isOpenEnded: false, leads: 1, share: 0.2 },
        { length: 2, isOpenEnded: true, leads: 4, share: 0.8 },
      ],
    },
  ])('$name', ({ options, expected }) => {
    expect(computePathLengthDistribution(journeys, options)).toEqual(expected);
  });

  test('no leads: no buckets', () => {
    expect(computePathLengthDistribution([], { capAt: 5 })).toEqual([]);
  });
});

describe('computeTimeToLeadDistribution', () => {
  test('default buckets: 0.5 and 0 days → [0,1), 3 → [3,7), 8 → [7,14), 120 → [90,∞)', () => {
    const buckets = computeTimeToLeadDistribution(journeys);
    expect(buckets.map((b) => [b.fromDays, b.toDays, b.leads])).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 3, 0],
      [3, 7, 1],
      [7, 14, 1],
      [14, 30, 0],
      [30, 60, 0],
      [60, 90, 0],
      [90, null, 1],
    ]);
    expect(buckets[0]?.share).toBe(0.4);
  });

  test('custom buckets; a first touch after the lead counts as 0 days', () => {
    const skewed: Journey = { touches: [{ channel: 'a', at: LEAD_AT + HOUR_MS }], leadAt: LEAD_AT, revenue: null };
    expect(computeTimeToLeadDistribution([skewed, journey('a', { daysToLead: 7 })], [0, 7])).toEqual([
      { fromDays: 0, toDays: 7, leads: 1, share: 0.5 },
      { fromDays: 7, toDays: null, leads: 1, share: 0.5 },
    ]);
  });

  test.each([[[1, 7]], [[0, 7, 7]], [[]]])('rejects boundaries %j', (boundaries) => {
    expect(() => computeTimeToLeadDistribution(journeys, boundaries)).toThrow(RangeError);
  });

  test('no leads: zero shares, not NaN', () => {
    expect(computeTimeToLeadDistribution([], [0, 1])).toEqual([
      { fromDays: 0, toDays: 1, leads: 0, share: 0 },
      { fromDays: 1, toDays: null, leads: 0, share: 0 },
    ]);
  });
});

describe('computeAssistedConversions', () => {
  test('assists once per lead; a channel that also closes the lead counts as last touch only', () => {
    // Leads: ps > em (x2), ps > em > em, direct, em > ps > em.
    // email: last in 4 leads, never assists (its earlier touch in em > ps > em is the closing channel).
    // paid_search: assists in all 4 of those, closes none. direct: closes 1.
    expect(computeAssistedConversions(journeys)).toEqual([
      { channel: 'email', lastTouchLeads: 4, assistedLeads: 0, assistRatio: 0 },
      { channel: 'paid_search', lastTouchLeads: 0, assistedLeads: 4, assistRatio: null },
      { channel: 'direct', lastTouchLeads: 1, assistedLeads: 0, assistRatio: 0 },
    ]);
  });
});
