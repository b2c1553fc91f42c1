import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { Lead, Workspace } from '../../db/schema';
import { getPipelineStages } from '../../db/queries/workspaces';
import { normalizePhone } from '../domain/phone';
import { ApiError, fieldPath, MAX_DETAILS, type ApiProblem } from './errors';
import { callSchema, leadUpdateSchema, MAX_WEBHOOK_ITEMS, type LeadUpdate } from './schemas';
import { importRows, withApiTransaction, type ApiTx, type RowOrigin } from './write.server';

// POST /api/v1/calls (call tracking) and /api/v1/leads (CRM): one object or
// an array. Both write through the calls / leads / lead_stages imports keyed
// by their ids, so a resent webhook updates nothing. A CRM lead update names
// only what changed: the stored lead is read and the update laid over it (a
// null clears a field); `stages` appends stage changes to its history.

const CALL_COLUMNS = ['call_id', 'started_at', 'caller_phone', 'tracking_number', 'session_id', 'duration_sec', 'status', 'manager', 'region'];
const LEAD_COLUMNS = [
  'lead_id', 'created_at', 'kind', 'session_id', 'visitor_id', 'call_id', 'phone', 'email', 'source', 'medium', 'campaign', 'region',
  'manager', 'product', 'customer_id', 'temperature', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at',
] as const;
const STAGE_COLUMNS = ['lead_id', 'stage', 'entered_at', 'manager'];

type LeadColumn = (typeof LEAD_COLUMNS)[number];

/** Each item of a one-or-many body validated on its own, every problem named by its path. */
function parseItems<T extends z.ZodType>(body: unknown, schema: T): { value: z.output<T>; prefix: string }[] {
  const many = Array.isArray(body);
  const items: unknown[] = many ? body : [body];
  if (items.length === 0) throw new ApiError(400, 'invalid_payload', 'the array is empty');
  if (items.length > MAX_WEBHOOK_ITEMS) throw new ApiError(400, 'invalid_payload', `at most ${MAX_WEBHOOK_ITEMS} items per request`);
  const problems: ApiProblem[] = [];
  const out: { value: z.output<T>; prefix: string }[] = [];
  items.forEach((item, i) => {
    const prefix = many ? `[${i}]` : '';
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push({ value: parsed.data, prefix });
    else for (const issue of parsed.error.issues) problems.push({ field: fieldPath(prefix, issue.path) || undefined, message: issue.message });
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ApiError(400, 'invalid_payload', `${first.field ?? 'body'}: ${first.message}`, first.field, problems.slice(0, MAX_DETAILS));
  }
  return out;
}

export interface WebhookResult {
  success: true;
  inserted: number;
  updated: number;
  unchanged: number;
}

export async function ingestCalls(db: Db, workspace: Workspace, tokenId: number, body: unknown): Promise<WebhookResult> {
  const calls = parseItems(body, callSchema);
  const rows = calls.map(({ value: c, prefix }) => ({
    cells: { ...c, caller_phone: c.caller_phone, duration_sec: c.duration_sec == null ? null : String(c.duration_sec) },
    origin: { prefix },
  }));
  const counts = await withApiTransaction(db, workspace, `api:${tokenId}`, (tx) => importRows(tx, 'calls', CALL_COLUMNS, rows, 'api-calls.csv'));
  return { success: true, ...counts };
}

export interface LeadsWebhookResult extends WebhookResult {
  stages: { inserted: number; unchanged: number };
}

export async function ingestLeads(db: Db, workspace: Workspace, tokenId: number, body: unknown): Promise<LeadsWebhookResult> {
  const updates = parseItems(body, leadUpdateSchema);
  const stages = await getPipelineStages(db, workspace.id);
  return withApiTransaction(db, workspace, `api:${tokenId}`, async (tx) => {
    const ids = [...new Set(updates.map((u) => u.value.lead_id))];
    const stored = new Map(
      (await tx.db.selectFrom('leads').selectAll().where('workspace_id', '=', workspace.id).where('lead_id', 'in', ids).execute()).map((l) => [l.lead_id, l]),
    );
    // Several updates of one lead in a request apply in order.
    const merged = new Map<string, { cells: Record<LeadColumn, string | null>; origin: RowOrigin }>();
    const stageRows: { cells: Record<string, string | null>; origin: RowOrigin }[] = [];
    const problems: ApiProblem[] = [];
    for (const { value: u, prefix } of updates) {
      const base = merged.get(u.lead_id)?.cells ?? (stored.has(u.lead_id) ? cellsOf(stored.get(u.lead_id)!) : null);
      if (!base && u.created_at === undefined) {
        problems.push({ field: fieldPath(prefix, ['created_at']), message: 'required for a new lead (no lead with this lead_id yet)' });
        continue;
      }
      const cells = overlay(base, u, stages[0] ?? 'new');
      merged.set(u.lead_id, { cells, origin: { prefix } });
      (u.stages ?? []).forEach((s, j) => {
        stageRows.push({
          cells: { lead_id: u.lead_id, stage: s.stage, entered_at: s.entered_at, manager: s.manager ?? null },
          origin: { prefix: fieldPath(prefix, ['stages', j]), fields: { lead_id: fieldPath(prefix, ['lead_id']) } },
        });
      });
    }
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new ApiError(400, 'invalid_payload', `${first.field}: ${first.message}`, first.field, problems);
    }
    for (const row of merged.values()) {
      if (!row.cells.visitor_id && (row.cells.email || row.cells.phone)) {
        row.cells.visitor_id = await identifiedVisitor(tx, row.cells.email, row.cells.phone);
      }
    }
    const leads = await importRows(tx, 'leads', LEAD_COLUMNS, [...merged.values()], 'api-leads.csv');
    const history = await importRows(tx, 'lead_stages', STAGE_COLUMNS, stageRows, 'api-lead-stages.csv');
    return { success: true, ...leads, stages: { inserted: history.inserted, unchanged: history.unchanged + history.updated } };
  });
}

/** A stored lead as canonical cells. */
function cellsOf(l: Lead): Record<LeadColumn, string | null> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    lead_id: l.lead_id, created_at: iso(l.created_at), kind: l.kind, session_id: l.session_id, visitor_id: l.visitor_id, call_id: l.call_id,
    phone: l.phone, email: l.email, source: l.source, medium: l.medium, campaign: l.campaign, region: l.region, manager: l.manager,
    product: l.product, customer_id: l.customer_id, temperature: l.temperature, stage: l.stage, outcome: l.outcome,
    loss_reason: l.loss_reason, amount: l.amount, closed_at: iso(l.closed_at),
  };
}

/** The update over the stored (or a new) lead: given keys set (null clears), missing keys kept. */
function overlay(base: Record<LeadColumn, string | null> | null, u: LeadUpdate, firstStage: string): Record<LeadColumn, string | null> {
  const latestStage = [...(u.stages ?? [])].sort((a, b) => Date.parse(a.entered_at) - Date.parse(b.entered_at)).at(-1)?.stage;
  const cells: Record<LeadColumn, string | null> = base
    ? { ...base }
    : { ...(Object.fromEntries(LEAD_COLUMNS.map((c) => [c, null])) as Record<LeadColumn, string | null>), kind: 'manual', stage: latestStage ?? firstStage, outcome: 'open' };
  for (const c of LEAD_COLUMNS) {
    const v = (u as Record<string, unknown>)[c];
    if (v === undefined) continue;
    cells[c] = v === null ? null : String(v);
  }
  if (u.stage === undefined && latestStage && base) cells.stage = latestStage;
  return cells;
}

/** The visitor an identify call tied this email or phone to (the latest such call). */
async function identifiedVisitor(tx: ApiTx, email: string | null, phone: string | null): Promise<string | null> {
  const e = email?.trim().toLowerCase() || null;
  const p = phone ? normalizePhone(phone, tx.workspace.phone_country) : null;
  if (!e && !p) return null;
  const row = await tx.db
    .selectFrom('api_events')
    .select('visitor_id')
    .where('workspace_id', '=', tx.workspace.id)
    .where((eb) => eb.or([...(e ? [eb('email', '=', e)] : []), ...(p ? [eb('phone', '=', p)] : [])]))
    .orderBy('occurred_at', 'desc')
    .orderBy('message_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.visitor_id ?? null;
}
