import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { AttributionModelName, Filters, ReportParams } from '../../app/reports/params';
import type { FunnelBreakdown, FunnelOutcomeRaw, FunnelRawRows, FunnelReasonRaw, FunnelStageRaw, SpeedRaw } from '../../app/reports/funnel';
import type { HeuristicModel } from '../../app/reports/attribution/heuristics';
import { CONTACTED_STAGE } from '../../app/domain/pipeline';
import { bucket, col, filterPredicate, inRange } from './report-sql';

// Aggregates of the funnel report (definitions in app/reports/funnel.ts).
// Every query starts from the same scope of leads (created in range, filters
// applied) and groups in SQL, so a few rows per group and stage come back.

/** Per-lead credits exist for the rule-based models only; markov falls back to last non-direct. */
export function creditModelOf(model: AttributionModelName): HeuristicModel {
  return model === 'markov' ? 'last_non_direct' : model;
}

const TOUCH_FILTERS = ['channel', 'source', 'medium', 'campaign'] as const;

export function hasTouchFilter(filters: Filters): boolean {
  return TOUCH_FILTERS.some((k) => (filters[k]?.length ?? 0) > 0);
}

/**
 * Joins `pc`, the lead's primary touch under the model: the channel with the
 * largest summed credit (rounded to 9 decimals so 1/3 + 1/3 ties 2/3 − ε
 * exactly), ties broken by the latest touch, and that channel's latest touch.
 * `l` must be the leads row.
 */
export function primaryTouchJoin(ws: Workspace, model: AttributionModelName): RawBuilder<unknown> {
  return sql`left join lateral (
      select c.channel, c.source, c.medium, c.campaign
        from lead_credits c
       where c.workspace_id = ${ws.id} and c.lead_id = l.lead_id and c.model = ${creditModelOf(model)}
       order by round((sum(c.credit) over (partition by c.channel))::numeric, 9) desc, c.position desc
       limit 1
    ) pc on true`;
}

/** The scope's filters: touch filters on `pc`, the others on the lead `l`. */
export function leadFilterPredicate(filters: Filters): RawBuilder<boolean> {
  return filterPredicate(filters, {
    channel: col('pc.channel'), source: col('pc.source'), medium: col('pc.medium'), campaign: col('pc.campaign'),
    region: col('l.region'), manager: col('l.manager'), product: col('l.product'), temperature: col('l.temperature'),
  });
}

function groupExpression(by: FunnelBreakdown | null, ws: Workspace): RawBuilder<string> {
  switch (by) {
    case null:
      return sql<string>`''::text`;
    case 'region':
      return sql<string>`l.region`;
    case 'manager':
      return sql<string>`l.manager`;
    case 'temperature':
      return sql<string>`coalesce(l.temperature, '')`;
    case 'month':
      return bucket(col('l.created_at'), 'month', ws);
    case 'channel':
      return sql<string>`coalesce(pc.channel, '')`;
  }
}

/**
 * First contact of each lead of `scope` (a CTE with lead_id): its first entry
 * into the contacted stage or any later one. Empty when the pipeline has no
 * contacted stage.
 */
export function firstContactCte(ws: Workspace): RawBuilder<unknown> {
  return sql`select s.lead_id, min(h.entered_at) as at
      from scope s
      join lead_stages h on h.workspace_id = ${ws.id} and h.lead_id = s.lead_id
      join pipeline_stages p on p.workspace_id = ${ws.id} and p.name = h.stage
     where p.position >= (select position from pipeline_stages where workspace_id = ${ws.id} and name = ${CONTACTED_STAGE})
     group by s.lead_id`;
}

/** Position of the contacted stage (null when the pipeline has none). */
export function contactedPosition(ws: Workspace): RawBuilder<number | null> {
  return sql<number | null>`(select position from pipeline_stages where workspace_id = ${ws.id} and name = ${CONTACTED_STAGE})`;
}

export async function getFunnelRows(db: Db, ws: Workspace, p: ReportParams, by: FunnelBreakdown | null): Promise<FunnelRawRows> {
  const needsTouch = by === 'channel' || hasTouchFilter(p.filters);
  const scope = sql`
    select l.lead_id, l.created_at, l.outcome, l.loss_reason, l.closed_at, l.manager,
           j.reached_position, j.entered_mask, ${groupExpression(by, ws)} as grp
      from leads l
      join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
      ${needsTouch ? primaryTouchJoin(ws, p.model) : sql``}
     where l.workspace_id = ${ws.id} and ${inRange(col('l.created_at'), ws, p.from, p.to)} and ${leadFilterPredicate(p.filters)}`;

  const stagesQuery = sql<FunnelStageRaw>`
    with scope as materialized (${scope}),
    stages as (select position, name from pipeline_stages where workspace_id = ${ws.id}),
    counts as (
      select s.grp, p.position, p.name,
             count(*) filter (where s.entered_mask & (1 << (p.position - 1)) <> 0)::int as entered,
             count(*) filter (where s.reached_position >= p.position)::int as reached
        from scope s cross join stages p
       group by grouping sets ((s.grp, p.position, p.name), (p.position, p.name))
    ),
    first_entry as (
      select s.lead_id, s.grp, p.position, min(h.entered_at) as at
        from scope s
        join lead_stages h on h.workspace_id = ${ws.id} and h.lead_id = s.lead_id
        join stages p on p.name = h.stage
       group by s.lead_id, s.grp, p.position
    ),
    step as (
      select grp, position,
             extract(epoch from min(at) over (partition by lead_id order by position desc
                                              rows between unbounded preceding and 1 preceding) - at) / 3600 as hours
        from first_entry
    ),
    medians as (
      select grp, position, percentile_cont(0.5) within group (order by hours) as median
        from step where hours is not null
       group by grouping sets ((grp, position), (position))
    )
    select c.grp as "group", c.position, c.name as stage, c.entered, c.reached, m.median as median_hours_to_next
      from counts c
      left join medians m on m.position = c.position and m.grp is not distinct from c.grp
     order by c.grp nulls last, c.position`;

  const outcomesQuery = sql<FunnelOutcomeRaw>`
    with scope as (${scope})
    select s.grp as "group", count(*)::int as leads,
           count(*) filter (where s.outcome = 'won')::int as won,
           count(*) filter (where s.outcome = 'lost')::int as lost,
           count(*) filter (where s.outcome = 'junk')::int as junk,
           count(*) filter (where s.outcome = 'open')::int as open,
           percentile_cont(0.5) within group (order by extract(epoch from s.closed_at - s.created_at) / 86400)
             filter (where s.outcome = 'won' and s.closed_at is not null) as median_sales_cycle_days
      from scope s
     group by grouping sets ((s.grp), ())`;

  const reasonsQuery = sql<FunnelReasonRaw>`
    with scope as (${scope})
    select s.outcome, nullif(s.loss_reason, '') as reason, count(*)::int as leads
      from scope s where s.outcome in ('lost', 'junk')
     group by 1, 2`;

  const [stages, outcomes, reasons, speed] = await Promise.all([
    stagesQuery.execute(db),
    outcomesQuery.execute(db),
    reasonsQuery.execute(db),
    getSpeedRows(db, ws, scope),
  ]);
  return { stages: stages.rows, outcomes: outcomes.rows, reasons: reasons.rows, speed };
}

/** Speed to first contact per manager of a lead scope (a select with lead_id, created_at, manager, reached_position). */
export async function getSpeedRows(db: Db, ws: Workspace, scope: RawBuilder<unknown>): Promise<SpeedRaw[]> {
  const r = await sql<SpeedRaw>`
    with scope as materialized (${scope}),
    fc as (${firstContactCte(ws)}),
    timed as (
      select s.manager, s.reached_position, extract(epoch from fc.at - s.created_at) / 3600 as hours
        from scope s left join fc on fc.lead_id = s.lead_id
    )
    select t.manager, count(*)::int as leads,
           count(*) filter (where t.reached_position >= ${contactedPosition(ws)})::int as contacted,
           count(t.hours)::int as timed,
           count(*) filter (where t.hours <= 0.25)::int as within_15m,
           percentile_cont(0.5) within group (order by t.hours) as median_hours_to_contact
      from timed t
     group by grouping sets ((t.manager), ())`.execute(db);
  return r.rows;
}
