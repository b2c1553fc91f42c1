import { Readable } from 'node:stream';
import type pg from 'pg';
import { poolOf, type Db } from '../../db/client';
import { dbOnClient } from '../../db/import/client-db';
import { runImport, type ImportResult } from '../../db/import/run-import';
import type { Workspace } from '../../db/schema';
import type { ImportKind } from '../import/formats';
import { toCsv } from './csv';
import { ApiError, MAX_DETAILS, type ApiProblem } from './errors';

// Writes of the API: one transaction per request, holding a per-workspace
// advisory lock (two requests deriving one visitor's sessions at once would
// each miss the other's events), with canonical rows written through the one
// import path (runImport inside the transaction: same validation, derived
// tables and import_jobs records as a file). Any failure rolls back the
// whole request.

export interface ApiTx {
  client: pg.PoolClient;
  /** Kysely on the transaction's connection. */
  db: Db;
  workspace: Workspace;
  actor: string;
}

/** Which part of the request a canonical row came from: its path, and the path of each column when it differs. */
export interface RowOrigin {
  prefix: string;
  fields?: Record<string, string>;
}

const API_LOCK = 0x4c50_4150; // 'LPAP'

export async function withApiTransaction<T>(db: Db, workspace: Workspace, actor: string, fn: (tx: ApiTx) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1, $2)', [API_LOCK, workspace.id]);
    const result = await fn({ client, db: dbOnClient(client), workspace, actor });
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface ImportedCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Canonical rows of one kind through runImport in the request's transaction; invalid rows fail the request naming their fields. */
export async function importRows(
  tx: ApiTx,
  kind: ImportKind,
  columns: readonly string[],
  rows: readonly { cells: Record<string, string | null | undefined>; origin: RowOrigin }[],
  name: string,
): Promise<ImportedCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const csv = toCsv(columns, rows);
  const result = await runImport(tx.db, {
    workspace: tx.workspace,
    kind,
    file: { stream: Readable.from([Buffer.from(csv.text, 'utf8')]), name },
    actor: tx.actor,
    transaction: tx.client,
  });
  if (result.status !== 'succeeded') throw importError(result, csv.origins);
  return { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged };
}

function importError(result: ImportResult, origins: Map<number, RowOrigin>): ApiError {
  const problems: ApiProblem[] = result.errors.slice(0, MAX_DETAILS).map((e) => {
    const origin = origins.get(e.line);
    if (!origin) return { message: e.reason };
    const column = e.column ?? '';
    const field = origin.fields?.[column] ?? (column ? (origin.prefix ? `${origin.prefix}.${column}` : column) : origin.prefix);
    return { field: field || undefined, message: e.value !== null ? `${e.reason} (got "${e.value}")` : e.reason };
  });
  const first = problems[0] ?? { message: 'the rows were refused' };
  return new ApiError(400, 'invalid_payload', first.field ? `${first.field}: ${first.message}` : first.message, first.field, problems);
}
