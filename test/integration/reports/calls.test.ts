import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema, type ReportParamsInput } from '../../../app/reports/params';
import { callsReport } from '../../../db/reports/calls';
import type { ReportOutput } from '../../../db/reports/index';

// Hand-made call log, workspace Europe/Kyiv (+02:00 until 2026-03-29 03:00,
// then +03:00), repeat window 30 days. Range 2026-03-01..2026-04-30.
//
// Numbers: N1 +380441110001 static billboard_north/offline/north_2026 (always);
// N3 +380441110003 static lux_fm/offline/radio_spot until 2026-03-14, then
// billboard_south/offline/south_2026; P +380441110002 pool; X +380441119999
// has no assignment. Session s-g: google/cpc/brand (paid_search).
//
// call  started (UTC)      local (Kyiv)          caller  number  session  status    channel       first/repeat
// a1    02-01 08:00        Sun 02-01 10:00       A       P       -        answered  (before the range)
// a2    03-02 08:00        Mon 03-02 10:00       A       N1      -        answered  offline       repeat: a1 29 days before
// a3    04-02 08:00        Thu 04-02 11:00       A       N1      -        missed    offline       first: a2 31 days before
// b1    03-10 09:05        Tue 03-10 11:05       B       P       s-g      answered  paid_search   first
// b2    03-12 09:00        Thu 03-12 11:00       B       P       -        missed    unknown       repeat (B in another format)
// b3    03-20 09:00        Fri 03-20 11:00       B       P       s-g      missed    paid_search   repeat (a third format)
// c1    03-14 21:30        Sat 03-14 23:30       C       N3      -        answered  offline (lux_fm)          first
// d1    03-14 22:30        Sun 03-15 00:30       D       N3      s-g      answered  offline (billboard_south: static wins) first
// e1    03-28 22:30        Sun 03-29 00:30       E       X       -        missed    unknown       first
// e2    03-29 00:30        Sun 03-29 02:30 (+2)  F       N1      -        answered  offline       first
// e3    03-29 01:30        Sun 03-29 04:30 (+3)  G       N1      -        missed    offline       first
//
// Spend in the range: north_2026 1001.00 (+ 999.00 in February, outside),
// radio_spot 300.00, south_2026 200.00 → offline 1501.00; google/cpc 700.00.
// Leads from calls: L1 ← a2 (Ivan), L2 ← b1 (Olena), L3 ← e3 (Maria, the call
// was missed: the lead's manager stands in), L4 ← c1 (Ivan).

let t: TestDatabase;
let ws: Workspace;

const params = (p: Partial<ReportParamsInput> = {}) => reportParamsSchema.parse({ from: '2026-03-01', to: '2026-04-30', ...p });
const rowsOf = (out: ReportOutput, title: string) => out.sections?.find((s) => s.title === title)?.rows ?? [];

const NUMBERS = csv(
  'number,kind,source,medium,campaign,valid_from,valid_to',
  '+380441110001,static,billboard_north,offline,north_2026,,',
  '+380441110003,static,lux_fm,offline,radio_spot,,2026-03-14',
  '+380441110003,static,billboard_south,offline,south_2026,2026-03-15,',
  '+380441110002,pool,,,,,',
);
const CALLS = csv(
  'call_id,started_at,caller_phone,tracking_number,session_id,duration_sec,status,manager',
  'a1,2026-02-01T08:00:00Z,+380671111111,+380441110002,,50,answered,Ivan',
  'a2,2026-03-02T08:00:00Z,+380671111111,+380441110001,,60,answered,Ivan',
  'a3,2026-04-02T08:00:00Z,+380671111111,+380441110001,,0,missed,',
  'b1,2026-03-10T09:05:00Z,+38 (099) 230-57-67,+380441110002,s-g,120,answered,Olena',
  'b2,2026-03-12T09:00:00Z,0992305767,+380441110002,,,missed,',
  'b3,2026-03-20T09:00:00Z,380992305767,+380441110002,s-g,,missed,',
  'c1,2026-03-14T21:30:00Z,+380671111112,+380441110003,,30,answered,Ivan',
  'd1,2026-03-14T22:30:00Z,+380671111113,+380441110003,s-g,90,answered,Ivan',
  'e1,2026-03-28T22:30:00Z,+380671111114,+380441119999,,,missed,',
  'e2,2026-03-29T00:30:00Z,+380671111115,+380441110001,,45,answered,Ivan',
  'e3,2026-03-29T01:30:00Z,+380671111116,+380441110001,,0,missed,',
);

async function load(target: Workspace): Promise<void> {
  const results = [
    await importText(t.db, target, 'tracking_numbers', NUMBERS),
    await importText(t.db, target, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's-g,v1,2026-03-10T09:00:00Z,google,cpc,brand',
    )),
    await importText(t.db, target, 'spend', csv(
      'date,source,medium,campaign,cost',
      '2026-02-15,billboard_north,offline,north_2026,999.00',
      '2026-03-01,billboard_north,offline,north_2026,1001.00',
      '2026-03-05,lux_fm,offline,radio_spot,300.00',
      '2026-03-20,billboard_south,offline,south_2026,200.00',
      '2026-03-10,google,cpc,brand,700.00',
    )),
    await importText(t.db, target, 'calls', CALLS),
    await importText(t.db, target, 'leads', csv(
      'lead_id,created_at,kind,call_id,manager,stage,outcome',
      'L1,2026-03-02T08:05:00Z,call,a2,Ivan,new,open',
      'L2,2026-03-10T09:10:00Z,call,b1,Olena,new,open',
      'L3,2026-03-29T06:00:00Z,call,e3,Maria,new,open',
      'L4,2026-03-14T21:35:00Z,call,c1,Ivan,new,open',
    )),
  ];
  expect(results.map((r) => r.status)).toEqual(results.map(() => 'succeeded'));
}

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await load(ws);
});
afterAll(async () => t.drop());

describe('calls report', () => {
  test('the same caller written three ways is one E.164 caller', async () => {
    const phones = await t.db.selectFrom('calls').select('caller_phone').where('workspace_id', '=', ws.id).where('call_id', 'in', ['b1', 'b2', 'b3']).execute();
    expect(phones.map((p) => p.caller_phone)).toEqual(['+380992305767', '+380992305767', '+380992305767']);
  });

  test('by channel: attribution, repeat calls, costs', async () => {
    const out = await callsReport(t.db, ws, params());
    expect(out.columns).toEqual([
      'channel', 'calls', 'answered', 'missed', 'missed_share', 'first_time', 'repeat', 'unique_callers', 'avg_duration_sec', 'leads',
      'cost_per_call', 'missed_cost',
    ]);
    expect(out.rows).toEqual([
      // a2 a3 c1 d1 e2 e3: answered a2 c1 d1 e2 (60 + 30 + 90 + 45 = 225 s / 4 = 56.25 → 56.3);
      // a2 is the only repeat; callers A C D F G; leads L1 L3 L4.
      // Cost: 1501.00 / 6 = 250.1666… → 250.17 a call; missed a3 e3: 2 × 250.17 = 500.34.
      { channel: 'offline', calls: 6, answered: 4, missed: 2, missed_share: 0.3333, first_time: 5, repeat: 1, unique_callers: 5, avg_duration_sec: 56.3, leads: 3, cost_per_call: '250.17', missed_cost: '500.34' },
      // b1 b3 (b3 has the session too): 700.00 / 2 = 350.00; missed b3 → 350.00.
      { channel: 'paid_search', calls: 2, answered: 1, missed: 1, missed_share: 0.5, first_time: 1, repeat: 1, unique_callers: 1, avg_duration_sec: 120, leads: 1, cost_per_call: '350.00', missed_cost: '350.00' },
      // b2 (pool, no session), e1 (number with no assignment): no spend → 0.00.
      { channel: 'unknown', calls: 2, answered: 0, missed: 2, missed_share: 1, first_time: 1, repeat: 1, unique_callers: 2, avg_duration_sec: null, leads: 0, cost_per_call: '0.00', missed_cost: '0.00' },
    ]);
    // 10 calls, callers A B C D E F G = 7 (B is in two channels, counted once);
    // (225 + 120) / 5 = 69 s; cost 6 × 250.17 + 2 × 350.00 = 2201.02 / 10 = 220.10.
    expect(out.totals).toEqual({
      channel: 'total', calls: 10, answered: 5, missed: 5, missed_share: 0.5, first_time: 7, repeat: 3, unique_callers: 7,
      avg_duration_sec: 69, leads: 4, cost_per_call: '220.10', missed_cost: '850.34',
    });
  });

  test('by campaign: a reassigned static number follows the call\'s local day; the static number beats the session', async () => {
    const out = await callsReport(t.db, ws, params({ by: 'campaign' }));
    // Cost per call by campaign: north_2026 1001.00 / 4 = 250.25; radio_spot 300.00 / 1;
    // south_2026 200.00 / 1; google/cpc/brand 700.00 / 2 = 350.00.
    expect(out.rows.map((r) => [r.source, r.campaign, r.calls, r.missed, r.cost_per_call, r.missed_cost])).toEqual([
      ['billboard_north', 'north_2026', 4, 2, '250.25', '500.50'],
      // equal calls: by key, channel first (paid_search before unknown)
      ['google', 'brand', 2, 1, '350.00', '350.00'],
      ['', '', 2, 2, '0.00', '0.00'],
      // c1 at 23:30 local on 03-14 (lux_fm's last day); d1 one hour later is 00:30 on 03-15
      // (billboard_south), though both are 03-14 in UTC, and d1's session does not matter.
      ['billboard_south', 'south_2026', 1, 0, '200.00', '0.00'],
      ['lux_fm', 'radio_spot', 1, 0, '300.00', '0.00'],
    ]);
  });

  test('by day: local days, each call carrying its channel\'s cost', async () => {
    const out = await callsReport(t.db, ws, params({ by: 'day' }));
    expect(out.rows.map((r) => r.day)).toEqual(['2026-03-02', '2026-03-10', '2026-03-12', '2026-03-14', '2026-03-15', '2026-03-20', '2026-03-29', '2026-04-02']);
    // 03-29: e1 (unknown, missed), e2, e3 (offline, e3 missed): cost (0 + 2 × 250.17) / 3 = 166.78;
    // missed cost 0.00 + 250.17.
    expect(out.rows.find((r) => r.day === '2026-03-29')).toMatchObject({ calls: 3, missed: 2, cost_per_call: '166.78', missed_cost: '250.17' });
    expect(out.totals).toMatchObject({ day: 'total', calls: 10, missed_cost: '850.34' });
  });

  test('weekday and hour in the workspace zone around the DST change', async () => {
    const grid = rowsOf(await callsReport(t.db, ws, params()), 'by_hour');
    const cell = (weekday: number, hour: number) => grid.find((c) => c.weekday === weekday && c.hour === hour);
    expect(grid).toHaveLength(168);
    // Sunday 00:30 twice: d1 (03-15) and e1 (03-29, still Saturday 22:30 in UTC); e1 missed.
    expect(cell(7, 0)).toEqual({ weekday: 7, hour: 0, calls: 2, missed: 1 });
    // e2 02:30 (+02:00); the clock then jumps 03:00 → 04:00; e3 04:30 (+03:00).
    expect(cell(7, 2)).toEqual({ weekday: 7, hour: 2, calls: 1, missed: 0 });
    expect(cell(7, 3)).toEqual({ weekday: 7, hour: 3, calls: 0, missed: 0 });
    expect(cell(7, 4)).toEqual({ weekday: 7, hour: 4, calls: 1, missed: 1 });
    // a3: 08:00 UTC is 11:00 in summer; b2 08:00 + 2 in winter → 11:00 too; both missed.
    expect(cell(4, 11)).toEqual({ weekday: 4, hour: 11, calls: 2, missed: 2 });
    expect(cell(6, 23)).toEqual({ weekday: 6, hour: 23, calls: 1, missed: 0 });
    expect(grid.reduce((n, c) => n + Number(c.calls), 0)).toBe(10);
  });

  test('static numbers: one row per assignment, spend of its campaign, CPL', async () => {
    expect(rowsOf(await callsReport(t.db, ws, params()), 'static_numbers')).toEqual([
      // a2 a3 e2 e3; a2 is a repeat; missed a3 e3; leads L1 L3; 1001.00 / 2 leads = 500.50.
      { number: '+380441110001', source: 'billboard_north', medium: 'offline', campaign: 'north_2026', calls: 4, first_time: 3, missed: 2, leads: 2, spend: '1001.00', cpl: '500.50' },
      { number: '+380441110003', source: 'lux_fm', medium: 'offline', campaign: 'radio_spot', calls: 1, first_time: 1, missed: 0, leads: 1, spend: '300.00', cpl: '300.00' },
      // d1 made no lead: no CPL.
      { number: '+380441110003', source: 'billboard_south', medium: 'offline', campaign: 'south_2026', calls: 1, first_time: 1, missed: 0, leads: 0, spend: '200.00', cpl: null },
    ]);
  });

  test('missed calls by manager: the lead\'s manager stands in for a missed call; the section adds up', async () => {
    const out = await callsReport(t.db, ws, params());
    // a3 (offline 250.17), b2 (unknown 0.00), b3 (paid_search 350.00), e1 (unknown 0.00) have
    // no manager and no lead; e3 (offline 250.17) made Maria's lead L3.
    expect(rowsOf(out, 'missed_by_manager')).toEqual([
      { manager: '(unassigned)', missed: 4, missed_cost: '600.17' },
      { manager: 'Maria', missed: 1, missed_cost: '250.17' },
    ]);
    const byManager = await callsReport(t.db, ws, params({ by: 'manager' }));
    expect(byManager.rows.map((r) => [r.manager, r.calls, r.missed])).toEqual([
      ['(unassigned)', 4, 4],
      ['Ivan', 4, 0],
      ['Maria', 1, 1],
      ['Olena', 1, 0],
    ]);
  });

  test('filters: a channel filter keeps those calls; a manager filter keeps the whole channel\'s cost per call', async () => {
    const offline = await callsReport(t.db, ws, params({ filters: { channel: 'offline' } }));
    expect(offline.rows.map((r) => [r.channel, r.calls, r.cost_per_call])).toEqual([['offline', 6, '250.17']]);
    expect(offline.totals).toMatchObject({ calls: 6, missed_cost: '500.34' });
    const maria = await callsReport(t.db, ws, params({ filters: { manager: 'Maria' } }));
    expect(maria.rows.map((r) => [r.channel, r.calls, r.cost_per_call, r.missed_cost])).toEqual([['offline', 1, '250.17', '250.17']]);
    expect(rowsOf(maria, 'static_numbers')[0]).toMatchObject({ calls: 1, leads: 1, spend: null, cpl: null });
  });

  test('the window is the workspace setting', async () => {
    const short = await makeWorkspace(t.db, 'short-window');
    await t.db.updateTable('workspaces').set({ repeat_call_window_days: 7 }).where('id', '=', short.id).execute();
    await load(short);
    const shortWs = await t.db.selectFrom('workspaces').selectAll().where('id', '=', short.id).executeTakeFirstOrThrow();
    // With 7 days a2 (29 days after a1) and b3 (8 days after b2) are first calls; b2 (2 days
    // after b1) is still a repeat.
    const out = await callsReport(t.db, shortWs, params());
    expect([out.totals?.first_time, out.totals?.repeat]).toEqual([9, 1]);
  });

  test('a breakdown calls do not have is refused', async () => {
    await expect(callsReport(t.db, ws, params({ by: 'product' }))).rejects.toThrow(/no breakdown "product"/);
  });
});
