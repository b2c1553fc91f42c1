import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { AttributionModelName, Filters, ReportParams } from '../../app/reports/params';
import type { FunnelBreakdown, FunnelOutcomeRaw, FunnelRawRows, FunnelReasonRaw, FunnelStageRaw, SpeedRaw } from '../../app/reports/funnel';
import type { HeuristicModel } from '../../app/reports/attribution/heuristics';
import { CONTACTED_STAGE } from '../../app/domain/pipeline';
import { col, dateBucket, filterPredicate, inRange, withReportMemory } from './report-sql';
import { PRIMARY_TOUCH_MODEL } from '../analytics/rollups';

// Aggregates of the funnel report (definitions in app/reports/funnel.ts).
// Every query starts from the same scope of leads (created in range, filters
// applied) and groups in SQL, so a few rows per group and stage come back.
// Leads are read from lead_facts and their stage steps from lead_stage_steps
// (db/analytics/rollups.ts): each lead's reach, first contact and hours
// between stages are already resolved, so no query joins journeys or scans
// the stage history.

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
 * It is the lead_credit_facts row with is_primary (null for a lead without
 * credits), the same row the reports read (primaryTouch below). `l` must be
 * the leads row; `createdIn`: every lead joined was created on these days
 * (the fact row carries its lead's creation day), so only those are read.
 */
export function primaryTouchJoin(ws: Workspace, model: AttributionModelName, createdIn?: Pick<ReportParams, 'from' | 'to'>): RawBuilder<unknown> {
  const days = createdIn ? sql`and pc.created_day between ${createdIn.from}::date and ${createdIn.to}::date` : sql``;
  return sql`left join lead_credit_facts pc
      on pc.workspace_id = ${ws.id} and pc.model = ${creditModelOf(model)} and pc.lead_id = l.lead_id and pc.is_primary ${days}`;
}

/**
 * Whether a per-group median and the all-leads one are read as two groupings,
 * each over the whole workspace in its own index order (migration 0009), rather
 * than one set of grouping sets over the scope sorted. Only without filters
 * (the indexes hold no filter column) and over long ranges: a shorter scope is
 * a small part of those indexes, found by day and sorted cheaply.
 */
export function splitMedianGroupings(p: Pick<ReportParams, 'from' | 'to' | 'filters'>): boolean {
  const days = (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000 + 1;
  return days >= SPLIT_MEDIANS_MIN_DAYS && Object.values(p.filters).every((values) => (values?.length ?? 0) === 0);
}

/** Half a year: measured on the large seed, a month's scope is faster sorted, a year's read in index order. */
const SPLIT_MEDIANS_MIN_DAYS = 183;

/** Filters over leads `l` with primaryTouchJoin's `pc`: touch filters on `pc`, the others on the lead. */
export function leadFilterPredicate(filters: Filters): RawBuilder<boolean> {
  return filterPredicate(filters, {
    channel: col('pc.channel'), source: col('pc.source'), medium: col('pc.medium'), campaign: col('pc.campaign'),
    region: col('l.region'), manager: col('l.manager'), product: col('l.product'), temperature: col('l.temperature'),
  });
}

/** Where a report query reads the lead's primary touch under a model. */
export interface PrimaryTouch {
  /** Joined after `from lead_facts f` (or lead_stage_steps f); empty when f carries the touch itself. */
  join: RawBuilder<unknown>;
  column: (name: 'channel' | 'source' | 'medium' | 'campaign') => RawBuilder<unknown>;
}

/**
 * The lead's primary touch under the model: the channel with the largest
 * summed credit (rounded to 9 decimals so 1/3 + 1/3 ties 2/3 − ε exactly),
 * ties broken by the latest touch, and that channel's latest touch. Under the
 * default model lead_facts and lead_stage_steps carry it (f.primary_*);
 * under another one it is the lead_credit_facts row with is_primary, joined
 * as `pc` (null for a lead without credits). `createdIn`: the scope's leads
 * were all created on these days (the row carries its lead's creation day),
 * so the join reads only those days.
 */
export function primaryTouch(ws: Workspace, model: AttributionModelName, createdIn?: Pick<ReportParams, 'from' | 'to'>): PrimaryTouch {
  const creditModel = creditModelOf(model);
  if (creditModel === PRIMARY_TOUCH_MODEL) return { join: sql``, column: (name) => col(`f.primary_${name}`) };
  const days = createdIn ? sql`and pc.created_day between ${createdIn.from}::date and ${createdIn.to}::date` : sql``;
  return {
    join: sql`left join lead_credit_facts pc
      on pc.workspace_id = ${ws.id} and pc.model = ${creditModel} and pc.lead_id = f.lead_id and pc.is_primary ${days}`,
    column: (name) => col(`pc.${name}`),
  };
}

/** The scope's filters: touch filters on the primary touch, the others on the lead facts `f`. */
export function factsFilterPredicate(filters: Filters, touch: PrimaryTouch): RawBuilder<boolean> {
  return filterPredicate(filters, {
    channel: touch.column('channel'), source: touch.column('source'), medium: touch.column('medium'), campaign: touch.column('campaign'),
    region: col('f.region'), manager: col('f.manager'), product: col('f.product'), temperature: col('f.temperature'),
  });
}

/**
 * The group of a lead. Compared byte-wise (collation "C": the same groups, as
 * every collation here is deterministic): the medians sort by it, and the
 * report orders groups itself.
 */
function groupExpression(by: FunnelBreakdown | null, touch: PrimaryTouch): RawBuilder<string> {
  return sql<string>`(${groupValue(by, touch)}) collate "C"`;
}

function groupValue(by: FunnelBreakdown | null, touch: PrimaryTouch): RawBuilder<string> {
  switch (by) {
    case null:
      return sql<string>`''::text`;
    case 'region':
      return sql<string>`f.region`;
    case 'manager':
      return sql<string>`f.manager`;
    case 'temperature':
      return sql<string>`coalesce(f.temperature, '')`;
    case 'month':
      return dateBucket(col('f.created_day'), 'month');
    case 'channel':
      return sql<string>`coalesce(${touch.column('channel')}, '')`;
  }
}

/** Position of the contacted stage (null when the pipeline has none). */
export function contactedPosition(ws: Workspace): RawBuilder<number | null> {
  return sql<number | null>`(select position from pipeline_stages where workspace_id = ${ws.id} and name = ${CONTACTED_STAGE})`;
}

export interface FunnelRowsOptions {
  /**
   * False: median_hours_to_next is left null (it sorts every stage step of
   * the scope, the report's costliest part), for callers that show only the
   * counts, outcomes and speed, such as a comparison period's key figures.
   */
  stepMedians?: boolean;
}

export async function getFunnelRows(
  db: Db,
  ws: Workspace,
  p: ReportParams,
  by: FunnelBreakdown | null,
  options: FunnelRowsOptions = {},
): Promise<FunnelRawRows> {
  const needsTouch = by === 'channel' || hasTouchFilter(p.filters);
  const touch = primaryTouch(ws, p.model, p);
  const join = needsTouch ? touch.join : sql``;
  const scope = sql`
    select f.lead_id, f.created_at, f.outcome, f.loss_reason, f.closed_at, f.manager collate "C" as manager, f.reached_position, f.entered_mask,
           f.contact_hours, ${groupExpression(by, touch)} as grp
      from lead_facts f ${join}
     where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, p.from, p.to)} and ${factsFilterPredicate(p.filters, touch)}`;
  // The same leads' stage steps: lead_stage_steps carries the lead's dimensions and creation day under the same names.
  // grp_key: what the per-group medians sort by, the group itself or, by month, the month as a
  // timestamp (one group per month either way; a timestamp compares faster than its text).
  const stepScope = sql`
    select f.position, f.hours, ${groupExpression(by, touch)} as grp,
           ${by === 'month' ? sql`date_trunc('month', f.created_day::timestamp)` : groupExpression(by, touch)} as grp_key
      from lead_stage_steps f ${join}
     where f.workspace_id = ${ws.id} and f.created_day between ${p.from}::date and ${p.to}::date and ${factsFilterPredicate(p.filters, touch)}`;

  // With a breakdown, every aggregate comes per group and for all leads (group null); without
  // one, the report reads only the all-leads rows, so only those are computed (medians sort).
  // Unfiltered over a long range (splitMedianGroupings), the step medians are two groupings, not
  // grouping sets: each reads the steps in its own index order (stage, hours / group, stage, hours:
  // migration 0009), with no sort before it.
  const split = splitMedianGroupings(p);
  const grouped = <T>(perGroup: RawBuilder<T>, all: RawBuilder<T>) => (by === null ? all : perGroup);
  const grp = grouped(sql`s.grp`, sql`null::text`);

  // Reach counts per distinct (group, reach, entered stages) first: a few hundred rows, not a row per lead and stage.
  const stagesQuery = sql<FunnelStageRaw>`
    with scope as (${scope}),
    stages as (select position, name from pipeline_stages where workspace_id = ${ws.id}),
    shapes as (select s.grp, s.reached_position, s.entered_mask, count(*) as n from scope s group by 1, 2, 3),
    counts as (
      select ${grp} as grp, p.position, p.name,
             coalesce(sum(s.n) filter (where s.entered_mask & (1 << (p.position - 1)) <> 0), 0)::int as entered,
             coalesce(sum(s.n) filter (where s.reached_position >= p.position), 0)::int as reached
        from shapes s cross join stages p
       group by ${grouped(sql`grouping sets ((s.grp, p.position, p.name), (p.position, p.name))`, sql`p.position, p.name`)}
    ),
    medians as (${options.stepMedians === false
      ? sql`select null::text as grp, null::int as position, null::float8 as median where false`
      : by !== null && !split
      ? sql`
      select ${grp} as grp, s.position, percentile_cont(0.5) within group (order by s.hours) as median
        from (${stepScope}) s
       group by grouping sets ((s.grp, s.position), (s.position))`
      : sql`${by === null ? sql`` : sql`
      select ${by === 'month' ? sql`to_char(s.grp_key, 'YYYY-MM-DD') collate "C"` : sql`s.grp_key`} as grp, s.position,
             percentile_cont(0.5) within group (order by s.hours) as median
        from (${stepScope}) s
       group by s.grp_key, s.position
      union all`}
      select null::text as grp, s.position, percentile_cont(0.5) within group (order by s.hours) as median
        from (${stepScope}) s
       group by s.position`}
    )
    select c.grp as "group", c.position, c.name as stage, c.entered, c.reached, m.median as median_hours_to_next
      from counts c
      left join medians m on m.position = c.position and m.grp is not distinct from c.grp
     order by c.grp nulls last, c.position`;

  const outcomesQuery = sql<FunnelOutcomeRaw>`
    with scope as (${scope})
    select ${grp} as "group", count(*)::int as leads,
           count(*) filter (where s.outcome = 'won')::int as won,
           count(*) filter (where s.outcome = 'lost')::int as lost,
           count(*) filter (where s.outcome = 'junk')::int as junk,
           count(*) filter (where s.outcome = 'open')::int as open,
           percentile_cont(0.5) within group (order by extract(epoch from s.closed_at - s.created_at) / 86400)
             filter (where s.outcome = 'won' and s.closed_at is not null) as median_sales_cycle_days
      from scope s
     group by ${grouped(sql`grouping sets ((s.grp), ())`, sql`()`)}`;

  const reasonsQuery = sql<FunnelReasonRaw>`
    with scope as (${scope})
    select s.outcome, nullif(s.loss_reason, '') as reason, count(*)::int as leads
      from scope s where s.outcome in ('lost', 'junk')
     group by 1, 2`;

  const [stages, outcomes, reasons, speed] = await Promise.all([
    withReportMemory(db, (trx) => stagesQuery.execute(trx)),
    // Its median sorts every lead of the scope by group: at the default work_mem that spills to disk.
    withReportMemory(db, (trx) => outcomesQuery.execute(trx)),
    reasonsQuery.execute(db),
    getSpeedRows(db, ws, scope, split),
  ]);
  return { stages: stages.rows, outcomes: outcomes.rows, reasons: reasons.rows, speed };
}

/**
 * Speed to first contact per manager of a lead scope (a select over lead
 * facts with manager, reached_position and contact_hours: the hours from
 * creation to the first contact, null without one).
 */
export async function getSpeedRows(db: Db, ws: Workspace, scope: RawBuilder<unknown>, split: boolean): Promise<SpeedRaw[]> {
  // split (splitMedianGroupings): per manager and for all leads as two groupings, each read in its
  // own index order (manager, contact hours / contact hours: migration 0009), unsorted. The order by
  // only asks for that index (the median sorts its input itself, in order already).
  const figures = sql`count(*)::int as leads,
           count(*) filter (where s.reached_position >= ${contactedPosition(ws)})::int as contacted,
           count(s.contact_hours)::int as timed,
           count(*) filter (where s.contact_hours <= 0.25)::int as within_15m,
           percentile_cont(0.5) within group (order by s.contact_hours) as median_hours_to_contact`;
  const r = await withReportMemory(db, (trx) => sql<SpeedRaw>`
    with scope as not materialized (${scope})
    ${split
      ? sql`select s.manager, ${figures} from scope s group by s.manager
    union all
    select null::text, ${figures} from (select * from scope order by contact_hours) s`
      : sql`select s.manager, ${figures} from scope s group by grouping sets ((s.manager), ())`}`.execute(trx));
  return r.rows;
}
