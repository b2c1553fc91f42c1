import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type pg from 'pg';
import type { Db } from '../client';
import type { Database } from '../schema';

/**
 * A Kysely instance whose every query runs on one caller-owned client, so that
 * an import inside the caller's transaction reads and writes through it (a
 * pooled connection would not see the transaction's rows). Never releases or
 * ends the client: its owner does.
 */
export function dbOnClient(client: pg.PoolClient): Db {
  const borrowed = { query: client.query.bind(client), release: () => {} };
  const pool = { connect: async () => borrowed, end: async () => {}, options: {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as PostgresPool }) });
}
