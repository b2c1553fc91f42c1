import type { Queryable } from './stitch';
import type { Workspace } from '../schema';

/**
 * Journey rollups for attribution (issue 7): the non-converting journeys are
 * read from here instead of grouping millions of sessions per request.
 *
 * - visitor_paths: one row per visitor with sessions; path = the channels of
 *   ALL their sessions in time order (started_at, then session_id) with
 *   consecutive repeats collapsed (computeCollapsedPath's rule);
 *   first_session_at = their earliest session; has_lead = some lead was
 *   stitched to them (a lead_journeys row with their visitor_id, at any time).
 * - nonconverting_paths: visitors without a lead per workspace-local day of
 *   their FIRST session × path. A non-converting journey is counted in the
 *   range that contains its first session (cohort by first touch), with all
 *   of its sessions, even those after the range.
 *
 * Maintenance is incremental, inside the import transaction, for the
 * visitors in the temp table affected_visitors (the sessions import's staged
 * visitors; every import's re-stitched leads' visitors, before and after):
 * their old contribution to nonconverting_paths is subtracted, their
 * visitor_paths rows recomputed from sessions, and the new contribution
 * added. rebuildVisitorPaths recomputes both tables whole (rebuild, channel
 * rules); both ways give the same rows (test/integration/rebuild.test.ts).
 * Rows are matched by path_key (path_key_of(path), migration 0012): a long
 * path is too big for a btree key.
 */

/** Creates (or empties) the transaction-local set of visitors whose journey may have changed. */
export async function beginAffectedVisitors(client: Queryable): Promise<void> {
  await client.query(`create temporary table if not exists affected_visitors (visitor_id text primary key) on commit drop`);
  await client.query(`truncate affected_visitors`);
}

/** Adds visitors selected by a query returning visitor_id (parameters: $1 = workspace id, then extra); nulls are skipped. */
export async function addAffectedVisitors(client: Queryable, selectVisitorIds: string, params: unknown[]): Promise<void> {
  await client.query(
    `insert into affected_visitors (visitor_id) select visitor_id from (${selectVisitorIds}) v where visitor_id is not null on conflict do nothing`,
    params,
  );
}

/** visitor_paths rows computed from sessions, for the visitors `visitorFilter` keeps (alias s, $1 = workspace id). */
function visitorPathsSql(visitorFilter: string): string {
  return `
    select $1::int as workspace_id, s.visitor_id, min(s.started_at) as first_session_at,
           array_agg(s.channel order by s.started_at, s.session_id) filter (where s.prev is distinct from s.channel) as path,
           exists (select 1 from lead_journeys j where j.workspace_id = $1 and j.visitor_id = s.visitor_id) as has_lead
      from (select s.visitor_id, s.session_id, s.started_at, s.channel,
                   lag(s.channel) over (partition by s.visitor_id order by s.started_at, s.session_id) as prev
              from sessions s
             where s.workspace_id = $1 ${visitorFilter}) s
     group by s.visitor_id`;
}

/** Rebuilds visitor_paths and nonconverting_paths of the workspace from sessions and lead_journeys. */
export async function rebuildVisitorPaths(client: Queryable, ws: Workspace): Promise<void> {
  await client.query('delete from nonconverting_paths where workspace_id = $1', [ws.id]);
  await client.query('delete from visitor_paths where workspace_id = $1', [ws.id]);
  // Every session at once: one sequential scan and one sort beat walking the
  // visitor index over the whole table (17 s against 80 s on 5M sessions).
  const planner = await client.query<{ index: string; bitmap: string }>(
    `select current_setting('enable_indexscan') as index, current_setting('enable_bitmapscan') as bitmap`,
  );
  await client.query(`select set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
  await client.query(
    `insert into visitor_paths (workspace_id, visitor_id, first_session_at, path, has_lead) ${visitorPathsSql('')}`,
    [ws.id],
  );
  const { index, bitmap } = planner.rows[0] ?? { index: 'on', bitmap: 'on' };
  await client.query(`select set_config('enable_indexscan', $1, true), set_config('enable_bitmapscan', $2, true)`, [index, bitmap]);
  await client.query(
    `insert into nonconverting_paths (workspace_id, day, path, visitors)
     select $1, (first_session_at at time zone $2)::date, path, count(*)
       from visitor_paths where workspace_id = $1 and not has_lead
      group by 2, 3`,
    [ws.id, ws.time_zone],
  );
}

/** Recomputes the journeys of the visitors in affected_visitors and moves their counts in nonconverting_paths. */
export async function refreshAffectedVisitors(client: Queryable, ws: Workspace): Promise<number> {
  const count = await client.query<{ n: number }>('select count(*)::int as n from affected_visitors');
  const n = count.rows[0]?.n ?? 0;
  if (n === 0) return 0;
  await client.query('analyze affected_visitors');
  // Net change per (day, path): −1 for each affected visitor's old row, +1 for its new one.
  await client.query(`drop table if exists nonconverting_delta`);
  await client.query(
    `create temporary table nonconverting_delta on commit drop as
     select (v.first_session_at at time zone $2)::date as day, v.path, -1 as delta
       from visitor_paths v join affected_visitors a on a.visitor_id = v.visitor_id
      where v.workspace_id = $1 and not v.has_lead`,
    [ws.id, ws.time_zone],
  );
  await client.query(
    `delete from visitor_paths v using affected_visitors a where v.workspace_id = $1 and v.visitor_id = a.visitor_id`,
    [ws.id],
  );
  await client.query(
    `insert into visitor_paths (workspace_id, visitor_id, first_session_at, path, has_lead)
     ${visitorPathsSql('and s.visitor_id in (select visitor_id from affected_visitors)')}`,
    [ws.id],
  );
  await client.query(
    `insert into nonconverting_delta
     select (v.first_session_at at time zone $2)::date, v.path, 1
       from visitor_paths v join affected_visitors a on a.visitor_id = v.visitor_id
      where v.workspace_id = $1 and not v.has_lead`,
    [ws.id, ws.time_zone],
  );
  await client.query(
    `insert into nonconverting_paths (workspace_id, day, path, visitors)
     select $1, day, path, sum(delta) from nonconverting_delta group by day, path having sum(delta) <> 0
     on conflict (workspace_id, day, path_key) do update set visitors = nonconverting_paths.visitors + excluded.visitors`,
    [ws.id],
  );
  await client.query(
    `delete from nonconverting_paths p using (select distinct day, path_key_of(path) as path_key from nonconverting_delta) d
      where p.workspace_id = $1 and p.day = d.day and p.path_key = d.path_key and p.visitors <= 0`,
    [ws.id],
  );
  return n;
}
