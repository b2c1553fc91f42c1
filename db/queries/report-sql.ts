import { sql, type RawBuilder } from 'kysely';
import type { Filters, FilterKey } from '../../app/reports/params';
import type { Db } from '../client';
import type { Workspace } from '../schema';

// Typed SQL pieces shared by the report queries. Values are always bound;
// identifiers come only from the fixed maps below, never from user input.

/** [start, end) instants of the inclusive day range in the workspace zone. */
export function dayRange(ws: Workspace, from: string, to: string) {
  return {
    start: sql<Date>`(${from}::date::timestamp at time zone ${ws.time_zone})`,
    end: sql<Date>`((${to}::date + 1)::timestamp at time zone ${ws.time_zone})`,
  };
}

export function inRange(column: RawBuilder<unknown>, ws: Workspace, from: string, to: string): RawBuilder<boolean> {
  const r = dayRange(ws, from, to);
  return sql<boolean>`(${column} >= ${r.start} and ${column} < ${r.end})`;
}

/** A workspace-local calendar bucket of an instant. */
export function bucket(column: RawBuilder<unknown>, unit: 'day' | 'week' | 'month', ws: Workspace): RawBuilder<string> {
  return sql<string>`to_char(date_trunc(${unit}, ${column} at time zone ${ws.time_zone}), 'YYYY-MM-DD')`;
}

/** A bucket of a date column (already a workspace-local day). */
export function dateBucket(column: RawBuilder<unknown>, unit: 'day' | 'week' | 'month'): RawBuilder<string> {
  return sql<string>`to_char(date_trunc(${unit}, ${column}::timestamp), 'YYYY-MM-DD')`;
}

/** `col = any(values)` for each given filter whose column the table has; true when none apply. */
export function filterPredicate(filters: Filters, columns: Partial<Record<FilterKey, RawBuilder<unknown>>>): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  for (const [key, values] of Object.entries(filters) as [FilterKey, string[]][]) {
    const column = columns[key];
    if (!column || values.length === 0) continue;
    parts.push(sql<boolean>`${column} = any(${values}::text[])`);
  }
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

export const col = (qualified: string) => sql.ref(qualified);

/**
 * The whole calendar months inside the inclusive day range: months from
 * `first` (a first day of a month) up to, not including, `end`; null when the
 * range holds no whole month. Reports sum monthly rollups for these and daily
 * rows for the days around them.
 */
export function monthSplit(from: string, to: string): { first: string; end: string } | null {
  const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number, number];
  const first = fd === 1 ? from : monthStart(fy, fm); // Date.UTC months are 0-based: fm is the next month
  const dayAfterTo = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const end = dayAfterTo.endsWith('-01') ? dayAfterTo : monthStart(ty, tm - 1);
  return first < end ? { first, end } : null;
}

/**
 * Runs a report query in a transaction of its own with room for its sorts
 * and hashes in memory (medians over a few hundred thousand values; slices
 * the planner over-estimates): the server default work_mem (4 MB) spills them
 * to disk. Inside a caller's transaction the setting holds until it ends.
 */
export async function withReportMemory<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  const setup = sql`select set_config('work_mem', ${REPORT_WORK_MEM}, true)`;
  if (db.isTransaction) {
    await setup.execute(db);
    return run(db);
  }
  return db.transaction().execute(async (trx) => {
    await setup.execute(trx);
    return run(trx);
  });
}

const REPORT_WORK_MEM = '64MB';
