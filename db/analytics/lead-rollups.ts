import type { Queryable } from './stitch';
import type { Workspace } from '../schema';
import { HEURISTIC_MODELS } from '../../app/reports/attribution/heuristics';

/**
 * Converting-journey rollups for attribution (issue 7), per workspace-local
 * day of the lead's creation, so that a report over any range of days sums a
 * few thousand rows instead of every lead's touches and credits:
 *
 * - converting_paths: leads per day × path, the path being the channels of
 *   the lead's touches (lead_touches, position order) with consecutive repeats
 *   collapsed — all that Markov (which collapses repeats itself) and Shapley
 *   (which only uses the channel set) need; with the won count and the exact
 *   revenue (Σ amount) of the won ones.
 * - lead_credit_totals: per day × rule-based model × channel, Σ credit of the
 *   stored lead_credits and Σ credit × amount over the won leads. Sums are
 *   numeric (each float8 credit cast to numeric), so they are exact and do
 *   not depend on the order rows are added in: a day recomputed by an import
 *   equals the same day from a rebuild, bit for bit.
 *
 * Maintenance: an import recomputes whole days — those in the temp table
 * affected_lead_days: the days of the re-stitched leads, and for a leads
 * import also the days the changed leads were created on before (a re-import
 * may move created_at). rebuildLeadRollups recomputes every day.
 */

/** Creates (or empties) the transaction-local set of lead-creation days to recompute. */
export async function beginAffectedLeadDays(client: Queryable): Promise<void> {
  await client.query(`create temporary table if not exists affected_lead_days (day date primary key) on commit drop`);
  await client.query(`truncate affected_lead_days`);
}

/** Adds days selected by a query returning day (with its parameters). */
export async function addAffectedLeadDays(client: Queryable, selectDays: string, params: unknown[]): Promise<void> {
  await client.query(`insert into affected_lead_days (day) select day from (${selectDays}) d on conflict do nothing`, params);
}

/** The leads to aggregate (alias sel): all of the workspace, or those created on the affected days. */
function selectedLeadsSql(onlyAffectedDays: boolean): string {
  const range = onlyAffectedDays
    ? `and l.created_at >= ((select min(day) from affected_lead_days)::timestamp at time zone $2)
       and l.created_at < (((select max(day) from affected_lead_days) + 1)::timestamp at time zone $2)
       and (l.created_at at time zone $2)::date in (select day from affected_lead_days)`
    : '';
  return `select l.lead_id, (l.created_at at time zone $2)::date as day, l.outcome = 'won' as is_won, l.amount
            from leads l where l.workspace_id = $1 ${range}`;
}

async function insertRollups(client: Queryable, ws: Workspace, onlyAffectedDays: boolean): Promise<void> {
  await client.query(`drop table if exists rollup_leads`);
  await client.query(`create temporary table rollup_leads on commit drop as ${selectedLeadsSql(onlyAffectedDays)}`, [ws.id, ws.time_zone]);
  await client.query('analyze rollup_leads');
  await client.query(
    `insert into converting_paths (workspace_id, day, path, leads, won_leads, revenue)
     select $1, sel.day, p.path, count(*), count(*) filter (where sel.is_won), coalesce(sum(sel.amount) filter (where sel.is_won), 0)
       from rollup_leads sel
       join (select t.lead_id, array_agg(t.channel order by t.position) filter (where t.prev is distinct from t.channel) as path
               from (select t.lead_id, t.channel, t.position, lag(t.channel) over (partition by t.lead_id order by t.position) as prev
                       from lead_touches t join rollup_leads r on r.lead_id = t.lead_id
                      where t.workspace_id = $1) t
              group by t.lead_id) p on p.lead_id = sel.lead_id
      group by sel.day, p.path`,
    [ws.id],
  );
  await client.query(
    `insert into lead_credit_totals (workspace_id, day, model, channel, credit, revenue)
     select $1, sel.day, c.model, c.channel, sum(c.credit::numeric),
            coalesce(sum(c.credit::numeric * sel.amount) filter (where sel.is_won), 0)
       from rollup_leads sel
       join lead_credits c on c.workspace_id = $1 and c.lead_id = sel.lead_id
      where c.model = any($2::text[])
      group by sel.day, c.model, c.channel`,
    [ws.id, [...HEURISTIC_MODELS]],
  );
}

/** Recomputes converting_paths and lead_credit_totals for the days in affected_lead_days. */
export async function refreshLeadRollups(client: Queryable, ws: Workspace): Promise<number> {
  const count = await client.query<{ n: number }>('select count(*)::int as n from affected_lead_days');
  const n = count.rows[0]?.n ?? 0;
  if (n === 0) return 0;
  await client.query('analyze affected_lead_days');
  for (const table of ['converting_paths', 'lead_credit_totals']) {
    await client.query(`delete from ${table} r using affected_lead_days a where r.workspace_id = $1 and r.day = a.day`, [ws.id]);
  }
  await insertRollups(client, ws, true);
  return n;
}

/** Rebuilds converting_paths and lead_credit_totals of the workspace. */
export async function rebuildLeadRollups(client: Queryable, ws: Workspace): Promise<void> {
  await client.query('delete from converting_paths where workspace_id = $1', [ws.id]);
  await client.query('delete from lead_credit_totals where workspace_id = $1', [ws.id]);
  await insertRollups(client, ws, false);
}
