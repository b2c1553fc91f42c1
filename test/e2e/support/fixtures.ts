import { createDb, withDatabase, type Db } from '../../../db/client';
import { EMBEDDED_DATABASE } from '../../../db/connect';
import { startEmbeddedPostgres } from '../../../db/embedded';
import { createWorkspace } from '../../../db/queries/workspaces';

// A handle on the database of a running test server: its embedded PostgreSQL
// is found through <home>/pg/postmaster.pid (the server owns and stops it).
export async function openServerDb(home: string): Promise<Db> {
  const server = await startEmbeddedPostgres({ dataDir: home });
  if (server.owned) {
    await server.stop();
    throw new Error(`no running PostgreSQL under ${home}: is the test server up?`);
  }
  return createDb(withDatabase(server.url, EMBEDDED_DATABASE), { max: 2 });
}

/**
 * Two workspaces: "acme" with a little of every kind of data, "northwind"
 * empty. The first Acme session falls on Nov 1 in Kyiv but Oct 31 in UTC,
 * so the overview's day range shows whether days follow the workspace zone.
 */
export async function seedShellFixtures(db: Db): Promise<void> {
  const acme = await createWorkspace(db, { slug: 'acme', name: 'Acme Dental', timeZone: 'Europe/Kyiv', currency: 'UAH' });
  await createWorkspace(db, { slug: 'northwind', name: 'Northwind Realty', timeZone: 'America/New_York', currency: 'USD' });
  const ws = acme.id;

  const spendImport = await db
    .insertInto('import_jobs')
    .values({
      workspace_id: ws,
      kind: 'spend',
      file_name: 'google-ads-november.csv',
      actor: 'e2e',
      status: 'succeeded',
      started_at: '2026-11-20T09:00:00Z',
      finished_at: '2026-11-20T09:00:02Z',
      duration_ms: 2000,
      rows_read: 4,
      rows_inserted: 4,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('import_jobs')
    .values({
      workspace_id: ws,
      kind: 'leads',
      file_name: 'crm-export.csv',
      actor: 'e2e',
      status: 'failed',
      started_at: '2026-11-21T08:30:00Z',
      finished_at: '2026-11-21T08:30:01Z',
      rows_read: 12,
      rows_rejected: 12,
      error: 'column "created_at" is missing',
    })
    .execute();

  const spendRow = { workspace_id: ws, source: 'google', medium: 'cpc', channel: 'Paid search', import_id: spendImport.id };
  await db
    .insertInto('spend')
    .values([
      { ...spendRow, date: '2026-11-01', campaign: 'implants', cost: '1250.40' },
      { ...spendRow, date: '2026-11-02', campaign: 'implants', cost: '980.35' },
      { ...spendRow, date: '2026-11-19', campaign: 'whitening', cost: '0.10' },
      { ...spendRow, date: '2026-11-19', campaign: 'braces', cost: '0.20' },
    ])
    .execute();

  await db
    .insertInto('sessions')
    .values([
      { workspace_id: ws, session_id: 's1', visitor_id: 'v1', started_at: '2026-10-31T22:30:00Z', source: 'google', medium: 'cpc', channel: 'Paid search' },
      { workspace_id: ws, session_id: 's2', visitor_id: 'v2', started_at: '2026-11-05T12:00:00Z', channel: 'Direct' },
      { workspace_id: ws, session_id: 's3', visitor_id: 'v1', started_at: '2026-11-18T16:45:00Z', channel: 'Direct' },
    ])
    .execute();

  await db
    .insertInto('calls')
    .values({ workspace_id: ws, call_id: 'c1', started_at: '2026-11-06T10:15:00Z', caller_phone: '+380501234567', tracking_number: '+380441112233', status: 'answered' })
    .execute();

  await db
    .insertInto('leads')
    .values([
      { workspace_id: ws, lead_id: 'l1', created_at: '2026-11-05T12:10:00Z', kind: 'form', session_id: 's2', stage: 'New', outcome: 'open' },
      { workspace_id: ws, lead_id: 'l2', created_at: '2026-11-20T10:00:00Z', kind: 'call', call_id: 'c1', stage: 'New', outcome: 'open' },
    ])
    .execute();
}
