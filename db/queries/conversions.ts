import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ConversionCandidate, ConversionPlatform } from '../../app/reports/conversions';
import { inRange } from './report-sql';

// Leads that reached a pipeline stage in a date range, for the offline
// conversion export (formats in app/reports/conversions.ts), and the
// workspace's choice of which stage is which conversion on which platform.
//
// A lead converts at the first time it entered the stage or any later one
// (stage history), else, for a won lead, when it closed, else when it was
// created (it sits at or past the stage with no history). The click ids are
// those of the lead's own session when it has them, else of its latest
// stitched session that has them (a lead stitched by phone to a visit).

export interface ConversionQuery {
  stage: string;
  from: string;
  to: string;
}

export async function getConversionCandidates(db: Db, ws: Workspace, q: ConversionQuery): Promise<ConversionCandidate[]> {
  const stages = await db
    .selectFrom('pipeline_stages')
    .select(['name', 'position'])
    .where('workspace_id', '=', ws.id)
    .orderBy('position')
    .execute();
  const target = stages.find((s) => s.name.toLowerCase() === q.stage.toLowerCase());
  if (!target) throw new Error(`unknown stage "${q.stage}" (pipeline: ${stages.map((s) => s.name).join(', ')})`);
  const isLast = target.position === stages[stages.length - 1]!.position;
  const later = stages.filter((s) => s.position >= target.position).map((s) => s.name);

  const rows = await sql<{ lead_id: string; converted_at: Date; value: string | null; gclid: string | null; yclid: string | null; visitor_id: string | null }>`
    with reached as (
      select l.lead_id, l.session_id, l.amount, l.outcome,
             coalesce(
               (select min(ls.entered_at) from lead_stages ls
                 where ls.workspace_id = l.workspace_id and ls.lead_id = l.lead_id and ls.stage = any(${later}::text[])),
               case when l.outcome = 'won' then l.closed_at end,
               l.created_at) as converted_at
        from leads l
        join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
       where l.workspace_id = ${ws.id}
         and (j.reached_position >= ${target.position} or l.stage = any(${later}::text[]))
         and (${isLast}::boolean = false or l.outcome = 'won')
    )
    select r.lead_id, r.converted_at,
           case when ${isLast}::boolean then r.amount::text end as value,
           g.gclid, y.yclid, coalesce(own.visitor_id, v.visitor_id) as visitor_id
      from reached r
      left join sessions own on own.workspace_id = ${ws.id} and own.session_id = r.session_id
      left join lateral (${clickSession(ws, 'gclid')}) g on true
      left join lateral (${clickSession(ws, 'yclid')}) y on true
      left join lateral (
        select s.visitor_id from lead_touches t join sessions s on s.workspace_id = t.workspace_id and s.session_id = t.session_id
         where t.workspace_id = ${ws.id} and t.lead_id = r.lead_id and t.kind = 'session'
         order by t.touched_at desc limit 1
      ) v on true
     where ${inRange(sql`r.converted_at`, ws, q.from, q.to)}
     order by r.converted_at, r.lead_id`.execute(db);

  return rows.rows.map((r) => ({
    leadId: r.lead_id,
    convertedAt: r.converted_at,
    value: r.value,
    gclid: r.gclid,
    yclid: r.yclid,
    visitorId: r.visitor_id,
  }));
}

/** The click id of the lead's own session if it has one, else of its latest stitched session before the conversion. */
function clickSession(ws: Workspace, column: 'gclid' | 'yclid') {
  const c = sql.ref(`s.${column}`);
  return sql`
    select ${c} as ${sql.ref(column)} from sessions s
     where s.workspace_id = ${ws.id} and ${c} is not null
       and (s.session_id = r.session_id
            or s.session_id in (select t.session_id from lead_touches t
                                 where t.workspace_id = ${ws.id} and t.lead_id = r.lead_id and t.session_id is not null))
       and s.started_at <= r.converted_at
     order by (s.session_id is not distinct from r.session_id) desc, s.started_at desc
     limit 1`;
}

export interface ConversionGoal {
  platform: ConversionPlatform;
  stage: string;
  conversionName: string;
}

export async function getConversionGoals(db: Db, workspaceId: number): Promise<ConversionGoal[]> {
  const rows = await db
    .selectFrom('conversion_goals')
    .select(['platform', 'stage', 'conversion_name'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('platform')
    .orderBy('stage')
    .execute();
  return rows.map((r) => ({ platform: r.platform, stage: r.stage, conversionName: r.conversion_name }));
}

export async function setConversionGoal(db: Db, workspaceId: number, goal: ConversionGoal): Promise<void> {
  await db
    .insertInto('conversion_goals')
    .values({ workspace_id: workspaceId, platform: goal.platform, stage: goal.stage, conversion_name: goal.conversionName })
    .onConflict((oc) => oc.columns(['workspace_id', 'platform', 'stage']).doUpdateSet({ conversion_name: goal.conversionName }))
    .execute();
}

export async function deleteConversionGoal(db: Db, workspaceId: number, platform: ConversionPlatform, stage: string): Promise<boolean> {
  const r = await db
    .deleteFrom('conversion_goals')
    .where('workspace_id', '=', workspaceId)
    .where('platform', '=', platform)
    .where('stage', '=', stage)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
