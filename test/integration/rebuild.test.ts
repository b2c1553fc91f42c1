import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadDemo } from '../../db/demo';
import { applyChannelRules, previewChannelRules, rebuildWorkspace } from '../../db/analytics/rebuild';
import { DEFAULT_CHANNEL_RULES } from '../../app/domain/channels';
import type { Workspace } from '../../db/schema';

// The small seed loaded through the real import path, then whole-workspace
// maintenance: a rebuild must reproduce exactly what the incremental imports
// maintained, and a channel-rule change must move exactly the previewed rows.

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ workspace: ws } = await loadDemo(t.db, { scale: 'small', seed: 7, endDate: '2026-10-31' }));
}, 120_000);
afterAll(async () => t.drop());

async function snapshot() {
  const q = async (s: string) => (await sql.raw<Record<string, unknown>>(s).execute(t.db)).rows;
  return {
    traffic: await q(`select day, source, medium, campaign, content, region, device, channel, sessions from daily_traffic order by 1,2,3,4,5,6,7`),
    journeys: await q(`select lead_id, visitor_id, touch_count, first_touch_at, path, coverage, reached_position, entered_mask, qualified_at from lead_journeys order by 1`),
    touches: await q(`select lead_id, position, kind, touched_at, channel, source, medium, campaign, session_id, call_id from lead_touches order by 1,2`),
    credits: await q(`select lead_id, model, position, channel, source, credit from lead_credits where model <> 'markov' order by 1,2,3`),
    visitorPaths: await q(`select visitor_id, first_session_at, path, has_lead from visitor_paths order by 1`),
    nonconvertingPaths: await q(`select day, path, visitors from nonconverting_paths order by 1, 2`),
    convertingPaths: await q(`select day, path, leads, won_leads, revenue from converting_paths order by 1, 2`),
    creditTotals: await q(`select day, model, channel, credit, revenue from lead_credit_totals order by 1, 2, 3`),
  };
}

test('the small seed imports and every lead is stitched', async () => {
  const counts = await sql<{ leads: number; journeys: number; sessions: number }>`
    select (select count(*) from leads)::int as leads, (select count(*) from lead_journeys)::int as journeys,
           (select count(*) from sessions)::int as sessions`.execute(t.db);
  const c = counts.rows[0]!;
  expect(c.leads).toBeGreaterThan(50);
  expect(c.journeys).toBe(c.leads);
  const traffic = await sql<{ n: number }>`select sum(sessions)::int as n from daily_traffic`.execute(t.db);
  expect(traffic.rows[0]!.n).toBe(c.sessions);
});

test('a rebuild reproduces the incrementally maintained tables exactly', async () => {
  const incremental = await snapshot();
  // The journey rollups hold every visitor and lead (not vacuously equal).
  const visitors = await sql<{ n: number }>`select count(distinct visitor_id)::int as n from sessions`.execute(t.db);
  expect(incremental.visitorPaths).toHaveLength(visitors.rows[0]!.n);
  const sum = (rows: Record<string, unknown>[], key: string) => rows.reduce((s, r) => s + Number(r[key]), 0);
  const leads = await sql<{ n: number }>`select count(*)::int as n from leads`.execute(t.db);
  expect(sum(incremental.convertingPaths, 'leads')).toBe(leads.rows[0]!.n);
  expect(sum(incremental.nonconvertingPaths, 'visitors')).toBe(incremental.visitorPaths.filter((v) => !v.has_lead).length);
  await rebuildWorkspace(t.db, ws);
  expect(await snapshot()).toEqual(incremental);
});

test('a rule change moves exactly the previewed rows and re-credits leads', async () => {
  // Send organic search to a channel of its own named "seo".
  const rules = [{ channel: 'seo', sourceIn: null, sourceNotIn: null, mediumIn: ['organic'] }, ...DEFAULT_CHANNEL_RULES];
  const organic = await sql<{ n: number }>`select count(*)::int as n from sessions where channel = 'organic_search'`.execute(t.db);
  expect(organic.rows[0]!.n).toBeGreaterThan(0);
  const preview = await previewChannelRules(t.db, ws, rules);
  expect(preview.filter((m) => m.table === 'sessions')).toEqual([{ table: 'sessions', from: 'organic_search', to: 'seo', rows: organic.rows[0]!.n }]);
  await applyChannelRules(t.db, ws, rules);
  const after = await sql<{ channel: string; n: number }>`select channel, count(*)::int as n from sessions where channel in ('seo', 'organic_search') group by 1`.execute(t.db);
  expect(after.rows).toEqual([{ channel: 'seo', n: organic.rows[0]!.n }]);
  const credits = await sql<{ n: number }>`select count(*)::int as n from lead_credits where channel = 'organic_search'`.execute(t.db);
  expect(credits.rows[0]!.n).toBe(0);
  expect(await previewChannelRules(t.db, ws, rules)).toEqual([]);
});
