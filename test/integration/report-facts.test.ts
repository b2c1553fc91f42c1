import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import { poolOf } from '../../db/client';
import { rebuildReportFacts, refreshDailyTraffic } from '../../db/analytics/rollups';
import type { ImportKind } from '../../app/import/formats';
import type { Workspace } from '../../db/schema';

// The report facts (lead_facts, lead_stage_steps, lead_credit_facts,
// call_facts) and monthly_traffic are maintained by each import for what it
// changed. After every import below, including re-imports that change rows
// (a lead's day, outcome, manager and call; a call's caller; a session's
// campaign; a number's assignment), they must equal a from-scratch rebuild.
//
// Workspace Europe/Kyiv (+02:00 until 2026-03-29, then +03:00); pipeline
// new(1) contacted(2) qualified(3) proposal(4) negotiation(5) won(6).

let t: TestDatabase;
let ws: Workspace;

const q = async <T = Record<string, unknown>>(text: string) => (await sql.raw(text).execute(t.db)).rows as T[];

async function snapshot() {
  return {
    leadFacts: await q(`select * from lead_facts order by lead_id`),
    steps: await q(`select * from lead_stage_steps order by lead_id, position`),
    credits: await q(`select * from lead_credit_facts order by model, lead_id, position`),
    calls: await q(`select * from call_facts order by call_id`),
    monthly: await q(`select * from monthly_traffic order by month, channel, source, medium, campaign, content, region`),
  };
}

/** The facts a from-scratch rebuild writes (rolled back afterwards). */
async function rebuilt() {
  const client = await poolOf(t.db).connect();
  try {
    await client.query('begin');
    await rebuildReportFacts(client, ws);
    await refreshDailyTraffic(client, ws, 'all');
    const q2 = async (text: string) => (await client.query(text)).rows;
    const snap = {
      leadFacts: await q2(`select * from lead_facts order by lead_id`),
      steps: await q2(`select * from lead_stage_steps order by lead_id, position`),
      credits: await q2(`select * from lead_credit_facts order by model, lead_id, position`),
      calls: await q2(`select * from call_facts order by call_id`),
      monthly: await q2(`select * from monthly_traffic order by month, channel, source, medium, campaign, content, region`),
    };
    await client.query('rollback');
    return snap;
  } finally {
    client.release();
  }
}

async function importAndCheck(kind: ImportKind, text: string) {
  const result = await importText(t.db, ws, kind, text);
  expect(result.status).toBe('succeeded');
  expect(await snapshot()).toEqual(await rebuilt());
}

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'facts');
});
afterAll(async () => t.drop());

describe('imports keep the report facts equal to a rebuild', () => {
  test('first imports', async () => {
    await importAndCheck('tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,,2026-03-14',
      '+380441110002,pool,,,,,',
    ));
    await importAndCheck('sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign,content,region,device',
      's1,v1,2026-02-27T09:00:00Z,google,cpc,brand,ad1,Kyiv,mobile',
      's2,v1,2026-03-01T09:00:00Z,,,,,Kyiv,mobile',
      's3,v2,2026-03-02T10:00:00Z,facebook,paid_social,spring,,Lviv,desktop',
      's4,v3,2026-03-03T11:00:00Z,google,organic,,,Kyiv,desktop',
    ));
    await importAndCheck('calls', csv(
      'call_id,started_at,caller_phone,tracking_number,session_id,duration_sec,status,manager',
      'c1,2026-03-01T08:00:00Z,+380671111111,+380441110001,,60,answered,Ivan',
      'c2,2026-03-05T08:00:00Z,+380671111111,+380441110002,s3,0,missed,',
      'c3,2026-03-20T08:00:00Z,+380671111112,+380441110002,s4,30,answered,',
    ));
    await importAndCheck('leads', csv(
      'lead_id,created_at,kind,visitor_id,call_id,region,manager,product,temperature,stage,outcome,loss_reason,amount,closed_at',
      'L1,2026-03-01T10:00:00Z,form,v1,,Kyiv,Anna,windows,hot,won,won,,1000.00,2026-03-10T10:00:00Z',
      'L2,2026-03-02T11:00:00Z,form,v2,,Lviv,Bohdan,doors,,contacted,lost,price,,2026-03-04T10:00:00Z',
      'L3,2026-03-05T09:00:00Z,call,,c2,Lviv,,doors,warm,new,open,,,',
      'L4,2026-03-20T09:00:00Z,call,,c3,Kyiv,Olena,windows,cold,qualified,open,,,',
    ));
    await importAndCheck('lead_stages', csv(
      'lead_id,stage,entered_at',
      'L1,new,2026-03-01T10:00:00Z',
      'L1,contacted,2026-03-01T10:10:00Z',
      'L1,proposal,2026-03-03T10:10:00Z',
      'L1,won,2026-03-10T10:00:00Z',
      'L2,new,2026-03-02T11:00:00Z',
      'L2,contacted,2026-03-02T15:00:00Z',
      'L4,new,2026-03-20T09:00:00Z',
      'L4,qualified,2026-03-21T09:00:00Z',
    ));
  });

  test('re-imports that change existing rows', async () => {
    // L2 moves to another day, is won, changes manager; L3 now comes from c3 instead of c2.
    await importAndCheck('leads', csv(
      'lead_id,created_at,kind,visitor_id,call_id,region,manager,product,temperature,stage,outcome,loss_reason,amount,closed_at',
      'L2,2026-04-02T11:00:00Z,form,v2,,Lviv,Anna,doors,,won,won,,500.50,2026-04-09T10:00:00Z',
      'L3,2026-03-05T09:00:00Z,call,,c3,Lviv,Maria,doors,warm,new,open,,,',
    ));
    // c1 changes caller: c2 is no longer its caller's second call.
    await importAndCheck('calls', csv(
      'call_id,started_at,caller_phone,tracking_number,session_id,duration_sec,status,manager',
      'c1,2026-03-01T08:00:00Z,+380671111119,+380441110001,,60,answered,Ivan',
    ));
    // s4 (the session of pool call c3) gets a campaign; s1 moves to April.
    await importAndCheck('sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign,content,region,device',
      's4,v3,2026-03-03T11:00:00Z,google,cpc,generic,,Kyiv,desktop',
      's1,v1,2026-04-01T09:00:00Z,google,cpc,brand,ad1,Kyiv,mobile',
    ));
    // The pool number becomes a static one from 2026-03-10: c3 is now attributed to it.
    await importAndCheck('tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110002,static,radio,offline,fm_2026,2026-03-10,',
    ));
    await importAndCheck('lead_stages', csv(
      'lead_id,stage,entered_at',
      'L3,contacted,2026-03-05T09:05:00Z',
      'L3,negotiation,2026-03-06T09:05:00Z',
    ));
  });
});

describe('values worked out by hand', () => {
  test('lead facts: first contact, steps and weeks', async () => {
    const facts = await q<{ lead_id: string; created_day: string; contact_hours: number | null; qualified_week: number | null; won_week: number | null; touch_channels: string[] }>(
      `select lead_id, created_day, contact_hours, qualified_week, won_week, touch_channels from lead_facts order by lead_id`,
    );
    expect(facts).toEqual([
      // L1: contacted 10 min after creation; qualified (proposal entered) on day 2: week 0; won after 9 days: week 1.
      // Its visitor v1 had s1 (moved to April, after the lead) and the direct s2 before it.
      { lead_id: 'L1', created_day: '2026-03-01', contact_hours: 10 / 60, qualified_week: 0, won_week: 1, touch_channels: ['direct'] },
      // L2: moved to 2026-04-02 11:00 (its contact row, 03-02 15:00, is now 740 h before it) and won on 04-09 10:00
      // without a qualified row: qualified then, 6 days 23 hours after creation, week 0 like the sale.
      { lead_id: 'L2', created_day: '2026-04-02', contact_hours: -740, qualified_week: 0, won_week: 0, touch_channels: ['paid_social'] },
      // L3 and L4 come from c3: its pool session s4 (now google/cpc, paid search), then the call itself, on a number
      // static since 2026-03-10 (a call to a static number is always the last touch).
      { lead_id: 'L3', created_day: '2026-03-05', contact_hours: 5 / 60, qualified_week: 0, won_week: null, touch_channels: ['paid_search', 'offline'] },
      { lead_id: 'L4', created_day: '2026-03-20', contact_hours: 24, qualified_week: 0, won_week: null, touch_channels: ['paid_search', 'offline'] },
    ]);
    const steps = await q(`select lead_id, position, hours from lead_stage_steps order by lead_id, position`);
    expect(steps).toEqual([
      { lead_id: 'L1', position: 1, hours: 10 / 60 },
      { lead_id: 'L1', position: 2, hours: 48 },
      { lead_id: 'L1', position: 4, hours: 7 * 24 - 10 / 60 },
      { lead_id: 'L2', position: 1, hours: 4 },
      { lead_id: 'L3', position: 2, hours: 24 },
      { lead_id: 'L4', position: 1, hours: 24 },
    ]);
  });

  test('call facts: previous call, attribution, manager and leads', async () => {
    const calls = await q(`select call_id, caller_phone, prev_started_at, channel, source, campaign, static_number, manager, leads from call_facts order by call_id`);
    expect(calls).toEqual([
      { call_id: 'c1', caller_phone: '+380671111119', prev_started_at: null, channel: 'offline', source: 'billboard_north', campaign: 'north_2026', static_number: '+380441110001', manager: 'Ivan', leads: 0 },
      // c1 moved to another caller: c2 has no earlier call any more; its pool session s3 is paid social; L3 left it.
      { call_id: 'c2', caller_phone: '+380671111111', prev_started_at: null, channel: 'paid_social', source: 'facebook', campaign: 'spring', static_number: null, manager: '', leads: 0 },
      // c3: the pool number is static from 2026-03-10; two leads, the first by creation with a manager is L3 (Maria).
      { call_id: 'c3', caller_phone: '+380671111112', prev_started_at: null, channel: 'offline', source: 'radio', campaign: 'fm_2026', static_number: '+380441110002', manager: 'Maria', leads: 2 },
    ]);
  });

  test('credit facts: one primary touch per lead and model, revenue of won leads', async () => {
    const primary = await q<{ model: string; n: number; leads: number }>(
      `select model, count(*) filter (where is_primary)::int as n, count(distinct lead_id)::int as leads from lead_credit_facts group by model order by model`,
    );
    expect(primary.map((r) => r.model)).toEqual(['first', 'last', 'last_non_direct', 'linear', 'position', 'time_decay']);
    for (const r of primary) expect(r.n).toBe(r.leads);
    const won = await q(`select lead_id, won_day, revenue from lead_credit_facts where model = 'last_non_direct' and is_won order by lead_id`);
    expect(won).toEqual([
      { lead_id: 'L1', won_day: '2026-03-10', revenue: '1000.00' },
      { lead_id: 'L2', won_day: '2026-04-09', revenue: '500.50' },
    ]);
  });

  test('monthly traffic sums the daily rollup', async () => {
    expect(await q(`select month, channel, campaign, sessions from monthly_traffic order by month, channel, campaign`)).toEqual([
      { month: '2026-03-01', channel: 'direct', campaign: '', sessions: 1 },
      { month: '2026-03-01', channel: 'paid_search', campaign: 'generic', sessions: 1 },
      { month: '2026-03-01', channel: 'paid_social', campaign: 'spring', sessions: 1 },
      { month: '2026-04-01', channel: 'paid_search', campaign: 'brand', sessions: 1 },
    ]);
  });
});
