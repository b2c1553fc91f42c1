import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import {
  costGroupFields,
  type CallCostRaw,
  type CallHourRaw,
  type CallsBreakdown,
  type CallSliceRaw,
  type CallsRaw,
  type StaticNumberRaw,
} from '../../app/reports/calls';
import { keyFields } from '../../app/reports/channels';
import { col, dateBucket, filterPredicate, inRange } from './report-sql';

// Raw counts for the calls report (definitions in app/reports/calls.ts). One
// CTE takes the calls of the range from call_facts, where each call is
// already resolved (its caller's previous call, attribution, manager, leads
// made from it: db/analytics/rollups.ts), and adds the repeat flag and the
// filters; four set-based queries group it for the main rows, the cost
// inputs, the hour grid and the static numbers.

export type CallsQueryParams = Omit<ReportParams, 'by'> & { by: CallsBreakdown };

/** Key expressions over the resolved calls `cf`; identifiers only from this map. */
function keyExpr(field: string): RawBuilder<unknown> {
  switch (field) {
    case 'channel':
    case 'source':
    case 'medium':
    case 'campaign':
    case 'region':
    case 'manager':
      return col(`cf.${field}`);
    case 'day':
    case 'week':
    case 'month':
      return dateBucket(col('cf.day'), field);
    default:
      throw new Error(`no call key ${field}`);
  }
}

/**
 * `cf`: the calls started in the range with their repeat flag (the same
 * caller called within the window before, before the range too),
 * attribution, manager and lead count, and whether they pass the
 * spend-sliceable filters (passes_spend) and all filters (passes_all). `x`
 * adds the row keys k0.. and the cost-group fields g0...
 */
function resolvedCalls(ws: Workspace, p: CallsQueryParams): RawBuilder<unknown> {
  const windowHours = sql`make_interval(hours => ${24 * ws.repeat_call_window_days}::int)`;
  const spendSliceable = filterPredicate(p.filters, {
    channel: col('ca.channel'), source: col('ca.source'), medium: col('ca.medium'), campaign: col('ca.campaign'), region: col('ca.region'),
  });
  const byManager = filterPredicate(p.filters, { manager: col('ca.manager') });
  const keys = keyFields(p.by).map((f, i) => sql`${keyExpr(f)} as ${sql.id(`k${i}`)}`);
  const groups = costGroupFields(p.by).map((f, i) => sql`${col(`cf.${f}`)} as ${sql.id(`g${i}`)}`);
  return sql`
    ca as (
      select c.call_id, c.started_at, c.day, c.caller_phone, c.status, c.duration_sec, c.region, c.manager,
             (c.prev_started_at is not null and c.prev_started_at >= c.started_at - ${windowHours}) as is_repeat,
             c.channel, c.source, c.medium, c.campaign, c.static_number, c.static_valid_from, c.leads
        from call_facts c
       where c.workspace_id = ${ws.id} and ${inRange(col('c.started_at'), ws, p.from, p.to)}
    ),
    cf as (
      select ca.*, ${spendSliceable} as passes_spend, (${spendSliceable} and ${byManager}) as passes_all from ca
    ),
    x as (
      select cf.*, ${sql.join(keys)}, ${sql.join(groups)} from cf
    )`;
}

function spendFilter(p: CallsQueryParams): RawBuilder<boolean> {
  return filterPredicate(p.filters, {
    channel: col('s.channel'), source: col('s.source'), medium: col('s.medium'), campaign: col('s.campaign'), region: col('s.region'),
  });
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => sql.id(`${prefix}${i}`));

export async function getCallsRows(db: Db, ws: Workspace, p: CallsQueryParams): Promise<CallsRaw> {
  const base = resolvedCalls(ws, p);
  const k = names('k', keyFields(p.by).length);
  const g = names('g', costGroupFields(p.by).length);
  const spendGroups = costGroupFields(p.by).map((f) => col(`s.${f}`));
  const missed = sql`count(*) filter (where x.status = 'missed')::int`;
  const spendSliceable = (p.filters.manager?.length ?? 0) === 0;

  const slices = sql<CallSliceRaw>`
    with ${base}
    select case when grouping(${k[0]!}) = 1 then null else array[${sql.join(k)}]::text[] end as key,
           count(*)::int as calls,
           count(*) filter (where x.status = 'answered')::int as answered,
           ${missed} as missed,
           count(*) filter (where not x.is_repeat)::int as first_time,
           count(*) filter (where x.is_repeat)::int as repeat,
           -- Byte-wise distinct (the same callers: phones are E.164 text), a cheaper sort.
           count(distinct x.caller_phone collate "C")::int as unique_callers,
           coalesce(sum(x.duration_sec) filter (where x.status = 'answered'), 0)::bigint as duration_sum,
           count(x.duration_sec) filter (where x.status = 'answered')::int as duration_count,
           coalesce(sum(x.leads), 0)::int as leads
      from x
     where x.passes_all
     group by grouping sets ((${sql.join(k)}), ())`.execute(db);

  const costs = sql<CallCostRaw>`
    with ${base}
    select 'row' as part, array[${sql.join(k)}]::text[] as key, array[${sql.join(g)}]::text[] as cost_group,
           count(*)::int as calls, ${missed} as missed, null::text as spend
      from x where x.passes_all group by ${sql.join(k)}, ${sql.join(g)}
    union all
    select 'manager', array[x.manager]::text[], array[${sql.join(g)}]::text[], 0, count(*)::int, null
      from x where x.passes_all and x.status = 'missed' group by x.manager, ${sql.join(g)}
    union all
    select 'group', '{}'::text[], array[${sql.join(g)}]::text[], count(*)::int, 0, null
      from x where x.passes_spend group by ${sql.join(g)}
    union all
    select 'spend', '{}'::text[], array[${sql.join(spendGroups)}]::text[], 0, 0, sum(s.cost)::text
      from spend s
     where s.workspace_id = ${ws.id} and s.date between ${p.from}::date and ${p.to}::date and ${spendFilter(p)}
     group by ${sql.join(spendGroups)}`.execute(db);

  const hours = sql<CallHourRaw>`
    with ${base}
    select extract(isodow from x.started_at at time zone ${ws.time_zone})::int as weekday,
           extract(hour from x.started_at at time zone ${ws.time_zone})::int as hour,
           count(*)::int as calls, ${missed} as missed
      from x where x.passes_all
     group by 1, 2`.execute(db);

  const numberFilter = filterPredicate(p.filters, {
    channel: col('t.channel'), source: col('t.source'), medium: col('t.medium'), campaign: col('t.campaign'),
  });
  const staticNumbers = sql<StaticNumberRaw>`
    with ${base},
    tn as (
      select t.number, t.valid_from, t.source, t.medium, t.campaign
        from tracking_numbers t
       where t.workspace_id = ${ws.id} and t.kind = 'static'
         and t.valid_from <= ${p.to}::date and t.valid_to >= ${p.from}::date and ${numberFilter}
    ),
    agg as (
      select x.static_number, x.static_valid_from, count(*)::int as calls,
             count(*) filter (where not x.is_repeat)::int as first_time, ${missed} as missed,
             coalesce(sum(x.leads), 0)::int as leads
        from x where x.passes_all and x.static_number is not null
       group by 1, 2
    ),
    sp as (
      select s.source, s.medium, s.campaign, sum(s.cost) as spend
        from spend s
       where s.workspace_id = ${ws.id} and s.date between ${p.from}::date and ${p.to}::date and ${spendFilter(p)}
         and (s.source, s.medium, s.campaign) in (select tn.source, tn.medium, tn.campaign from tn)
       group by 1, 2, 3
    )
    select tn.number, tn.valid_from::text as valid_from, tn.source, tn.medium, tn.campaign,
           coalesce(agg.calls, 0) as calls, coalesce(agg.first_time, 0) as first_time,
           coalesce(agg.missed, 0) as missed, coalesce(agg.leads, 0) as leads,
           case when ${spendSliceable} then round(coalesce(sp.spend, 0), 2)::text end as spend
      from tn
      left join agg on agg.static_number = tn.number and agg.static_valid_from = tn.valid_from
      left join sp on sp.source = tn.source and sp.medium = tn.medium and sp.campaign = tn.campaign`.execute(db);

  const [s, c, h, n] = await Promise.all([slices, costs, hours, staticNumbers]);
  return { slices: s.rows, costs: c.rows, hours: h.rows, staticNumbers: n.rows };
}
