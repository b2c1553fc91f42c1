import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { hasLeadOnlyFilter, type Breakdown, type ReportParams } from '../../app/reports/params';
import type { ChannelRawRow } from '../../app/reports/channels';
import { col, dateBucket, filterPredicate, monthSplit, withReportMemory } from './report-sql';

// Raw sums per slice for the channel ROI report (definitions in
// app/reports/metrics.ts). Three sources are summed separately and joined on
// the slice key: spend rows, the traffic rollups, and per-lead credits.
//
// Storage (db/analytics/rollups.ts): sessions come from monthly_traffic for
// the whole months of the range and from daily_traffic for the days around
// them; credits of every model from lead_credit_facts, which carries each
// credit with its lead's dimensions and the (workspace-local) days the lead
// was created, qualified and won on, so no join runs per request.

interface DimSpec {
  name: string;
  spend: RawBuilder<unknown> | null;
  traffic: RawBuilder<unknown> | null;
  /** Over credit rows `lc`; `day` is the workspace-local day column of the event to bucket. */
  leads: (day: RawBuilder<unknown>) => RawBuilder<unknown>;
}

function dims(by: Breakdown): DimSpec[] {
  const same = (c: string, spendCol = c, trafficCol = c): DimSpec => ({
    name: c,
    spend: col(`s.${spendCol}`),
    traffic: col(`t.${trafficCol}`),
    leads: () => col(`lc.${c}`),
  });
  const leadOnly = (c: string): DimSpec => ({ name: c, spend: null, traffic: null, leads: () => col(`lc.${c}`) });
  switch (by) {
    case 'channel':
      return [same('channel')];
    case 'source_medium':
      return [same('channel'), same('source'), same('medium')];
    case 'campaign':
      return [same('channel'), same('source'), same('medium'), same('campaign')];
    case 'ad':
      return [same('channel'), same('source'), same('medium'), same('campaign'), { ...same('content', 'ad', 'content'), name: 'ad' }];
    case 'region':
      return [same('region')];
    case 'manager':
      return [leadOnly('manager')];
    case 'product':
      return [leadOnly('product')];
    case 'temperature':
      return [{ name: 'temperature', spend: null, traffic: null, leads: () => sql`coalesce(lc.temperature, '')` }];
    case 'month':
    case 'week':
    case 'day':
      return [{
        name: by,
        spend: dateBucket(col('s.date'), by),
        traffic: dateBucket(col('t.day'), by),
        leads: (day) => dateBucket(day, by),
      }];
  }
}

/**
 * Credit rows `lc` of the model from lead_credit_facts: credit, touch
 * dimensions, the lead's dimensions, created_day / qualified_day / won_day,
 * is_junk, is_won and the credited revenue of a won lead. `where` applies to
 * lc's columns. Markov's rows take credit from their path
 * (markov_path_credits; db/analytics/markov-credits.ts) and hold the won
 * lead's uncredited amount as revenue.
 */
function creditRows(ws: Workspace, p: ReportParams, where: RawBuilder<boolean>): RawBuilder<unknown> {
  if (p.model === 'markov') {
    return sql`(select c.channel, c.source, c.medium, c.campaign, c.content, c.region, c.manager, c.product, c.temperature,
                       c.created_day, c.qualified_day, c.won_day, c.is_junk, c.is_won,
                       m.credits[c.position] as credit, c.revenue * m.credits[c.position]::numeric as revenue
                  from lead_credit_facts c
                  join markov_path_credits m on m.workspace_id = c.workspace_id and m.path_id = c.markov_path_id
                 where c.workspace_id = ${ws.id} and c.model = 'markov') lc where ${where}`;
  }
  return sql`(select * from lead_credit_facts c where c.workspace_id = ${ws.id} and c.model = ${p.model}) lc where ${where}`;
}

export async function getChannelRows(db: Db, ws: Workspace, p: ReportParams): Promise<ChannelRawRow[]> {
  const d = dims(p.by ?? 'channel');
  const leadOnly = hasLeadOnlyFilter(p.filters) || d.some((x) => x.spend === null);
  const dayFrom = sql`${p.from}::date`;
  const dayTo = sql`${p.to}::date`;
  const names = d.map((x) => sql.id(x.name));
  const keyList = sql.join(names);

  const spendWhere = filterPredicate(p.filters, {
    channel: col('s.channel'), source: col('s.source'), medium: col('s.medium'), campaign: col('s.campaign'), region: col('s.region'),
  });
  const trafficWhere = filterPredicate(p.filters, {
    channel: col('t.channel'), source: col('t.source'), medium: col('t.medium'), campaign: col('t.campaign'), region: col('t.region'),
  });
  const leadWhere = filterPredicate(p.filters, {
    channel: col('lc.channel'), source: col('lc.source'), medium: col('lc.medium'), campaign: col('lc.campaign'),
    region: col('lc.region'), manager: col('lc.manager'), product: col('lc.product'), temperature: col('lc.temperature'),
  });

  const leadKeys = (day: RawBuilder<unknown>) => sql.join(d.map((x) => sql`${x.leads(day)} as ${sql.id(x.name)}`));
  const inDays = (day: RawBuilder<unknown>) => sql<boolean>`${day} between ${dayFrom} and ${dayTo}`;
  const created = col('lc.created_day');

  const spendCte = leadOnly
    ? sql`select ${sql.join(d.map((x) => sql`null::text as ${sql.id(x.name)}`))}, null::numeric as spend, null::bigint as impressions, null::bigint as clicks where false`
    : sql`select ${sql.join(d.map((x) => sql`${x.spend} as ${sql.id(x.name)}`))},
             sum(s.cost) as spend, sum(s.impressions) as impressions, sum(s.clicks) as clicks
        from spend s
       where s.workspace_id = ${ws.id} and s.date between ${dayFrom} and ${dayTo} and ${spendWhere}
       group by ${keyList}`;

  // Day and week slices need days; any other slice sums whole months from the monthly rollup.
  const byDays = p.by === 'day' || p.by === 'week';
  const months = monthSplit(p.from, p.to);
  const trafficRows = byDays || months === null
    ? sql`select t.* from daily_traffic t
           where t.workspace_id = ${ws.id} and t.day between ${dayFrom} and ${dayTo} and ${trafficWhere}`
    : sql`select t.month as day, t.channel, t.source, t.medium, t.campaign, t.content, t.region, t.sessions
            from monthly_traffic t
           where t.workspace_id = ${ws.id} and t.month >= ${months.first}::date and t.month < ${months.end}::date and ${trafficWhere}
          union all
          select t.day, t.channel, t.source, t.medium, t.campaign, t.content, t.region, t.sessions
            from daily_traffic t
           where t.workspace_id = ${ws.id} and t.day between ${dayFrom} and ${dayTo}
             and (t.day < ${months.first}::date or t.day >= ${months.end}::date) and ${trafficWhere}`;
  const trafficCte = leadOnly
    ? sql`select ${sql.join(d.map((x) => sql`null::text as ${sql.id(x.name)}`))}, null::bigint as sessions where false`
    : sql`select ${sql.join(d.map((x) => sql`${x.traffic} as ${sql.id(x.name)}`))}, sum(t.sessions) as sessions
        from (${trafficRows}) t
       group by ${keyList}`;

  // Cohort by lead: every outcome on the lead's creation day. By event: on the day it happened.
  const ev = p.cohort === 'event'
    ? sql`
      select ${leadKeys(created)}, lc.credit as leads, case when lc.is_junk then lc.credit else 0 end as junk,
             0::float8 as qualified, 0::float8 as sales, 0::numeric as revenue
        from ${creditRows(ws, p, sql`${leadWhere} and ${inDays(created)}`)}
      union all
      select ${leadKeys(col('lc.qualified_day'))}, 0, 0, lc.credit, 0, 0
        from ${creditRows(ws, p, sql`${leadWhere} and ${inDays(col('lc.qualified_day'))}`)}
      union all
      select ${leadKeys(col('lc.won_day'))}, 0, 0, 0, lc.credit, lc.revenue
        from ${creditRows(ws, p, sql`${leadWhere} and ${inDays(col('lc.won_day'))}`)}`
    : sql`
      select ${leadKeys(created)}, lc.credit as leads, case when lc.is_junk then lc.credit else 0 end as junk,
             case when lc.qualified_day is not null then lc.credit else 0 end as qualified,
             case when lc.is_won then lc.credit else 0 end as sales, coalesce(lc.revenue, 0) as revenue
        from ${creditRows(ws, p, sql`${leadWhere} and ${inDays(created)}`)}`;

  const query = sql<ChannelRawRow>`
    with sp as (${spendCte}),
    tr as (${trafficCte}),
    ev as (
      select ${keyList}, sum(leads) as leads, sum(junk) as junk, sum(qualified) as qualified, sum(sales) as sales, sum(revenue) as revenue
        from (${ev}) e group by ${keyList}
    ),
    allrows as (
      select ${keyList}, spend, impressions, clicks, null::bigint as sessions,
             0::float8 as leads, 0::float8 as junk, 0::float8 as qualified, 0::float8 as sales, 0::numeric as revenue
        from sp
      union all
      select ${keyList}, null, null, null, sessions, 0, 0, 0, 0, 0 from tr
      union all
      select ${keyList}, null, null, null, null, leads, junk, qualified, sales, revenue from ev
    )
    select ${keyList},
           sum(spend)::text as spend, sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks,
           sum(sessions)::bigint as sessions,
           sum(leads)::float8 as leads, sum(junk)::float8 as junk, sum(qualified)::float8 as qualified,
           sum(sales)::float8 as sales, round(sum(revenue), 2)::text as revenue
      from allrows group by ${keyList}
     order by ${keyList}
  `;
  // The planner cannot tell how few slices a hundred thousand credits fall into: give it memory to hash them.
  const rows = await withReportMemory(db, (trx) => query.execute(trx));
  return rows.rows.map((r) => ({ ...r, leadOnly }));
}
