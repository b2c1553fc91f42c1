import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { computeLeadCredits, HEURISTIC_MODELS } from '../../app/reports/attribution/heuristics';
import { DAY_MS } from '../../app/reports/attribution/types';
import { QUALIFIED_STAGE } from '../../app/domain/pipeline';
import { copyTextLine } from '../import/copy-text';
import type { Workspace } from '../schema';
import { addAffectedVisitors, beginAffectedVisitors } from './visitor-paths';
import { addAffectedLeadDays, beginAffectedLeadDays } from './lead-rollups';

/**
 * Stitching: which touches belong to a lead (definitions of the analytics
 * engine, issue "joins, touch paths, attribution").
 *
 * - The lead's visitor: lead.visitor_id, else the visitor of lead.session_id,
 *   else the visitor of the session of the call it came from (a pool number
 *   shown in that session).
 * - Its session touches: that visitor's sessions that started at or before
 *   lead.created_at and no earlier than lookback_days before it.
 * - A lead from a call to a static number (valid on the call's day in the
 *   workspace zone) gets that call as a touch, always its last one.
 * - No touch at all: one 'explicit' touch of the lead's own
 *   source/medium/campaign when it has a channel, else one 'direct' touch.
 * - path: the channels in order with consecutive repeats collapsed, joined
 *   with ' > ' (the same rule as computeCollapsedPath).
 * - coverage: 'known' when some touch has a non-direct channel; otherwise why
 *   not: 'only_direct' (touches exist, all direct), 'unassigned_number' (a call
 *   to a number with no static assignment and no session), 'manual_no_source'
 *   (manual lead, no source), 'no_visitor_id' (no visitor to follow),
 *   'outside_lookback' (the visitor's sessions are all older than the window),
 *   'no_sessions' (a visitor with no sessions before the lead).
 *
 * Everything runs for a set of leads (temp table affected_leads) inside the
 * caller's transaction, so imports refresh only what they touched. The
 * visitors of those leads, before and after the re-stitch, go to
 * affected_visitors: whether a visitor has a lead decides whether their
 * sessions are a non-converting journey (db/analytics/visitor-paths.ts); the
 * days they were created on go to affected_lead_days, whose converting
 * rollups the caller then recomputes (db/analytics/lead-rollups.ts).
 */

export type Queryable = Pick<pg.PoolClient, 'query'>;

export const COVERAGE_REASONS = ['only_direct', 'unassigned_number', 'manual_no_source', 'no_visitor_id', 'outside_lookback', 'no_sessions'] as const;

/** Creates (or empties) the transaction-local sets of leads to refresh, and of visitors and days whose rollups may change. */
export async function beginAffectedLeads(client: Queryable): Promise<void> {
  await client.query(`create temporary table if not exists affected_leads (lead_id text primary key) on commit drop`);
  await client.query(`truncate affected_leads`);
  await beginAffectedVisitors(client);
  await beginAffectedLeadDays(client);
}

/** Adds leads selected by a query returning lead_id (parameters: $1 = workspace id, then extra). */
export async function addAffectedLeads(client: Queryable, selectLeadIds: string, params: unknown[]): Promise<void> {
  await client.query(`insert into affected_leads (lead_id) ${selectLeadIds} on conflict do nothing`, params);
}

export async function refreshAffectedLeads(client: Queryable, ws: Workspace): Promise<number> {
  const count = await client.query<{ n: number }>('select count(*)::int as n from affected_leads');
  const n = count.rows[0]?.n ?? 0;
  if (n === 0) return 0;
  await client.query('analyze affected_leads');
  const visitorsOfAffectedLeads = `select j.visitor_id from lead_journeys j join affected_leads a on a.lead_id = j.lead_id where j.workspace_id = $1`;
  await addAffectedVisitors(client, visitorsOfAffectedLeads, [ws.id]);
  await stitchTouches(client, ws);
  await addAffectedVisitors(client, visitorsOfAffectedLeads, [ws.id]);
  await computeHeuristicCredits(client, ws);
  await addAffectedLeadDays(
    client,
    `select distinct (l.created_at at time zone $2)::date as day from leads l join affected_leads a on a.lead_id = l.lead_id where l.workspace_id = $1`,
    [ws.id, ws.time_zone],
  );
  return n;
}

/**
 * A stage history import changes only the stage reach of its leads (the
 * journeys' reached_position, entered_mask, qualified_at): touches, credits
 * and visitors stay. Recomputes that for the leads in affected_leads.
 */
export async function refreshStageReach(client: Queryable, ws: Workspace): Promise<void> {
  await client.query('analyze affected_leads');
  await client.query(
    `update lead_journeys j set reached_position = r.reached_position, entered_mask = r.entered_mask, qualified_at = r.qualified_at
       from affected_leads sl
       join lateral (${REACH_SQL}) r on true
      where j.workspace_id = $1 and j.lead_id = sl.lead_id
        and (j.reached_position, j.entered_mask, j.qualified_at) is distinct from (r.reached_position, r.entered_mask, r.qualified_at)`,
    [ws.id],
  );
}

async function stitchTouches(client: Queryable, ws: Workspace): Promise<void> {
  const params = [ws.id];
  await client.query(`delete from lead_touches t using affected_leads a where t.workspace_id = $1 and t.lead_id = a.lead_id`, params);
  await client.query(`delete from lead_journeys j using affected_leads a where j.workspace_id = $1 and j.lead_id = a.lead_id`, params);
  await client.query(`drop table if exists stitched_leads`);
  await client.query(
    `create temporary table stitched_leads on commit drop as
     select l.lead_id, l.created_at, l.kind, l.source, l.medium, l.campaign, l.channel as explicit_channel,
            coalesce(l.visitor_id, ls.visitor_id, cs.visitor_id) as visitor_id,
            l.call_id, c.call_id as found_call_id, c.started_at as call_at, c.session_id as call_session_id,
            tn.source as tn_source, tn.medium as tn_medium, tn.campaign as tn_campaign, tn.channel as tn_channel
       from leads l
       join affected_leads a on a.lead_id = l.lead_id
       left join sessions ls on ls.workspace_id = l.workspace_id and ls.session_id = l.session_id
       left join calls c on c.workspace_id = l.workspace_id and c.call_id = l.call_id
       left join sessions cs on cs.workspace_id = l.workspace_id and cs.session_id = c.session_id
       left join lateral (
         select t.source, t.medium, t.campaign, t.channel from tracking_numbers t
          where t.workspace_id = l.workspace_id and t.number = c.tracking_number and t.kind = 'static'
            and (c.started_at at time zone $2)::date between t.valid_from and t.valid_to
          order by t.valid_from desc limit 1
       ) tn on true
      where l.workspace_id = $1`,
    [ws.id, ws.time_zone],
  );
  await client.query(
    `insert into lead_touches (workspace_id, lead_id, position, kind, touched_at, channel, source, medium, campaign, content, session_id, call_id)
     select $1, lead_id,
            row_number() over (partition by lead_id order by is_call, touched_at, coalesce(session_id, call_id)),
            kind, touched_at, channel, source, medium, campaign, content, session_id, call_id
       from (
         select sl.lead_id, 'session' as kind, false as is_call, s.started_at as touched_at, s.channel,
                s.source, s.medium, s.campaign, s.content, s.session_id, null::text as call_id
           from stitched_leads sl
           join sessions s on s.workspace_id = $1 and s.visitor_id = sl.visitor_id
            and s.started_at <= sl.created_at
            and s.started_at >= sl.created_at - make_interval(days => $2)
         union all
         select sl.lead_id, 'call', true, sl.call_at, sl.tn_channel, sl.tn_source, sl.tn_medium, sl.tn_campaign, '', null, sl.found_call_id
           from stitched_leads sl where sl.tn_channel is not null
       ) touches`,
    [ws.id, ws.lookback_days],
  );
  // Leads without any touch: their explicit origin, else direct.
  await client.query(
    `insert into lead_touches (workspace_id, lead_id, position, kind, touched_at, channel, source, medium, campaign, content, session_id, call_id)
     select $1, sl.lead_id, 1,
            case when sl.explicit_channel is not null then 'explicit' else 'direct' end,
            sl.created_at, coalesce(sl.explicit_channel, 'direct'),
            case when sl.explicit_channel is not null then sl.source else '' end,
            case when sl.explicit_channel is not null then sl.medium else '' end,
            case when sl.explicit_channel is not null then sl.campaign else '' end,
            '', null, null
       from stitched_leads sl
      where not exists (select 1 from lead_touches t where t.workspace_id = $1 and t.lead_id = sl.lead_id)`,
    [ws.id],
  );
  await client.query(
    `insert into lead_journeys (workspace_id, lead_id, visitor_id, touch_count, first_touch_at, path, coverage,
                                reached_position, entered_mask, qualified_at)
     select $1, sl.lead_id, sl.visitor_id, agg.touch_count, agg.first_touch_at, agg.path,
            case
              when agg.has_known then 'known'
              when agg.touch_count > 0 or agg.explicit_direct then 'only_direct'
              when sl.call_id is not null and sl.visitor_id is null then 'unassigned_number'
              when sl.kind = 'manual' and sl.visitor_id is null then 'manual_no_source'
              when sl.visitor_id is null then 'no_visitor_id'
              when exists (select 1 from sessions s where s.workspace_id = $1 and s.visitor_id = sl.visitor_id
                             and s.started_at < sl.created_at - make_interval(days => $2)) then 'outside_lookback'
              else 'no_sessions'
            end,
            reach.reached_position, reach.entered_mask, reach.qualified_at
       from stitched_leads sl
       join lateral (
         select count(*) filter (where t.kind in ('session', 'call'))::int as touch_count,
                min(t.touched_at) filter (where t.kind in ('session', 'call')) as first_touch_at,
                bool_or(t.channel <> 'direct') as has_known,
                bool_or(t.kind = 'explicit' and t.channel = 'direct') as explicit_direct,
                string_agg(t.channel, ' > ' order by t.position) filter (where t.prev is distinct from t.channel) as path
           from (select lt.*, lag(lt.channel) over (order by lt.position) as prev
                   from lead_touches lt where lt.workspace_id = $1 and lt.lead_id = sl.lead_id) t
       ) agg on true
       join lateral (${REACH_SQL}) reach on true`,
    [ws.id, ws.lookback_days],
  );
}

/**
 * Stage reach of one lead (sl.lead_id), the funnel's definition: a lead
 * reached a stage if it entered it or any later one (skipped stages count as
 * passed); a won lead reached every stage; lost and junk leads reached the
 * stages they entered (history rows or their current stage) and every earlier
 * one. qualified_at: first entry into the qualified stage or a later one; for
 * a lead that reached it without such a history row, its closing time when
 * won, else its creation time.
 */
const REACH_SQL = `
  select case when l.outcome = 'won' then pmax.position
              else greatest(coalesce(hist.max_position, 0), coalesce(cur.position, 0)) end::smallint as reached_position,
         coalesce(hist.mask, 0) as entered_mask,
         coalesce(hist.qualified_at,
                  case when q.position is not null
                        and (l.outcome = 'won' or greatest(coalesce(hist.max_position, 0), coalesce(cur.position, 0)) >= q.position)
                       then case when l.outcome = 'won' then coalesce(l.closed_at, l.created_at) else l.created_at end
                  end) as qualified_at
    from leads l
    cross join (select max(position) as position from pipeline_stages where workspace_id = $1) pmax
    left join pipeline_stages cur on cur.workspace_id = $1 and cur.name = l.stage
    left join pipeline_stages q on q.workspace_id = $1 and q.name = '${QUALIFIED_STAGE}'
    left join lateral (
      select max(p.position) as max_position, bit_or(1 << (p.position - 1)) as mask,
             min(s.entered_at) filter (where p.position >= q.position) as qualified_at
        from lead_stages s join pipeline_stages p on p.workspace_id = s.workspace_id and p.name = s.stage
       where s.workspace_id = $1 and s.lead_id = l.lead_id
    ) hist on true
   where l.workspace_id = $1 and l.lead_id = sl.lead_id`;

interface TouchRow {
  lead_id: string;
  position: number;
  kind: string;
  touched_at: Date;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  created_at: Date;
  explicit_channel: string | null;
  explicit_source: string;
  explicit_medium: string;
  explicit_campaign: string;
}

/**
 * Per-lead credits of every rule-based model, through the pure functions of
 * app/reports/attribution (one definition). Last non-direct on a lead whose
 * touches are all direct credits the lead's explicit origin, stored at
 * position 0, else the last (direct) touch.
 */
async function computeHeuristicCredits(client: Queryable, ws: Workspace): Promise<void> {
  await client.query(`delete from lead_credits c using affected_leads a where c.workspace_id = $1 and c.lead_id = a.lead_id`, [ws.id]);
  const halfLifeMs = Number(ws.time_decay_half_life_days) * DAY_MS;
  // Leads in keyset batches: memory stays bounded by one batch's touches however many leads an import re-stitches.
  for (let after = ''; ;) {
    const batch = await client.query<{ lead_id: string }>(
      `select lead_id from affected_leads where lead_id > $1 order by lead_id limit ${CREDIT_BATCH_LEADS}`,
      [after],
    );
    if (batch.rows.length === 0) return;
    const ids = batch.rows.map((r) => r.lead_id);
    after = ids[ids.length - 1]!;
    const touches = await client.query<TouchRow>(
      `select t.lead_id, t.position, t.kind, t.touched_at, t.channel, t.source, t.medium, t.campaign, t.content,
              l.created_at, l.channel as explicit_channel, l.source as explicit_source, l.medium as explicit_medium,
              l.campaign as explicit_campaign
         from lead_touches t
         join leads l on l.workspace_id = t.workspace_id and l.lead_id = t.lead_id
        where t.workspace_id = $1 and t.lead_id = any($2::text[])
        order by t.lead_id, t.position`,
      [ws.id, ids],
    );
    await copyCredits(client, ws, touches.rows, halfLifeMs);
    if (ids.length < CREDIT_BATCH_LEADS) return;
  }
}

let CREDIT_BATCH_LEADS = 20_000;

/** Leads per credit batch (tests set it small to cross batch boundaries); returns the previous size. */
export function setCreditBatchLeads(n: number): number {
  const previous = CREDIT_BATCH_LEADS;
  CREDIT_BATCH_LEADS = n;
  return previous;
}

/** COPYs the credits of every rule-based model for the leads whose touches are `rows` (ordered by lead, position). */
async function copyCredits(client: Queryable, ws: Workspace, rows: TouchRow[], halfLifeMs: number): Promise<void> {
  if (rows.length === 0) return;
  const copy = (client as pg.PoolClient).query(copyFrom(
    'copy lead_credits (workspace_id, lead_id, model, position, channel, source, medium, campaign, content, credit) from stdin',
  ));
  function* lines(): Generator<string> {
    let chunk = '';
    let i = 0;
    while (i < rows.length) {
      let j = i;
      while (j < rows.length && rows[j]!.lead_id === rows[i]!.lead_id) j++;
      const lead = rows.slice(i, j);
      i = j;
      const first = lead[0]!;
      const journey = {
        touches: lead.map((t) => ({ channel: t.channel, at: t.touched_at.getTime() })),
        leadAt: first.created_at.getTime(),
        revenue: null,
        fallbackChannel: first.explicit_channel ?? 'direct',
      };
      for (const model of HEURISTIC_MODELS) {
        const credits = computeLeadCredits(journey, model, { halfLifeMs });
        credits.forEach((c, k) => {
          if (c.credit === 0) return;
          const t = lead[k]!;
          const relabelled = c.channel !== t.channel;
          // Relabelled = last non-direct fell back to the lead's explicit origin.
          const dims = relabelled && first.explicit_channel
            ? [0, c.channel, first.explicit_source, first.explicit_medium, first.explicit_campaign, '']
            : [t.position, c.channel, t.source, t.medium, t.campaign, t.content];
          chunk += copyTextLine([String(ws.id), t.lead_id, model, ...dims.map(String), String(c.credit)]);
        });
      }
      if (chunk.length > 1 << 18) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(lines(), copy as unknown as Writable);
}
