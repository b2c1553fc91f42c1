import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { PlanRowInput, PlannerHistory } from '../../app/reports/planner';
import type { SliceActuals } from '../../app/reports/pacing';
import { monthRange, isoDay } from '../../app/reports/forecast/calendar';
import { col, inRange } from './report-sql';
import { getForecastHistory, TOTAL_SLICE } from './forecast';

// Plans (targets per month and slice) and the actuals they are paced against.
// A plan row's slice is its non-empty dimension among channel, region and
// manager; all empty is the whole business.

export const PLAN_SLICES = ['channel', 'region', 'manager'] as const;
export type PlanSlice = (typeof PLAN_SLICES)[number];

export interface PlanRow extends PlanRowInput {
  /** Set when the row came from an import. */
  import_id: number | null;
}

/** Plans of a month: the whole business (no `by`), or the rows of one slice kind. */
export async function getPlans(db: Db, ws: Workspace, month: string, by?: PlanSlice): Promise<PlanRow[]> {
  const { first } = monthRange(month);
  let q = db
    .selectFrom('plans')
    .select(['month', 'channel', 'region', 'manager', 'leads', 'max_cpl', 'budget', 'sales', 'revenue', 'import_id'])
    .where('workspace_id', '=', ws.id)
    .where('month', '=', isoDay(first));
  for (const dim of PLAN_SLICES) q = dim === by ? q.where(dim, '!=', '') : q.where(dim, '=', '');
  const rows = await q.orderBy(by ?? 'month').execute();
  return rows.map((r) => ({ ...r, month: r.month.slice(0, 7), import_id: r.import_id === null ? null : Number(r.import_id) }));
}

/** Inserts or replaces the plan of (month, channel, region, manager), e.g. from a saved planner scenario. */
export async function savePlan(db: Db, ws: Workspace, row: PlanRowInput): Promise<void> {
  const { first } = monthRange(row.month);
  const values = {
    workspace_id: ws.id,
    month: isoDay(first),
    channel: row.channel,
    region: row.region,
    manager: row.manager,
    leads: row.leads,
    max_cpl: row.max_cpl,
    budget: row.budget,
    sales: row.sales,
    revenue: row.revenue,
    import_id: null,
  };
  await db
    .insertInto('plans')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'month', 'channel', 'region', 'manager']).doUpdateSet({
        leads: values.leads,
        max_cpl: values.max_cpl,
        budget: values.budget,
        sales: values.sales,
        revenue: values.revenue,
        import_id: null,
      }),
    )
    .execute();
}

/**
 * Actuals per slice over days from..to (inclusive): leads created, spend,
 * deals won (closed in the range) and their amounts. Channel slices use the
 * last-non-direct credit; managers have no spend (null).
 */
export async function getPlanActuals(db: Db, ws: Workspace, p: { from: string; to: string; by?: PlanSlice }): Promise<Map<string, SliceActuals>> {
  const out = new Map<string, SliceActuals>();
  if (p.to < p.from) return out;
  const by = p.by;
  const leadKey: RawBuilder<unknown> = by === 'channel' ? col('c.channel') : by === 'region' ? col('l.region') : by === 'manager' ? col('l.manager') : sql`''`;
  const credit = by === 'channel' ? col('c.credit') : sql`1.0::float8`;
  const creditJoin = by === 'channel' ? sql`join lead_credits c on c.workspace_id = l.workspace_id and c.lead_id = l.lead_id and c.model = 'last_non_direct'` : sql``;
  const leads = await sql<{ key: string; leads: number; sales: number; revenue: string }>`
    select ${leadKey} as key,
           sum(case when ${inRange(col('l.created_at'), ws, p.from, p.to)} then ${credit} else 0 end)::float8 as leads,
           sum(case when l.outcome = 'won' and ${inRange(col('l.closed_at'), ws, p.from, p.to)} then ${credit} else 0 end)::float8 as sales,
           round(sum(case when l.outcome = 'won' and ${inRange(col('l.closed_at'), ws, p.from, p.to)} then coalesce(l.amount, 0) * (${credit})::numeric else 0 end), 2)::text as revenue
      from leads l ${creditJoin}
     where l.workspace_id = ${ws.id}
       and (${inRange(col('l.created_at'), ws, p.from, p.to)} or (l.outcome = 'won' and ${inRange(col('l.closed_at'), ws, p.from, p.to)}))
     group by 1
  `.execute(db);
  for (const r of leads.rows) out.set(r.key, { leads: r.leads, sales: r.sales, revenue: r.revenue, spend: by === 'manager' ? null : '0.00' });
  if (by !== 'manager') {
    const spendKey = by === 'channel' ? col('s.channel') : by === 'region' ? col('s.region') : sql`''`;
    const spend = await sql<{ key: string; spend: string }>`
      select ${spendKey} as key, round(sum(s.cost), 2)::text as spend
        from spend s
       where s.workspace_id = ${ws.id} and s.date between ${p.from}::date and ${p.to}::date
       group by 1
    `.execute(db);
    for (const r of spend.rows) {
      const a = out.get(r.key) ?? { leads: 0, sales: 0, revenue: '0.00', spend: '0.00' };
      out.set(r.key, { ...a, spend: r.spend });
    }
  }
  return out;
}

/** Each slice's share of the business's leads, deals and revenue over days from..to (for slices that have no forecast of their own). */
export async function getSliceShares(db: Db, ws: Workspace, p: { from: string; to: string; by: 'region' | 'manager' }): Promise<Map<string, { leads: number; sales: number; revenue: number }>> {
  const actuals = await getPlanActuals(db, ws, p);
  const total = { leads: 0, sales: 0, revenue: 0 };
  for (const a of actuals.values()) {
    total.leads += a.leads;
    total.sales += a.sales;
    total.revenue += Number(a.revenue);
  }
  const out = new Map<string, { leads: number; sales: number; revenue: number }>();
  for (const [key, a] of actuals) {
    out.set(key, {
      leads: total.leads > 0 ? a.leads / total.leads : 0,
      sales: total.sales > 0 ? a.sales / total.sales : 0,
      revenue: total.revenue > 0 ? Number(a.revenue) / total.revenue : 0,
    });
  }
  return out;
}

/** Per channel: daily spend, sessions and leads over from..to and the stage cohort, for the planner's curves and rates. */
export async function getPlannerHistory(db: Db, ws: Workspace, p: { from: string; to: string }): Promise<{ channels: PlannerHistory[]; overall: PlannerHistory }> {
  const slices = await getForecastHistory(db, ws, { from: p.from, to: p.to, allChannels: true });
  const spend = await sql<{ day: string; channel: string; spend: string }>`
    select to_char(s.date, 'YYYY-MM-DD') as day, s.channel, sum(s.cost)::text as spend
      from spend s
     where s.workspace_id = ${ws.id} and s.date between ${p.from}::date and ${p.to}::date
     group by 1, 2
  `.execute(db);
  const spendBy = new Map<string, Map<string, number>>();
  for (const r of spend.rows) {
    let m = spendBy.get(r.channel);
    if (!m) {
      m = new Map();
      spendBy.set(r.channel, m);
    }
    m.set(r.day, Number(r.spend));
  }
  const toPlanner = (s: (typeof slices)[number], channelSpend: Map<string, number> | undefined): PlannerHistory => {
    const days = new Map(s.days.map((d) => [d.day, { day: d.day, spend: 0, sessions: d.sessions, leads: d.leads }]));
    for (const [day, value] of channelSpend ?? []) {
      const d = days.get(day) ?? { day, spend: 0, sessions: 0, leads: 0 };
      d.spend += value;
      days.set(day, d);
    }
    return { channel: s.slice, from: s.from, to: s.to, days: [...days.values()], cohort: s.cohort };
  };
  const all = new Map<string, number>();
  for (const m of spendBy.values()) for (const [day, v] of m) all.set(day, (all.get(day) ?? 0) + v);
  const total = slices.find((s) => s.slice === TOTAL_SLICE)!;
  const channelNames = new Set([...slices.filter((s) => s.slice !== TOTAL_SLICE).map((s) => s.slice), ...spendBy.keys()]);
  const channels = [...channelNames].sort().map((name) => {
    const s = slices.find((x) => x.slice === name) ?? { slice: name, from: p.from, to: p.to, days: [], cohort: { ...total.cohort, leads: 0, qualified: 0, sales: 0, revenue: '0.00' } };
    return toPlanner(s, spendBy.get(name));
  });
  return { channels, overall: toPlanner(total, all) };
}
