import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { ImportJobsTable } from '../schema';
import type { PlanRow } from '../../app/lib/plan-progress';

// What a workspace holds (row counts, the span of days its data covers, its
// latest imports) and its plan rows, for the Overview page. Every query is
// scoped to one workspace.

export interface OverviewParams {
  workspaceId: number;
  /** IANA zone of the workspace: days are counted on its calendar. */
  timeZone: string;
  /** How many of the latest imports to return (default 10). */
  importLimit?: number;
}

/** First and last day with data, 'YYYY-MM-DD' in the workspace time zone; null when there is none. */
export interface DayRange {
  first: string | null;
  last: string | null;
}

export interface TableSummary extends DayRange {
  rows: number;
}

export interface SpendSummary extends TableSummary {
  /** Sum of cost as an exact decimal string ('0' when there is no spend). */
  total: string;
}

export interface ImportSummary {
  id: number;
  kind: string;
  fileName: string;
  status: ImportJobsTable['status'];
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsRejected: number;
  error: string | null;
}

export interface Overview {
  sessions: TableSummary;
  leads: TableSummary;
  calls: TableSummary;
  spend: SpendSummary;
  /** Span of all the above together. */
  range: DayRange;
  imports: ImportSummary[];
}

/**
 * The calendar day of a timestamptz in the given zone. Applied to min() and
 * max() rather than inside them (the day is monotonic in the instant), so
 * PostgreSQL reads the first and last rows off the (workspace, time) index.
 */
function localDate(timestamp: Expression<Date | null>, timeZone: string): RawBuilder<string | null> {
  return sql<string>`(${timestamp} at time zone ${timeZone})::date`;
}

export async function getOverview(db: Db, params: OverviewParams): Promise<Overview> {
  const [summary, imports] = await Promise.all([getDataSummary(db, params), getRecentImports(db, params)]);
  return { ...summary, imports };
}

/**
 * Row counts and day spans of the workspace's data. They change only with
 * the data (an import bumps data_version), so callers may cache them per
 * version; the import list (a failed import changes no data) is separate.
 */
export async function getDataSummary(db: Db, params: OverviewParams): Promise<Omit<Overview, 'imports'>> {
  const { workspaceId, timeZone } = params;

  const sessions = db
    .selectFrom('sessions')
    .where('workspace_id', '=', workspaceId)
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      localDate(eb.fn.min('started_at'), timeZone).as('first'),
      localDate(eb.fn.max('started_at'), timeZone).as('last'),
    ])
    .executeTakeFirstOrThrow();

  const leads = db
    .selectFrom('leads')
    .where('workspace_id', '=', workspaceId)
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      localDate(eb.fn.min('created_at'), timeZone).as('first'),
      localDate(eb.fn.max('created_at'), timeZone).as('last'),
    ])
    .executeTakeFirstOrThrow();

  const calls = db
    .selectFrom('calls')
    .where('workspace_id', '=', workspaceId)
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      localDate(eb.fn.min('started_at'), timeZone).as('first'),
      localDate(eb.fn.max('started_at'), timeZone).as('last'),
    ])
    .executeTakeFirstOrThrow();

  // spend.date is already a calendar day of the workspace.
  const spend = db
    .selectFrom('spend')
    .where('workspace_id', '=', workspaceId)
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      eb.fn.min<string | null>('date').as('first'),
      eb.fn.max<string | null>('date').as('last'),
      // numeric in, numeric out: pg hands it back as an exact decimal string.
      eb.fn.coalesce(eb.fn.sum<string | null>('cost'), sql<string>`0::numeric`).as('total'),
    ])
    .executeTakeFirstOrThrow();

  const [s, l, c, sp] = await Promise.all([sessions, leads, calls, spend]);
  return { sessions: s, leads: l, calls: c, spend: sp, range: computeSpan([s, l, c, sp]) };
}

/** The workspace's latest imports, newest first (`importLimit`, default 10). */
export async function getRecentImports(db: Db, params: OverviewParams): Promise<ImportSummary[]> {
  return db
    .selectFrom('import_jobs')
    .where('workspace_id', '=', params.workspaceId)
    .select([
      'id',
      'kind',
      'file_name as fileName',
      'status',
      'started_at as startedAt',
      'finished_at as finishedAt',
      'rows_read as rowsRead',
      'rows_inserted as rowsInserted',
      'rows_updated as rowsUpdated',
      'rows_rejected as rowsRejected',
      'error',
    ])
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(params.importLimit ?? 10)
    .execute();
}

/** The smallest range covering all given ranges; empty ranges are ignored. */
export function computeSpan(ranges: DayRange[]): DayRange {
  let first: string | null = null;
  let last: string | null = null;
  for (const r of ranges) {
    // 'YYYY-MM-DD' strings sort like the days they name.
    if (r.first !== null && (first === null || r.first < first)) first = r.first;
    if (r.last !== null && (last === null || r.last > last)) last = r.last;
  }
  return { first, last };
}

// ---------- Plans ----------

/** Plan rows of the months from `fromMonth` to `toMonth` (first days of months), inclusive. */
export async function getPlanRows(db: Db, workspaceId: number, fromMonth: string, toMonth: string): Promise<PlanRow[]> {
  return db
    .selectFrom('plans')
    .where('workspace_id', '=', workspaceId)
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .select(['month', 'channel', 'region', 'manager', 'leads', 'max_cpl', 'budget', 'sales', 'revenue'])
    .orderBy('month')
    .orderBy('channel')
    .orderBy('region')
    .orderBy('manager')
    .execute();
}
