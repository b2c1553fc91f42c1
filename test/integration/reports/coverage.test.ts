import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema } from '../../../app/reports/params';
import { sql } from 'kysely';
import { coverageReport } from '../../../db/reports/coverage';
import { getCoverageLeads } from '../../../db/queries/coverage';
import { COVERAGE_REASONS } from '../../../app/reports/coverage';
import { COVERAGE_REASONS as STITCH_REASONS } from '../../../db/analytics/stitch';

// The hand-made journeys of test/integration/reports/attribution.test.ts
// (workspace zone Europe/Kyiv, +02:00 in March; lookback 90 days). Range: March 2026.
//   L1  v1: paid_search (03-01 10:00), direct (03-03)      Olena  won 1000.00   lead 03-05 10:00
//   L2  v2: direct (03-02 10:00), direct (03-04 10:00)     Ivan   lost          lead 03-04 12:00
//   L3  manual, explicit expo/offline: one explicit touch   Ivan
//   L4  manual, no source: one direct touch                 Ivan
//   L5  form, no visitor: one direct touch                  Olena  junk
//   L6  v6: organic (03-06 10:00), direct (03-07 10:02), its billboard call (10:00, always last)
//                                                           Olena  won 500.00    lead 03-07 10:05
//   L7  call to a pool number, no session: one direct touch Olena
//   L8  v8: only session 100 days before (lookback 90): one direct touch  Ivan  won 300.00
//   L9  v9: no sessions: one direct touch                   Ivan
//   L12 created in April (outside the range)

let t: TestDatabase;
let ws: Workspace;

const MARCH = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31' });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  const results = [
    await importText(t.db, ws, 'tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31',
      '+380441110002,pool,,,,,',
    )),
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc,brand',
      's2,v1,2026-03-03T10:00:00+02:00,,,',
      's3,v2,2026-03-02T10:00:00+02:00,,,',
      's4,v2,2026-03-04T10:00:00+02:00,,,',
      's6a,v6,2026-03-06T10:00:00+02:00,google,organic,',
      's6b,v6,2026-03-07T10:02:00+02:00,,,',
      's8,v8,2025-11-30T10:00:00+02:00,facebook,paid_social,retarget',
      's10a,v10,2026-03-02T09:00:00+02:00,newsletter,email,march',
      's10b,v10,2026-03-03T09:00:00+02:00,newsletter,email,march',
      's10c,v10,2026-03-04T09:00:00+02:00,google,cpc,brand',
      's11,v11,2026-03-05T09:00:00+02:00,,,',
      's12,v12,2026-03-20T09:00:00+02:00,gdn,display,banners',
      's13,v13,2026-02-20T09:00:00+02:00,google,cpc,brand',
    )),
    await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c1,2026-03-07T10:00:00+02:00,+380501234561,+380441110001,answered',
      'c7,2026-03-08T11:00:00+02:00,+380501234567,+380441110002,answered',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,call_id,source,medium,campaign,manager,stage,outcome,amount,closed_at',
      'L1,2026-03-05T10:00:00+02:00,form,v1,,,,,Olena,won,won,1000.00,2026-03-20T10:00:00+02:00',
      'L2,2026-03-04T12:00:00+02:00,form,v2,,,,,Ivan,contacted,lost,,2026-03-10T10:00:00+02:00',
      'L3,2026-03-06T12:00:00+02:00,manual,,,expo,offline,expo_2026,Ivan,new,open,,',
      'L4,2026-03-06T13:00:00+02:00,manual,,,,,,Ivan,new,open,,',
      'L5,2026-03-06T14:00:00+02:00,form,,,,,,Olena,new,junk,,2026-03-07T10:00:00+02:00',
      'L6,2026-03-07T10:05:00+02:00,call,v6,c1,,,,Olena,won,won,500.00,2026-03-25T10:00:00+02:00',
      'L7,2026-03-08T11:02:00+02:00,call,,c7,,,,Olena,new,open,,',
      'L8,2026-03-10T10:00:00+02:00,form,v8,,,,,Ivan,won,won,300.00,2026-03-28T10:00:00+02:00',
      'L9,2026-03-11T10:00:00+02:00,form,v9,,,,,Ivan,new,open,,',
      'L12,2026-04-02T10:00:00+03:00,form,v12,,,,,Ivan,new,open,,',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
});
afterAll(async () => t.drop());

describe('coverage report, March', () => {
  test('one row per reason, zeros included, shares of leads and revenue', async () => {
    const out = await coverageReport(t.db, ws, MARCH);
    expect(out.columns).toEqual(['reason', 'leads', 'share_of_leads', 'revenue', 'share_of_revenue']);
    // 9 leads, revenue 1800.00 (L1 1000, L6 500 known; L8 300 outside the lookback).
    // known: L1, L3 (explicit offline), L6 → 3/9 = 0.3333, 1500/1800 = 0.8333;
    // every other reason one lead (1/9 = 0.1111); outside_lookback 300/1800 = 0.1667.
    expect(out.rows).toEqual([
      { reason: 'known', leads: 3, share_of_leads: 0.3333, revenue: '1500.00', share_of_revenue: 0.8333 },
      { reason: 'only_direct', leads: 1, share_of_leads: 0.1111, revenue: '0.00', share_of_revenue: 0 },
      { reason: 'unassigned_number', leads: 1, share_of_leads: 0.1111, revenue: '0.00', share_of_revenue: 0 },
      { reason: 'manual_no_source', leads: 1, share_of_leads: 0.1111, revenue: '0.00', share_of_revenue: 0 },
      { reason: 'no_visitor_id', leads: 1, share_of_leads: 0.1111, revenue: '0.00', share_of_revenue: 0 },
      { reason: 'outside_lookback', leads: 1, share_of_leads: 0.1111, revenue: '300.00', share_of_revenue: 0.1667 },
      { reason: 'no_sessions', leads: 1, share_of_leads: 0.1111, revenue: '0.00', share_of_revenue: 0 },
    ]);
    expect(out.totals).toEqual({ reason: 'total', leads: 9, share_of_leads: 1, revenue: '1800.00', share_of_revenue: 1 });
    expect(out.notes[0]).toBe('channel known for 33.3% of leads and 83.3% of revenue (leads created in the range; revenue of the won ones)');
  });

  test('the reasons are the stitcher’s, plus known', () => {
    expect(COVERAGE_REASONS).toEqual(['known', ...STITCH_REASONS]);
  });

  test('a lead whose only session is 100 days old (lookback 90) is outside_lookback, with a direct stand-in touch', async () => {
    const touches = await sql<{ kind: string; channel: string }>`
      select kind, channel from lead_touches where workspace_id = ${ws.id} and lead_id = 'L8'`.execute(t.db);
    expect(touches.rows).toEqual([{ kind: 'direct', channel: 'direct' }]);
  });

  test('lead filters: Olena has L1, L6 (known), L5 (no visitor), L7 (pool number)', async () => {
    const out = await coverageReport(t.db, ws, reportParamsSchema.parse({ ...MARCH, filters: { manager: 'Olena' } }));
    expect(out.rows.filter((r) => r.leads !== 0).map((r) => [r.reason, r.leads, r.share_of_leads, r.share_of_revenue])).toEqual([
      ['known', 2, 0.5, 1],
      ['unassigned_number', 1, 0.25, 0],
      ['no_visitor_id', 1, 0.25, 0],
    ]);
  });

  test('a range without leads: zero rows, null shares', async () => {
    const out = await coverageReport(t.db, ws, reportParamsSchema.parse({ from: '2026-06-01', to: '2026-06-30' }));
    expect(out.rows).toHaveLength(7);
    expect(out.rows.every((r) => r.leads === 0 && r.share_of_leads === null && r.share_of_revenue === null)).toBe(true);
    expect(out.notes).toContain('no leads in this range');
  });
});

describe('getCoverageLeads', () => {
  test('the leads behind one reason', async () => {
    expect(await getCoverageLeads(t.db, ws, MARCH, 'outside_lookback')).toEqual([
      { lead_id: 'L8', created_at: '2026-03-10T08:00:00.000Z', kind: 'form', manager: 'Ivan', outcome: 'won', amount: '300.00', visitor_id: 'v8' },
    ]);
    expect(await getCoverageLeads(t.db, ws, MARCH, 'unassigned_number')).toEqual([
      { lead_id: 'L7', created_at: '2026-03-08T09:02:00.000Z', kind: 'call', manager: 'Olena', outcome: 'open', amount: null, visitor_id: null },
    ]);
  });

  test('newest first, at most `limit`', async () => {
    // known: L6 (03-07), L3 (03-06 12:00), L1 (03-05).
    expect((await getCoverageLeads(t.db, ws, MARCH, 'known', 2)).map((l) => l.lead_id)).toEqual(['L6', 'L3']);
    expect((await getCoverageLeads(t.db, ws, MARCH, 'known')).map((l) => l.lead_id)).toEqual(['L6', 'L3', 'L1']);
  });

  test('bad arguments are refused', async () => {
    await expect(getCoverageLeads(t.db, ws, MARCH, 'total' as never)).rejects.toThrow(RangeError);
    await expect(getCoverageLeads(t.db, ws, MARCH, 'known', 0)).rejects.toThrow(RangeError);
  });
});
