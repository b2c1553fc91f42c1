import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, makeWorkspace } from '../support/import';
import { poolOf } from '../../db/client';
import { runImport } from '../../db/import/run-import';
import type { ImportKind } from '../../app/import/formats';
import type { Workspace } from '../../db/schema';

// ImportOptions.transaction: imports inside a transaction the caller owns
// (the ingestion API writes a lead and its stages atomically).

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
});
afterAll(async () => t.drop());

const inTx = (client: pg.PoolClient, kind: ImportKind, content: string) =>
  runImport(t.db, { workspace: ws, kind, file: { stream: Readable.from([Buffer.from(content)]), name: `${kind}.csv` }, actor: 'test', transaction: client });

const leadsCsv = (id: string) => csv(
  'lead_id,created_at,kind,source,medium,stage,outcome',
  `${id},2026-03-01T10:00:00+02:00,form,google,cpc,new,open`,
);
const stagesCsv = (id: string) => csv(
  'lead_id,stage,entered_at',
  `${id},new,2026-03-01T10:00:00+02:00`,
  `${id},qualified,2026-03-02T10:00:00+02:00`,
);

async function state(id: string) {
  const leads = await t.db.selectFrom('leads').select('lead_id').where('lead_id', '=', id).execute();
  const stages = await t.db.selectFrom('lead_stages').select('stage').where('lead_id', '=', id).orderBy('entered_at').execute();
  const facts = await t.db.selectFrom('lead_facts').select(['reached_position', 'qualified_at']).where('lead_id', '=', id).execute();
  const version = await t.db.selectFrom('workspaces').select('data_version').where('id', '=', ws.id).executeTakeFirstOrThrow();
  return { leads: leads.length, stages: stages.map((s) => s.stage), facts, version: Number(version.data_version) };
}

async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(t.db).connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

describe('an import inside the caller transaction', () => {
  test('leads and their stages commit together, with their import records, and the caller settings survive', async () => {
    const before = await state('T1');
    const { results, tz } = await withClient(async (client) => {
      await client.query('begin');
      await client.query(`set local TimeZone = 'America/New_York'`);
      const results = [await inTx(client, 'leads', leadsCsv('T1')), await inTx(client, 'lead_stages', stagesCsv('T1'))];
      const tz = (await client.query<{ tz: string }>(`select current_setting('TimeZone') as tz`)).rows[0]!.tz;
      // Not visible to other connections before the caller commits.
      expect((await state('T1')).leads).toBe(0);
      await client.query('commit');
      return { results, tz };
    });
    expect(results.map((r) => [r.status, r.inserted])).toEqual([['succeeded', 1], ['succeeded', 2]]);
    expect(tz).toBe('America/New_York');
    const after = await state('T1');
    // qualified is position 3 of new, contacted, qualified, ...; first entered 2026-03-02 10:00 +02 = 08:00Z.
    expect(after).toEqual({ leads: 1, stages: ['new', 'qualified'], facts: [{ reached_position: 3, qualified_at: new Date('2026-03-02T08:00:00Z') }], version: before.version + 2 });
    const jobs = await t.db.selectFrom('import_jobs').select(['id', 'status']).where('id', 'in', results.map((r) => r.importId)).orderBy('id').execute();
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
  });

  test('a caller rollback undoes both imports and their records', async () => {
    const before = await state('T2');
    const jobsBefore = await t.db.selectFrom('import_jobs').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await withClient(async (client) => {
      await client.query('begin');
      expect((await inTx(client, 'leads', leadsCsv('T2'))).status).toBe('succeeded');
      expect((await inTx(client, 'lead_stages', stagesCsv('T2'))).status).toBe('succeeded');
      await client.query('rollback');
    });
    expect(await state('T2')).toEqual({ ...before, leads: 0, stages: [], facts: [] });
    const jobsAfter = await t.db.selectFrom('import_jobs').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(jobsAfter.n)).toBe(Number(jobsBefore.n));
  });

  test('a failed import rolls back to its savepoint and leaves the caller transaction usable', async () => {
    const before = await state('T3');
    const failed = await withClient(async (client) => {
      await client.query('begin');
      expect((await inTx(client, 'leads', leadsCsv('T3'))).status).toBe('succeeded');
      // Stage rows for a lead that does not exist: the whole file is refused.
      const bad = await inTx(client, 'lead_stages', csv('lead_id,stage,entered_at', 'T3,new,2026-03-01T10:00:00+02:00', 'NOPE,new,2026-03-01T10:00:00+02:00'));
      await client.query('commit');
      return bad;
    });
    expect([failed.status, failed.errors[0]?.line, failed.errors[0]?.column]).toEqual(['failed', 3, 'lead_id']);
    // The lead import committed (+1 data_version), the refused stage file wrote nothing.
    expect(await state('T3')).toEqual({ leads: 1, stages: [], facts: [{ reached_position: 1, qualified_at: null }], version: before.version + 1 });
    const job = await t.db.selectFrom('import_jobs').select('status').where('id', '=', failed.importId).executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    const rejects = await t.db.selectFrom('rejected_rows').select(['line', 'value']).where('import_id', '=', failed.importId).execute();
    expect(rejects).toEqual([{ line: 3, value: 'NOPE' }]);
  });
});
