import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;

// Parsers pinned on this pool only (no global monkey patching): int8 counts
// become numbers (they stay far below 2^53), numeric stays a decimal string so
// money is never a float, date stays 'YYYY-MM-DD' so no time zone sneaks in.
const INT8 = 20;
const DATE = 1082;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface DbOptions {
  max?: number;
  /** Log queries slower than this many ms (default 200; env LEADPATH_SLOW_QUERY_MS). */
  slowQueryMs?: number;
}

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: typeParsers, application_name: 'leadpath' });
  // An idle connection dropped by the server (shutdown, restart) must not crash
  // the process; the next query opens a new one.
  pool.on('error', (error) => {
    if ((error as { code?: string }).code !== '57P01') console.warn(`[db] idle connection lost: ${error.message}`);
  });
  return pool;
}

// Kept on the instance under a global symbol, not in a module-level map: the
// server build bundles its own copy of this module, and the Db it receives
// from `leadpath serve` was made by the CLI's copy.
const POOL = Symbol.for('leadpath.pool');

/** The pg pool behind a Db, for what Kysely does not do (COPY). */
export function poolOf(db: Db): pg.Pool {
  const pool = (db as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error('this Db was not made by createDb');
  return pool;
}

export function createDb(url: string, opts: DbOptions = {}): Db {
  const slowMs = opts.slowQueryMs ?? Number(process.env.LEADPATH_SLOW_QUERY_MS ?? 200);
  const pool = createPool(url, opts.max);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event: LogEvent) => {
      if (event.level === 'error') return; // errors surface to the caller
      if (event.queryDurationMillis >= slowMs) {
        console.warn(`[slow query ${event.queryDurationMillis.toFixed(0)} ms] ${event.query.sql.slice(0, 300)}`);
      }
    },
  });
  Object.defineProperty(db, POOL, { value: pool });
  return db;
}

/** Same server, another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
