import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { z } from 'zod';
import { applyChannelRules, previewChannelRules, rebuildWorkspace, type ChannelMove } from '../../db/analytics/rebuild';
import type { Db } from '../../db/client';
import { getConversionCandidates, getConversionGoals, deleteConversionGoal, setConversionGoal, type ConversionGoal } from '../../db/queries/conversions';
import { getCoverageLeads, getCoverageRows, type CoverageLead } from '../../db/queries/coverage';
import { listImports, listRejectedRows } from '../../db/queries/imports';
import { deleteStatusMapEntry, getStatusMapOverrides, setStatusMapEntry } from '../../db/queries/presets';
import { currencySchema, getChannelRules, getPipelineStages, timeZoneSchema } from '../../db/queries/workspaces';
import type { Workspace } from '../../db/schema';
import { requireWorkspaceAccess } from '../auth/guard.server';
import type { Permission } from '../auth/permissions';
import { MAX_RULES, ruleTextSchema, ruleToText, type RuleText } from '../components/channel-rule-text';
import type { FilterBarData } from '../components/filter-bar';
import { CHANNELS, DEFAULT_CHANNEL_RULES, type ChannelRule } from '../domain/channels';
import { CONTACTED_STAGE, OUTCOMES, QUALIFIED_STAGE } from '../domain/pipeline';
import { IMPORT_KINDS } from '../import/formats';
import { getPreset, listPresets, type PresetSummary } from '../import/presets/index';
import { normalizeStatus } from '../import/presets/preset';
import {
  computeGoogleAdsUpload,
  computeMetricaUpload,
  CONVERSION_PLATFORMS,
  METRICA_IDS,
  type ConversionFile,
  type ConversionPlatform,
} from '../reports/conversions';
import { computeCoverageReport, isCoverageReason, type CoverageReason, type CoverageReport } from '../reports/coverage';
import { toCsv } from '../reports/export';
import { addDays, todayIn } from '../lib/calendar';
import { getFilterBarData, openDashboard } from './dashboard.server';
import { getUploadStatus, type UploadStatus } from './data-upload.server';
import { toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

// The Data section: imports and their rejected rows, the pipeline and the
// workspace's zone and currency, channel rules (previewed, then applied to
// all history), attribution coverage with its drill-down, and the presets'
// settings (status maps, offline conversion goals and file). Every write goes
// through the guard with its own permission and a zod schema that returns
// field errors.

export type { ChannelMove };

/** Field errors keyed by the posted field name ('stages.2', 'rules.0.channel'); values are message keys or text. */
export type FieldErrors = Record<string, string>;

function fieldErrorsOf(error: z.ZodError, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    out[key] ??= issue.message;
  }
  return out;
}

async function guard(context: AppLoadContext, slug: string | undefined, request: Request, permission: Permission) {
  const access = await requireWorkspaceAccess(request, context, slug, permission);
  return { db: context.db, ws: access.workspace, access, workspace: toWorkspaceInfo(access.workspace) };
}

// ---------------------------------------------------------------- imports

export interface ImportJobRow {
  id: number;
  kind: string;
  fileName: string;
  preset: string | null;
  actor: string;
  status: 'running' | 'succeeded' | 'failed';
  skipInvalid: boolean;
  startedAt: Date;
  durationMs: number | null;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  warnings: string[];
  error: string | null;
}

export interface RejectRow {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** Rejected rows shown on the page; the CSV download has them all. */
export const SHOWN_REJECTS = 100;

export interface ImportsPage {
  workspace: WorkspaceInfo;
  canImport: boolean;
  canSeeHistory: boolean;
  kinds: readonly string[];
  history: ImportJobRow[];
  /** The import picked with ?import=ID, with its first rejected rows. */
  selected: { job: ImportJobRow; rejects: RejectRow[]; rejectCount: number } | null;
  /** The upload picked with ?upload=TOKEN (the form posted without JavaScript lands here). */
  upload: UploadStatus | null;
  uploadError: string | null;
}

type JobRecord = Awaited<ReturnType<typeof listImports>>[number];

function toJobRow(j: JobRecord): ImportJobRow {
  return {
    id: j.id,
    kind: j.kind,
    fileName: j.file_name,
    preset: j.preset,
    actor: j.actor,
    status: j.status,
    skipInvalid: j.skip_invalid,
    startedAt: j.started_at,
    durationMs: j.duration_ms,
    rowsRead: Number(j.rows_read),
    rowsInserted: Number(j.rows_inserted),
    rowsUpdated: Number(j.rows_updated),
    rowsUnchanged: Number(j.rows_unchanged),
    rowsRejected: Number(j.rows_rejected),
    warnings: Array.isArray(j.warnings) ? j.warnings : [],
    error: j.error,
  };
}

const idSchema = z.coerce.number().int().positive().max(2 ** 31 - 1);
const HISTORY_ROWS = 50;

export async function getImportsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<ImportsPage> {
  const { db, ws, access, workspace } = await guard(context, slug, request, 'reports:view');
  const url = new URL(request.url);
  const canSeeHistory = access.can('leads:view_all');
  const importId = idSchema.safeParse(url.searchParams.get('import') ?? undefined);
  const token = url.searchParams.get('upload');
  const [history, selected] = await Promise.all([
    canSeeHistory ? listImports(db, ws.id, HISTORY_ROWS) : [],
    canSeeHistory && importId.success ? getImportDetail(db, ws, importId.data) : null,
  ]);
  const uploadError = z.enum(['tooLarge', 'noFile', 'badForm']).safeParse(url.searchParams.get('uploadError') ?? undefined);
  return {
    workspace,
    canImport: access.can('data:import'),
    canSeeHistory,
    kinds: ['auto', ...IMPORT_KINDS],
    history: history.map(toJobRow),
    selected,
    upload: token ? getUploadStatus(ws.id, token) : null,
    uploadError: uploadError.success ? uploadError.data : null,
  };
}

async function getImportDetail(db: Db, ws: Workspace, importId: number): Promise<ImportsPage['selected']> {
  const job = await db.selectFrom('import_jobs').selectAll().where('workspace_id', '=', ws.id).where('id', '=', importId).executeTakeFirst();
  if (!job) return null;
  const [rejects, count] = await Promise.all([
    db
      .selectFrom('rejected_rows')
      .select(['line', 'column_name', 'value', 'reason'])
      .where('workspace_id', '=', ws.id)
      .where('import_id', '=', importId)
      .orderBy('seq')
      .limit(SHOWN_REJECTS)
      .execute(),
    db
      .selectFrom('rejected_rows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', ws.id)
      .where('import_id', '=', importId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    job: toJobRow(job),
    rejects: rejects.map((r) => ({ line: Number(r.line), column: r.column_name, value: r.value, reason: r.reason })),
    rejectCount: Number(count.n),
  };
}

/** The rejected rows of an import as CSV (line, column, value, reason), every one of them. */
export async function getRejectsCsv(context: AppLoadContext, slug: string | undefined, request: Request, rawId: string | undefined): Promise<Response> {
  const { db, ws } = await guard(context, slug, request, 'leads:view_all');
  const id = idSchema.safeParse(rawId);
  const job = id.success
    ? await db.selectFrom('import_jobs').select(['id', 'file_name']).where('workspace_id', '=', ws.id).where('id', '=', id.data).executeTakeFirst()
    : undefined;
  if (!job) throw new Response('There is no such import.', { status: 404 });
  const rows = await listRejectedRows(db, ws.id, job.id);
  const csv = toCsv(
    ['line', 'column', 'value', 'reason'],
    rows.map((r) => ({ line: Number(r.line), column: r.column_name, value: r.value, reason: r.reason })),
  );
  return new Response(`\uFEFF${csv}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="import-${job.id}-errors.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}

// ---------------------------------------------------------------- pipeline and workspace settings

export interface StageRow {
  name: string;
  /** Leads whose current stage this is, and stage-history rows that name it. */
  leads: number;
  history: number;
}

export interface SettingsPage {
  workspace: WorkspaceInfo;
  stages: StageRow[];
  /** Stages the metric definitions name: they may move, not be renamed or removed. */
  fixedStages: string[];
  canEditPipeline: boolean;
  canEditWorkspace: boolean;
  timeZones: string[];
  currencies: string[];
}

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const CURRENCIES = Intl.supportedValuesOf('currency');

export async function getSettingsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<SettingsPage> {
  const { db, ws, access, workspace } = await guard(context, slug, request, 'reports:view');
  const [names, usage] = await Promise.all([getPipelineStages(db, ws.id), getStageUsage(db, ws.id)]);
  return {
    workspace,
    stages: names.map((name) => ({ name, leads: usage.get(name)?.leads ?? 0, history: usage.get(name)?.history ?? 0 })),
    fixedStages: [CONTACTED_STAGE, QUALIFIED_STAGE].filter((s) => names.includes(s)),
    canEditPipeline: access.can('rules:edit'),
    canEditWorkspace: access.can('workspace:settings'),
    timeZones: TIME_ZONES,
    currencies: CURRENCIES,
  };
}

async function getStageUsage(db: Db, workspaceId: number): Promise<Map<string, { leads: number; history: number }>> {
  const { rows } = await sql<{ stage: string; leads: number; history: number }>`
    select stage, sum(leads)::int as leads, sum(history)::int as history from (
      select stage, count(*) as leads, 0 as history from leads where workspace_id = ${workspaceId} group by stage
      union all
      select stage, 0, count(*) from lead_stages where workspace_id = ${workspaceId} group by stage
    ) u group by stage`.execute(db);
  return new Map(rows.map((r) => [r.stage, { leads: r.leads, history: r.history }]));
}

export type SettingsActionResult =
  | { intent: 'stages'; ok: true; leads: number }
  | { intent: 'stages'; ok: false; errors: FieldErrors }
  | { intent: 'workspace'; ok: true; rebuilt: boolean }
  | { intent: 'workspace'; ok: false; errors: FieldErrors; values: { timeZone: string; currency: string } };

const stageNameSchema = z.string().trim().min(1, 'data.settings.error.stageRequired').max(60, 'data.settings.error.stageTooLong')
  // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
  .refine((s) => !s.includes('\u0000'), 'data.settings.error.stageNul');

export async function settingsAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<SettingsActionResult> {
  // Who asks comes first: a stranger gets the login redirect or the 404, not an opinion on the form.
  await guard(context, slug, request, 'reports:view');
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'workspace') return saveWorkspaceSettings(context, slug, request, form);
  if (intent === 'stages') return saveStages(context, slug, request, form);
  throw new Response('Unknown form', { status: 400 });
}

async function saveStages(context: AppLoadContext, slug: string | undefined, request: Request, form: FormData): Promise<SettingsActionResult> {
  const { db, ws } = await guard(context, slug, request, 'rules:edit');
  const names = form.getAll('stage').map(String);
  const originals = form.getAll('original').map(String);
  // A blank row that is not an existing stage is the form's empty "add" row: ignored. Errors keep the row's index.
  const posted = names
    .map((name, index) => ({ name, original: originals[index] ?? '', index }))
    .filter((s) => s.name.trim() !== '' || s.original !== '');
  const existing = await getPipelineStages(db, ws.id);
  const usage = await getStageUsage(db, ws.id);
  const errors: FieldErrors = {};

  if (posted.length === 0) errors.stages = 'data.settings.error.noStages';
  if (posted.length > 30) errors.stages = 'data.settings.error.tooManyStages';
  const times = new Map<string, number>();
  for (const s of posted) {
    const parsed = stageNameSchema.safeParse(s.name);
    if (!parsed.success) {
      errors[`stages.${s.index}`] = parsed.error.issues[0]!.message;
      continue;
    }
    s.name = parsed.data;
    times.set(s.name.toLowerCase(), (times.get(s.name.toLowerCase()) ?? 0) + 1);
    if (s.original !== '' && !existing.includes(s.original)) errors[`stages.${s.index}`] = 'data.settings.error.stageUnknown';
  }
  // Every row with a name that appears twice is marked, the edited one among them.
  for (const s of posted) if ((times.get(s.name.toLowerCase()) ?? 0) > 1) errors[`stages.${s.index}`] ??= 'data.settings.error.stageTwice';
  const kept = new Set(posted.map((s) => s.original).filter((o) => o !== ''));
  if (kept.size !== posted.filter((s) => s.original !== '').length) errors.stages = 'data.settings.error.stageTwice';
  for (const fixed of [CONTACTED_STAGE, QUALIFIED_STAGE]) {
    const row = posted.find((s) => s.original === fixed);
    if (existing.includes(fixed) && row?.name !== fixed) {
      errors[row ? `stages.${row.index}` : 'stages'] = fixed === QUALIFIED_STAGE ? 'data.settings.error.fixedQualified' : 'data.settings.error.fixedContacted';
    }
  }
  for (const name of existing) {
    if (kept.has(name)) continue;
    const used = usage.get(name);
    if (used && used.leads + used.history > 0) errors.stages ??= 'data.settings.error.stageInUse';
  }
  if (Object.keys(errors).length > 0) return { intent: 'stages', ok: false, errors };

  const renames = posted.filter((s) => s.original !== '' && s.original !== s.name);
  const removed = existing.filter((name) => !kept.has(name));
  await db.transaction().execute(async (trx) => {
    // Renames go through temporary names, so swapping two names never collides.
    const temp = (i: number) => `leadpath:renaming:${i}:${process.pid}`;
    const steps = [...renames.map((r, i) => ({ from: r.original, to: temp(i) })), ...renames.map((r, i) => ({ from: temp(i), to: r.name }))];
    for (const { from, to } of steps) {
      await trx.updateTable('leads').set({ stage: to }).where('workspace_id', '=', ws.id).where('stage', '=', from).execute();
      await trx.updateTable('lead_stages').set({ stage: to }).where('workspace_id', '=', ws.id).where('stage', '=', from).execute();
      await trx.updateTable('conversion_goals').set({ stage: to }).where('workspace_id', '=', ws.id).where('stage', '=', from).execute();
      await trx.updateTable('status_maps').set({ stage: to }).where('workspace_id', '=', ws.id).where('stage', '=', from).execute();
    }
    if (removed.length > 0) {
      await trx.deleteFrom('conversion_goals').where('workspace_id', '=', ws.id).where('stage', 'in', removed).execute();
      await trx.deleteFrom('status_maps').where('workspace_id', '=', ws.id).where('stage', 'in', removed).execute();
    }
    await trx.deleteFrom('pipeline_stages').where('workspace_id', '=', ws.id).execute();
    await trx
      .insertInto('pipeline_stages')
      .values(posted.map((s, i) => ({ workspace_id: ws.id, position: i + 1, name: s.name })))
      .execute();
  });
  // Reach (which stages each lead passed) depends on the order: re-derive it for every lead.
  const { leads } = await rebuildWorkspace(db, ws);
  return { intent: 'stages', ok: true, leads };
}

const workspaceSettingsSchema = z.object({ timeZone: timeZoneSchema, currency: currencySchema });

async function saveWorkspaceSettings(context: AppLoadContext, slug: string | undefined, request: Request, form: FormData): Promise<SettingsActionResult> {
  const { db, ws } = await guard(context, slug, request, 'workspace:settings');
  const values = { timeZone: String(form.get('timeZone') ?? ''), currency: String(form.get('currency') ?? '').trim().toUpperCase() };
  const parsed = workspaceSettingsSchema.safeParse(values);
  if (!parsed.success) return { intent: 'workspace', ok: false, errors: fieldErrorsOf(parsed.error), values };
  const zoneChanged = parsed.data.timeZone !== ws.time_zone;
  const updated = await db
    .updateTable('workspaces')
    .set({ time_zone: parsed.data.timeZone, currency: parsed.data.currency })
    .where('id', '=', ws.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // Days, weeks and months are the workspace's own: a new zone moves visits and leads between days.
  if (zoneChanged) await rebuildWorkspace(db, updated);
  return { intent: 'workspace', ok: true, rebuilt: zoneChanged };
}

// ---------------------------------------------------------------- channel rules

export interface RulesPage {
  workspace: WorkspaceInfo;
  rules: RuleText[];
  defaults: RuleText[];
  channels: string[];
  canEdit: boolean;
}

export async function getRulesPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<RulesPage> {
  const { db, ws, access, workspace } = await guard(context, slug, request, 'reports:view');
  const rules = await getChannelRules(db, ws.id);
  return {
    workspace,
    rules: rules.map(ruleToText),
    defaults: DEFAULT_CHANNEL_RULES.map(ruleToText),
    channels: [...new Set([...CHANNELS, ...rules.map((r) => r.channel)])],
    canEdit: access.can('rules:edit'),
  };
}

export type RulesActionResult =
  | { intent: 'preview' | 'apply'; ok: false; errors: FieldErrors; rules: RuleText[] }
  | { intent: 'preview' | 'apply'; ok: true; moves: ChannelMove[]; rules: RuleText[] };

export async function rulesAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<RulesActionResult> {
  const { db, ws } = await guard(context, slug, request, 'rules:edit');
  const form = await request.formData();
  const intent = form.get('intent') === 'apply' ? 'apply' : 'preview';
  const column = (name: string) => form.getAll(name).map(String);
  const [channels, sourceIn, sourceNotIn, mediumIn] = [column('channel'), column('sourceIn'), column('sourceNotIn'), column('mediumIn')];
  const posted: RuleText[] = channels.map((channel, i) => ({ channel, sourceIn: sourceIn[i] ?? '', sourceNotIn: sourceNotIn[i] ?? '', mediumIn: mediumIn[i] ?? '' }));
  const errors: FieldErrors = {};
  const rules: ChannelRule[] = [];
  if (posted.length === 0) errors.rules = 'data.rules.error.none';
  if (posted.length > MAX_RULES) errors.rules = 'data.rules.error.tooMany';
  posted.forEach((text, i) => {
    const parsed = ruleTextSchema.safeParse(text);
    if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error, `rules.${i}`));
    else rules.push(parsed.data);
  });
  if (Object.keys(errors).length > 0) return { intent, ok: false, errors, rules: posted };
  const moves = intent === 'apply' ? await applyChannelRules(db, ws, rules) : await previewChannelRules(db, ws, rules);
  return { intent, ok: true, moves, rules: rules.map(ruleToText) };
}

// ---------------------------------------------------------------- coverage

export interface CoveragePage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  report: CoverageReport;
  reason: CoverageReason | null;
  leads: CoverageLead[];
  /** The drill-down shows at most this many leads, newest first. */
  leadLimit: number;
}

export const COVERAGE_LEAD_LIMIT = 200;

export async function getCoveragePage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<CoveragePage> {
  const { db, ws, workspace, dashboard } = await openDashboard(context, slug, request);
  const rawReason = new URL(request.url).searchParams.get('reason') ?? '';
  const reason = isCoverageReason(rawReason) ? rawReason : null;
  const [filterBar, rows, leads] = await Promise.all([
    getFilterBarData(db, ws, dashboard),
    getCoverageRows(db, ws, dashboard.params),
    reason ? getCoverageLeads(db, ws, dashboard.params, reason, COVERAGE_LEAD_LIMIT) : [],
  ]);
  return { workspace, filterBar, report: computeCoverageReport(rows), reason, leads, leadLimit: COVERAGE_LEAD_LIMIT };
}

// ---------------------------------------------------------------- presets, status maps, conversions

export interface StatusMapRow {
  status: string;
  stage: string;
  outcome: (typeof OUTCOMES)[number];
  edited: boolean;
}

export interface PresetsPage {
  workspace: WorkspaceInfo;
  presets: PresetSummary[];
  statusMaps: { preset: string; label: string; rows: StatusMapRow[] }[];
  stages: string[];
  goals: ConversionGoal[];
  platforms: readonly ConversionPlatform[];
  metricaIds: readonly string[];
  canEdit: boolean;
  /** Default range of the conversions file: the last 30 days up to yesterday. */
  defaultRange: { from: string; to: string };
}

export async function getPresetsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<PresetsPage> {
  const { db, ws, access, workspace } = await guard(context, slug, request, 'reports:view');
  const presets = listPresets();
  const withMaps = presets.filter((p) => p.hasStatusMap);
  const [stages, goals, ...overrides] = await Promise.all([
    getPipelineStages(db, ws.id),
    getConversionGoals(db, ws.id),
    ...withMaps.map((p) => getStatusMapOverrides(db, ws.id, p.name)),
  ]);
  const statusMaps = withMaps.map((p, i) => {
    const edits = overrides[i]!;
    const edited = new Set(edits.map((e) => normalizeStatus(e.status)));
    const defaults = (getPreset(p.name)!.statusMap ?? []).filter((d) => !edited.has(normalizeStatus(d.status)));
    return {
      preset: p.name,
      label: p.label,
      rows: [...defaults.map((d) => ({ ...d, edited: false })), ...edits.map((e) => ({ ...e, edited: true }))],
    };
  });
  const yesterday = addDays(todayIn(ws.time_zone, new Date()), -1);
  return {
    workspace,
    presets,
    statusMaps,
    stages,
    goals,
    platforms: CONVERSION_PLATFORMS,
    metricaIds: METRICA_IDS,
    canEdit: access.can('data:import'),
    defaultRange: { from: addDays(yesterday, -29), to: yesterday },
  };
}

export type PresetsActionResult =
  | { intent: 'status' | 'status-reset' | 'goal' | 'goal-delete'; ok: true }
  | { intent: 'status' | 'goal'; ok: false; errors: FieldErrors; form: string };

const statusSchema = z.object({
  preset: z.string().min(1),
  status: z.string().trim().min(1, 'data.presets.error.statusRequired').max(200, 'data.presets.error.tooLong'),
  stage: z.string().min(1, 'data.presets.error.stageRequired'),
  outcome: z.enum(OUTCOMES, { message: 'data.presets.error.outcome' }),
});

const goalSchema = z.object({
  platform: z.enum(CONVERSION_PLATFORMS, { message: 'data.presets.error.platform' }),
  stage: z.string().min(1, 'data.presets.error.stageRequired'),
  name: z.string().trim().min(1, 'data.presets.error.nameRequired').max(200, 'data.presets.error.tooLong'),
});

export async function presetsAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<PresetsActionResult> {
  const { db, ws } = await guard(context, slug, request, 'data:import');
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? '');
  const intent = get('intent');
  const stages = await getPipelineStages(db, ws.id);
  const stageOf = (s: string) => stages.find((x) => x.toLowerCase() === s.toLowerCase());

  if (intent === 'status' || intent === 'status-reset') {
    const preset = getPreset(get('preset'));
    if (!preset?.statusMap) throw new Response('Unknown preset', { status: 400 });
    if (intent === 'status-reset') {
      await deleteStatusMapEntry(db, ws.id, preset.name, get('status'));
      return { intent, ok: true };
    }
    const parsed = statusSchema.safeParse({ preset: preset.name, status: get('status'), stage: get('stage'), outcome: get('outcome') });
    const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    const stage = parsed.success ? stageOf(parsed.data.stage) : undefined;
    if (parsed.success && !stage) errors.stage = 'data.presets.error.stageUnknown';
    if (!parsed.success || !stage) return { intent, ok: false, errors, form: preset.name };
    await setStatusMapEntry(db, ws.id, preset.name, { status: parsed.data.status, stage, outcome: parsed.data.outcome });
    return { intent, ok: true };
  }
  if (intent === 'goal' || intent === 'goal-delete') {
    const platform = z.enum(CONVERSION_PLATFORMS).safeParse(get('platform'));
    if (intent === 'goal-delete') {
      if (!platform.success) throw new Response('Unknown platform', { status: 400 });
      await deleteConversionGoal(db, ws.id, platform.data, get('stage'));
      return { intent, ok: true };
    }
    const parsed = goalSchema.safeParse({ platform: get('platform'), stage: get('stage'), name: get('name') });
    const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    const stage = parsed.success ? stageOf(parsed.data.stage) : undefined;
    if (parsed.success && !stage) errors.stage = 'data.presets.error.stageUnknown';
    if (!parsed.success || !stage) return { intent, ok: false, errors, form: 'goal' };
    await setConversionGoal(db, ws.id, { platform: parsed.data.platform, stage, conversionName: parsed.data.name });
    return { intent, ok: true };
  }
  throw new Response('Unknown form', { status: 400 });
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const conversionsQuerySchema = z
  .object({
    platform: z.enum(CONVERSION_PLATFORMS),
    stage: z.string().trim().min(1),
    from: day,
    to: day,
    id: z.enum(METRICA_IDS).catch('client-id'),
  })
  .refine((q) => q.from <= q.to);

/**
 * The offline conversion upload file for a platform, stage and range, named
 * by the goal set for that stage (as `leadpath export conversions` writes it).
 */
export async function getConversionsFile(context: AppLoadContext, slug: string | undefined, request: Request): Promise<Response> {
  const { db, ws } = await guard(context, slug, request, 'data:import');
  const search: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams);
  // The page's form names a goal as 'platform|stage'; the parts may also come on their own.
  const [goalPlatform, ...goalStage] = (search.goal ?? '').split('|');
  const parsed = conversionsQuerySchema.safeParse({ platform: goalPlatform || undefined, stage: goalStage.join('|') || undefined, ...search });
  if (!parsed.success) throw new Response('Choose a platform, a stage and a date range (from ≤ to).', { status: 400 });
  const q = parsed.data;
  const stages = await getPipelineStages(db, ws.id);
  const stage = stages.find((s) => s.toLowerCase() === q.stage.toLowerCase());
  if (!stage) throw new Response(`There is no stage “${q.stage}” in this pipeline.`, { status: 400 });
  const goal = (await getConversionGoals(db, ws.id)).find((g) => g.platform === q.platform && g.stage === stage);
  if (!goal) throw new Response(`No conversion is set for ${stage} on ${q.platform}: set one above first.`, { status: 400 });
  const rows = await getConversionCandidates(db, ws, { stage, from: q.from, to: q.to });
  const file: ConversionFile =
    q.platform === 'google-ads'
      ? computeGoogleAdsUpload(rows, { conversionName: goal.conversionName, timeZone: ws.time_zone, currency: ws.currency })
      : computeMetricaUpload(rows, { target: goal.conversionName, currency: ws.currency, id: q.id });
  return new Response(file.text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="conversions-${q.platform}-${stage.replace(/[^\w-]/g, '_')}-${q.from}-${q.to}.csv"`,
      'Cache-Control': 'no-store',
      'X-Leadpath-Exported': String(file.exported),
      'X-Leadpath-Skipped': String(file.skipped.length),
    },
  });
}
