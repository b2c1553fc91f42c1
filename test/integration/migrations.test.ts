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

// Accounts are global: a person (users), their signed-in sessions
// (user_sessions) and failed logins counted per email and IP (login_failures)
// belong to no single workspace. Everything a workspace owns keys on it.
const GLOBAL_ACCOUNT_TABLES = ['users', 'user_sessions', 'login_failures'];

// The one list of tables without workspace_id, each with its reason (docs/scaling.md: on
// Citus they are reference tables, copied to every node; the rest is distributed by workspace_id).
const WORKSPACE_FREE_TABLES: Record<string, string> = {
  workspaces: 'the workspace itself: its id is the workspace_id every other table carries',
  ...Object.fromEntries(GLOBAL_ACCOUNT_TABLES.map((t) => [t, 'a global account table: people and logins belong to no single workspace'])),
};

test('every foreign key between workspace tables carries workspace_id on both sides', async () => {
  const fks = await sql<{ name: string; from_table: string; to_table: string; from_cols: string[]; to_cols: string[] }>`
    select con.conname as name, src.relname as from_table, dst.relname as to_table,
           array(select a.attname from unnest(con.conkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i)::text[] as from_cols,
           array(select a.attname from unnest(con.confkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i)::text[] as to_cols
      from pg_constraint con
      join pg_class src on src.oid = con.conrelid
      join pg_class dst on dst.oid = con.confrelid
      join pg_namespace n on n.oid = src.relnamespace and n.nspname = 'public'
     where con.contype = 'f'`.execute(db);
  expect(fks.rows.length).toBeGreaterThanOrEqual(10);
  const wrong = fks.rows
    .filter((fk) => !(fk.from_table in WORKSPACE_FREE_TABLES))
    .filter((fk) => {
      // A workspace table may point at the workspace (by workspace_id) or at a global table (e.g. users).
      if (fk.to_table === 'workspaces') return !(fk.from_cols.length === 1 && fk.from_cols[0] === 'workspace_id');
      if (fk.to_table in WORKSPACE_FREE_TABLES) return false;
      // Between workspace tables: workspace_id must map to workspace_id (colocated joins on Citus).
      const i = fk.from_cols.indexOf('workspace_id');
      return i < 0 || fk.to_cols[i] !== 'workspace_id';
    })
    .map((fk) => `${fk.name}: ${fk.from_table}(${fk.from_cols.join(', ')}) → ${fk.to_table}(${fk.to_cols.join(', ')})`);
  expect(wrong).toEqual([]);
});

test('every table outside the named list has a workspace_id column', async () => {
  const rows = await sql<{ table_name: string }>`
    select c.relname as table_name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
     where c.relkind in ('r', 'p') and c.relname not like 'kysely_%'
       and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped)`.execute(db);
  expect(rows.rows.map((r) => r.table_name).filter((t) => !(t in WORKSPACE_FREE_TABLES))).toEqual([]);
});

test('every table carries workspace_id in its primary key (except the global account tables)', async () => {
  const rows = await sql<{ table_name: string; pk: string[] }>`
    select c.relname as table_name,
           array_agg(a.attname order by a.attnum)::text[] as pk
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
     where i.indisprimary and c.relname not like 'kysely_%'
     group by c.relname`.execute(db);
  const missing = rows.rows.filter((r) => !r.pk.includes('workspace_id') && !(r.table_name === 'workspaces' && r.pk.includes('id')) && !GLOBAL_ACCOUNT_TABLES.includes(r.table_name));
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
