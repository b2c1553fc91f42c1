import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { FilterKey, ReportParams } from '../../app/reports/params';
import type { ManagerCallRaw, ManagerLeadRaw, ManagersRawRows } from '../../app/reports/managers';
import { col, filterPredicate, inRange } from './report-sql';
import { contactedPosition, firstContactCte, hasTouchFilter, leadFilterPredicate, primaryTouchJoin } from './funnel';

// Aggregates of the managers leaderboard (definitions in
// app/reports/managers.ts): one query over leads, one over calls, each grouped
// per manager with a grand-total grouping set.

/** Filters a call has no column for: with one of them on, calls are left out. */
const NON_CALL_FILTERS: readonly FilterKey[] = ['channel', 'source', 'medium', 'campaign', 'product', 'temperature'];

export function callsApply(p: ReportParams): boolean {
  return !NON_CALL_FILTERS.some((k) => (p.filters[k]?.length ?? 0) > 0);
}

export async function getManagerRows(db: Db, ws: Workspace, p: ReportParams): Promise<ManagersRawRows> {
  const isEvent = p.cohort === 'event';
  const created = inRange(col('l.created_at'), ws, p.from, p.to);
  const qualified = isEvent ? inRange(col('j.qualified_at'), ws, p.from, p.to) : sql<boolean>`(${created} and j.qualified_at is not null)`;
  const closed = isEvent ? inRange(sql`coalesce(l.closed_at, l.created_at)`, ws, p.from, p.to) : created;

  const leads = sql<ManagerLeadRaw>`
    with scope as materialized (
      select l.lead_id, l.manager, l.created_at, l.outcome, l.amount, j.reached_position,
             ${created} as is_created, ${qualified} as is_qualified, ${closed} as is_closed
        from leads l
        join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
        ${hasTouchFilter(p.filters) ? primaryTouchJoin(ws, p.model) : sql``}
       where l.workspace_id = ${ws.id} and ${leadFilterPredicate(p.filters)}
         and (${created} ${isEvent ? sql`or ${qualified} or ${closed}` : sql``})
    ),
    fc as (${firstContactCte(ws)}),
    timed as (
      select s.*, case when s.is_created then extract(epoch from fc.at - s.created_at) / 3600 end as hours
        from scope s left join fc on fc.lead_id = s.lead_id
    )
    select t.manager,
           count(*) filter (where t.is_created)::int as leads,
           count(*) filter (where t.is_created and t.reached_position >= ${contactedPosition(ws)})::int as contacted,
           count(t.hours)::int as timed,
           count(*) filter (where t.hours <= 0.25)::int as within_15m,
           percentile_cont(0.5) within group (order by t.hours) as median_hours_to_contact,
           count(*) filter (where t.is_qualified)::int as qualified,
           count(*) filter (where t.is_closed and t.outcome = 'won')::int as won,
           count(*) filter (where t.is_closed and t.outcome = 'lost')::int as lost,
           count(*) filter (where t.is_closed and t.outcome = 'junk')::int as junk,
           coalesce(sum(t.amount) filter (where t.is_closed and t.outcome = 'won'), 0)::text as revenue
      from timed t
     group by grouping sets ((t.manager), ())`;

  const calls = sql<ManagerCallRaw>`
    select c.manager, count(*)::int as calls, count(*) filter (where c.status = 'missed')::int as missed_calls
      from calls c
     where c.workspace_id = ${ws.id} and ${inRange(col('c.started_at'), ws, p.from, p.to)}
       and ${filterPredicate(p.filters, { manager: col('c.manager'), region: col('c.region') })}
     group by grouping sets ((c.manager), ())`;

  const [leadRows, callRows] = await Promise.all([leads.execute(db), callsApply(p) ? calls.execute(db) : null]);
  return { leads: leadRows.rows, calls: callRows?.rows ?? null };
}
