import { describe, expect, test } from 'vitest';
import { computePathsReport, TOP_PATHS_LIMIT } from '../../../app/reports/paths-report';
import { DAY_MS } from '../../../app/reports/attribution/types';
import type { LeadPathRow } from '../../../app/reports/journeys';

const LEAD_AT = Date.UTC(2026, 2, 10, 12);
const HOUR = DAY_MS / 24;

function lead(
  id: string,
  touches: [channel: string, msBefore: number][],
  extra: Partial<Pick<LeadPathRow, 'isWon' | 'amount' | 'knownTouches' | 'explicitChannel'>> = {},
): LeadPathRow {
  return {
    leadId: id,
    leadAt: LEAD_AT,
    channels: touches.map(([c]) => c),
    touchedAt: touches.map(([, ms]) => LEAD_AT - ms),
    explicitChannel: extra.explicitChannel ?? null,
    isWon: extra.isWon ?? false,
    amount: extra.amount ?? null,
    knownTouches: extra.knownTouches ?? touches.length,
  };
}

// L1 paid_search, paid_search, direct (10 days, 5 days, 1 hour before), won 100.50
// L2 paid_search, direct (first 2.5 days before), lost with an amount (not revenue)
// L3 no touch, explicit source offline: one stand-in touch, won 200
// L4 one direct session 30 minutes before
// L5 organic 45 days before, a direct visit, then the billboard call (last), won 49.50
const LEADS = [
  lead('L1', [['paid_search', 10 * DAY_MS], ['paid_search', 5 * DAY_MS], ['direct', HOUR]], { isWon: true, amount: '100.50' }),
  lead('L2', [['paid_search', 2.5 * DAY_MS], ['direct', HOUR]], { amount: '999.00' }),
  lead('L3', [['offline', 0]], { isWon: true, amount: '200', knownTouches: 0, explicitChannel: 'offline' }),
  lead('L4', [['direct', HOUR / 2]]),
  lead('L5', [['organic_search', 45 * DAY_MS], ['direct', 2 * HOUR], ['offline', 3 * HOUR]], { isWon: true, amount: '49.50' }),
];
const report = computePathsReport(LEADS);

describe('top converting paths (repeats collapsed)', () => {
  test('most leads first, then most revenue', () => {
    // paid_search > direct: L1 + L2 = 2 leads of 5 (0.4), revenue L1 only (L2 lost), 1 won.
    // One lead each, by revenue: offline 200.00, organic > direct > offline 49.50, direct 0.00.
    expect(report.rows).toEqual([
      { path: 'paid_search > direct', leads: 2, share: 0.4, revenue: '100.50', won: 1 },
      { path: 'offline', leads: 1, share: 0.2, revenue: '200.00', won: 1 },
      { path: 'organic_search > direct > offline', leads: 1, share: 0.2, revenue: '49.50', won: 1 },
      { path: 'direct', leads: 1, share: 0.2, revenue: '0.00', won: 0 },
    ]);
    expect([report.leads, report.won, report.revenue, report.distinctPaths]).toEqual([5, 3, '350.00', 4]);
  });

  test(`at most ${TOP_PATHS_LIMIT} paths`, () => {
    const many = Array.from({ length: 25 }, (_, i) => lead(`M${i}`, [[`channel_${String(i).padStart(2, '0')}`, HOUR]]));
    const top = computePathsReport(many);
    expect(top.rows).toHaveLength(TOP_PATHS_LIMIT);
    expect(top.rows[0]).toEqual({ path: 'channel_00', leads: 1, share: 0.04, revenue: '0.00', won: 0 });
    expect(top.distinctPaths).toBe(25);
  });
});

describe('sections', () => {
  test('length: touches per lead, repeats counted, 1..9 and 10+', () => {
    // 1 touch: L3, L4; 2: L2; 3: L1 (repeats count), L5.
    expect(report.length).toEqual([
      { touches: '1', leads: 2, share: 0.4 },
      { touches: '2', leads: 1, share: 0.2 },
      { touches: '3', leads: 2, share: 0.4 },
      ...[4, 5, 6, 7, 8, 9].map((n) => ({ touches: String(n), leads: 0, share: 0 })),
      { touches: '10+', leads: 0, share: 0 },
    ]);
  });

  test('time to lead: leads with a known touch only (L3 has none)', () => {
    // L4 0.02 d → 0-1; L2 2.5 d → 2-3; L1 10 d → 7-14; L5 45 d → 30-60; 4 leads, 0.25 each.
    const buckets = Object.fromEntries(report.timeToLead.map((b) => [b.bucket, [b.leads, b.share]]));
    expect(buckets).toEqual({
      '0-1': [1, 0.25], '1-2': [0, 0], '2-3': [1, 0.25], '3-7': [0, 0], '7-14': [1, 0.25],
      '14-30': [0, 0], '30-60': [1, 0.25], '60-90': [0, 0], '90+': [0, 0],
    });
    expect(report.leadsWithoutKnownTouch).toBe(1);
  });

  test('assisted: last touch vs. on the path, once per lead', () => {
    // direct: last for L1, L2, L4, assists L5 → 3 / 1; offline: last for L3, L5;
    // paid_search: assists L1, L2 (once each though L1 has it twice); organic: assists L5.
    expect(report.assisted).toEqual([
      { channel: 'direct', last_touch_leads: 3, assisted_leads: 1, assist_ratio: 0.3333 },
      { channel: 'offline', last_touch_leads: 2, assisted_leads: 0, assist_ratio: 0 },
      { channel: 'paid_search', last_touch_leads: 0, assisted_leads: 2, assist_ratio: null },
      { channel: 'organic_search', last_touch_leads: 0, assisted_leads: 1, assist_ratio: null },
    ]);
  });
});

describe('edge cases', () => {
  test('no leads: empty tables, time-to-lead shares null', () => {
    const empty = computePathsReport([]);
    expect([empty.rows, empty.length, empty.assisted]).toEqual([[], [], []]);
    expect(empty.timeToLead.every((b) => b.leads === 0 && b.share === null)).toBe(true);
    expect([empty.leads, empty.won, empty.revenue]).toEqual([0, 0, '0.00']);
  });

  test('only stand-in touches: time to lead has no lead to count', () => {
    const r = computePathsReport([lead('L1', [['direct', 0]], { knownTouches: 0 })]);
    expect(r.timeToLead.every((b) => b.share === null)).toBe(true);
    expect(r.rows).toEqual([{ path: 'direct', leads: 1, share: 1, revenue: '0.00', won: 0 }]);
  });

  test('all-direct paths collapse to one', () => {
    const r = computePathsReport([lead('L1', [['direct', 2 * HOUR], ['direct', HOUR]]), lead('L2', [['direct', HOUR]])]);
    expect(r.rows).toEqual([{ path: 'direct', leads: 2, share: 1, revenue: '0.00', won: 0 }]);
    expect(r.assisted).toEqual([{ channel: 'direct', last_touch_leads: 2, assisted_leads: 0, assist_ratio: 0 }]);
  });
});
