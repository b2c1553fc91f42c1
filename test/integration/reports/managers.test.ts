import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import { reportParamsSchema, type ReportParamsInput } from '../../../app/reports/params';
import { splitMedianGroupings } from '../../../db/queries/funnel';
import { getManagerRows } from '../../../db/queries/managers';
import { managersReport } from '../../../db/reports/managers';
import type { Workspace } from '../../../db/schema';

// Two managers in March 2026 (Europe/Kyiv, +02:00 until 29 March, then +03:00).
//   Anna  A1 contacted after 5 min, qualified, won 03-10, 1500.00
//         A2 contacted after 1 h, lost
//         A3 contacted after exactly 15 min, qualified, won on 5 April (next month), 2500.50
//         A4 junk from new
//   Bohdan B1 contacted after 24 h, qualified, lost
//          B2 won with no stage history (reached every stage, no contact time), 800.00
//          B3 created in February, qualified in February, won 03-15, 1000.00
//   U1 no manager, open at new.
const LEADS = csv(
  'lead_id,created_at,kind,manager,stage,outcome,loss_reason,amount,closed_at',
  'A1,2026-03-02T10:00:00+02:00,form,Anna,won,won,,1500.00,2026-03-10T10:00:00+02:00',
  'A2,2026-03-04T10:00:00+02:00,form,Anna,contacted,lost,price,,2026-03-05T10:00:00+02:00',
  'A3,2026-03-06T10:00:00+02:00,form,Anna,won,won,,2500.50,2026-04-05T10:00:00+03:00',
  'A4,2026-03-08T10:00:00+02:00,form,Anna,new,junk,spam,,2026-03-08T11:00:00+02:00',
  'B1,2026-03-03T12:00:00+02:00,form,Bohdan,qualified,lost,timing,,2026-03-06T12:00:00+02:00',
  'B2,2026-03-05T12:00:00+02:00,form,Bohdan,won,won,,800,2026-03-20T12:00:00+02:00',
  'B3,2026-02-20T10:00:00+02:00,form,Bohdan,won,won,,1000.00,2026-03-15T10:00:00+02:00',
  'U1,2026-03-09T10:00:00+02:00,form,,new,open,,,',
);
const STAGES = csv(
  'lead_id,stage,entered_at',
  'A1,new,2026-03-02T10:00:00+02:00',
  'A1,contacted,2026-03-02T10:05:00+02:00',
  'A1,qualified,2026-03-03T10:00:00+02:00',
  'A1,won,2026-03-10T10:00:00+02:00',
  'A2,new,2026-03-04T10:00:00+02:00',
  'A2,contacted,2026-03-04T11:00:00+02:00',
  'A3,new,2026-03-06T10:00:00+02:00',
  'A3,contacted,2026-03-06T10:15:00+02:00',
  'A3,qualified,2026-03-07T10:00:00+02:00',
  'A4,new,2026-03-08T10:00:00+02:00',
  'B1,new,2026-03-03T12:00:00+02:00',
  'B1,contacted,2026-03-04T12:00:00+02:00',
  'B1,qualified,2026-03-05T12:00:00+02:00',
  'B3,new,2026-02-20T10:00:00+02:00',
  'B3,contacted,2026-02-20T10:30:00+02:00',
  'B3,qualified,2026-02-25T10:00:00+02:00',
  'U1,new,2026-03-09T10:00:00+02:00',
);
// c6 is in February (Kyiv); c7 at 23:50 on 31 March (+03:00) is still March in Kyiv.
const CALLS = csv(
  'call_id,started_at,caller_phone,tracking_number,status,manager,region',
  'c1,2026-03-02T09:55:00+02:00,+380501111111,+380441234567,answered,Anna,Kyiv',
  'c2,2026-03-04T09:00:00+02:00,+380502222222,+380441234567,answered,Anna,Kyiv',
  'c3,2026-03-06T18:00:00+02:00,+380503333333,+380441234567,missed,Anna,Lviv',
  'c4,2026-03-03T11:00:00+02:00,+380504444444,+380441234567,answered,Bohdan,Kyiv',
  'c5,2026-03-07T08:00:00+02:00,+380505555555,+380441234567,missed,,Kyiv',
  'c6,2026-02-28T23:30:00+02:00,+380506666666,+380441234567,answered,Bohdan,Kyiv',
  'c7,2026-03-31T23:50:00+03:00,+380507777777,+380441234567,missed,Bohdan,Kyiv',
);

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'managers');
  for (const [kind, content] of [['leads', LEADS], ['lead_stages', STAGES], ['calls', CALLS]] as const) {
    expect((await importText(t.db, ws, kind, content)).status).toBe('succeeded');
  }
});
afterAll(async () => t.drop());

const run = (over: Partial<ReportParamsInput> = {}) =>
  managersReport(t.db, ws, reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', ...over }));

describe('managers leaderboard', () => {
  test('cohort by lead: speed, rates, revenue and calls per manager', async () => {
    const out = await run();
    expect(out.rows).toEqual([
      // Anna: leads A1–A4; contacted A1 A2 A3 (A4 junk from new). Contact times 5 min = 0.0833 h, 1 h, 0.25 h
      //   → median 0.25, within 15 min A1 and A3 (inclusive) = 2/3. qualified A1 A3 = 2/4. won A1 A3 (A3 closes
      //   in April but was created in March), lost A2, junk A4 → win rate 2/3. revenue 1500.00 + 2500.50 = 4000.50,
      //   avg 2000.25. calls c1 c2 c3 → 3, missed c3 → 1/3.
      {
        manager: 'Anna', leads: 4, contacted: 3, median_hours_to_contact: 0.25, contacted_within_15m_share: 0.6667,
        qualified: 2, qualified_rate: 0.5, won: 2, lost: 1, junk: 1, win_rate: 0.6667, revenue: '4000.50', avg_deal: '2000.25',
        calls: 3, missed_calls: 1, missed_share: 0.3333,
      },
      // Bohdan: leads B1 B2 (B3 is February's). contacted B1 and B2 (won: reached every stage) = 2, but only B1
      //   has a contact time: 24 h, not within 15 min → 0/1. qualified B1 B2 = 2/2. won B2, lost B1 → 1/2.
      //   revenue 800.00. calls c4 c7 (c6 is February) → 2, missed c7 → 1/2.
      {
        manager: 'Bohdan', leads: 2, contacted: 2, median_hours_to_contact: 24, contacted_within_15m_share: 0,
        qualified: 2, qualified_rate: 1, won: 1, lost: 1, junk: 0, win_rate: 0.5, revenue: '800.00', avg_deal: '800.00',
        calls: 2, missed_calls: 1, missed_share: 0.5,
      },
      // No manager: U1 (open, never contacted) and the missed call c5.
      {
        manager: '(unassigned)', leads: 1, contacted: 0, median_hours_to_contact: null, contacted_within_15m_share: null,
        qualified: 0, qualified_rate: 0, won: 0, lost: 0, junk: 0, win_rate: null, revenue: '0.00', avg_deal: null,
        calls: 1, missed_calls: 1, missed_share: 1,
      },
    ]);
    // All: contact times 0.0833, 0.25, 1, 24 → median (0.25 + 1) / 2 = 0.625 → 0.63; within 2/4.
    // qualified 4/7 = 0.5714; win rate 3 / (3 + 2) = 0.6; revenue 4800.50, avg 4800.50 / 3 = 1600.17;
    // calls 6, missed 3 → 0.5.
    expect(out.totals).toEqual({
      manager: 'total', leads: 7, contacted: 5, median_hours_to_contact: 0.63, contacted_within_15m_share: 0.5,
      qualified: 4, qualified_rate: 0.5714, won: 3, lost: 2, junk: 1, win_rate: 0.6, revenue: '4800.50', avg_deal: '1600.17',
      calls: 6, missed_calls: 3, missed_share: 0.5,
    });
  });

  test('cohort by event: outcomes when they happened, leads and speed by creation', async () => {
    const out = await run({ cohort: 'event' });
    const pick = (m: string) => {
      const r = out.rows.find((x) => x.manager === m)!;
      return [r.leads, r.median_hours_to_contact, r.qualified, r.won, r.lost, r.junk, r.revenue, r.avg_deal];
    };
    // Bohdan: B3 (created in February) won on 03-15 and B2 on 03-20 → won 2, revenue 800 + 1000 = 1800.00, avg 900.00;
    //   qualified in March: B1 (03-05), B2 (won without history: qualified when it closed, 03-20); B3's was February.
    // Anna: A3 closes in April → won A1 only, 1500.00; qualified A1 (03-03) and A3 (03-07).
    // Bohdan now out-earns Anna and comes first.
    expect(out.rows.map((r) => r.manager)).toEqual(['Bohdan', 'Anna', '(unassigned)']);
    expect(pick('Bohdan')).toEqual([2, 24, 2, 2, 1, 0, '1800.00', '900.00']);
    expect(pick('Anna')).toEqual([4, 0.25, 2, 1, 1, 1, '1500.00', '1500.00']);
  });

  test('a manager filter keeps that manager on leads and calls', async () => {
    const out = await run({ filters: { manager: 'Bohdan' } });
    expect(out.rows.map((r) => [r.manager, r.leads, r.won, r.calls, r.missed_calls])).toEqual([['Bohdan', 2, 1, 2, 1]]);
    expect(out.totals).toMatchObject({ leads: 2, won: 1, revenue: '800.00', calls: 2, missed_calls: 1 });
  });

  test('the region filter applies to the call\'s region', async () => {
    // Leads have no region here, so none match; calls in Lviv: c3 (Anna, missed).
    const out = await run({ filters: { region: 'Lviv' } });
    expect(out.rows.map((r) => [r.manager, r.leads, r.calls, r.missed_calls])).toEqual([['Anna', 0, 1, 1]]);
  });

  test('with a filter calls cannot be sliced by, the call columns are empty', async () => {
    const out = await run({ filters: { product: 'none-such' } });
    expect(out.rows).toEqual([]);
    expect(out.totals).toMatchObject({ leads: 0, calls: null, missed_calls: null, missed_share: null });
    expect(out.notes.some((n) => n.startsWith('calls are not shown'))).toBe(true);
  });
});

describe('a long unfiltered range (medians as per-manager and all-leads groupings)', () => {
  // 2026-03-01 .. 2026-09-30 is 31 + 30 + 31 + 30 + 31 + 31 + 30 = 214 days (>= 183, no filter): the split
  // plan. By lead it holds March's leads and calls exactly (B3 and c6 are February's; no lead or call after
  // March; A3's April close counts by creation either way), so the leaderboard must be March's.
  const LONG = { from: '2026-03-01', to: '2026-09-30' } as const;
  const parse = (over: Partial<ReportParamsInput> = {}) => reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', ...over });
  const ordered = <T extends object>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  test('the long range takes the split plan, March the grouping-sets one', () => {
    expect(splitMedianGroupings(parse(LONG))).toBe(true);
    expect(splitMedianGroupings(parse())).toBe(false);
  });

  test('the same leaderboard and raw rows as March', async () => {
    const short = await run();
    const long = await run(LONG);
    // Not vacuous: March's medians as worked out above (Anna 0.25, Bohdan 24, all 0.63).
    expect([...short.rows.map((r) => r.median_hours_to_contact), short.totals?.median_hours_to_contact]).toEqual([0.25, 24, null, 0.63]);
    expect(long).toEqual(short);

    // Unrounded: all four contact times 1/12, 0.25, 1, 24 → (0.25 + 1) / 2 = 0.625.
    const rawShort = await getManagerRows(t.db, ws, parse());
    const rawLong = await getManagerRows(t.db, ws, parse(LONG));
    expect(rawShort.leads.find((r) => r.manager === null)?.median_hours_to_contact).toBe(0.625);
    expect(ordered(rawLong.leads)).toEqual(ordered(rawShort.leads));
    expect(ordered(rawLong.calls ?? [])).toEqual(ordered(rawShort.calls ?? []));
    expect(rawShort.calls?.length).toBeGreaterThan(0);
  });
});
