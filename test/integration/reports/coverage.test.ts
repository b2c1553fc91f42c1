import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { importMarchJourneys } from '../../support/march-journeys';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema } from '../../../app/reports/params';
import { sql } from 'kysely';
import { coverageReport } from '../../../db/reports/coverage';
import { getCoverageLeads } from '../../../db/queries/coverage';
import { COVERAGE_REASONS } from '../../../app/reports/coverage';
import { COVERAGE_REASONS as STITCH_REASONS } from '../../../db/analytics/stitch';

// The hand-made journeys of test/support/march-journeys.ts. Range: March 2026.

let t: TestDatabase;
let ws: Workspace;

const MARCH = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31' });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await importMarchJourneys(t.db, ws);
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
