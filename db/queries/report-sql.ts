import { sql, type RawBuilder } from 'kysely';
import type { Filters, FilterKey } from '../../app/reports/params';
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
