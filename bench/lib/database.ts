import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, withDatabase, type Db } from '../../db/client';
import { EMBEDDED_DATABASE, EMBEDDED_SETTINGS, ensureDatabase } from '../../db/connect';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../db/embedded';
import { migrateToLatest } from '../../db/migrate';

// A fresh database for one bench run: with DATABASE_URL, a new database on
// that server; else its own embedded PostgreSQL (the app's settings) in a
// temporary LEADPATH_HOME, whose database has the app's name so `leadpath
// serve` with that LEADPATH_HOME finds it (the app-start measurement).

export interface BenchDatabase {
  url: string;
  /** The temporary LEADPATH_HOME of the embedded server; null on DATABASE_URL's server. */
  home: string | null;
  embedded: EmbeddedServer | null;
  /** Stops the embedded server (the data stays). */
  stopServer(): Promise<void>;
  /** Drops the database / deletes the folder, unless kept. */
  dispose(keep: boolean): Promise<string | null>;
}

export async function startBenchDatabase(log: (l: string) => void): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `leadpath_bench_${Date.now()}`;
    await ensureDatabase(external, name);
    const url = withDatabase(external, name);
    log(`database: ${name} on DATABASE_URL's server`);
    return {
      url,
      home: null,
      embedded: null,
      stopServer: async () => {},
      dispose: async (keep) => {
        if (keep) return `DATABASE_URL=${url}`;
        const client = new pg.Client({ connectionString: external });
        await client.connect();
        try {
          await client.query(`drop database if exists ${name} with (force)`);
        } finally {
          await client.end();
        }
        return null;
      },
    };
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'leadpath-bench-'));
  const embedded = await startEmbeddedPostgres({ dataDir: home, settings: EMBEDDED_SETTINGS });
  await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
  const url = withDatabase(embedded.url, EMBEDDED_DATABASE);
  log(`database: embedded PostgreSQL on port ${embedded.port} in ${home}`);
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    await embedded.stop();
  };
  return {
    url,
    home,
    embedded,
    stopServer,
    dispose: async (keep) => {
      await stopServer();
      if (keep) return `LEADPATH_HOME=${home}`;
      rmSync(home, { recursive: true, force: true });
      return null;
    },
  };
}

/** The bench's own pool: migrated, quiet about slow queries (the bench reports timings itself). */
export async function openBenchDb(url: string): Promise<Db> {
  const db = createDb(url, { slowQueryMs: Number.MAX_SAFE_INTEGER });
  await migrateToLatest(db);
  return db;
}
