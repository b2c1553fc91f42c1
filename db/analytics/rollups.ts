import type { Queryable } from './stitch';
import type { Workspace } from '../schema';
import type { ImportKind } from '../../app/import/formats';
import { HEURISTIC_MODELS, type HeuristicModel } from '../../app/reports/attribution/heuristics';
import { UNKNOWN_CHANNEL } from '../../app/reports/calls';
import { CONTACTED_STAGE } from '../../app/domain/pipeline';

/**
 * daily_traffic: sessions per workspace day (in the workspace time zone) ×
 * source × medium × campaign × content × region × device. Rebuilt for the
 * days listed in a temp table (the days an import touched), never whole.
 * monthly_traffic (the same without device, per month) follows the months
 * of those days, so a report over whole months sums a few thousand rows.
 */
export async function refreshDailyTraffic(client: Queryable, ws: Workspace, daysTable: string | 'all'): Promise<void> {
  if (daysTable === 'all') {
    await client.query('delete from daily_traffic where workspace_id = $1', [ws.id]);
    await client.query(
      `insert into daily_traffic (workspace_id, day, source, medium, campaign, content, region, device, channel, sessions)
       select $1, (started_at at time zone $2)::date, source, medium, campaign, content, region, device, min(channel), count(*)
         from sessions where workspace_id = $1 group by 2, 3, 4, 5, 6, 7, 8`,
      [ws.id, ws.time_zone],
    );
    await client.query('delete from monthly_traffic where workspace_id = $1', [ws.id]);
    await client.query(`insert into monthly_traffic ${monthlyTrafficSql('')}`, [ws.id]);
    return;
  }
  await client.query(`delete from daily_traffic d using ${daysTable} a where d.workspace_id = $1 and d.day = a.day`, [ws.id]);
  await client.query(
    `insert into daily_traffic (workspace_id, day, source, medium, campaign, content, region, device, channel, sessions)
     select $1, (s.started_at at time zone $2)::date, s.source, s.medium, s.campaign, s.content, s.region, s.device, min(s.channel), count(*)
       from sessions s
      where s.workspace_id = $1
        and s.started_at >= ((select min(day) from ${daysTable})::timestamp at time zone $2)
        and s.started_at < (((select max(day) from ${daysTable}) + 1)::timestamp at time zone $2)
        and (s.started_at at time zone $2)::date in (select day from ${daysTable})
      group by 2, 3, 4, 5, 6, 7, 8`,
    [ws.id, ws.time_zone],
  );
  const months = `(select distinct date_trunc('month', day)::date from ${daysTable})`;
  await client.query(`delete from monthly_traffic m where m.workspace_id = $1 and m.month in ${months}`, [ws.id]);
  await client.query(`insert into monthly_traffic ${monthlyTrafficSql(`and date_trunc('month', t.day)::date in ${months}`)}`, [ws.id]);
}

/** monthly_traffic rows summed from daily_traffic ($1 = workspace id; `monthFilter` narrows t). */
function monthlyTrafficSql(monthFilter: string): string {
  return `(workspace_id, month, channel, source, medium, campaign, content, region, sessions)
    select $1, date_trunc('month', t.day)::date, t.channel, t.source, t.medium, t.campaign, t.content, t.region, sum(t.sessions)
      from daily_traffic t
     where t.workspace_id = $1 ${monthFilter}
     group by 2, 3, 4, 5, 6, 7, 8`;
}

/**
 * Report facts (issue 7): what the lead and call reports read instead of
 * joining leads, journeys, stage history, touches, credits, calls and
 * sessions per request. Each is a pure function of those tables, recomputed
 * per lead or per call, never per request:
 *
 * - lead_facts: one row per lead with a journey. The lead's own columns, its
 *   journey (reach, qualified_at, coverage), its creation day in the workspace
 *   zone, its first contact (first entry into the contacted stage or a later
 *   one) and the hours to it, the weeks from creation to qualification and to
 *   the sale (floored, at least 0: the cohort report's ages), its touch
 *   channels and times (epoch ms) in position order, and its primary touch
 *   (below) under last non-direct, the default model, so that the reports
 *   slice by channel without a join in the common case.
 * - lead_stage_steps: for each pipeline position a lead entered with a later
 *   position entered too, the hours from the first entry into it to the first
 *   entry into any later stage, with the lead's dimensions and default-model
 *   primary touch (the funnel's median time to the next stage reads a narrow
 *   row per step).
 * - lead_credit_facts: one row per stored credit of a rule-based model (the
 *   models of HEURISTIC_MODELS; Markov credits are rewritten on their own
 *   schedule and stay in lead_credits only), with the lead's dimensions, the
 *   days it was created, qualified and won (coalesce(closed_at, created_at))
 *   on, junk/won flags, the credited revenue of a won lead (amount × credit,
 *   numeric) and is_primary: the lead's primary touch under the model — the
 *   channel with the largest summed credit (rounded to 9 decimals), ties to
 *   the latest touch, and that channel's latest touch.
 * - call_facts: one row per call with what the calls report resolves: its
 *   workspace-local day, the start of the same caller's previous call (any
 *   time before; the repeat window is applied by the report), its attribution
 *   (the static number assigned on its day, else the session of a pool call,
 *   else unknown), its manager (who answered, else the first lead made from
 *   it with a manager) and how many leads were made from it.
 *
 * refreshReportFacts runs inside the import transaction after the re-stitch
 * (refreshAffectedLeads): it recomputes the facts of the leads in
 * affected_leads and of the calls the imported rows can change (the staged
 * calls and every call of their callers, before and after; calls to staged
 * numbers; calls from staged sessions; the calls of the affected leads,
 * before and after). rebuildReportFacts recomputes a whole workspace; both
 * give the same rows (test/integration/report-facts.test.ts).
 */
export async function refreshReportFacts(client: Queryable, ws: Workspace, kind: ImportKind): Promise<void> {
  await client.query(`create temporary table if not exists affected_calls (call_id text primary key) on commit drop`);
  await client.query('truncate affected_calls');
  const addCalls = (select: string, params: unknown[] = [ws.id]) =>
    client.query(`insert into affected_calls (call_id) select call_id from (${select}) c where call_id is not null on conflict do nothing`, params);
  if (kind === 'calls') {
    // A call's repeat flag depends on its caller's earlier calls: recompute every call of the callers involved.
    await addCalls(
      `select c.call_id from calls c
        where c.workspace_id = $1
          and c.caller_phone in (select caller_phone from import_stage
                                 union select f.caller_phone from call_facts f join import_stage s on s.call_id = f.call_id where f.workspace_id = $1)`,
    );
  }
  if (kind === 'tracking_numbers') {
    await addCalls(`select c.call_id from calls c where c.workspace_id = $1 and c.tracking_number in (select number from import_stage)`);
  }
  if (kind === 'sessions') {
    await addCalls(`select c.call_id from calls c join import_stage s on s.session_id = c.session_id where c.workspace_id = $1`);
  }
  // The calls the affected leads were made from, before (lead_facts, not yet refreshed) and now.
  await addCalls(`select f.call_id from lead_facts f join affected_leads a on a.lead_id = f.lead_id where f.workspace_id = $1`);
  await addCalls(`select l.call_id from leads l join affected_leads a on a.lead_id = l.lead_id where l.workspace_id = $1`);
  await client.query('analyze affected_calls');

  for (const table of ['lead_credit_facts', 'lead_stage_steps', 'lead_facts']) {
    await client.query(`delete from ${table} f using affected_leads a where f.workspace_id = $1 and f.lead_id = a.lead_id`, [ws.id]);
  }
  await insertLeadFacts(client, ws, 'affected_leads');
  await insertStageSteps(client, ws, 'affected_leads');
  await insertLeadCreditFacts(client, ws, 'affected_leads');
  await client.query(`delete from call_facts f using affected_calls a where f.workspace_id = $1 and f.call_id = a.call_id`, [ws.id]);
  await insertCallFacts(client, ws, 'affected_calls');
}

/** Recomputes every report fact of the workspace (rebuild, channel rules). */
export async function rebuildReportFacts(client: Queryable, ws: Workspace): Promise<void> {
  for (const table of ['lead_credit_facts', 'lead_stage_steps', 'lead_facts', 'call_facts']) {
    await client.query(`delete from ${table} where workspace_id = $1`, [ws.id]);
  }
  await insertLeadFacts(client, ws, null);
  await insertStageSteps(client, ws, null);
  await insertLeadCreditFacts(client, ws, null);
  await insertCallFacts(client, ws, null);
}

/** `and <column> in (select <key> from <table>)`, or nothing for the whole workspace. */
const inSet = (column: string, table: string | null, key: string) => (table ? `and ${column} in (select ${key} from ${table})` : '');

async function insertLeadFacts(client: Queryable, ws: Workspace, leadsTable: string | null): Promise<void> {
  await client.query(
    `insert into lead_facts (workspace_id, lead_id, created_at, created_day, region, manager, product, temperature, outcome,
                             loss_reason, amount, closed_at, call_id, explicit_channel, reached_position, entered_mask,
                             qualified_at, coverage, touch_count, first_contact_at, contact_hours, qualified_week, won_week,
                             touch_channels, touched_at_ms, primary_channel, primary_source, primary_medium, primary_campaign)
     with stages as (
       select h.lead_id, min(h.entered_at) as first_contact_at
         from lead_stages h join pipeline_stages p on p.workspace_id = h.workspace_id and p.name = h.stage
        where h.workspace_id = $1 ${inSet('h.lead_id', leadsTable, 'lead_id')}
          and p.position >= (select position from pipeline_stages where workspace_id = $1 and name = $3)
        group by h.lead_id
     ),
     touches as (
       select t.lead_id, array_agg(t.channel order by t.position) as channels,
              array_agg(trunc(extract(epoch from t.touched_at) * 1000)::float8 order by t.position) as touched_at_ms
         from lead_touches t
        where t.workspace_id = $1 ${inSet('t.lead_id', leadsTable, 'lead_id')}
        group by t.lead_id
     ),
     primary_touch as (${primaryTouchSql(`c.model = $4 ${inSet('c.lead_id', leadsTable, 'lead_id')}`)})
     select l.workspace_id, l.lead_id, l.created_at, (l.created_at at time zone $2)::date, l.region, l.manager, l.product,
            l.temperature, l.outcome, l.loss_reason, l.amount, l.closed_at, l.call_id, l.channel, j.reached_position,
            j.entered_mask, j.qualified_at, j.coverage, j.touch_count, st.first_contact_at,
            (extract(epoch from st.first_contact_at - l.created_at) / 3600)::float8,
            greatest(0, floor(extract(epoch from (j.qualified_at - l.created_at)) / 604800))::int,
            case when l.outcome = 'won'
                 then greatest(0, floor(extract(epoch from (coalesce(l.closed_at, l.created_at) - l.created_at)) / 604800))::int end,
            tt.channels, tt.touched_at_ms, pt.channel, pt.source, pt.medium, pt.campaign
       from leads l
       join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
       left join stages st on st.lead_id = l.lead_id
       left join touches tt on tt.lead_id = l.lead_id
       left join primary_touch pt on pt.lead_id = l.lead_id and pt.is_primary
      where l.workspace_id = $1 ${inSet('l.lead_id', leadsTable, 'lead_id')}`,
    [ws.id, ws.time_zone, CONTACTED_STAGE, PRIMARY_TOUCH_MODEL],
  );
}

async function insertStageSteps(client: Queryable, ws: Workspace, leadsTable: string | null): Promise<void> {
  await client.query(
    `insert into lead_stage_steps (workspace_id, lead_id, position, hours, created_day, region, manager, product, temperature,
                                   primary_channel, primary_source, primary_medium, primary_campaign)
     with first_entry as (
       select h.lead_id, p.position, min(h.entered_at) as at
         from lead_stages h join pipeline_stages p on p.workspace_id = h.workspace_id and p.name = h.stage
        where h.workspace_id = $1 ${inSet('h.lead_id', leadsTable, 'lead_id')}
        group by h.lead_id, p.position
     ),
     step as (
       select lead_id, position,
              (extract(epoch from min(at) over (partition by lead_id order by position desc
                                                rows between unbounded preceding and 1 preceding) - at) / 3600)::float8 as hours
         from first_entry
     )
     select f.workspace_id, s.lead_id, s.position, s.hours, f.created_day, f.region, f.manager, f.product, f.temperature,
            f.primary_channel, f.primary_source, f.primary_medium, f.primary_campaign
       from step s join lead_facts f on f.workspace_id = $1 and f.lead_id = s.lead_id
      where s.hours is not null
      order by s.position, s.hours`,
    [ws.id],
  );
}

async function insertLeadCreditFacts(client: Queryable, ws: Workspace, leadsTable: string | null): Promise<void> {
  await client.query(
    `insert into lead_credit_facts (workspace_id, model, lead_id, position, credit, channel, source, medium, campaign, content,
                                    region, manager, product, temperature, created_day, qualified_day, won_day, is_junk, is_won,
                                    revenue, is_primary)
     select c.workspace_id, c.model, c.lead_id, c.position, c.credit, c.channel, c.source, c.medium, c.campaign, c.content,
            f.region, f.manager, f.product, f.temperature, f.created_day, (f.qualified_at at time zone $2)::date,
            case when f.outcome = 'won' then (coalesce(f.closed_at, f.created_at) at time zone $2)::date end,
            f.outcome = 'junk', f.outcome = 'won',
            case when f.outcome = 'won' then coalesce(f.amount, 0) * c.credit::numeric end,
            c.is_primary
       from (${primaryTouchSql(`c.model = any($3::text[]) ${inSet('c.lead_id', leadsTable, 'lead_id')}`)}) c
       join lead_facts f on f.workspace_id = c.workspace_id and f.lead_id = c.lead_id
      order by c.model, f.created_day`,
    [ws.id, ws.time_zone, [...HEURISTIC_MODELS]],
  );
}

/** The model whose primary touch lead_facts and lead_stage_steps carry: the default one (DEFAULT_MODEL). */
export const PRIMARY_TOUCH_MODEL: HeuristicModel = 'last_non_direct';

/**
 * Credit rows of the workspace ($1) that `where` keeps (alias c), each with
 * is_primary: the lead's primary touch under the row's model (the channel
 * with the largest summed credit rounded to 9 decimals, ties to the latest
 * touch, and that channel's latest touch).
 */
function primaryTouchSql(where: string): string {
  return `select c.*, row_number() over (partition by c.model, c.lead_id order by c.channel_credit desc, c.position desc) = 1 as is_primary
      from (select c.*, round((sum(c.credit) over (partition by c.model, c.lead_id, c.channel))::numeric, 9) as channel_credit
              from lead_credits c
             where c.workspace_id = $1 and ${where}) c`;
}

async function insertCallFacts(client: Queryable, ws: Workspace, callsTable: string | null): Promise<void> {
  await client.query(
    `insert into call_facts (workspace_id, call_id, started_at, day, caller_phone, status, duration_sec, region, manager,
                             prev_started_at, channel, source, medium, campaign, static_number, static_valid_from, leads)
     with c as (
       select c.*, lag(c.started_at) over (partition by c.caller_phone order by c.started_at, c.call_id) as prev_started_at
         from calls c
        where c.workspace_id = $1
          ${callsTable ? `and c.caller_phone in (select caller_phone from calls where workspace_id = $1 and call_id in (select call_id from ${callsTable}))` : ''}
     ),
     ld as (
       select l.call_id, count(*)::int as n,
              (array_agg(l.manager order by l.created_at, l.lead_id) filter (where l.manager <> ''))[1] as manager
         from leads l
        where l.workspace_id = $1 and l.call_id is not null ${inSet('l.call_id', callsTable, 'call_id')}
        group by l.call_id
     )
     select $1, c.call_id, c.started_at, (c.started_at at time zone $2)::date, c.caller_phone, c.status, c.duration_sec, c.region,
            coalesce(nullif(c.manager, ''), ld.manager, ''), c.prev_started_at,
            case when tn.number is not null then tn.channel when s.session_id is not null then s.channel else $3 end,
            case when tn.number is not null then tn.source when s.session_id is not null then s.source else '' end,
            case when tn.number is not null then tn.medium when s.session_id is not null then s.medium else '' end,
            case when tn.number is not null then tn.campaign when s.session_id is not null then s.campaign else '' end,
            tn.number, tn.valid_from, coalesce(ld.n, 0)
       from c
       left join lateral (
         select t.number, t.valid_from, t.source, t.medium, t.campaign, coalesce(t.channel, $3) as channel
           from tracking_numbers t
          where t.workspace_id = $1 and t.number = c.tracking_number and t.kind = 'static'
            and (c.started_at at time zone $2)::date between t.valid_from and t.valid_to
          order by t.valid_from desc
          limit 1
       ) tn on true
       left join sessions s on s.workspace_id = $1 and s.session_id = c.session_id
       left join ld on ld.call_id = c.call_id
      where true ${inSet('c.call_id', callsTable, 'call_id')}`,
    [ws.id, ws.time_zone, UNKNOWN_CHANNEL],
  );
}
