import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { hasLeadOnlyFilter, type Breakdown, type ReportParams } from '../../app/reports/params';
import type { ChannelRawRow } from '../../app/reports/channels';
import { bucket, col, dateBucket, filterPredicate, inRange } from './report-sql';

// Raw sums per slice for the channel ROI report (definitions in
// app/reports/metrics.ts). Three sources are summed separately and joined on
// the slice key: spend rows, the daily traffic rollup, and per-lead credits.

interface DimSpec {
  name: string;
  spend: RawBuilder<unknown> | null;
  traffic: RawBuilder<unknown> | null;
  /** Over the lc CTE; `at` is the event time column to bucket. */
  leads: (at: RawBuilder<unknown>) => RawBuilder<unknown>;
}

function dims(by: Breakdown, ws: Workspace): DimSpec[] {
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
        leads: (at) => bucket(at, by, ws),
      }];
  }
}

export async function getChannelRows(db: Db, ws: Workspace, p: ReportParams): Promise<ChannelRawRow[]> {
  const d = dims(p.by ?? 'channel', ws);
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
    channel: col('c.channel'), source: col('c.source'), medium: col('c.medium'), campaign: col('c.campaign'),
    region: col('l.region'), manager: col('l.manager'), product: col('l.product'), temperature: col('l.temperature'),
  });

  const isEvent = p.cohort === 'event';
  const qualifiedAt = isEvent ? col('lc.qualified_at') : col('lc.created_at');
  const wonAt = isEvent ? sql`coalesce(lc.closed_at, lc.created_at)` : col('lc.created_at');
  const leadKeys = (at: RawBuilder<unknown>) => sql.join(d.map((x) => sql`${x.leads(at)} as ${sql.id(x.name)}`));

  const spendCte = leadOnly
    ? sql`select ${sql.join(d.map((x) => sql`null::text as ${sql.id(x.name)}`))}, null::numeric as spend, null::bigint as impressions, null::bigint as clicks where false`
    : sql`select ${sql.join(d.map((x) => sql`${x.spend} as ${sql.id(x.name)}`))},
             sum(s.cost) as spend, sum(s.impressions) as impressions, sum(s.clicks) as clicks
        from spend s
       where s.workspace_id = ${ws.id} and s.date between ${dayFrom} and ${dayTo} and ${spendWhere}
       group by ${keyList}`;
  const trafficCte = leadOnly
    ? sql`select ${sql.join(d.map((x) => sql`null::text as ${sql.id(x.name)}`))}, null::bigint as sessions where false`
    : sql`select ${sql.join(d.map((x) => sql`${x.traffic} as ${sql.id(x.name)}`))}, sum(t.sessions) as sessions
        from daily_traffic t
       where t.workspace_id = ${ws.id} and t.day between ${dayFrom} and ${dayTo} and ${trafficWhere}
       group by ${keyList}`;

  const rows = await sql<ChannelRawRow>`
    with sp as (${spendCte}),
    tr as (${trafficCte}),
    lc as (
      select c.credit, c.channel, c.source, c.medium, c.campaign, c.content, l.region, l.manager, l.product, l.temperature,
             l.outcome, l.amount, l.created_at, l.closed_at, j.qualified_at
        from lead_credits c
        join leads l on l.workspace_id = c.workspace_id and l.lead_id = c.lead_id
        join lead_journeys j on j.workspace_id = c.workspace_id and j.lead_id = c.lead_id
       where c.workspace_id = ${ws.id} and c.model = ${p.model} and ${leadWhere}
         and (${inRange(col('l.created_at'), ws, p.from, p.to)}
              ${isEvent ? sql`or ${inRange(col('j.qualified_at'), ws, p.from, p.to)} or ${inRange(col('l.closed_at'), ws, p.from, p.to)}` : sql``})
    ),
    ev as (
      select ${leadKeys(col('lc.created_at'))}, lc.credit as leads,
             case when lc.outcome = 'junk' then lc.credit else 0 end as junk,
             0::float8 as qualified, 0::float8 as sales, 0::numeric as revenue
        from lc where ${inRange(col('lc.created_at'), ws, p.from, p.to)}
      union all
      select ${leadKeys(qualifiedAt)}, 0, 0, lc.credit, 0, 0
        from lc where lc.qualified_at is not null and ${inRange(qualifiedAt, ws, p.from, p.to)}
      union all
      select ${leadKeys(wonAt)}, 0, 0, 0, lc.credit, coalesce(lc.amount, 0) * lc.credit::numeric
        from lc where lc.outcome = 'won' and ${inRange(wonAt, ws, p.from, p.to)}
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
  `.execute(db);
  return rows.rows.map((r) => ({ ...r, leadOnly }));
}
