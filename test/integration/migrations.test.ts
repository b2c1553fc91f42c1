import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, expect, inject, test } from 'vitest';
import { createDb, withDatabase } from '../../db/client';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations/index';

// Migrations from an empty database (not the template the other tests clone).
const name = `leadpath_mig_${randomBytes(4).toString('hex')}`;
const serverUrl = inject('pgServerUrl');
const admin = async (q: string) => {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(q);
  await c.end();
};
const db = await (async () => {
  await admin(`create database ${name}`);
  return createDb(withDatabase(serverUrl, name));
})();
afterAll(async () => {
  await db.destroy();
  await admin(`drop database if exists ${name} with (force)`);
});

test('every migration applies to an empty database, then nothing is pending', async () => {
  const first = await migrateToLatest(db);
  expect(first.map((r) => [r.migrationName, r.status])).toEqual(Object.keys(migrations).map((m) => [m, 'Success']));
  expect(await migrateToLatest(db)).toEqual([]);
});

test('every table carries workspace_id in its primary key (except users, the global account table)', async () => {
  const rows = await sql<{ table_name: string; pk: string[] }>`
    select c.relname as table_name,
           array_agg(a.attname order by a.attnum)::text[] as pk
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
     where i.indisprimary and c.relname not like 'kysely_%'
     group by c.relname`.execute(db);
  const missing = rows.rows.filter((r) => !r.pk.includes('workspace_id') && !(r.table_name === 'workspaces' && r.pk.includes('id')) && r.table_name !== 'users');
  expect(missing).toEqual([]);
  expect(rows.rows.length).toBeGreaterThanOrEqual(20);
});

test('money columns are numeric and times are timestamptz', async () => {
  const cols = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
     where table_schema = 'public' and column_name in ('cost', 'amount', 'max_cpl', 'budget', 'revenue', 'started_at', 'created_at', 'entered_at', 'closed_at')`.execute(db);
  for (const c of cols.rows) {
    const expected = ['started_at', 'created_at', 'entered_at', 'closed_at'].includes(c.column_name) ? 'timestamp with time zone' : 'numeric';
    expect(`${c.table_name}.${c.column_name} ${c.data_type}`).toBe(`${c.table_name}.${c.column_name} ${expected}`);
  }
});
