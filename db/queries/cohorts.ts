import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { hasLeadOnlyFilter, type ReportParams } from '../../app/reports/params';
import { MAX_WEEK, type CohortCountRaw, type CohortSpendRaw, type CohortsRaw } from '../../app/reports/cohorts';
import { col, dayRange, filterPredicate, inRange } from './report-sql';
import { hasTouchFilter, primaryTouch } from './funnel';

// Raw counts for the cohort maturation report (definitions in
// app/reports/cohorts.ts): leads per creation month, and qualified / won
// leads per creation month × outcome age in weeks (ages past the cap folded
// into one bucket), plus spend per month. Leads come from lead_facts, which
// holds each lead's whole weeks to qualification and to the sale
// (db/analytics/rollups.ts).

export async function getCohortRows(db: Db, ws: Workspace, p: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<CohortsRaw> {
  const asOf = dayRange(ws, p.from, p.to).end;
  // Channel filters use the lead's last non-direct touch: its one credited touch, the primary one.
  const touch = primaryTouch(ws, 'last_non_direct', p);
  const leadWhere = filterPredicate(p.filters, {
    channel: touch.column('channel'), source: touch.column('source'), medium: touch.column('medium'), campaign: touch.column('campaign'),
    region: col('f.region'), manager: col('f.manager'), product: col('f.product'), temperature: col('f.temperature'),
  });
  const spendWhere = filterPredicate(p.filters, {
    channel: col('s.channel'), source: col('s.source'), medium: col('s.medium'), campaign: col('s.campaign'), region: col('s.region'),
  });
  const cap = sql`${MAX_WEEK + 1}::int`;

  // One pass over the leads into (month, capped week, known by the end of the range) groups, a few
  // hundred rows; the three parts below sum those.
  const counts = sql<CohortCountRaw>`
    with cl as (
      select date_trunc('month', f.created_day) as month,
             least(${cap}, f.qualified_week) as qualified_week, f.qualified_at < ${asOf} as is_qualified,
             least(${cap}, f.won_week) as won_week, f.outcome = 'won' and coalesce(f.closed_at, f.created_at) < ${asOf} as is_won,
             count(*) as leads, sum(coalesce(f.amount, 0)) as amount
        from lead_facts f
        ${hasTouchFilter(p.filters) ? touch.join : sql``}
       where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, p.from, p.to)} and ${leadWhere}
       group by 1, 2, 3, 4, 5
    )
    select to_char(cl.month, 'YYYY-MM') as cohort, 'lead' as kind, 0 as week, sum(cl.leads)::int as leads, '0' as revenue
      from cl group by cl.month
    union all
    select to_char(cl.month, 'YYYY-MM'), 'qualified', cl.qualified_week, sum(cl.leads)::int, '0'
      from cl where cl.is_qualified group by cl.month, cl.qualified_week
    union all
    select to_char(cl.month, 'YYYY-MM'), 'won', cl.won_week, sum(cl.leads)::int, sum(cl.amount)::text
      from cl where cl.is_won group by cl.month, cl.won_week`.execute(db);

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
