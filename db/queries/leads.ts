import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Coverage, LeadKind, LeadOutcome, Temperature, Workspace } from '../schema';
import type { AttributionModelName, Filters } from '../../app/reports/params';
import type {
  LeadTimelineCall,
  TouchKind,
  LeadTimelineLead,
  LeadTimelineRaw,
  LeadTimelineSession,
  LeadTimelineStage,
} from '../../app/reports/lead-timeline';
import { hasTouchFilter, leadFilterPredicate, primaryTouchJoin } from './funnel';
import { col, inRange } from './report-sql';

// The Leads page: one lead list query (search, filters, sorting and paging
// in SQL, with the totals of the whole filtered list in the same round trip)
// and the raw rows of one lead's timeline. Everything is workspace scoped;
// `scope` narrows both to what the asking role may see.
//
// - A lead's channel is its primary touch under the model (the funnel's
//   definition, primaryTouchJoin: the channel with the largest credit, ties to
//   the latest touch), so `channel=x` here lists exactly the leads the funnel
//   counts for x.
// - Contacts (phone, email) leave the database only where `scope` allows:
//   every lead for roles that may see all leads, else the manager's own.

export const LEAD_SORTS = ['created_at', 'lead_id', 'channel', 'stage', 'outcome', 'amount', 'manager', 'region', 'touches', 'closed_at'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** Who asks: which contacts they may read (and search), and whose leads they may open. */
export interface LeadScope {
  /** Phones and emails of every lead ('leads:view_all'). */
  allContacts: boolean;
  /** A sales manager: only leads with this manager (and their contacts). */
  manager: string | null;
}

export interface LeadListParams {
  from: string;
  to: string;
  model: AttributionModelName;
  filters: Filters;
  /** Free text: lead id, customer id, manager, campaign of the primary touch; phone and email where visible. */
  search: string;
  outcomes: LeadOutcome[];
  stages: string[];
  kinds: LeadKind[];
  sort: LeadSort;
  dir: SortDirection;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface LeadListRow {
  leadId: string;
  createdAt: Date;
  kind: LeadKind;
  channel: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  path: string;
  touches: number;
  coverage: Coverage;
  region: string;
  manager: string;
  product: string;
  temperature: Temperature | null;
  stage: string;
  outcome: LeadOutcome;
  amount: string | null;
  closedAt: Date | null;
  /** Null when the asker may not see it (or it is not known). */
  phone: string | null;
  email: string | null;
}

export interface LeadList {
  rows: LeadListRow[];
  /** Leads matching the filters and the search, over all pages. */
  total: number;
  byOutcome: Record<LeadOutcome, number>;
  /** Exact sum of the amounts of the won leads matching. */
  wonRevenue: string;
}

/** Sort expressions over the scope `s`; identifiers only from this map. */
function sortExpression(sort: LeadSort): RawBuilder<unknown> {
  switch (sort) {
    case 'created_at':
      return sql`s.created_at`;
    case 'lead_id':
      return sql`s.lead_id`;
    case 'channel':
      return sql`s.channel`;
    case 'stage':
      return sql`s.stage_position`;
    case 'outcome':
      return sql`s.outcome`;
    case 'amount':
      return sql`s.amount`;
    case 'manager':
      return sql`s.manager`;
    case 'region':
      return sql`s.region`;
    case 'touches':
      return sql`s.touch_count`;
    case 'closed_at':
      return sql`s.closed_at`;
  }
}

function orderBy(p: Pick<LeadListParams, 'sort' | 'dir'>): RawBuilder<unknown> {
  const dir = p.dir === 'asc' ? sql`asc` : sql`desc`;
  // Empty values last whichever the direction; the lead id makes the order total, so pages never overlap.
  return sql`${sortExpression(p.sort)} ${dir} nulls last, s.lead_id ${dir}`;
}

/** The contacts the scope may read, as a predicate over the lead `l`. */
function contactsVisible(scope: LeadScope): RawBuilder<boolean> {
  if (scope.allContacts) return sql<boolean>`true`;
  if (scope.manager !== null) return sql<boolean>`(l.manager = ${scope.manager})`;
  return sql<boolean>`false`;
}

function ownLeads(scope: LeadScope): RawBuilder<boolean> {
  return scope.manager === null ? sql<boolean>`true` : sql<boolean>`(l.manager = ${scope.manager})`;
}

/**
 * Search: every word must occur (case-insensitive) in the lead id, customer
 * id, manager, product, region or the primary touch's source and campaign;
 * a word of digits also matches the phone's digits, and any word the email,
 * where the contacts are visible.
 */
function searchPredicate(search: string, scope: LeadScope, hasTouch: boolean): RawBuilder<boolean> {
  const words = search.toLowerCase().split(/\s+/).filter((w) => w !== '').slice(0, 8);
  if (words.length === 0) return sql<boolean>`true`;
  const visible = contactsVisible(scope);
  const parts = words.map((word) => {
    const digits = word.replace(/\D/g, '');
    const text = sql`lower(concat_ws(' ', l.lead_id, l.customer_id, l.manager, l.product, l.region${hasTouch ? sql`, pc.source, pc.campaign` : sql``}))`;
    const contact =
      digits.length >= 3
        ? sql`(${visible} and (strpos(regexp_replace(coalesce(l.phone, ''), '\\D', '', 'g'), ${digits}) > 0 or strpos(coalesce(l.email, ''), ${word}) > 0))`
        : sql`(${visible} and strpos(coalesce(l.email, ''), ${word}) > 0)`;
    return sql<boolean>`(strpos(${text}, ${word}) > 0 or ${contact})`;
  });
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

function anyOf(column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<boolean> {
  return values.length === 0 ? sql<boolean>`true` : sql<boolean>`${column} = any(${[...values]}::text[])`;
}

interface LeadListDbRow {
  total: number;
  open: number;
  won: number;
  lost: number;
  junk: number;
  won_revenue: string;
  lead_id: string | null;
  created_at: Date;
  kind: LeadKind;
  channel: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  path: string;
  touch_count: number;
  coverage: Coverage;
  region: string;
  manager: string;
  product: string;
  temperature: Temperature | null;
  stage: string;
  outcome: LeadOutcome;
  amount: string | null;
  closed_at: Date | null;
  phone: string | null;
  email: string | null;
}

/**
 * One page of the leads created in the range that pass the dashboard filters
 * (touch filters on the primary touch, the others on the lead), the search
 * and the outcome, stage and kind filters, sorted; with the count, outcomes
 * and won revenue of all matching leads. One statement: the totals row
 * always comes back, the page's leads (if any) joined to it. The primary
 * touch is looked up for the page only, unless a filter, the search or the
 * sort needs it for every lead.
 */
export async function getLeadList(db: Db, ws: Workspace, p: LeadListParams, scope: LeadScope): Promise<LeadList> {
  const needsTouchEverywhere = hasTouchFilter(p.filters) || p.sort === 'channel' || p.search.trim() !== '';
  const touchColumns = (alias: string) => sql`${col(`${alias}.channel`)} as channel, ${col(`${alias}.source`)} as source,
           ${col(`${alias}.medium`)} as medium, ${col(`${alias}.campaign`)} as campaign`;
  const offset = (Math.max(1, p.page) - 1) * p.pageSize;

  // The scope carries only what the totals and the sort read; the page's few leads get their
  // other columns (path, contacts, …) joined at the end.
  const query = sql<LeadListDbRow>`
    with scope as materialized (
      select l.lead_id, l.created_at, l.region, l.manager, l.outcome, l.amount, l.closed_at, j.touch_count,
             ps.position as stage_position
             ${needsTouchEverywhere ? sql`, ${touchColumns('pc')}` : sql``}
        from leads l
        join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
        left join pipeline_stages ps on ps.workspace_id = l.workspace_id and ps.name = l.stage
        ${needsTouchEverywhere ? primaryTouchJoin(ws, p.model, p) : sql``}
       where l.workspace_id = ${ws.id}
         and ${inRange(col('l.created_at'), ws, p.from, p.to)}
         and ${ownLeads(scope)}
         and ${leadFilterPredicate(p.filters)}
         and ${searchPredicate(p.search, scope, needsTouchEverywhere)}
         and ${anyOf(col('l.outcome'), p.outcomes)}
         and ${anyOf(col('l.stage'), p.stages)}
         and ${anyOf(col('l.kind'), p.kinds)}
    ),
    totals as (
      select count(*)::int as total,
             count(*) filter (where outcome = 'open')::int as open,
             count(*) filter (where outcome = 'won')::int as won,
             count(*) filter (where outcome = 'lost')::int as lost,
             count(*) filter (where outcome = 'junk')::int as junk,
             coalesce(sum(amount) filter (where outcome = 'won'), 0)::text as won_revenue
        from scope
    ),
    page as (
      select s.* from scope s order by ${orderBy(p)} limit ${p.pageSize} offset ${offset}
    )
    select t.*, s.lead_id, s.created_at, l.kind, j.path, s.touch_count, j.coverage, s.region, s.manager, l.product,
           l.temperature, l.stage, s.outcome, s.amount::text as amount, s.closed_at,
           case when ${contactsVisible(scope)} then l.phone end as phone,
           case when ${contactsVisible(scope)} then l.email end as email,
           ${needsTouchEverywhere ? touchColumns('s') : touchColumns('pc')}
      from totals t
      left join page s on true
      left join leads l on l.workspace_id = ${ws.id} and l.lead_id = s.lead_id
      left join lead_journeys j on j.workspace_id = ${ws.id} and j.lead_id = s.lead_id
      ${needsTouchEverywhere ? sql`` : sql`left join lateral (${primaryTouchOf(ws, p.model)}) pc on true`}
     order by ${orderBy(p)}`;

  const { rows } = await query.execute(db);
  const head = rows[0];
  if (!head) throw new Error('the lead list query returned no totals row');
  return {
    total: head.total,
    byOutcome: { open: head.open, won: head.won, lost: head.lost, junk: head.junk },
    wonRevenue: head.won_revenue,
    rows: rows
      .filter((r) => r.lead_id !== null)
      .map((r) => ({
        leadId: r.lead_id!,
        createdAt: r.created_at,
        kind: r.kind,
        channel: r.channel,
        source: r.source,
        medium: r.medium,
        campaign: r.campaign,
        path: r.path,
        touches: r.touch_count,
        coverage: r.coverage,
        region: r.region,
        manager: r.manager,
        product: r.product,
        temperature: r.temperature,
        stage: r.stage,
        outcome: r.outcome,
        amount: r.amount,
        closedAt: r.closed_at,
        phone: r.phone,
        email: r.email,
      })),
  };
}

/** primaryTouchJoin's lookup for the page's lead `s` (it expects the lead as `l`). */
function primaryTouchOf(ws: Workspace, model: AttributionModelName): RawBuilder<unknown> {
  return sql`select pc.channel, pc.source, pc.medium, pc.campaign from (select s.lead_id) l ${primaryTouchJoin(ws, model)}`;
}

/** The workspace's pipeline, in order (the stage filter's options). */
export async function getPipelineStages(db: Db, ws: Pick<Workspace, 'id'>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from pipeline_stages where workspace_id = ${ws.id} order by position`.execute(db);
  return rows.map((r) => r.name);
}

// ---------- One lead ----------

/** At most this many sessions and calls are listed on a lead's page (the newest are dropped). */
export const TIMELINE_ROW_LIMIT = 200;

interface LeadDbRow {
  lead_id: string;
  created_at: Date;
  kind: LeadKind;
  session_id: string | null;
  visitor_id: string | null;
  call_id: string | null;
  phone: string | null;
  email: string | null;
  contacts_visible: boolean;
  /** Finds the calls from the lead's phone; never leaves this function. */
  match_phone: string | null;
  source: string;
  medium: string;
  campaign: string;
  explicit_channel: string | null;
  region: string;
  manager: string;
  product: string;
  customer_id: string | null;
  temperature: Temperature | null;
  stage: string;
  outcome: LeadOutcome;
  loss_reason: string | null;
  amount: string | null;
  closed_at: Date | null;
  journey_visitor_id: string | null;
  touch_count: number | null;
  first_touch_at: Date | null;
  path: string | null;
  coverage: Coverage | null;
}

/**
 * The raw rows of one lead's timeline (app/reports/lead-timeline.ts builds
 * it), or null when the workspace has no such lead or the scope may not see
 * it (the route answers 404 either way, so a manager cannot tell another
 * manager's lead exists).
 *
 * - sessions: the stitched visitor's sessions from `lookback_days` before the
 *   lead on (the touches among them, and the visits after it), oldest first;
 * - calls: the lead's own call and the calls from its phone in the same window;
 * - stages: the stage history; credits: every stored model's per-touch credits
 *   (lead_credits; Markov's from its path, db/analytics/markov-credits.ts,
 *   once ensureMarkovCredits has run);
 * - touches: lead_touches, in position order.
 */
export async function getLeadTimelineRows(db: Db, ws: Workspace, leadId: string, scope: LeadScope): Promise<LeadTimelineRaw | null> {
  const leadResult = await sql<LeadDbRow>`
    select l.lead_id, l.created_at, l.kind, l.session_id, l.visitor_id, l.call_id,
           case when ${contactsVisible(scope)} then l.phone end as phone,
           case when ${contactsVisible(scope)} then l.email end as email,
           ${contactsVisible(scope)} as contacts_visible, l.phone as match_phone,
           l.source, l.medium, l.campaign, l.channel as explicit_channel, l.region, l.manager, l.product, l.customer_id,
           l.temperature, l.stage, l.outcome, l.loss_reason, l.amount::text as amount, l.closed_at,
           j.visitor_id as journey_visitor_id, j.touch_count, j.first_touch_at, j.path, j.coverage
      from leads l
      left join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
     where l.workspace_id = ${ws.id} and l.lead_id = ${leadId} and ${ownLeads(scope)}`.execute(db);
  const l = leadResult.rows[0];
  if (!l) return null;

  // The window: lookback_days before the lead (the stitching window), open-ended after it.
  const windowStart = sql`(${l.created_at}::timestamptz - make_interval(days => ${ws.lookback_days}))`;
  const visitor = l.journey_visitor_id;

  const [touches, sessions, calls, stages, credits, pipeline] = await Promise.all([
    sql<{ position: number; kind: TouchKind; touched_at: Date; channel: string; source: string; medium: string; campaign: string; content: string; session_id: string | null; call_id: string | null }>`
      select position, kind, touched_at, channel, source, medium, campaign, content, session_id, call_id
        from lead_touches where workspace_id = ${ws.id} and lead_id = ${leadId} order by position`.execute(db),
    visitor === null
      ? Promise.resolve({ rows: [] as SessionDbRow[] })
      : sql<SessionDbRow>`
          select session_id, started_at, channel, source, medium, campaign, content, term, landing_page, referrer,
                 region, device, pageviews
            from sessions
           where workspace_id = ${ws.id} and visitor_id = ${visitor} and started_at >= ${windowStart}
           order by started_at, session_id
           limit ${TIMELINE_ROW_LIMIT}`.execute(db),
    sql<CallDbRow>`
      select call_id, started_at, caller_phone, tracking_number, session_id, duration_sec, status, manager, region
        from calls
       where workspace_id = ${ws.id}
         and (call_id = ${l.call_id} or (${l.match_phone}::text is not null and caller_phone = ${l.match_phone} and started_at >= ${windowStart}))
       order by started_at, call_id
       limit ${TIMELINE_ROW_LIMIT}`.execute(db),
    sql<{ stage: string; entered_at: Date; manager: string; position: number | null }>`
      select s.stage, s.entered_at, s.manager, p.position
        from lead_stages s
        left join pipeline_stages p on p.workspace_id = s.workspace_id and p.name = s.stage
       where s.workspace_id = ${ws.id} and s.lead_id = ${leadId}
       order by s.entered_at, p.position nulls last, s.stage`.execute(db),
    sql<{ model: string; position: number; channel: string; source: string; medium: string; campaign: string; credit: number }>`
      select model, position, channel, source, medium, campaign, credit
        from lead_credits where workspace_id = ${ws.id} and lead_id = ${leadId}
      union all
      select 'markov', c.position, c.channel, c.source, c.medium, c.campaign, m.credits[c.position]
        from lead_credit_facts c
        join markov_path_credits m on m.workspace_id = c.workspace_id and m.path_id = c.markov_path_id
       where c.workspace_id = ${ws.id} and c.model = 'markov' and c.lead_id = ${leadId}
       order by model, position`.execute(db),
    getPipelineStages(db, ws),
  ]);

  const lead: LeadTimelineLead = {
    leadId: l.lead_id,
    createdAt: l.created_at,
    kind: l.kind,
    sessionId: l.session_id,
    visitorId: visitor ?? l.visitor_id,
    callId: l.call_id,
    phone: l.phone,
    email: l.email,
    contactsVisible: l.contacts_visible,
    source: l.source,
    medium: l.medium,
    campaign: l.campaign,
    explicitChannel: l.explicit_channel,
    region: l.region,
    manager: l.manager,
    product: l.product,
    customerId: l.customer_id,
    temperature: l.temperature,
    stage: l.stage,
    outcome: l.outcome,
    lossReason: l.loss_reason,
    amount: l.amount,
    closedAt: l.closed_at,
    touchCount: l.touch_count ?? 0,
    firstTouchAt: l.first_touch_at,
    path: l.path,
    coverage: l.coverage,
  };
  return {
    lead,
    pipeline,
    lookbackDays: ws.lookback_days,
    touches: touches.rows.map((t) => ({
      position: t.position,
      kind: t.kind,
      touchedAt: t.touched_at,
      channel: t.channel,
      source: t.source,
      medium: t.medium,
      campaign: t.campaign,
      content: t.content,
      sessionId: t.session_id,
      callId: t.call_id,
    })),
    sessions: sessions.rows.map(
      (s): LeadTimelineSession => ({
        sessionId: s.session_id,
        startedAt: s.started_at,
        channel: s.channel,
        source: s.source,
        medium: s.medium,
        campaign: s.campaign,
        content: s.content,
        term: s.term,
        landingPage: s.landing_page,
        referrer: s.referrer,
        region: s.region,
        device: s.device,
        pageviews: s.pageviews,
      }),
    ),
    calls: calls.rows.map(
      (c): LeadTimelineCall => ({
        callId: c.call_id,
        startedAt: c.started_at,
        callerPhone: l.contacts_visible ? c.caller_phone : null,
        trackingNumber: c.tracking_number,
        sessionId: c.session_id,
        durationSec: c.duration_sec,
        status: c.status,
        manager: c.manager,
        region: c.region,
      }),
    ),
    stages: stages.rows.map((s): LeadTimelineStage => ({ stage: s.stage, enteredAt: s.entered_at, manager: s.manager, position: s.position })),
    credits: credits.rows.map((c) => ({
      model: c.model,
      position: c.position,
      channel: c.channel,
      source: c.source,
      medium: c.medium,
      campaign: c.campaign,
      credit: c.credit,
    })),
  };
}

interface SessionDbRow {
  session_id: string;
  started_at: Date;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
  landing_page: string | null;
  referrer: string | null;
  region: string;
  device: string;
  pageviews: number | null;
}

interface CallDbRow {
  call_id: string;
  started_at: Date;
  caller_phone: string;
  tracking_number: string;
  session_id: string | null;
  duration_sec: number | null;
  status: 'answered' | 'missed';
  manager: string;
  region: string;
}
