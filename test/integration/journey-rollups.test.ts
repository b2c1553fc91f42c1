import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import type { Workspace } from '../../db/schema';
import { rebuildWorkspace } from '../../db/analytics/rebuild';
import { getConvertingPathRows, getHeuristicCreditRows, getNonConvertingPathRows } from '../../db/queries/attribution';

// Hand-made journeys (workspace zone Europe/Kyiv, +02:00 in March, lookback 90 days):
//   v1: paid_search 03-02 00:30 local (03-01 22:30 UTC), email 03-03, email 03-04, paid_search 03-05
//       → collapsed paid_search > email > paid_search, first-session day 03-02 (the local day)
//   v2: direct 03-02;  v3: direct 03-10
// Then v1 produces a lead, the lead moves to v2, and v3 gets an earlier session.

let t: TestDatabase;
let ws: Workspace;

const SESSIONS = csv(
  'session_id,visitor_id,started_at,source,medium,campaign',
  's1,v1,2026-03-02T00:30:00+02:00,google,cpc,brand',
  's2,v1,2026-03-03T10:00:00+02:00,newsletter,email,march',
  's3,v1,2026-03-04T10:00:00+02:00,newsletter,email,march',
  's4,v1,2026-03-05T10:00:00+02:00,google,cpc,brand',
  's5,v2,2026-03-02T12:00:00+02:00,,,',
  's6,v3,2026-03-10T12:00:00+02:00,,,',
);
const LEAD_OF_V1 = csv(
  'lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at',
  'L1,2026-03-06T10:00:00+02:00,form,v1,won,won,100.00,2026-03-20T10:00:00+02:00',
);

const q = async (query: string) => (await sql.raw<Record<string, unknown>>(query).execute(t.db)).rows;
const nonConverting = () => q(`select day, path, visitors from nonconverting_paths where workspace_id = ${ws.id} order by day, path`);
const converting = () => q(`select day, path, leads, won_leads, revenue::float8 as revenue from converting_paths where workspace_id = ${ws.id} order by day, path`);
const visitors = () => q(`select visitor_id, first_session_at, path, has_lead from visitor_paths where workspace_id = ${ws.id} order by 1`);
const rollups = async () => ({
  visitors: await visitors(),
  nonConverting: await nonConverting(),
  converting: await converting(),
  credits: await q(`select day, model, channel, credit, revenue from lead_credit_totals where workspace_id = ${ws.id} order by 1, 2, 3`),
});

async function importOk(kind: Parameters<typeof importText>[2], text: string) {
  const result = await importText(t.db, ws, kind, text);
  expect(result.status, JSON.stringify(result.errors)).toBe('succeeded');
}

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await importOk('sessions', SESSIONS);
});
afterAll(async () => t.drop());

describe('visitors without a lead', () => {
  test('each is counted once, on the local day of its first session, with its collapsed path', async () => {
    expect(await visitors()).toEqual([
      { visitor_id: 'v1', first_session_at: new Date('2026-03-01T22:30:00Z'), path: ['paid_search', 'email', 'paid_search'], has_lead: false },
      { visitor_id: 'v2', first_session_at: new Date('2026-03-02T10:00:00Z'), path: ['direct'], has_lead: false },
      { visitor_id: 'v3', first_session_at: new Date('2026-03-10T10:00:00Z'), path: ['direct'], has_lead: false },
    ]);
    expect(await nonConverting()).toEqual([
      { day: '2026-03-02', path: ['direct'], visitors: 1 },
      { day: '2026-03-02', path: ['paid_search', 'email', 'paid_search'], visitors: 1 },
      { day: '2026-03-10', path: ['direct'], visitors: 1 },
    ]);
  });

  test('a range counts the journeys that start in it, with all their sessions', async () => {
    // 03-01 in UTC, but 03-02 in Kyiv: nothing starts on 03-01.
    expect(await getNonConvertingPathRows(t.db, ws, { from: '2026-03-01', to: '2026-03-01' })).toEqual([]);
    // v1's sessions of 03-03..03-05 do not make it a journey of that range.
    expect(await getNonConvertingPathRows(t.db, ws, { from: '2026-03-03', to: '2026-03-31' })).toEqual([
      { path: ['direct'], journeys: 1 },
    ]);
    expect(await getNonConvertingPathRows(t.db, ws, null)).toEqual([
      { path: ['direct'], journeys: 2 },
      { path: ['paid_search', 'email', 'paid_search'], journeys: 1 },
    ]);
  });
});

describe('when visitors produce leads', () => {
  test('a visitor who produces a lead leaves the non-converting counts; the lead joins the converting ones', async () => {
    await importOk('leads', LEAD_OF_V1);
    expect((await visitors()).find((v) => v.visitor_id === 'v1')?.has_lead).toBe(true);
    expect(await nonConverting()).toEqual([
      { day: '2026-03-02', path: ['direct'], visitors: 1 },
      { day: '2026-03-10', path: ['direct'], visitors: 1 },
    ]);
    // L1's touches are v1's four sessions (all before the lead, within 90 days).
    expect(await converting()).toEqual([
      { day: '2026-03-06', path: ['paid_search', 'email', 'paid_search'], leads: 1, won_leads: 1, revenue: 100 },
    ]);
    // Rule-based credits summed per model: first and last paid_search; linear ¼ per touch → ½ and ½.
    const credits = await getHeuristicCreditRows(t.db, ws, { from: '2026-03-06', to: '2026-03-06' });
    const of = (model: string, channel: string) => credits.find((c) => c.model === model && c.channel === channel);
    expect(of('first', 'paid_search')).toEqual({ model: 'first', channel: 'paid_search', credit: 1, revenue: 100 });
    expect(of('linear', 'paid_search')).toMatchObject({ credit: 0.5, revenue: 50 });
    expect(of('linear', 'email')).toMatchObject({ credit: 0.5, revenue: 50 });
    expect(await getHeuristicCreditRows(t.db, ws, { from: '2026-03-07', to: '2026-03-31' })).toEqual([]);
  });

  test('re-importing the same file changes nothing', async () => {
    const before = await rollups();
    await importOk('leads', LEAD_OF_V1);
    await importOk('sessions', SESSIONS);
    expect(await rollups()).toEqual(before);
  });

  test('a lead moved to another visitor and day: both visitors and both days are recounted', async () => {
    await importOk('leads', csv(
      'lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at',
      'L1,2026-03-07T10:00:00+02:00,form,v2,won,won,100.00,2026-03-20T10:00:00+02:00',
    ));
    const byVisitor = new Map((await visitors()).map((v) => [v.visitor_id, v.has_lead]));
    expect([byVisitor.get('v1'), byVisitor.get('v2')]).toEqual([false, true]);
    expect(await nonConverting()).toEqual([
      { day: '2026-03-02', path: ['paid_search', 'email', 'paid_search'], visitors: 1 },
      { day: '2026-03-10', path: ['direct'], visitors: 1 },
    ]);
    expect(await converting()).toEqual([{ day: '2026-03-07', path: ['direct'], leads: 1, won_leads: 1, revenue: 100 }]);
    expect(await getConvertingPathRows(t.db, ws, null)).toEqual([{ path: ['direct'], leads: 1, wonLeads: 1, revenue: '100.00' }]);
  });

  test('an earlier session moves a visitor to the day of its new first session', async () => {
    await importOk('sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's7,v3,2026-03-01T09:00:00+02:00,newsletter,email,march',
    ));
    expect(await nonConverting()).toEqual([
      { day: '2026-03-01', path: ['email', 'direct'], visitors: 1 },
      { day: '2026-03-02', path: ['paid_search', 'email', 'paid_search'], visitors: 1 },
    ]);
  });

  test('a rebuild gives the same rollups as the imports did', async () => {
    const incremental = await rollups();
    await rebuildWorkspace(t.db, ws);
    expect(await rollups()).toEqual(incremental);
  });
});
