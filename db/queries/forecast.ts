import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { MATURITY_DAYS, type SliceHistory, type StageCohort } from '../../app/reports/forecast/forecast';
import { dayNumber, isoDay } from '../../app/reports/forecast/calendar';
import { dayRange, inRange, col } from './report-sql';

// Daily history for the forecast, aggregated in SQL so that the models fit on
// at most one row per day and slice (2 years × 5M sessions → ≤ 730 points):
// sessions from the daily_traffic rollup, leads per workspace-local day (a
// channel's leads are its last-non-direct credits), and the stage cohort
// (leads old enough to have an outcome) with outcomes as known at the end of
// the history, so a forecast made "as of" a past day does not peek ahead.

export const TOTAL_SLICE = 'total';
const LEAD_MODEL = 'last_non_direct';

export interface ForecastHistoryParams {
  from: string;
  to: string;
  /** One channel only. */
  channel?: string;
  /** The whole business and every channel (without it and without `channel`: the whole business only). */
  allChannels?: boolean;
}

export async function getForecastHistory(db: Db, ws: Workspace, p: ForecastHistoryParams): Promise<SliceHistory[]> {
  const wantTotal = p.channel === undefined;
  const wantChannels = p.channel !== undefined || p.allChannels === true;
  const channelFilter = (column: string) => (p.channel !== undefined ? sql`and ${col(column)} = ${p.channel}` : sql``);
  const end = dayRange(ws, p.from, p.to).end;
  const groups = [...(wantTotal ? [sql`(t.day)`] : []), ...(wantChannels ? [sql`(t.day, t.channel)`] : [])];

  // Leads come from the report facts (db/analytics/rollups.ts): lead_facts carries each lead's
  // creation day, outcome and qualified_at; lead_credit_facts its credits with the same day.
  // The four queries are independent and run at once.
  const days = sql`between ${p.from}::date and ${p.to}::date`;
  const traffic = sql<{ day: string; is_total: boolean; channel: string | null; sessions: number }>`
    select to_char(t.day, 'YYYY-MM-DD') as day,
           ${wantChannels ? sql`grouping(t.channel) = 1 as is_total, t.channel` : sql`true as is_total, null::text as channel`},
           sum(t.sessions)::bigint as sessions
      from daily_traffic t
     where t.workspace_id = ${ws.id} and t.day ${days} ${channelFilter('t.channel')}
     group by grouping sets (${sql.join(groups)})
  `.execute(db);

  const channelLeads = !wantChannels
    ? Promise.resolve({ rows: [] as { day: string; channel: string; leads: number }[] })
    : sql<{ day: string; channel: string; leads: number }>`
        select to_char(c.created_day, 'YYYY-MM-DD') as day, c.channel, sum(c.credit)::float8 as leads
          from lead_credit_facts c
         where c.workspace_id = ${ws.id} and c.model = ${LEAD_MODEL} and c.created_day ${days} ${channelFilter('c.channel')}
         group by c.created_day, c.channel
      `.execute(db);
  const totalLeads = !wantTotal
    ? Promise.resolve({ rows: [] as { day: string; leads: number }[] })
    : sql<{ day: string; leads: number }>`
        select to_char(f.created_day, 'YYYY-MM-DD') as day, count(*)::float8 as leads
          from lead_facts f
         where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, p.from, p.to)}
         group by f.created_day
      `.execute(db);

  // The stage cohort: leads created up to MATURITY_DAYS before the end; when that leaves no leads, all of them.
  const matureTo = isoDay(dayNumber(p.to) - MATURITY_DAYS);
  const outcome = (credit: RawBuilder<unknown>) => sql`
      f.created_at < ${dayRange(ws, p.from, matureTo).end} as mature,
      ${credit} as credit,
      case when f.qualified_at < ${end} then ${credit} else 0 end as qualified,
      case when f.outcome = 'won' and f.closed_at < ${end} then ${credit} else 0 end as sales,
      case when f.outcome = 'won' and f.closed_at < ${end} then coalesce(f.amount, 0) * (${credit})::numeric else 0 end as revenue`;
  const parts = [];
  if (wantChannels) {
    parts.push(sql`
      select c.channel, ${outcome(sql`c.credit`)}
        from lead_credit_facts c
        join lead_facts f on f.workspace_id = c.workspace_id and f.lead_id = c.lead_id
       where c.workspace_id = ${ws.id} and c.model = ${LEAD_MODEL} and c.created_day ${days} ${channelFilter('c.channel')}`);
  }
  if (wantTotal) {
    parts.push(sql`
      select null::text, ${outcome(sql`1.0::float8`)}
        from lead_facts f
       where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, p.from, p.to)}`);
  }
  const cohortRows = sql<{ channel: string | null; mature: boolean; leads: number; qualified: number; sales: number; revenue: string }>`
    with c (channel, mature, credit, qualified, sales, revenue) as (${sql.join(parts, sql` union all `)}),
    sets as (
      select channel, true as mature, credit, qualified, sales, revenue from c where c.mature
      union all
      select channel, false, credit, qualified, sales, revenue from c
    )
    select channel, mature, sum(credit)::float8 as leads, sum(qualified)::float8 as qualified, sum(sales)::float8 as sales,
           round(sum(revenue), 2)::text as revenue
      from sets group by channel, mature
  `.execute(db);
  const [trafficResult, channelLeadsResult, totalLeadsResult, cohorts] = await Promise.all([traffic, channelLeads, totalLeads, cohortRows]);
  const cohortOf = new Map<string, StageCohort>();
  for (const r of [...cohorts.rows].sort((a, b) => Number(a.mature) - Number(b.mature))) {
    // Mature rows come last and win when they have leads.
    if (r.mature && !(r.leads > 0)) continue;
    cohortOf.set(r.channel ?? TOTAL_SLICE, { leads: r.leads, qualified: r.qualified, sales: r.sales, revenue: r.revenue, from: p.from, to: r.mature ? matureTo : p.to });
  }

  const slices = new Map<string, { days: Map<string, { day: string; sessions: number; leads: number }>; cohort: StageCohort }>();
  const emptyCohort = (): StageCohort => ({ leads: 0, qualified: 0, sales: 0, revenue: '0.00', from: p.from, to: p.to });
  const slice = (name: string) => {
    let s = slices.get(name);
    if (!s) {
      s = { days: new Map(), cohort: emptyCohort() };
      slices.set(name, s);
    }
    return s;
  };
  const day = (name: string, d: string) => {
    const s = slice(name);
    let row = s.days.get(d);
    if (!row) {
      row = { day: d, sessions: 0, leads: 0 };
      s.days.set(d, row);
    }
    return row;
  };
  if (wantTotal) slice(TOTAL_SLICE);
  if (p.channel !== undefined) slice(p.channel);
  for (const r of trafficResult.rows) day(r.is_total ? TOTAL_SLICE : r.channel!, r.day).sessions += Number(r.sessions);
  for (const r of channelLeadsResult.rows) day(r.channel, r.day).leads += r.leads;
  for (const r of totalLeadsResult.rows) day(TOTAL_SLICE, r.day).leads += r.leads;
  for (const [name, cohort] of cohortOf) slice(name).cohort = cohort;

  const names = [...slices.keys()].sort((a, b) => (a === TOTAL_SLICE ? -1 : b === TOTAL_SLICE ? 1 : a.localeCompare(b)));
  return names.map((name) => {
    const s = slices.get(name)!;
    return { slice: name, from: p.from, to: p.to, days: [...s.days.values()].sort((a, b) => a.day.localeCompare(b.day)), cohort: s.cohort };
  });
}
