import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import { REPORTS } from '../../../db/reports/index';
import { reportParamsSchema, type ReportParamsInput } from '../../../app/reports/params';
import type { Workspace } from '../../../db/schema';

// The channel ROI report on hand-made data whose answers are worked out in
// the comments. Workspace zone Europe/Kyiv (+02:00 until Mar 29, 2026, then +03:00).

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  const results = [
    await importText(t.db, ws, 'spend', csv(
      'date,source,medium,campaign,impressions,clicks,cost',
      '2026-03-10,google,cpc,generic,1000,40,400.00',
      '2026-03-31,google,cpc,generic,500,20,200.00',
      '2026-04-01,google,cpc,generic,500,20,300.00',
      '2026-03-15,facebook,paid_social,fb,4000,30,150.00',
    )),
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's1,v1,2026-03-10T10:00:00+02:00,google,cpc,generic',
      's2,v2,2026-03-11T10:00:00+02:00,google,cpc,generic',
      's3,v3,2026-03-12T10:00:00+02:00,google,organic,',
      // 22:30 UTC on Mar 31 is 01:30 on Apr 1 in Kyiv: an April session.
      's4,v4,2026-03-31T22:30:00Z,google,cpc,generic',
      's5,v5,2026-03-15T10:00:00+02:00,facebook,paid_social,fb',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at,manager',
      // Paid search lead in March, won in April for 5000.
      'L1,2026-03-10T11:00:00+02:00,form,v1,won,won,5000.00,2026-04-05T10:00:00+03:00,Olena',
      // Paid search junk lead in March.
      'L2,2026-03-11T11:00:00+02:00,form,v2,new,junk,,2026-03-11T12:00:00+02:00,Olena',
      // Organic lead that reached proposal (qualified) in March.
      'L3,2026-03-12T11:00:00+02:00,form,v3,proposal,open,,,Ivan',
      // Created 01:45 Apr 1 in Kyiv (22:45 UTC Mar 31): an April lead.
      'L4,2026-03-31T22:45:00Z,form,v4,new,open,,,Ivan',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
});
afterAll(async () => t.drop());

const run = async (p: Partial<ReportParamsInput>) =>
  REPORTS.channels!(t.db, ws, reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', ...p }));
const byKey = (rows: Record<string, unknown>[], key = 'channel') => Object.fromEntries(rows.map((r) => [r[key], r]));

describe('March, by channel, last non-direct, cohort by lead', () => {
  test('paid search: spend of March days only, its sessions and leads, a sale counted in the lead\'s month', async () => {
    const out = await run({});
    const rows = byKey(out.rows);
    expect(rows.paid_search).toMatchObject({
      spend: '600.00', // 400 + 200 (Apr 1 excluded)
      impressions: 1500, clicks: 60, ctr: 0.04, cpc: '10.00',
      sessions: 2, // s1, s2 (s4 is on Apr 1 local)
      leads: 2, junk: 1, junk_share: 0.5, cpl: '300.00', // 600 / 2, junk included
      qualified: 1, cpql: '600.00', // L1 (won reaches every stage)
      sales: 1, cac: '600.00', revenue: '5000.00', romi: 7.3333, roas: 8.3333, avg_deal: '5000.00',
    });
  });
  test('a zero-spend channel shows CPL 0.00 and no ROMI; a channel with spend and no leads has no CPL', async () => {
    const rows = byKey((await run({})).rows);
    expect(rows.organic_search).toMatchObject({ spend: '0.00', sessions: 1, leads: 1, qualified: 1, cpl: '0.00', romi: null });
    expect(rows.paid_social).toMatchObject({ spend: '150.00', sessions: 1, leads: 0, cpl: null, romi: -1 });
  });
  test('totals are computed from summed inputs', async () => {
    const out = await run({});
    expect(out.totals).toMatchObject({ channel: 'total', spend: '750.00', sessions: 4, leads: 3, cpl: '250.00', revenue: '5000.00' });
  });
});

describe('event mode and time-zone boundaries', () => {
  test('outcomes counted when they happened: the April sale leaves March', async () => {
    const march = byKey((await run({ cohort: 'event' })).rows);
    expect(march.paid_search).toMatchObject({ leads: 2, sales: 0, revenue: '0.00' });
    const april = byKey((await run({ from: '2026-04-01', to: '2026-04-30', cohort: 'event' })).rows);
    expect(april.paid_search).toMatchObject({ spend: '300.00', sessions: 1, leads: 1, sales: 1, revenue: '5000.00' });
  });
  test('by day uses workspace-local days', async () => {
    const out = await run({ from: '2026-03-31', to: '2026-04-01', by: 'day' });
    expect(out.rows.map((r) => [r.day, r.spend, r.sessions, r.leads])).toEqual([
      ['2026-03-31', '200.00', 0, 0],
      ['2026-04-01', '300.00', 1, 1],
    ]);
  });
});

describe('slices and filters', () => {
  test('by campaign keeps the campaign with its channel, source and medium', async () => {
    const out = await run({ by: 'campaign' });
    expect(out.columns.slice(0, 4)).toEqual(['channel', 'source', 'medium', 'campaign']);
    expect(byKey(out.rows, 'campaign').generic).toMatchObject({ channel: 'paid_search', source: 'google', medium: 'cpc', spend: '600.00' });
  });
  test('a channel filter keeps only that channel', async () => {
    const out = await run({ filters: { channel: ['paid_social'] } });
    expect(out.rows.map((r) => r.channel)).toEqual(['paid_social']);
  });
  test('by manager shows leads and outcomes but no spend', async () => {
    const out = await run({ by: 'manager' });
    expect(byKey(out.rows, 'manager')).toMatchObject({
      Olena: { spend: null, sessions: null, leads: 2, sales: 1, cpl: null },
      Ivan: { spend: null, leads: 1, qualified: 1 },
    });
    expect(out.notes.join(' ')).toContain('spend and sessions are not shown');
  });
  test('linear credits split a lead over its touches and still sum to the lead count', async () => {
    const out = await run({ model: 'linear' });
    expect(out.totals?.leads).toBe(3);
  });
});
