import type pg from 'pg';
import type { ImportKind } from '../../app/import/formats';
import { addAffectedLeads, beginAffectedLeads, refreshAffectedLeads, refreshStageReach } from '../analytics/stitch';
import { refreshDailyTraffic, refreshReportFacts } from '../analytics/rollups';
import { addAffectedVisitors, rebuildVisitorPaths, refreshAffectedVisitors } from '../analytics/visitor-paths';
import { addAffectedLeadDays, refreshLeadRollups } from '../analytics/lead-rollups';
import type { Workspace } from '../schema';
import { stepTimer } from './debug-timer';

// Derived tables kept up to date by the import itself, from the rows the
// import changed only (the upsert leaves just those in import_stage; never a
// full rebuild): visitors and the daily traffic rollup from
// sessions, the campaign registry, the touches and credits of every lead
// the imported rows can change, and the journey rollups: visitor_paths and
// nonconverting_paths of the staged visitors and of the re-stitched leads'
// visitors, converting_paths and lead_credit_totals of the days those leads
// were (and, for changed leads, had been) created on. Runs inside the import
// transaction.
//
// Two shortcuts give the same rows as the general path: the first sessions
// import of a workspace (fresh: every session is new) rebuilds daily traffic
// and visitor paths whole, in one scan each, instead of per affected day and
// visitor; a lead_stages import changes no touch, credit or visitor, so it
// recomputes only the stage reach and the report facts of its leads.

/** Before the upsert: remember the days and visitors of sessions that may be replaced (an update can move a session). */
export async function beforeUpsert(client: pg.PoolClient, kind: ImportKind, ws: Workspace): Promise<void> {
  if (kind === 'sessions') {
    await client.query(
      `create temporary table replaced_sessions on commit drop as
       select s.session_id, s.visitor_id, (s.started_at at time zone $2)::date as day from sessions s
         join import_stage st on st.session_id = s.session_id
        where s.workspace_id = $1`,
      [ws.id, ws.time_zone],
    );
  }
  if (kind === 'leads') {
    await client.query(
      `create temporary table replaced_leads on commit drop as
       select l.lead_id, (l.created_at at time zone $2)::date as day from leads l
         join import_stage st on st.lead_id = l.lead_id
        where l.workspace_id = $1`,
      [ws.id, ws.time_zone],
    );
  }
}

export async function afterImport(client: pg.PoolClient, kind: ImportKind, ws: Workspace, opts: { fresh: boolean }): Promise<void> {
  const step = stepTimer('derive');
  await beginAffectedLeads(client);
  if (kind === 'lead_stages') {
    await addAffectedLeads(client, `select distinct lead_id from import_stage`, []);
    await refreshStageReach(client, ws);
    step('stage reach');
    await refreshReportFacts(client, ws, kind);
    step('report facts');
    return;
  }
  const freshSessions = kind === 'sessions' && opts.fresh;
  if (freshSessions) {
    await sessionVisitors(client, ws);
    await upsertCampaigns(client, ws, `select source, medium, campaign, channel, (started_at at time zone $2)::date as day from import_stage where campaign <> ''`);
    step('visitors, campaigns');
    await refreshDailyTraffic(client, ws, 'all');
    step('daily traffic');
    // Leads imported before their sessions: stitch them to the sessions now.
    await addAffectedLeads(client, `select l.lead_id from leads l where l.workspace_id = $1 and l.visitor_id in (select visitor_id from import_stage)`, [ws.id]);
    await addAffectedLeads(client, `select l.lead_id from leads l where l.workspace_id = $1 and l.session_id in (select session_id from import_stage)`, [ws.id]);
    await addAffectedLeads(
      client,
      `select l.lead_id from leads l join calls c on c.workspace_id = l.workspace_id and c.call_id = l.call_id
        where l.workspace_id = $1 and c.session_id in (select session_id from import_stage)`,
      [ws.id],
    );
    step('affected leads');
  }
  if (kind === 'sessions' && !freshSessions) {
    await sessionVisitors(client, ws);
    await upsertCampaigns(client, ws, `select source, medium, campaign, channel, (started_at at time zone $2)::date as day from import_stage where campaign <> ''`);
    await client.query(`create temporary table affected_days (day date primary key) on commit drop`);
    await client.query(
      `insert into affected_days
       select (started_at at time zone $1)::date from import_stage
       union select r.day from replaced_sessions r join import_stage s on s.session_id = r.session_id
       on conflict do nothing`,
      [ws.time_zone],
    );
    await client.query('analyze affected_days');
    await refreshDailyTraffic(client, ws, 'affected_days');
    await client.query(`create temporary table staged_visitors on commit drop as select distinct visitor_id from import_stage`);
    await client.query(`create temporary table staged_sessions on commit drop as select session_id from import_stage`);
    await client.query('analyze staged_visitors; analyze staged_sessions');
    await addAffectedVisitors(client, 'select visitor_id from staged_visitors', []);
    // A changed session may have moved away from its old visitor: that visitor's journey and leads change too.
    const oldVisitors = `select r.visitor_id from replaced_sessions r join import_stage s on s.session_id = r.session_id where r.visitor_id <> s.visitor_id`;
    await addAffectedVisitors(client, oldVisitors, []);
    await addAffectedLeads(client, `select j.lead_id from lead_journeys j join (${oldVisitors}) o on o.visitor_id = j.visitor_id where j.workspace_id = $1`, [ws.id]);
    await addAffectedLeads(client, `select l.lead_id from leads l join staged_visitors v on v.visitor_id = l.visitor_id where l.workspace_id = $1`, [ws.id]);
    await addAffectedLeads(client, `select j.lead_id from lead_journeys j join staged_visitors v on v.visitor_id = j.visitor_id where j.workspace_id = $1`, [ws.id]);
    await addAffectedLeads(client, `select l.lead_id from leads l join staged_sessions s on s.session_id = l.session_id where l.workspace_id = $1`, [ws.id]);
    await addAffectedLeads(
      client,
      `select l.lead_id from leads l join calls c on c.workspace_id = l.workspace_id and c.call_id = l.call_id
         join staged_sessions s on s.session_id = c.session_id where l.workspace_id = $1`,
      [ws.id],
    );
  }
  if (kind === 'spend') {
    await upsertCampaigns(client, ws, `select source, medium, campaign, channel, date as day from import_stage`);
  }
  if (kind === 'tracking_numbers') {
    await upsertCampaigns(
      client,
      ws,
      `select source, medium, campaign, channel,
              case when valid_from = '-infinity' then current_date else valid_from end as day
         from import_stage where kind = 'static' and campaign <> ''`,
    );
    await addAffectedLeads(
      client,
      `select l.lead_id from leads l join calls c on c.workspace_id = l.workspace_id and c.call_id = l.call_id
        where l.workspace_id = $1 and c.tracking_number in (select number from import_stage)`,
      [ws.id],
    );
  }
  if (kind === 'calls') {
    await addAffectedLeads(client, `select l.lead_id from leads l join import_stage c on c.call_id = l.call_id where l.workspace_id = $1`, [ws.id]);
  }
  if (kind === 'leads') {
    await addAffectedLeads(client, `select lead_id from import_stage`, []);
    // A changed lead may have been created on another day before.
    if (!opts.fresh) await addAffectedLeadDays(client, `select r.day from replaced_leads r join import_stage s on s.lead_id = r.lead_id`, []);
  }
  step('affected');
  await refreshAffectedLeads(client, ws);
  step('stitch');
  await refreshReportFacts(client, ws, kind);
  step('report facts');
  // After the re-stitch: whether a visitor has a lead is read from the new lead_journeys.
  if (freshSessions) await rebuildVisitorPaths(client, ws);
  else await refreshAffectedVisitors(client, ws);
  step('visitor paths');
  await refreshLeadRollups(client, ws);
  step('lead rollups');
}

async function sessionVisitors(client: pg.PoolClient, ws: Workspace): Promise<void> {
  await client.query(
    `insert into visitors (workspace_id, visitor_id, first_seen_at, last_seen_at)
     select $1, visitor_id, min(started_at), max(started_at) from import_stage group by visitor_id
     on conflict (workspace_id, visitor_id) do update
       set first_seen_at = least(visitors.first_seen_at, excluded.first_seen_at),
           last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at)
       where visitors.first_seen_at > excluded.first_seen_at or visitors.last_seen_at < excluded.last_seen_at`,
    [ws.id],
  );
}

async function upsertCampaigns(client: pg.PoolClient, ws: Workspace, source: string): Promise<void> {
  const usesZone = source.includes('$2');
  await client.query(
    `insert into campaigns (workspace_id, source, medium, campaign, channel, first_seen, last_seen)
     select $1, source, medium, campaign, min(channel), min(day), max(day) from (${source}) s
      group by source, medium, campaign
     on conflict (workspace_id, source, medium, campaign) do update
       set first_seen = least(campaigns.first_seen, excluded.first_seen),
           last_seen = greatest(campaigns.last_seen, excluded.last_seen),
           channel = excluded.channel
       where campaigns.first_seen > excluded.first_seen or campaigns.last_seen < excluded.last_seen
          or campaigns.channel <> excluded.channel`,
    usesZone ? [ws.id, ws.time_zone] : [ws.id],
  );
}
