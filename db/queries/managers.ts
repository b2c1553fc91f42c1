import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { FilterKey, ReportParams } from '../../app/reports/params';
import type { ManagerCallRaw, ManagerLeadRaw, ManagersRawRows } from '../../app/reports/managers';
import { col, filterPredicate, inRange, withReportMemory } from './report-sql';
import { contactedPosition, factsFilterPredicate, hasTouchFilter, primaryTouch, splitMedianGroupings } from './funnel';

// Aggregates of the managers leaderboard (definitions in
// app/reports/managers.ts): one query over lead facts (first contact already
// resolved per lead, db/analytics/rollups.ts), one over calls, each grouped
// per manager with a grand-total grouping set.

/** Filters a call has no column for: with one of them on, calls are left out. */
const NON_CALL_FILTERS: readonly FilterKey[] = ['channel', 'source', 'medium', 'campaign', 'product', 'temperature'];

export function callsApply(p: ReportParams): boolean {
  return !NON_CALL_FILTERS.some((k) => (p.filters[k]?.length ?? 0) > 0);
}

export async function getManagerRows(db: Db, ws: Workspace, p: ReportParams): Promise<ManagersRawRows> {
  const isEvent = p.cohort === 'event';
  const created = inRange(col('f.created_at'), ws, p.from, p.to);
  const qualified = isEvent ? inRange(col('f.qualified_at'), ws, p.from, p.to) : sql<boolean>`(${created} and f.qualified_at is not null)`;
  const closed = isEvent ? inRange(sql`coalesce(f.closed_at, f.created_at)`, ws, p.from, p.to) : created;
  // By event, leads created before the range count too: the primary touch is not limited to the range's days.
  const touch = primaryTouch(ws, p.model, isEvent ? undefined : p);

  // Unfiltered over a long range (splitMedianGroupings), per manager and for all leads as two
  // groupings: each reads the leads in its own index order (manager, contact hours / contact hours:
  // migration 0009), unsorted. The order by only asks for that index (the median sorts its input
  // itself, in order already).
  const figures = sql`count(*) filter (where t.is_created)::int as leads,
           count(*) filter (where t.is_created and t.reached_position >= ${contactedPosition(ws)})::int as contacted,
           count(t.hours)::int as timed,
           count(*) filter (where t.hours <= 0.25)::int as within_15m,
           percentile_cont(0.5) within group (order by t.hours) as median_hours_to_contact,
           count(*) filter (where t.is_qualified)::int as qualified,
           count(*) filter (where t.is_closed and t.outcome = 'won')::int as won,
           count(*) filter (where t.is_closed and t.outcome = 'lost')::int as lost,
           count(*) filter (where t.is_closed and t.outcome = 'junk')::int as junk,
           coalesce(sum(t.amount) filter (where t.is_closed and t.outcome = 'won'), 0)::text as revenue`;
  const leads = sql<ManagerLeadRaw>`
    with scope as not materialized (
      select f.manager collate "C" as manager, f.outcome, f.amount, f.reached_position,
             case when ${created} then f.contact_hours end as hours, f.contact_hours,
             ${created} as is_created, ${qualified} as is_qualified, ${closed} as is_closed
        from lead_facts f
        ${hasTouchFilter(p.filters) ? touch.join : sql``}
       where f.workspace_id = ${ws.id} and ${factsFilterPredicate(p.filters, touch)}
         and (${created} ${isEvent ? sql`or ${qualified} or ${closed}` : sql``})
    )
    ${splitMedianGroupings(p)
      ? sql`select t.manager, ${figures} from scope t group by t.manager
    union all
    select null::text, ${figures} from (select * from scope order by contact_hours) t`
      : sql`select t.manager, ${figures} from scope t group by grouping sets ((t.manager), ())`}`;

  const calls = sql<ManagerCallRaw>`
    select c.manager, count(*)::int as calls, count(*) filter (where c.status = 'missed')::int as missed_calls
      from calls c
     where c.workspace_id = ${ws.id} and ${inRange(col('c.started_at'), ws, p.from, p.to)}
       and ${filterPredicate(p.filters, { manager: col('c.manager'), region: col('c.region') })}
     group by grouping sets ((c.manager), ())`;

  const [leadRows, callRows] = await Promise.all([
    withReportMemory(db, (trx) => leads.execute(trx)),
    callsApply(p) ? calls.execute(db) : null,
  ]);
  return { leads: leadRows.rows, calls: callRows?.rows ?? null };
}
