import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import { DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS } from '../../app/reports/attribution/paths';
import type { PathsInput } from '../../app/reports/paths-report';
import { col, filterPredicate, inRange } from './report-sql';

// The paths report's input: the leads created in the range (lead dimension
// filters applied, as for the other journey reports), grouped in SQL so a
// hundred thousand leads arrive as a few thousand rows (issue 7):
//
// - by their touch channels as touched (lead_facts.touch_channels, in
//   position order): leads, won leads and the exact revenue of the won ones.
//   Collapsing repeats, lengths and assists are read off each group's
//   channels in app/reports/paths-report.ts;
// - leads with a known touch by time-to-lead bucket: width_bucket over the
//   stored first_touch_days (migration 0010) counts the bounds at or below it,
//   the engine's "last bound ≤ days" bucket, 1-based.
//
// Two statements, each one pass over the range's lead_facts rows, run side by
// side on two connections; grouping both in one statement hashes
// touch arrays × buckets and is slower than the two together.

function leadRows(ws: Workspace, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): RawBuilder<unknown> {
  const leadWhere = filterPredicate(params.filters, {
    region: col('f.region'), manager: col('f.manager'), product: col('f.product'), temperature: col('f.temperature'),
  });
  return sql`lead_facts f
     where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, params.from, params.to)} and ${leadWhere}
       and f.touch_channels is not null`;
}

export async function getPathsInput(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<PathsInput> {
  const from = leadRows(ws, params);
  const [paths, buckets] = await Promise.all([
    sql<{ channels: string[]; leads: number; won: number; revenue: string }>`
      select f.touch_channels as channels, count(*)::int as leads, (count(*) filter (where f.outcome = 'won'))::int as won,
             coalesce(sum(f.amount) filter (where f.outcome = 'won'), 0)::text as revenue
        from ${from}
       group by f.touch_channels`.execute(db),
    sql<{ bucket: number; leads: number }>`
      select width_bucket(f.first_touch_days, ${[...DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS]}::float8[]) as bucket, count(*)::int as leads
        from ${from} and f.touch_count > 0
       group by 1`.execute(db),
  ]);
  const timeToLead = DEFAULT_TIME_TO_LEAD_BOUNDARIES_DAYS.map(() => 0);
  for (const { bucket, leads } of buckets.rows) timeToLead[bucket - 1] = leads;
  return { paths: paths.rows, timeToLead };
}
