import { describe, expect, test } from 'vitest';
import { computeManagerRow, computeManagers, type ManagerCallRaw, type ManagerLeadRaw } from '../../../app/reports/managers';

function leadsOf(manager: string | null, over: Partial<ManagerLeadRaw> = {}): ManagerLeadRaw {
  return {
    manager, leads: 0, contacted: 0, timed: 0, within_15m: 0, median_hours_to_contact: null,
    qualified: 0, won: 0, lost: 0, junk: 0, revenue: '0', ...over,
  };
}
const callsOf = (manager: string | null, calls: number, missed_calls: number): ManagerCallRaw => ({ manager, calls, missed_calls });

describe('one manager row', () => {
  test.each([
    {
      name: 'rates and average deal',
      // qualified 3/8; win rate 2 / (2 + 4) with the 2 junk left out; avg 3000.01 / 2 = 1500.005 → 1500.01 (half away
      // from zero); within 15 min 1 of 4 timed; missed 2/5.
      l: { leads: 8, contacted: 6, timed: 4, within_15m: 1, median_hours_to_contact: 1.23456, qualified: 3, won: 2, lost: 4, junk: 2, revenue: '3000.01' },
      c: { calls: 5, missed_calls: 2 },
      expected: {
        median_hours_to_contact: 1.23, contacted_within_15m_share: 0.25, qualified_rate: 0.375, win_rate: 0.3333,
        revenue: '3000.01', avg_deal: '1500.01', missed_share: 0.4,
      },
    },
    {
      name: 'zero denominators are null',
      l: { leads: 0, contacted: 0, timed: 0, within_15m: 0, median_hours_to_contact: null, qualified: 0, won: 0, lost: 0, junk: 3, revenue: '0' },
      c: { calls: 0, missed_calls: 0 },
      expected: {
        median_hours_to_contact: null, contacted_within_15m_share: null, qualified_rate: null, win_rate: null,
        revenue: '0.00', avg_deal: null, missed_share: null,
      },
    },
    {
      name: 'won without amounts: revenue 0.00, average 0.00',
      l: { leads: 1, contacted: 1, timed: 1, within_15m: 1, median_hours_to_contact: 0.1, qualified: 1, won: 1, lost: 0, junk: 0, revenue: '0' },
      c: { calls: 1, missed_calls: 1 },
      expected: {
        median_hours_to_contact: 0.1, contacted_within_15m_share: 1, qualified_rate: 1, win_rate: 1,
        revenue: '0.00', avg_deal: '0.00', missed_share: 1,
      },
    },
  ])('$name', ({ l, c, expected }) => {
    expect(computeManagerRow('Anna', l, c)).toMatchObject({ manager: 'Anna', ...expected });
  });

  test('without calls the call columns are null', () => {
    expect(computeManagerRow('Anna', leadsOf('Anna', { leads: 1 }), null)).toMatchObject({ calls: null, missed_calls: null, missed_share: null });
  });
});

describe('leaderboard', () => {
  test('managers from leads and calls, by revenue then won then leads, unassigned last, total from the SQL total row', () => {
    const report = computeManagers({
      leads: [
        leadsOf('Anna', { leads: 4, won: 2, revenue: '4000.50' }),
        leadsOf('Bohdan', { leads: 2, won: 1, revenue: '4000.5' }),
        leadsOf('Chen', { leads: 5, won: 1, revenue: '4000.50' }),
        leadsOf('', { leads: 9 }),
        leadsOf(null, { leads: 20, won: 4, revenue: '12001.50' }),
      ],
      // Dana has calls but no leads.
      calls: [callsOf('Anna', 3, 1), callsOf('Dana', 2, 0), callsOf('', 1, 1), callsOf(null, 6, 2)],
    });
    expect(report.rows.map((r) => [r.manager, r.leads, r.revenue, r.calls])).toEqual([
      // Equal revenue: Anna (2 won) before Chen (1 won, 5 leads) before Bohdan (1 won, 2 leads).
      ['Anna', 4, '4000.50', 3],
      ['Chen', 5, '4000.50', 0],
      ['Bohdan', 2, '4000.50', 0],
      ['Dana', 0, '0.00', 2],
      ['(unassigned)', 9, '0.00', 1],
    ]);
    expect(report.totals).toMatchObject({ manager: 'total', leads: 20, won: 4, revenue: '12001.50', avg_deal: '3000.38', calls: 6, missed_calls: 2 });
    expect(report.hasCalls).toBe(true);
  });

  test('calls left out', () => {
    const report = computeManagers({ leads: [leadsOf('Anna', { leads: 1 }), leadsOf(null, { leads: 1 })], calls: null });
    expect(report.hasCalls).toBe(false);
    expect([report.rows[0]?.calls, report.totals.calls]).toEqual([null, null]);
  });
});
