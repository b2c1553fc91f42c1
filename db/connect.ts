import pg from 'pg';
import { createDb, withDatabase, type Db, type DbOptions } from './client';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { migrateToLatest } from './migrate';
import { stateDir } from './paths';

// One way to reach the database for the app, the CLI and the bench:
// DATABASE_URL when set, else the embedded server under .leadpath/ (started
// here if no other Leadpath process is running it).

export const EMBEDDED_DATABASE = 'leadpath';

/** Settings of the embedded server: room for bulk imports and report sorts on a laptop. */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  shared_buffers: '256MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '15min',
  wal_compression: 'on',
  effective_cache_size: '2GB',
};

export interface Connection {
  db: Db;
  url: string;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

export interface ConnectOptions extends DbOptions {
  migrate?: boolean;
  log?: (line: string) => void;
}

export async function connect(opts: ConnectOptions = {}): Promise<Connection> {
  let url = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | null = null;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: stateDir, log: opts.log, settings: EMBEDDED_SETTINGS });
    await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    url = withDatabase(embedded.url, EMBEDDED_DATABASE);
  }
  const db = createDb(url, opts);
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/** CREATE DATABASE if missing (names are ours, never user input). */
export async function ensureDatabase(maintenanceUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database ${name}${template ? ` template ${template}` : ''}`);
      } catch (error) {
        // 42P04: created meanwhile by another process.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}
