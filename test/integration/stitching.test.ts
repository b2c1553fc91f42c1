import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import type { Workspace } from '../../db/schema';

// Hand-made journeys whose touches, paths, coverage and credits are worked
// out below (definitions: db/analytics/stitch.ts). Workspace zone Europe/Kyiv
// (+02:00 in winter), lookback 90 days.

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  const results = [
    await importText(t.db, ws, 'tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31',
      '+380441110009,pool,,,,,',
    )),
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      // v1: paid search, then organic, then direct; lead L1 at 03-10 12:00.
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc,generic',
      's2,v1,2026-03-05T10:00:00+02:00,google,organic,',
      's3,v1,2026-03-10T11:00:00+02:00,,,',
      's4,v1,2026-03-10T13:00:00+02:00,google,cpc,generic', // after the lead: not a touch
      // v2: only direct sessions.
      's5,v2,2026-03-02T10:00:00+02:00,,,',
      // v3: one session 100 days before its lead (outside the 90-day window).
      's6,v3,2025-12-01T10:00:00+02:00,facebook,paid_social,fb',
      // v4: pool-number visit; the lead comes from the call in this session.
      's7,v4,2026-03-03T09:00:00+02:00,yandex,cpc,brand',
      // v5: never becomes a lead.
      's8,v5,2026-03-03T09:00:00+02:00,google,cpc,generic',
    )),
    await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,session_id,status',
      'c1,2026-03-04T10:00:00+02:00,0991112233,+380441110001,,answered',
      'c2,2026-03-03T09:05:00+02:00,0991112244,+380441110009,s7,answered',
      'c3,2026-03-06T09:05:00+02:00,0991112255,+380441119999,,answered',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,session_id,visitor_id,call_id,source,medium,campaign,stage,outcome,amount,closed_at',
      'L1,2026-03-10T12:00:00+02:00,form,s3,,,,,,won,won,1000.00,2026-03-20T12:00:00+02:00',
      'L2,2026-03-02T11:00:00+02:00,form,,v2,,,,,new,open,,',
      'L3,2026-03-11T10:00:00+02:00,form,,v3,,,,,new,open,,',
      'L4,2026-03-04T10:01:00+02:00,call,,,c1,,,,contacted,lost,,2026-03-05T10:00:00+02:00',
      'L5,2026-03-03T09:06:00+02:00,call,,,c2,,,,new,open,,',
      'L6,2026-03-06T09:06:00+02:00,call,,,c3,,,,new,junk,,2026-03-06T10:00:00+02:00',
      'L7,2026-03-07T09:00:00+02:00,manual,,,,expo,offline,expo_2026,new,open,,',
      'L8,2026-03-07T10:00:00+02:00,manual,,,,,,,new,open,,',
      'L9,2026-03-08T10:00:00+02:00,form,,v2,,partner,cpa,june,new,open,,',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
});
afterAll(async () => t.drop());

async function journeys() {
  const rows = await t.db.selectFrom('lead_journeys').select(['lead_id', 'visitor_id', 'touch_count', 'path', 'coverage']).orderBy('lead_id').execute();
  return Object.fromEntries(rows.map((r) => [r.lead_id, r]));
}

describe('touches of a lead', () => {
  test('paths, touch counts and coverage', async () => {
    expect(await journeys()).toEqual({
      // s1, s2, s3 before the lead; s4 after it is not a touch.
      L1: { lead_id: 'L1', visitor_id: 'v1', touch_count: 3, path: 'paid_search > organic_search > direct', coverage: 'known' },
      L2: { lead_id: 'L2', visitor_id: 'v2', touch_count: 1, path: 'direct', coverage: 'only_direct' },
      // The only session is 100 days old: outside the window, so no touch.
      L3: { lead_id: 'L3', visitor_id: 'v3', touch_count: 0, path: 'direct', coverage: 'outside_lookback' },
      // A call to the billboard's static number is its (only, last) touch.
      L4: { lead_id: 'L4', visitor_id: null, touch_count: 1, path: 'offline', coverage: 'known' },
      // Pool number: the call's session gives the visitor and its touches.
      L5: { lead_id: 'L5', visitor_id: 'v4', touch_count: 1, path: 'paid_search', coverage: 'known' },
      // A number with no assignment and no session.
      L6: { lead_id: 'L6', visitor_id: null, touch_count: 0, path: 'direct', coverage: 'unassigned_number' },
      // No touches: its explicit source.
      L7: { lead_id: 'L7', visitor_id: null, touch_count: 0, path: 'offline', coverage: 'known' },
      L8: { lead_id: 'L8', visitor_id: null, touch_count: 0, path: 'direct', coverage: 'manual_no_source' },
      // Direct sessions only, but an explicit source: known through the fallback.
      L9: { lead_id: 'L9', visitor_id: 'v2', touch_count: 1, path: 'direct', coverage: 'only_direct' },
    });
  });

  test('a static-number call lead has the call as its last touch', async () => {
    const touches = await t.db.selectFrom('lead_touches').select(['position', 'kind', 'channel', 'source', 'campaign', 'call_id'])
      .where('lead_id', '=', 'L4').orderBy('position').execute();
    expect(touches).toEqual([{ position: 1, kind: 'call', channel: 'offline', source: 'billboard_north', campaign: 'north_2026', call_id: 'c1' }]);
  });
});

describe('stored credits', () => {
  test.each([
    // L1 touches: paid_search (03-01), organic_search (03-05), direct (03-10 11:00); lead 03-10 12:00.
    ['first', { paid_search: 1 }],
    ['last', { direct: 1 }],
    ['last_non_direct', { organic_search: 1 }],
    ['linear', { paid_search: 1 / 3, organic_search: 1 / 3, direct: 1 / 3 }],
    ['position', { paid_search: 0.4, organic_search: 0.2, direct: 0.4 }],
  ])('L1 under %s', async (model, expected) => {
    const rows = await t.db.selectFrom('lead_credits').select(['channel', 'credit']).where('lead_id', '=', 'L1').where('model', '=', model).execute();
    const got = Object.fromEntries(rows.map((r) => [r.channel, r.credit]));
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [channel, credit] of Object.entries(expected)) expect(got[channel]).toBeCloseTo(credit, 12);
  });

  test('time decay halves the weight every 7 days', async () => {
    // Ages at the lead: 9 d 2 h, 5 d 2 h, 1 h; weight 2^(-age/7d).
    const ages = [9 * 24 + 2, 5 * 24 + 2, 1].map((h) => h / 24);
    const w = ages.map((d) => 2 ** (-d / 7));
    const sum = w.reduce((a, b) => a + b, 0);
    const rows = await t.db.selectFrom('lead_credits').select(['position', 'credit']).where('lead_id', '=', 'L1').where('model', '=', 'time_decay').orderBy('position').execute();
    expect(rows.map((r) => r.credit)).toEqual(w.map((x) => expect.closeTo(x / sum, 12)));
  });

  test('last non-direct falls back to the explicit source when every touch is direct', async () => {
    const rows = await t.db.selectFrom('lead_credits').select(['position', 'channel', 'source', 'medium', 'campaign', 'credit'])
      .where('lead_id', '=', 'L9').where('model', '=', 'last_non_direct').execute();
    expect(rows).toEqual([{ position: 0, channel: 'cpa', source: 'partner', medium: 'cpa', campaign: 'june', credit: 1 }]);
    const noFallback = await t.db.selectFrom('lead_credits').select(['channel', 'credit']).where('lead_id', '=', 'L2').where('model', '=', 'last_non_direct').execute();
    expect(noFallback).toEqual([{ channel: 'direct', credit: 1 }]);
  });

  test('every lead carries exactly 1 under every model', async () => {
    const sums = await sql<{ model: string; lead_id: string; total: number }>`
      select model, lead_id, sum(credit) as total from lead_credits where workspace_id = ${ws.id} group by 1, 2`.execute(t.db);
    expect(sums.rows).toHaveLength(9 * 6);
    for (const r of sums.rows) expect(r.total).toBeCloseTo(1, 12);
  });
});

describe('incremental refresh', () => {
  test('a late session import re-stitches the leads it belongs to', async () => {
    // v3 gets a session inside the window: L3 becomes known.
    const r = await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium', 's9,v3,2026-03-01T10:00:00+02:00,newsletter,email'));
    expect(r.status).toBe('succeeded');
    expect((await journeys()).L3).toMatchObject({ touch_count: 1, path: 'email', coverage: 'known' });
  });

  test('re-importing unchanged sessions changes no derived row', async () => {
    const before = await t.db.selectFrom('lead_credits').selectAll().orderBy('lead_id').orderBy('model').orderBy('position').execute();
    const traffic = await t.db.selectFrom('daily_traffic').selectAll().orderBy('day').orderBy('source').execute();
    await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium', 's9,v3,2026-03-01T10:00:00+02:00,newsletter,email'));
    expect(await t.db.selectFrom('lead_credits').selectAll().orderBy('lead_id').orderBy('model').orderBy('position').execute()).toEqual(before);
    expect(await t.db.selectFrom('daily_traffic').selectAll().orderBy('day').orderBy('source').execute()).toEqual(traffic);
  });

  test('daily traffic counts sessions per workspace-local day', async () => {
    // 23:30 UTC on Mar 9 is 01:30 on Mar 10 in Kyiv.
    await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium', 's10,v9,2026-03-09T23:30:00Z,google,cpc'));
    const day = await t.db.selectFrom('daily_traffic').select(['day', 'sessions']).where('source', '=', 'google').where('medium', '=', 'cpc').where('campaign', '=', '').execute();
    expect(day).toEqual([{ day: '2026-03-10', sessions: 1 }]);
  });
});
