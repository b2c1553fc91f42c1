import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema } from '../../../app/reports/params';
import { HEURISTIC_MODELS } from '../../../app/reports/attribution/heuristics';
import { computeConvertingPaths } from '../../../app/reports/journeys';
import { computeAttributionInput } from '../../../app/reports/attribution-report';
import { attributionReport, getAttributionReport } from '../../../db/reports/attribution';
import { ensureMarkovCredits } from '../../../db/analytics/markov-credits';
import {
  getConvertingPathRows,
  getHeuristicCreditRows,
  getLeadPathRows,
  getMarkovTouchCredits,
  getNonConvertingPathRows,
} from '../../../db/queries/attribution';
import { createDb } from '../../../db/client';
import { computeMarkovAttribution } from '../../../app/reports/attribution/markov';
import { computeMarkovTouchCredits } from '../../../app/reports/markov-touch-credits';
import { getChannelRows } from '../../../db/queries/channels';

// Hand-made journeys (workspace zone Europe/Kyiv, +02:00 in March; lookback
// 90 days; half-life 7 days). Range: March 2026.
//
// Leads created in March and their touches (db/analytics/stitch.ts):
//   L1  v1: paid_search (03-01), direct (03-03)               won 1000.00
//   L2  v2: direct, direct                                     lost
//   L3  manual, explicit expo/offline → one explicit offline touch
//   L4  manual, no source → one direct touch
//   L5  form without visitor → one direct touch
//   L6  v6: organic (03-06), direct (03-07 10:02), then its call to the
//       billboard's static number (10:00) — a call is always the last touch
//                                                              won 500.00
//   L7  call to a pool number, no session → one direct touch
//   L8  v8: its only session 100 days earlier (> 90) → one direct touch won 300.00
//   L9  v9: no sessions at all → one direct touch
//   L12 v12: created in April (outside the range)
// Visitors without a lead (a journey in the range of their first session):
// v10 email, email, paid_search (March); v11 direct (March); v13 paid_search
// (February, outside the range). v12's March visit belongs to a visitor who
// produced a lead (L12), so it is no journey at all.

let t: TestDatabase;
let ws: Workspace;
let chain: Workspace;

const MARCH = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31' });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  chain = await makeWorkspace(t.db, 'chain');
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
    // The tiny chain of the unit tests, a = paid_search, b = email: leads A1 a and
    // A2 a > a > b (Markov collapses the repeat), visitors a, a > b, b, b.
    await importText(t.db, chain, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      'a1,va1,2026-03-01T10:00:00+02:00,google,cpc,brand',
      'a2,va2,2026-03-01T10:00:00+02:00,google,cpc,brand',
      'a3,va2,2026-03-02T10:00:00+02:00,google,cpc,brand',
      'a4,va2,2026-03-03T10:00:00+02:00,newsletter,email,march',
      'b1,vb1,2026-03-01T10:00:00+02:00,google,cpc,brand',
      'b2,vb2,2026-03-01T10:00:00+02:00,google,cpc,brand',
      'b3,vb2,2026-03-02T10:00:00+02:00,newsletter,email,march',
      'b4,vb3,2026-03-02T10:00:00+02:00,newsletter,email,march',
      'b5,vb4,2026-03-02T10:00:00+02:00,newsletter,email,march',
    )),
    await importText(t.db, chain, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at',
      'A1,2026-03-04T10:00:00+02:00,form,va1,won,won,10.00,2026-03-10T10:00:00+02:00',
      'A2,2026-03-04T10:00:00+02:00,form,va2,won,won,30.00,2026-03-10T10:00:00+02:00',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
});
afterAll(async () => t.drop());

const byChannel = <T extends Record<string, unknown>>(rows: readonly T[]) => new Map(rows.map((r) => [String(r.channel), r]));

describe('journeys', () => {
  test('converting: one row per lead in the range, touches in position order', async () => {
    const rows = await getLeadPathRows(t.db, ws, MARCH);
    expect(rows.map((r) => [r.leadId, r.channels.join(' > '), r.knownTouches, r.isWon ? r.amount : null])).toEqual([
      ['L2', 'direct > direct', 2, null],
      ['L1', 'paid_search > direct', 2, '1000.00'],
      ['L3', 'offline', 0, null],
      ['L4', 'direct', 0, null],
      ['L5', 'direct', 0, null],
      // The billboard call (10:00) comes after the 10:02 visit: calls are always last.
      ['L6', 'organic_search > direct > offline', 3, '500.00'],
      ['L7', 'direct', 0, null],
      ['L8', 'direct', 0, '300.00'],
      ['L9', 'direct', 0, null],
    ]);
    const l6 = rows.find((r) => r.leadId === 'L6')!;
    expect(l6.touchedAt.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-06T08:00:00.000Z', '2026-03-07T08:02:00.000Z', '2026-03-07T08:00:00.000Z',
    ]);
  });

  test('non-converting: visitors who never produced a lead, grouped by collapsed path', async () => {
    // March: v10 email > email > paid_search → email > paid_search; v11 direct.
    expect(await getNonConvertingPathRows(t.db, ws, MARCH)).toEqual([
      { path: ['direct'], journeys: 1 },
      { path: ['email', 'paid_search'], journeys: 1 },
    ]);
    // Whole history adds v13 (February); v12 has a lead (in April), so never.
    expect(await getNonConvertingPathRows(t.db, ws, null)).toEqual([
      { path: ['direct'], journeys: 1 },
      { path: ['email', 'paid_search'], journeys: 1 },
      { path: ['paid_search'], journeys: 1 },
    ]);
  });

  test('the converting rollups equal the same aggregation of the lead rows', async () => {
    // Paths collapsed (L2 direct > direct joins the direct leads), revenue exact per path.
    const leads = await getLeadPathRows(t.db, ws, MARCH);
    const sqlPaths = await getConvertingPathRows(t.db, ws, MARCH);
    const enginePaths = computeConvertingPaths(leads);
    const plain = (ps: typeof sqlPaths) => ps.map((p) => [p.path.join(' > '), p.leads, p.wonLeads, Number(p.revenue)]);
    expect(plain(sqlPaths)).toEqual(plain(enginePaths));
    expect(plain(sqlPaths)).toEqual([
      ['direct', 6, 1, 300],
      ['offline', 1, 0, 0],
      ['organic_search > direct > offline', 1, 1, 500],
      ['paid_search > direct', 1, 1, 1000],
    ]);
    // Rule-based credits per model and channel: the stored credits' sums equal the engine's on the lead rows.
    const sqlCredits = await getHeuristicCreditRows(t.db, ws, MARCH);
    const engineCredits = computeAttributionInput(leads, [], { halfLifeMs: 7 * 86_400_000 }).heuristics.filter((h) => h.credit !== 0);
    const key = (h: { model: string; channel: string }) => `${h.model} ${h.channel}`;
    expect(sqlCredits.map(key).sort()).toEqual(engineCredits.map(key).sort());
    for (const h of engineCredits) {
      const stored = sqlCredits.find((c) => key(c) === key(h));
      expect(stored?.credit, key(h)).toBeCloseTo(h.credit, 9);
      expect(stored?.revenue, key(h)).toBeCloseTo(h.revenue, 6);
    }
  });
});

describe('attribution report, March', () => {
  test('rule-based credits by hand', async () => {
    const rows = byChannel((await attributionReport(t.db, ws, MARCH)).rows);
    // first: L1 paid_search; L2, L4, L5, L7, L8, L9 direct (6); L3 offline; L6 organic.
    // last: L3, L6 offline (2); the other 7 direct.
    // last non-direct: L1 paid_search; L3, L6 offline; 6 all-direct leads fall back to direct.
    // linear: paid_search ½; direct ½ (L1) + 1 (L2) + 5 + ⅓ (L6) = 6.8333; offline 1 + ⅓; organic ⅓.
    expect(rows.get('paid_search')).toMatchObject({ first: 1, last: 0, last_non_direct: 1, linear: 0.5 });
    expect(rows.get('direct')).toMatchObject({ first: 6, last: 7, last_non_direct: 6, linear: 6.8333 });
    expect(rows.get('offline')).toMatchObject({ first: 1, last: 2, last_non_direct: 2, linear: 1.3333 });
    expect(rows.get('organic_search')).toMatchObject({ first: 1, last: 0, last_non_direct: 0, linear: 0.3333 });
    // email only appears in a journey that did not convert: no rule-based credit.
    expect(rows.get('email')).toMatchObject({ first: 0, last: 0, last_non_direct: 0, linear: 0, shapley: 0 });
  });

  test('rule-based columns equal the sums of lead_credits for the same leads', async () => {
    const report = await attributionReport(t.db, ws, MARCH);
    const stored = await sql<{ model: string; channel: string; credit: number }>`
      select c.model, c.channel, sum(c.credit)::float8 as credit
        from lead_credits c join leads l on l.workspace_id = c.workspace_id and l.lead_id = c.lead_id
       where c.workspace_id = ${ws.id} and c.model = any(${[...HEURISTIC_MODELS]}::text[])
         and l.created_at >= '2026-03-01T00:00:00+02:00' and l.created_at < '2026-04-01T00:00:00+03:00'
       group by c.model, c.channel`.execute(t.db);
    expect(stored.rows.length).toBeGreaterThan(0);
    const rows = byChannel(report.rows);
    for (const { model, channel, credit } of stored.rows) {
      expect(rows.get(channel)?.[model], `${model} ${channel}`).toBeCloseTo(credit, 4);
    }
    // ...and a channel with no stored credit under a model shows 0.
    for (const row of report.rows) {
      for (const model of HEURISTIC_MODELS) {
        const credit = stored.rows.find((r) => r.model === model && r.channel === row.channel)?.credit ?? 0;
        expect(row[model], `${model} ${String(row.channel)}`).toBeCloseTo(credit, 4);
      }
    }
  });

  test('Markov over converting and non-converting journeys, removal effects by hand', async () => {
    // Collapsed paths: converting ps > direct 1, direct 6, offline 1, organic > direct > offline 1;
    // non-converting email > ps 1, direct 1. Start weights: ps 1, direct 7, offline 1, organic 1, email 1 (11).
    // ps → direct 1, null 1; direct → conv 7, null 1, offline 1; offline → conv 2; organic → direct; email → ps.
    // x_offline = 1, x_direct = 7/9 + 1/9 = 8/9, x_ps = 4/9, x_organic = 8/9, x_email = 4/9;
    // P = (4/9 + 7·8/9 + 1 + 8/9 + 4/9) / 11 = 9/11.
    // Without direct: only offline from start converts, P = 1/11 → RE = 8/9 = 72/81.
    // Without ps: P = (81/9 − 4/9 − 4/9)/11 → RE = 8/81; without organic: 8/81; without email: 4/81.
    // Without offline: x_direct = 7/9, P = 7/11 → RE = 2/9 = 18/81. Σ RE = 110/81.
    // Credits 9 × RE / Σ: direct 648/110, ps 72/110, offline 162/110, organic 72/110, email 36/110.
    const { report } = await getAttributionReport(t.db, ws, MARCH);
    const rows = byChannel(report.rows);
    const expected = { direct: 648 / 110, paid_search: 72 / 110, offline: 162 / 110, organic_search: 72 / 110, email: 36 / 110 };
    for (const [channel, credit] of Object.entries(expected)) expect(rows.get(channel)?.markov, channel).toBeCloseTo(credit, 4);
    expect(report.rows.map((r) => r.channel)).toEqual(['direct', 'offline', 'organic_search', 'paid_search', 'email']);
    // shift = markov − last non-direct: direct 5.8909 − 6, offline 1.4727 − 2.
    expect(rows.get('direct')?.shift_vs_last_non_direct).toBeCloseTo(648 / 110 - 6, 3);
    expect(rows.get('offline')?.shift_vs_last_non_direct).toBeCloseTo(162 / 110 - 2, 3);
    expect([report.leads, report.nonConvertingJourneys, report.journeys]).toEqual([9, 2, 11]);
  });

  test('revenue section: exact total, credited under each model', async () => {
    const out = await attributionReport(t.db, ws, MARCH);
    const revenue = out.sections?.find((s) => s.title === 'revenue');
    const rows = byChannel(revenue?.rows ?? []);
    // Won: L1 1000 (ps > direct), L6 500 (organic > direct > offline), L8 300 (direct).
    // last non-direct: ps 1000, offline 500, direct 300. Markov (path-restricted):
    // L1 ps 8/80 → 100, direct 900; L6 over organic 8, direct 72, offline 18 (/98):
    // 40.82, 367.35, 91.84; L8 direct 300 → direct 1567.35.
    expect(rows.get('paid_search')).toMatchObject({ last_non_direct: '1000.00', markov: '100.00', first: '1000.00' });
    expect(rows.get('direct')).toMatchObject({ last_non_direct: '300.00', markov: '1567.35', last: '1300.00' });
    expect(rows.get('offline')).toMatchObject({ last_non_direct: '500.00', markov: '91.84' });
    expect(rows.get('organic_search')).toMatchObject({ markov: '40.82', first: '500.00' });
    expect(rows.get('total')).toMatchObject({ first: '1800.00', markov: '1800.00' });
    expect(out.totals).toMatchObject({ channel: 'total', first: 9, markov: 9, shapley: 9 });
    expect(out.columns).toEqual([
      'channel', 'first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position', 'markov', 'shapley',
      'markov_low', 'markov_high', 'shapley_low', 'shapley_high', 'disagrees', 'shift_vs_last_non_direct',
    ]);
  });

  test('a range without leads: no leads, a note says so', async () => {
    const out = await attributionReport(t.db, ws, reportParamsSchema.parse({ from: '2026-06-01', to: '2026-06-30' }));
    expect(out.rows).toEqual([]);
    expect(out.notes).toContain('no leads in this range');
  });
});

describe('the tiny chain, stored per lead', () => {
  test('report: removal effects 3/4 and 1/2 → Markov 1.2 and 0.8', async () => {
    const rows = byChannel((await attributionReport(t.db, chain, MARCH)).rows);
    expect(rows.get('paid_search')?.markov).toBeCloseTo(1.2, 4);
    expect(rows.get('email')?.markov).toBeCloseTo(0.8, 4);
  });

  test('ensureMarkovCredits writes one row per touch, recomputes only after an import, in any process', async () => {
    const first = await ensureMarkovCredits(t.db, chain);
    expect(first).toMatchObject({ recomputed: true, rows: 4 }); // A1: 1 touch, A2: 3
    const stored = async () =>
      (await getMarkovTouchCredits(t.db, chain)).map((r) => [r.lead_id, r.position, r.channel, +r.credit.toFixed(12)]);
    // A1: all to paid_search. A2: shares 3/4 : 1/2 → 0.6 : 0.4; paid_search's 0.6 over its two touches.
    expect(await stored()).toEqual([
      ['A1', 1, 'paid_search', 1],
      ['A2', 1, 'paid_search', 0.3],
      ['A2', 2, 'paid_search', 0.3],
      ['A2', 3, 'email', 0.4],
    ]);
    expect(await ensureMarkovCredits(t.db, chain)).toMatchObject({ recomputed: false, rows: 0 });
    // The version written is in the database: another process (here another pool) does not rewrite.
    const version = await sql<{ data_version: number }>`
      select data_version from derived_versions where workspace_id = ${chain.id} and name = 'markov_credits'`.execute(t.db);
    expect(version.rows).toEqual([{ data_version: first.dataVersion }]);
    const otherProcess = createDb(t.url, { max: 1 });
    try {
      expect(await ensureMarkovCredits(otherProcess, chain)).toMatchObject({ recomputed: false, rows: 0 });
    } finally {
      await otherProcess.destroy();
    }
    // Nothing else in the workspace (or in the other one) was written.
    expect(await getMarkovTouchCredits(t.db, ws)).toEqual([]);

    // The channels report reads them like any model: paid_search 1.6, email 0.4.
    const channels = byChannel(await getChannelRows(t.db, chain, reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', model: 'markov' })));
    expect(channels.get('paid_search')?.leads).toBeCloseTo(1.6, 9);
    expect(channels.get('email')?.leads).toBeCloseTo(0.4, 9);

    // One more email-only visitor: paths a (1, 1), a > b (1, 1), b (0, 3).
    // start→a 4, start→b 3; b → conv 1/5; x_a = 1/4 + 1/2 · 1/5 = 7/20; P = 4/7 · 7/20 + 3/7 · 1/5 = 2/7.
    // Without a: 3/35 → RE_a = 7/10; without b: x_a = 1/4, P = 1/7 → RE_b = 1/2.
    // A2: 0.7/1.2 = 7/12 for paid_search (7/24 per touch), 5/12 for email.
    expect((await importText(t.db, chain, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      'b6,vb5,2026-03-02T10:00:00+02:00,newsletter,email,march',
    ))).status).toBe('succeeded');
    // A1's lone touch keeps its credit 1; only A2's three rows change.
    expect(await ensureMarkovCredits(t.db, chain)).toMatchObject({ recomputed: true, rows: 3 });
    expect(await stored()).toEqual([
      ['A1', 1, 'paid_search', 1],
      ['A2', 1, 'paid_search', +(7 / 24).toFixed(12)],
      ['A2', 2, 'paid_search', +(7 / 24).toFixed(12)],
      ['A2', 3, 'email', +(5 / 12).toFixed(12)],
    ]);
    // Rewriting is idempotent: nothing to change.
    expect(await ensureMarkovCredits(t.db, chain, { force: true })).toMatchObject({ recomputed: true, rows: 0 });
    expect(await stored()).toHaveLength(4);
  });

  test('stored Markov credits follow computeMarkovTouchCredits for every lead of the whole history', async () => {
    expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: true });
    const paths = [
      ...(await getConvertingPathRows(t.db, ws, null)).map((p) => ({ path: p.path, conversions: p.leads, value: 0, nulls: 0 })),
      ...(await getNonConvertingPathRows(t.db, ws, null)).map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
    ];
    const effects = new Map(computeMarkovAttribution(paths).channels.map((c) => [c.channel, c.removalEffect]));
    const leads = await getLeadPathRows(t.db, ws, null);
    const storedOf = new Map<string, number[]>();
    for (const r of await getMarkovTouchCredits(t.db, ws)) storedOf.set(r.lead_id, [...storedOf.get(r.lead_id) ?? [], r.credit]);
    expect(storedOf.size).toBe(leads.length);
    for (const lead of leads) {
      const expected = computeMarkovTouchCredits(lead.channels, effects);
      expect(storedOf.get(lead.leadId)?.map((c) => +c.toFixed(12)), lead.leadId).toEqual(expected.map((c) => +c.toFixed(12)));
    }
  });

  test('the report is computed once per data version', async () => {
    const params = reportParamsSchema.parse({ from: '2026-02-01', to: '2026-03-31' });
    const first = await getAttributionReport(t.db, chain, params);
    const second = await getAttributionReport(t.db, chain, params);
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.report).toBe(first.report);
    expect((await importText(t.db, chain, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      'b7,vb6,2026-03-05T10:00:00+02:00,,,',
    ))).status).toBe('succeeded');
    const third = await getAttributionReport(t.db, chain, params);
    expect(third.cached).toBe(false);
    expect(third.report.nonConvertingJourneys).toBe(second.report.nonConvertingJourneys + 1);
  });
});
