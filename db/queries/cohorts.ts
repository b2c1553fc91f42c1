import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { hasLeadOnlyFilter, type ReportParams } from '../../app/reports/params';
import { MAX_WEEK, type CohortCountRaw, type CohortSpendRaw, type CohortsRaw } from '../../app/reports/cohorts';
import { col, dayRange, filterPredicate, inRange } from './report-sql';

// Raw counts for the cohort maturation report (definitions in
// app/reports/cohorts.ts): leads per creation month, and qualified / won
// leads per creation month × outcome age in weeks (ages past the cap folded
// into one bucket), plus spend per month.

const WEEK_SECONDS = 7 * 24 * 3600;

export async function getCohortRows(db: Db, ws: Workspace, p: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<CohortsRaw> {
  const asOf = dayRange(ws, p.from, p.to).end;
  const leadWhere = filterPredicate(p.filters, {
    channel: col('c.channel'), source: col('c.source'), medium: col('c.medium'), campaign: col('c.campaign'),
    region: col('l.region'), manager: col('l.manager'), product: col('l.product'), temperature: col('l.temperature'),
  });
  const spendWhere = filterPredicate(p.filters, {
    channel: col('s.channel'), source: col('s.source'), medium: col('s.medium'), campaign: col('s.campaign'), region: col('s.region'),
  });
  const ageWeek = (at: string) =>
    sql`least(${MAX_WEEK + 1}::int, greatest(0, floor(extract(epoch from (${col(at)} - cl.created_at)) / ${WEEK_SECONDS})))::int`;

  const counts = sql<CohortCountRaw>`
    with cl as (
      select to_char(date_trunc('month', l.created_at at time zone ${ws.time_zone}), 'YYYY-MM') as cohort,
             l.created_at, j.qualified_at,
             case when l.outcome = 'won' then coalesce(l.closed_at, l.created_at) end as won_at,
             coalesce(l.amount, 0) as amount
        from leads l
        left join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
        left join lateral (
          select lc.channel, lc.source, lc.medium, lc.campaign
            from lead_credits lc
           where lc.workspace_id = l.workspace_id and lc.lead_id = l.lead_id and lc.model = 'last_non_direct'
           order by lc.credit desc, lc.position desc
           limit 1
        ) c on true
       where l.workspace_id = ${ws.id} and ${inRange(col('l.created_at'), ws, p.from, p.to)} and ${leadWhere}
    )
    select cl.cohort, 'lead' as kind, 0 as week, count(*)::int as leads, '0' as revenue
      from cl group by cl.cohort
    union all
    select cl.cohort, 'qualified', ${ageWeek('cl.qualified_at')}, count(*)::int, '0'
      from cl where cl.qualified_at < ${asOf} group by 1, 3
    union all
    select cl.cohort, 'won', ${ageWeek('cl.won_at')}, count(*)::int, sum(cl.amount)::text
      from cl where cl.won_at < ${asOf} group by 1, 3`.execute(db);

  const spendSliceable = !hasLeadOnlyFilter(p.filters);
  const spend = spendSliceable
    ? sql<CohortSpendRaw>`
        select to_char(s.date, 'YYYY-MM') as cohort, sum(s.cost)::text as spend
          from spend s
         where s.workspace_id = ${ws.id} and s.date between ${p.from}::date and ${p.to}::date and ${spendWhere}
         group by 1`.execute(db)
    : Promise.resolve({ rows: [] as CohortSpendRaw[] });

  const [c, s] = await Promise.all([counts, spend]);
  return { counts: c.rows, spend: s.rows, spendSliceable };
}
