import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import { getPlans, savePlan, PLAN_SLICES, type PlanRow, type PlanSlice } from '../../db/queries/plans';
import { getPlanPacing, type PlanPacingReport } from '../../db/reports/plan';
import type { Db } from '../../db/client';
import type { Workspace } from '../../db/schema';
import { LruCache } from '../reports/lru-cache';
import type { PlanParams } from '../reports/pacing';
import { requirePermission, requireWorkspaceAccess } from '../auth/guard.server';
import { todayIn } from '../lib/calendar';
import { monthRange, isoDay } from '../reports/forecast/calendar';
import { getCachedFilterOptions } from './dashboard.server';
import { getUploadStatus, type UploadStatus } from './data-upload.server';
import { toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

// The Plans page: the month's targets per slice (whole business, channel,
// region, manager), editable here or by importing the plans CSV, and plan
// against actual from db/reports/plan.ts (getPlanPacing, the runner behind
// `leadpath report plan`): month to date, expected by today on the
// forecast's daily shape, projected month end, status.

export type SliceKind = 'business' | PlanSlice;
export const SLICE_KINDS: readonly SliceKind[] = ['business', ...PLAN_SLICES];

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .refine((m) => m >= '2000-01' && m <= '2100-12');

const searchSchema = z.object({
  month: monthSchema.optional().catch(undefined),
  by: z.enum(['business', ...PLAN_SLICES]).catch('business').default('business'),
  edit: z.string().max(220).optional().catch(undefined),
});

/** A plan row's slice as one key: 'business', 'channel:paid_search', 'region:Kyiv', 'manager:Olena'. */
export function sliceKeyOf(row: Pick<PlanRow, 'channel' | 'region' | 'manager'>): string {
  for (const dim of PLAN_SLICES) if (row[dim] !== '') return `${dim}:${row[dim]}`;
  return 'business';
}

export interface PlanEntry extends PlanRow {
  kind: SliceKind;
  value: string;
  key: string;
}

export interface PlansPage {
  workspace: WorkspaceInfo;
  month: string;
  today: string;
  by: SliceKind;
  pacing: PlanPacingReport;
  plans: PlanEntry[];
  /** The row being edited (?edit=KEY), or null for a new one. */
  editing: PlanEntry | null;
  options: Record<PlanSlice, string[]>;
  canEdit: boolean;
  canImport: boolean;
  canSeeSpend: boolean;
  upload: UploadStatus | null;
  uploadError: string | null;
}

export async function getPlansPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<PlansPage> {
  const access = await requireWorkspaceAccess(request, context, slug, 'reports:view');
  // Budgets, CPL limits and every manager's targets: not a sales manager's view.
  requirePermission(access, 'spend:view');
  requirePermission(access, 'leads:view_all');
  const ws = access.workspace;
  const db = context.db;
  const url = new URL(request.url);
  const search = searchSchema.parse(Object.fromEntries(url.searchParams));
  const today = todayIn(ws.time_zone, new Date());
  const month = search.month ?? today.slice(0, 7);
  const by = search.by;
  const [options, ...perKind] = await Promise.all([
    getCachedFilterOptions(db, ws),
    ...SLICE_KINDS.map((k) => getPlans(db, ws, month, k === 'business' ? undefined : k)),
  ]);
  const shown = perKind[SLICE_KINDS.indexOf(by)]!;
  const pacing = await cachedPacing(db, ws, { month, by: by === 'business' ? undefined : by, today }, shown);
  const plans = perKind.flat().map((p): PlanEntry => {
    const key = sliceKeyOf(p);
    const kind = (key === 'business' ? 'business' : key.slice(0, key.indexOf(':'))) as SliceKind;
    return { ...p, kind, value: kind === 'business' ? '' : p[kind], key };
  });
  const token = url.searchParams.get('upload');
  const uploadError = z.enum(['tooLarge', 'noFile', 'badForm']).safeParse(url.searchParams.get('uploadError') ?? undefined);
  return {
    workspace: toWorkspaceInfo(ws),
    month,
    today,
    by,
    pacing,
    plans,
    editing: plans.find((p) => p.key === search.edit) ?? null,
    options: { channel: options.channel, region: options.region, manager: options.manager },
    canEdit: access.can('plans:edit'),
    canImport: access.can('data:import'),
    canSeeSpend: access.can('spend:view'),
    upload: token && access.can('data:import') ? getUploadStatus(ws.id, token) : null,
    uploadError: uploadError.success ? uploadError.data : null,
  };
}

// Pacing fits a forecast per slice (a channel view: one per channel), so a
// result is kept until the data (data_version), the day or the plan rows change.
const pacingCache = new LruCache<string, Promise<PlanPacingReport>>(32);

function cachedPacing(db: Db, ws: Workspace, params: PlanParams, plans: PlanRow[]): Promise<PlanPacingReport> {
  const key = JSON.stringify([ws.id, ws.data_version, params.month, params.by ?? '', params.today, plans]);
  const hit = pacingCache.get(key);
  if (hit) return hit;
  const value = getPlanPacing(db, ws, params);
  pacingCache.set(key, value);
  value.catch(() => pacingCache.get(key) === value && pacingCache.delete(key));
  return value;
}

// ---------------------------------------------------------------- editing

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const count = z.preprocess(blankToUndefined, z.coerce.number({ message: 'plans.error.number' }).int('plans.error.whole').min(0, 'plans.error.negative').max(1e9, 'plans.error.tooBig').optional());
const money = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{1,13}(\.\d{1,2})?$/, 'plans.error.money')
    .optional(),
);

/** The plan form, validated the same way wherever it is posted from. */
export const planFormSchema = z
  .object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'plans.error.month')
      // Years 0–99 would become 1900–1999 in Date arithmetic; plans are for this century.
      .refine((m) => m >= '2000-01' && m <= '2100-12', 'plans.error.month'),
    kind: z.enum(['business', ...PLAN_SLICES], { message: 'plans.error.kind' }),
    value: z
      .string()
      .trim()
      .max(200, 'plans.error.tooLong')
      .refine((v) => !v.includes('\u0000'), 'plans.error.nul')
      .default(''),
    leads: count,
    max_cpl: money,
    budget: money,
    sales: count,
    revenue: money,
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'business' && p.value === '') ctx.addIssue({ code: 'custom', path: ['value'], message: 'plans.error.valueRequired' });
    if ([p.leads, p.max_cpl, p.budget, p.sales, p.revenue].every((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['leads'], message: 'plans.error.noTarget' });
    }
  });

export type PlanFormValues = Record<'month' | 'kind' | 'value' | 'leads' | 'max_cpl' | 'budget' | 'sales' | 'revenue', string>;

export type PlansActionResult =
  | { intent: 'save'; ok: true; key: string }
  | { intent: 'save'; ok: false; errors: Record<string, string>; values: PlanFormValues }
  | { intent: 'delete'; ok: true };

export async function plansAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<PlansActionResult> {
  const access = await requireWorkspaceAccess(request, context, slug, 'plans:edit');
  const ws = access.workspace;
  const db = context.db;
  const form = await request.formData();
  const field = (k: string) => String(form.get(k) ?? '');
  if (field('intent') === 'delete') {
    const parsed = z.object({ month: monthSchema, key: z.string().max(220) }).safeParse({ month: field('month'), key: field('key') });
    if (!parsed.success) throw new Response('Bad request', { status: 400 });
    const existing = (await Promise.all(SLICE_KINDS.map((k) => getPlans(db, ws, parsed.data.month, k === 'business' ? undefined : k)))).flat();
    const row = existing.find((p) => sliceKeyOf(p) === parsed.data.key);
    if (row) {
      await db
        .deleteFrom('plans')
        .where('workspace_id', '=', ws.id)
        .where('month', '=', isoDay(monthRange(parsed.data.month).first))
        .where('channel', '=', row.channel)
        .where('region', '=', row.region)
        .where('manager', '=', row.manager)
        .execute();
    }
    return { intent: 'delete', ok: true };
  }

  const values: PlanFormValues = {
    month: field('month'),
    kind: field('kind'),
    value: field('value'),
    leads: field('leads'),
    max_cpl: field('max_cpl'),
    budget: field('budget'),
    sales: field('sales'),
    revenue: field('revenue'),
  };
  const parsed = planFormSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    // The cross-field rule runs only on a form whose fields parse; say it now too, so every mistake shows at once.
    if (values.kind !== 'business' && values.value.trim() === '') errors.value ??= 'plans.error.valueRequired';
    return { intent: 'save', ok: false, errors, values };
  }
  const p = parsed.data;
  const slice = { channel: '', region: '', manager: '' };
  if (p.kind !== 'business') slice[p.kind] = p.value;
  await savePlan(db, ws, {
    month: p.month,
    ...slice,
    leads: p.leads ?? null,
    max_cpl: p.max_cpl ?? null,
    budget: p.budget ?? null,
    sales: p.sales ?? null,
    revenue: p.revenue ?? null,
  });
  return { intent: 'save', ok: true, key: sliceKeyOf(slice) };
}
