import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { runImport } from '../../db/import/run-import';
import type { ImportKind } from '../../app/import/formats';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import { rebuildWorkspace } from '../../db/analytics/rebuild';
import { setCreditBatchLeads } from '../../db/analytics/stitch';
import type { Workspace } from '../../db/schema';

// The import's shortcuts (db/import/run-import.ts insertFresh, after-import.ts)
// must leave exactly what the general path and a rebuild leave: a first
// sessions import after the leads (plain insert, whole-table traffic and
// visitor paths), a stage history import that only recomputes stage reach,
// and credits computed in lead batches (batch size 2 here, so 5 leads cross
// batch boundaries). Workspace Europe/Kyiv (+02:00 in March), pipeline
// new(1) contacted(2) qualified(3) proposal(4) negotiation(5) won(6).

let t: TestDatabase;
let ws: Workspace;
let previousBatch: number;
let dir: string;

const q = async <T = Record<string, unknown>>(text: string) => (await sql.raw(text).execute(t.db)).rows as T[];

async function derived() {
  return {
    traffic: await q(`select day, source, medium, campaign, content, region, device, channel, sessions from daily_traffic order by 1,2,3,4,5,6,7`),
    monthly: await q(`select * from monthly_traffic order by month, channel, source, medium, campaign, content, region`),
    journeys: await q(`select lead_id, visitor_id, touch_count, first_touch_at, path, coverage, reached_position, entered_mask, qualified_at from lead_journeys order by 1`),
    touches: await q(`select lead_id, position, kind, touched_at, channel, source, session_id, call_id from lead_touches order by 1,2`),
    credits: await q(`select lead_id, model, position, channel, credit from lead_credits where model <> 'markov' order by 1,2,3`),
    visitorPaths: await q(`select visitor_id, first_session_at, path, has_lead from visitor_paths order by 1`),
    nonconverting: await q(`select day, path, visitors from nonconverting_paths order by 1, 2`),
    converting: await q(`select day, path, leads, won_leads, revenue from converting_paths order by 1, 2`),
    leadFacts: await q(`select * from lead_facts order by lead_id`),
    steps: await q(`select * from lead_stage_steps order by lead_id, position`),
    creditFacts: await q(`select * from lead_credit_facts order by model, lead_id, position`),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  previousBatch = setCreditBatchLeads(2);
  dir = mkdtempSync(path.join(tmpdir(), 'leadpath-fast-'));
});
afterAll(async () => {
  setCreditBatchLeads(previousBatch);
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

describe('leads first, then the first sessions import, then stage history', () => {
  test('the sessions import stitches the earlier leads and equals a rebuild', async () => {
    const leads = await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,session_id,visitor_id,source,medium,stage,outcome,amount,closed_at',
      'L1,2026-03-10T12:00:00+02:00,form,,v1,,,new,open,,',
      'L2,2026-03-11T12:00:00+02:00,form,s3,,,,new,won,200.00,2026-03-20T12:00:00+02:00',
      'L3,2026-03-12T12:00:00+02:00,form,,v9,,,new,open,,',
      'L4,2026-03-12T13:00:00+02:00,manual,,,expo,offline,new,open,,',
      'L5,2026-03-13T12:00:00+02:00,form,,v2,,,new,open,,',
    ));
    expect(leads.status).toBe('succeeded');
    // Before any session every web lead is direct.
    expect((await q<{ lead_id: string; path: string }>(`select lead_id, path from lead_journeys order by 1`)).map((r) => r.path))
      .toEqual(['direct', 'direct', 'direct', 'offline', 'direct']);

    const sessions = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc,generic',
      's2,v1,2026-03-05T10:00:00+02:00,google,organic,',
      's3,v2,2026-03-09T10:00:00+02:00,facebook,paid_social,spring',
      's4,v3,2026-03-09T11:00:00+02:00,,,',
      's5,v3,2026-03-10T11:00:00+02:00,google,cpc,generic',
    ));
    expect([sessions.status, sessions.inserted, sessions.updated, sessions.unchanged]).toEqual(['succeeded', 5, 0, 0]);
    // L1: v1's two sessions; L2: the visitor of its session s3 (v2); L5: v2 too; L3: v9 has no sessions.
    expect(await q(`select lead_id, touch_count, path, coverage from lead_journeys order by 1`)).toEqual([
      { lead_id: 'L1', touch_count: 2, path: 'paid_search > organic_search', coverage: 'known' },
      { lead_id: 'L2', touch_count: 1, path: 'paid_social', coverage: 'known' },
      { lead_id: 'L3', touch_count: 0, path: 'direct', coverage: 'no_sessions' },
      { lead_id: 'L4', touch_count: 0, path: 'offline', coverage: 'known' },
      { lead_id: 'L5', touch_count: 1, path: 'paid_social', coverage: 'known' },
    ]);
    // Only v3 has no lead: one non-converting journey, direct > paid_search, on 03-09.
    expect(await q(`select day, path, visitors from nonconverting_paths`)).toEqual([{ day: '2026-03-09', path: ['direct', 'paid_search'], visitors: 1 }]);
    // Daily traffic: 03-01, 03-05, 03-09 (two sessions), 03-10.
    expect((await q<{ n: number }>(`select sum(sessions)::int as n, count(distinct day)::int as days from daily_traffic`))[0]).toEqual({ n: 5, days: 4 });

    const imported = await derived();
    await rebuildWorkspace(t.db, ws);
    expect(await derived()).toEqual(imported);
  });

  test('a stage history import recomputes reach and facts without rewriting touches or credits', async () => {
    const rowVersions = async () => ({
      touches: await q(`select lead_id, position, xmin::text as v from lead_touches order by 1, 2`),
      credits: await q(`select lead_id, model, position, xmin::text as v from lead_credits order by 1, 2, 3`),
    });
    const before = await rowVersions();
    const stages = await importText(t.db, ws, 'lead_stages', csv(
      'lead_id,stage,entered_at',
      'L1,new,2026-03-10T12:00:00+02:00',
      'L1,qualified,2026-03-11T12:00:00+02:00',
      'L2,contacted,2026-03-12T12:00:00+02:00',
    ));
    expect(stages.status).toBe('succeeded');
    expect(await rowVersions()).toEqual(before);
    // L1 entered qualified (3) on 03-11 12:00 +02 = 10:00Z; L2 is won: it reached every stage (6), qualified at its closing time.
    expect(await q(`select lead_id, reached_position, entered_mask, qualified_at from lead_journeys where lead_id in ('L1', 'L2') order by 1`)).toEqual([
      { lead_id: 'L1', reached_position: 3, entered_mask: 0b101, qualified_at: new Date('2026-03-11T10:00:00Z') },
      { lead_id: 'L2', reached_position: 6, entered_mask: 0b10, qualified_at: new Date('2026-03-20T10:00:00Z') },
    ]);
    // L1 first contact: its first entry at or after contacted = qualified, 03-11 12:00 − 03-10 12:00 = 24 h.
    expect(await q(`select lead_id, contact_hours from lead_facts where lead_id = 'L1'`)).toEqual([{ lead_id: 'L1', contact_hours: 24 }]);
    const imported = await derived();
    await rebuildWorkspace(t.db, ws);
    expect(await derived()).toEqual(imported);
  });

  test('a first import that repeats a key takes the upsert path and imports the row once', async () => {
    const calls = await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c1,2026-03-04T10:00:00+02:00,+380991112233,+380441110001,answered',
      'c1,2026-03-04T10:00:00+02:00,+380991112233,+380441110001,answered',
      'c2,2026-03-05T10:00:00+02:00,+380991112233,+380441110001,missed',
    ));
    expect([calls.status, calls.inserted, calls.warnings]).toEqual(['succeeded', 2, ['1 row(s) repeat an earlier row with the same key and values; imported once']]);
    expect(await q(`select call_id, status from calls order by 1`)).toEqual([{ call_id: 'c1', status: 'answered' }, { call_id: 'c2', status: 'missed' }]);
  });

  test('a replay that changes no row keeps data_version (report caches stay valid)', async () => {
    const version = async () => Number((await t.db.selectFrom('workspaces').select('data_version').where('id', '=', ws.id).executeTakeFirstOrThrow()).data_version);
    const before = await version();
    const replay = await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c2,2026-03-05T10:00:00+02:00,+380991112233,+380441110001,missed',
    ));
    expect([replay.status, replay.inserted, replay.updated, replay.unchanged]).toEqual(['succeeded', 0, 0, 1]);
    expect(await version()).toBe(before);
    const change = await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c2,2026-03-05T10:00:00+02:00,+380991112233,+380441110001,answered',
    ));
    expect([change.updated, await version()]).toEqual([1, before + 1]);
  });
});

/** Imports a file by path (the CLI's way; a first import of a kind is then COPYed straight into its table). */
async function importFile(workspace: Workspace, kind: ImportKind, content: string, skipInvalid = false) {
  const file = path.join(dir, `${workspace.slug}-${kind}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, content);
  return runImport(t.db, { workspace, kind, file, actor: 'test', skipInvalid });
}

describe('first imports from a file go straight into the table', () => {
  let files: Workspace;
  beforeAll(async () => {
    files = await makeWorkspace(t.db, 'files');
  });

  test('leads, then sessions: written directly, stitched, equal to a rebuild', async () => {
    const leads = await importFile(files, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at',
      'F1,2026-03-10T12:00:00+02:00,form,fv1,new,won,300.00,2026-03-12T12:00:00+02:00',
      'F2,2026-03-11T12:00:00+02:00,form,fv2,new,open,,',
    ));
    // No staging table, so no upsert phase.
    expect([leads.status, leads.inserted, leads.phases.upsert]).toEqual(['succeeded', 2, undefined]);
    const sessions = await importFile(files, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      'fs1,fv1,2026-03-09T10:00:00+02:00,google,cpc,generic',
      'fs2,fv1,2026-03-10T10:00:00+02:00,,,',
      'fs3,fv3,2026-03-10T11:00:00+02:00,facebook,paid_social,spring',
    ));
    expect([sessions.status, sessions.inserted, sessions.phases.upsert]).toEqual(['succeeded', 3, undefined]);
    expect(await q(`select lead_id, touch_count, path from lead_journeys where workspace_id = ${files.id} order by 1`)).toEqual([
      { lead_id: 'F1', touch_count: 2, path: 'paid_search > direct' },
      { lead_id: 'F2', touch_count: 0, path: 'direct' },
    ]);
    // The won lead F1 (300.00) converts on 03-10; fv3 is the one non-converting journey.
    expect(await q(`select day, path, leads, won_leads, revenue from converting_paths where workspace_id = ${files.id} order by 1`)).toEqual([
      { day: '2026-03-10', path: ['paid_search', 'direct'], leads: 1, won_leads: 1, revenue: '300.00' },
      { day: '2026-03-11', path: ['direct'], leads: 1, won_leads: 0, revenue: '0' },
    ]);
    expect(await q(`select path, visitors from nonconverting_paths where workspace_id = ${files.id}`)).toEqual([{ path: ['paid_social'], visitors: 1 }]);
    const imported = await derived();
    await rebuildWorkspace(t.db, files);
    expect(await derived()).toEqual(imported);
    // A second file of the same kind is no first import: staged and upserted.
    const again = await importFile(files, 'sessions', csv('session_id,visitor_id,started_at', 'fs4,fv3,2026-03-12T10:00:00+02:00'));
    expect([again.inserted, typeof again.phases.upsert]).toEqual([1, 'number']);
  });

  test('a key repeated in the file: read again through the staging table, imported once', async () => {
    const calls = await importFile(files, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'fc1,2026-03-04T10:00:00+02:00,+380991112233,+380441110001,answered',
      'fc1,2026-03-04T10:00:00+02:00,+380991112233,+380441110001,answered',
    ));
    expect([calls.status, calls.rowsRead, calls.inserted, calls.warnings]).toEqual(['succeeded', 2, 1, ['1 row(s) repeat an earlier row with the same key and values; imported once']]);
    expect(await q(`select call_id from calls where workspace_id = ${files.id}`)).toEqual([{ call_id: 'fc1' }]);
  });

  test('an invalid row: nothing is written, or with skipInvalid the other rows', async () => {
    const content = csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,a,10', '2026-03-02,google,cpc,b,-1');
    const refused = await importFile(files, 'spend', content);
    expect([refused.status, refused.errors[0]?.line, refused.errors[0]?.column]).toEqual(['failed', 3, 'cost']);
    expect(await q(`select count(*)::int as n from spend where workspace_id = ${files.id}`)).toEqual([{ n: 0 }]);
    const skipped = await importFile(files, 'spend', content, true);
    expect([skipped.status, skipped.inserted, skipped.rejected]).toEqual(['succeeded', 1, 1]);
    expect(await q(`select campaign, cost from spend where workspace_id = ${files.id}`)).toEqual([{ campaign: 'a', cost: '10' }]);
  });
});
