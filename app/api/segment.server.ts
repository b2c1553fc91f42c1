import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { getPipelineStages } from '../../db/queries/workspaces';
import { refreshDailyTraffic } from '../../db/analytics/rollups';
import type { Db } from '../../db/client';
import type { Workspace } from '../../db/schema';
import { email as emailParser, phone as phoneParser, type ParseContext } from '../import/fields';
import { jsonBytes, MAX_EVENT_BYTES } from './body.server';
import { ApiError, fieldPath, MAX_DETAILS, type ApiProblem } from './errors';
import { LEAD_CREATED, leadCreatedPropertiesSchema, segmentBatchSchema, segmentEventSchema, type SegmentEvent } from './schemas';
import { API_SESSION_PREFIX, computeSessions, trafficSourceOf, type DerivedSession } from './sessionize';
import { importRows, withApiTransaction, type ApiTx, type RowOrigin } from './write.server';

// POST /api/v1/batch, /track, /page, /identify: Segment events in. Every
// event is validated first (a bad one fails the request, naming its path);
// then, in one transaction, new events are stored once per messageId, the
// sessions of every visitor with a new page event are derived again from all
// of that visitor's stored page events (app/api/sessionize.ts) and only the
// sessions that differ are written (through the sessions import; sessions a
// late event merged away are deleted), and each new `Lead Created` event makes
// a lead unless its lead id exists already. A replayed batch finds nothing
// new and writes nothing.

export type SegmentEndpoint = 'batch' | 'track' | 'page' | 'identify';

export interface SegmentResult {
  success: true;
  accepted: number;
  duplicates: number;
  ignored: number;
  sessions: { written: number; removed: number };
  leads: number;
}

interface EventRow {
  message_id: string;
  type: 'page' | 'track' | 'identify';
  event: string | null;
  visitor_id: string;
  anonymous_id: string | null;
  user_id: string | null;
  occurred_at: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  url: string | null;
  referrer: string | null;
  email: string | null;
  phone: string | null;
  payload: string;
}

interface LeadCandidate {
  messageId: string;
  leadId: string;
  cells: Record<string, string | null | undefined>;
  origin: RowOrigin;
}

/**
 * In JSON.stringify's output, \u0000 and an escaped surrogate (it escapes only unpaired ones) are
 * what PostgreSQL's jsonb refuses; an even run of backslashes before them is an escaped backslash.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

const SESSION_COLUMNS = ['session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'content', 'term', 'landing_page', 'referrer', 'pageviews'];
const LEAD_COLUMNS = ['lead_id', 'created_at', 'kind', 'visitor_id', 'phone', 'email', 'region', 'manager', 'product', 'customer_id', 'temperature', 'stage', 'outcome', 'amount'];

export async function ingestSegment(db: Db, workspace: Workspace, tokenId: number, endpoint: SegmentEndpoint, body: unknown, now = new Date()): Promise<SegmentResult> {
  const items = envelope(endpoint, body);
  const stages = await getPipelineStages(db, workspace.id);
  const ctx: ParseContext = { phoneCountry: workspace.phone_country, currency: workspace.currency, stages, channels: [] };
  const problems: ApiProblem[] = [];
  const rows: EventRow[] = [];
  const leads: LeadCandidate[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  for (const item of items) {
    if (jsonBytes(item.raw) > MAX_EVENT_BYTES) {
      throw new ApiError(413, 'event_too_large', `${item.prefix || 'the event'} is larger than ${MAX_EVENT_BYTES / 1024} KB`, item.prefix || undefined);
    }
    if (UNSTORABLE_ESCAPE.test(JSON.stringify(item.raw))) {
      problems.push({ field: item.prefix || undefined, message: 'contains a NUL character or an unpaired UTF-16 surrogate (\\u0000, \\ud800…), which cannot be stored' });
      continue;
    }
    const parsed = segmentEventSchema.safeParse(item.raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ field: fieldPath(item.prefix, issue.path), message: issue.message });
      continue;
    }
    const e = parsed.data;
    if (e.type !== 'page' && e.type !== 'track' && e.type !== 'identify') {
      ignored++;
      continue;
    }
    const row = eventRow(e, item.raw, item.sentAt ?? null, now, ctx, item.prefix, problems);
    if (!row || seen.has(row.message_id)) continue;
    seen.add(row.message_id);
    rows.push(row);
    if (e.type === 'track' && e.event === LEAD_CREATED) leads.push(leadCandidate(e, row, stages[0] ?? 'new', item.prefix));
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ApiError(400, 'invalid_payload', `${first.field || 'body'}: ${first.message}`, first.field || undefined, problems.slice(0, MAX_DETAILS));
  }

  return withApiTransaction(db, workspace, `api:${tokenId}`, async (tx) => {
    const fresh = await storeEvents(tx, rows, tokenId);
    const visitors = [...new Set(rows.filter((r) => r.type === 'page' && fresh.has(r.message_id)).map((r) => r.visitor_id))];
    const sessions = await deriveSessions(tx, visitors, `api-${endpoint}-sessions.csv`);
    const newLeads = await createLeads(tx, leads.filter((l) => fresh.has(l.messageId)), `api-${endpoint}-leads.csv`);
    return { success: true, accepted: fresh.size, duplicates: rows.length - fresh.size, ignored, sessions, leads: newLeads };
  });
}

interface EnvelopeItem {
  raw: unknown;
  prefix: string;
  sentAt?: string | null;
}

function envelope(endpoint: SegmentEndpoint, body: unknown): EnvelopeItem[] {
  if (endpoint === 'batch') {
    const parsed = segmentBatchSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = fieldPath('', issue.path) || 'batch';
      throw new ApiError(400, 'invalid_payload', `${field}: ${issue.message}`, field);
    }
    return parsed.data.batch.map((raw, i) => ({ raw, prefix: `batch[${i}]`, sentAt: parsed.data.sentAt }));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_payload', `the body must be one ${endpoint} event (a JSON object)`);
  }
  const event = body as Record<string, unknown>;
  if (event.type !== undefined && event.type !== endpoint) {
    throw new ApiError(400, 'invalid_payload', `type: "${String(event.type)}" sent to /api/v1/${endpoint}`, 'type');
  }
  return [{ raw: { ...event, type: endpoint }, prefix: '', sentAt: typeof event.sentAt === 'string' ? event.sentAt : null }];
}

function eventRow(e: SegmentEvent, raw: unknown, sentAt: string | null, now: Date, ctx: ParseContext, prefix: string, problems: ApiProblem[]): EventRow | null {
  const visitor = e.anonymousId ?? e.userId!;
  // Without a messageId (a hand-written request), the event's content stands in, so a resend is still one event.
  const messageId = e.messageId ?? `h-${createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 40)}`;
  const occurredAt = e.timestamp ?? e.originalTimestamp ?? sentAt ?? now.toISOString();
  const row: EventRow = {
    message_id: messageId,
    type: e.type as EventRow['type'],
    event: e.type === 'track' ? e.event : e.type === 'page' ? (e.name ?? null) : null,
    visitor_id: visitor,
    anonymous_id: e.anonymousId ?? null,
    user_id: e.userId ?? null,
    occurred_at: occurredAt,
    source: null,
    medium: null,
    campaign: null,
    content: null,
    term: null,
    url: null,
    referrer: null,
    email: null,
    phone: null,
    payload: JSON.stringify(withoutWriteKey(raw)),
  };
  if (e.type === 'page') {
    const url = e.properties?.url ?? e.context?.page?.url ?? null;
    const referrer = e.properties?.referrer ?? e.context?.page?.referrer ?? null;
    const search = e.properties?.search ?? e.context?.page?.search ?? null;
    const source = trafficSourceOf({ campaign: e.context?.campaign, url, search, referrer });
    Object.assign(row, { url: url?.trim() || null, referrer: referrer?.trim() || null });
    if (source) Object.assign(row, source);
  }
  if (e.type === 'identify') {
    const traits = { ...(e.context?.traits ?? {}), ...(e.traits ?? {}) };
    const path = e.traits ? 'traits' : 'context.traits';
    if (traits.email) {
      const r = emailParser()(traits.email, ctx);
      if (r.ok) row.email = r.value;
      else problems.push({ field: fieldPath(prefix, [path, 'email']), message: r.reason });
    }
    if (traits.phone) {
      const r = phoneParser()(traits.phone, ctx);
      if (r.ok) row.phone = r.value;
      else problems.push({ field: fieldPath(prefix, [path, 'phone']), message: r.reason });
    }
  }
  return row;
}

/** The event as stored: without the writeKey analytics.js copies into it (a token is never stored in clear). */
function withoutWriteKey(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('writeKey' in raw)) return raw;
  const { writeKey: _secret, ...rest } = raw as Record<string, unknown>;
  return rest;
}

function leadCandidate(e: SegmentEvent, row: EventRow, firstStage: string, prefix: string): LeadCandidate {
  const props = leadCreatedPropertiesSchema.parse((e as { properties?: unknown }).properties ?? {});
  const traits = e.context?.traits ?? {};
  const leadId = props.lead_id ?? row.message_id;
  const p = (name: string) => fieldPath(prefix, ['properties', name]);
  return {
    messageId: row.message_id,
    leadId,
    cells: {
      lead_id: leadId,
      created_at: row.occurred_at,
      kind: props.kind ?? 'form',
      visitor_id: row.visitor_id,
      phone: props.phone ?? traits.phone ?? null,
      email: props.email ?? traits.email ?? null,
      region: props.region,
      manager: props.manager,
      product: props.product,
      customer_id: props.customer_id,
      temperature: props.temperature,
      stage: props.stage ?? firstStage,
      outcome: props.outcome ?? 'open',
      amount: props.amount,
    },
    origin: {
      prefix,
      fields: {
        lead_id: props.lead_id ? p('lead_id') : fieldPath(prefix, ['messageId']),
        created_at: fieldPath(prefix, ['timestamp']),
        visitor_id: fieldPath(prefix, [e.anonymousId ? 'anonymousId' : 'userId']),
        phone: props.phone ? p('phone') : fieldPath(prefix, ['context', 'traits', 'phone']),
        email: props.email ? p('email') : fieldPath(prefix, ['context', 'traits', 'email']),
        ...Object.fromEntries(['kind', 'region', 'manager', 'product', 'customer_id', 'temperature', 'stage', 'outcome', 'amount'].map((c) => [c, p(c)])),
      },
    },
  };
}

/** Inserts the events not stored yet; returns their messageIds. */
async function storeEvents(tx: ApiTx, rows: EventRow[], tokenId: number): Promise<Set<string>> {
  const fresh = new Set<string>();
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await tx.db
      .insertInto('api_events')
      .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, workspace_id: tx.workspace.id, token_id: tokenId })))
      .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
      .returning('message_id')
      .execute();
    for (const r of inserted) fresh.add(r.message_id);
  }
  return fresh;
}

/** Sessions of the visitors derived again from all their stored page events; only differences are written. */
async function deriveSessions(tx: ApiTx, visitors: string[], fileName: string): Promise<{ written: number; removed: number }> {
  if (visitors.length === 0) return { written: 0, removed: 0 };
  const ws = tx.workspace;
  const events = await tx.db
    .selectFrom('api_events')
    .select(['visitor_id', 'message_id', 'occurred_at', 'source', 'medium', 'campaign', 'content', 'term', 'url', 'referrer'])
    .where('workspace_id', '=', ws.id)
    .where('type', '=', 'page')
    .where('visitor_id', 'in', visitors)
    .execute();
  const byVisitor = new Map<string, typeof events>();
  for (const e of events) byVisitor.set(e.visitor_id, [...(byVisitor.get(e.visitor_id) ?? []), e]);
  const derived: DerivedSession[] = [];
  for (const [visitor, list] of byVisitor) {
    derived.push(...computeSessions(visitor, list.map((e) => ({
      messageId: e.message_id,
      at: e.occurred_at,
      source: e.source === null ? null : { source: e.source, medium: e.medium ?? '', campaign: e.campaign ?? '', content: e.content ?? '', term: e.term ?? '' },
      url: e.url,
      referrer: e.referrer,
    }))));
  }
  const existing = await tx.db
    .selectFrom('sessions')
    .select(['session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'content', 'term', 'landing_page', 'referrer', 'pageviews'])
    .where('workspace_id', '=', ws.id)
    .where('visitor_id', 'in', visitors)
    .where('session_id', 'like', `${API_SESSION_PREFIX}%`)
    .execute();
  const stored = new Map(existing.map((s) => [s.session_id, s]));
  const changed = derived.filter((d) => {
    const s = stored.get(d.session_id);
    return !s || s.started_at.getTime() !== d.started_at.getTime() || s.source !== d.source || s.medium !== d.medium || s.campaign !== d.campaign
      || s.content !== d.content || s.term !== d.term || s.landing_page !== d.landing_page || s.referrer !== d.referrer || s.pageviews !== d.pageviews;
  });
  const keep = new Set(derived.map((d) => d.session_id));
  const obsolete = existing.filter((s) => !keep.has(s.session_id)).map((s) => s.session_id);

  // Sessions a late event merged into an earlier one go first; the visitor's
  // journey and leads are refreshed by the import of the merged session
  // (which always changes: it gained page views), their days' traffic below.
  let removedDays: string[] = [];
  if (obsolete.length > 0) {
    const removed = await sql<{ day: string }>`
      delete from sessions where workspace_id = ${ws.id} and session_id = any(${obsolete}::text[])
      returning (started_at at time zone ${ws.time_zone})::date::text as day`.execute(tx.db);
    removedDays = [...new Set(removed.rows.map((r) => r.day))];
  }
  await importRows(
    tx,
    'sessions',
    SESSION_COLUMNS,
    changed.map(({ events: sessionEvents, ...d }) => ({
      cells: { ...d, started_at: d.started_at.toISOString(), pageviews: String(d.pageviews) },
      origin: { prefix: `the session of event ${sessionEvents[0]}` },
    })),
    fileName,
  );
  if (removedDays.length > 0) {
    await tx.client.query('create temporary table api_removed_days (day date primary key)');
    await tx.client.query('insert into api_removed_days select unnest($1::date[])', [removedDays]);
    await refreshDailyTraffic(tx.client, ws, 'api_removed_days');
    await tx.client.query('drop table api_removed_days');
  }
  return { written: changed.length, removed: obsolete.length };
}

/** Leads of new `Lead Created` events whose lead id is not in the workspace yet (the CRM may own it by now). */
async function createLeads(tx: ApiTx, candidates: LeadCandidate[], fileName: string): Promise<number> {
  if (candidates.length === 0) return 0;
  const ids = [...new Set(candidates.map((c) => c.leadId))];
  const existing = new Set(
    (await tx.db.selectFrom('leads').select('lead_id').where('workspace_id', '=', tx.workspace.id).where('lead_id', 'in', ids).execute()).map((r) => r.lead_id),
  );
  const taken = new Set<string>();
  const rows = candidates.filter((c) => {
    if (existing.has(c.leadId) || taken.has(c.leadId)) return false;
    taken.add(c.leadId);
    return true;
  });
  const counts = await importRows(tx, 'leads', LEAD_COLUMNS, rows, fileName);
  return counts.inserted;
}
