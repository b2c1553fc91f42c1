import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { getPlannerHistory, savePlan } from '../../db/queries/plans';
import { getForecast } from '../../db/reports/forecast';
import type { Workspace } from '../../db/schema';
import { requirePermission, requireWorkspaceAccess } from '../auth/guard.server';
import { addDays, addMonths, todayIn } from '../lib/calendar';
import { LruCache } from '../reports/lru-cache';
import { dayNumber, isoDay } from '../reports/forecast/calendar';
import { FORECAST_UNITS, MAX_HORIZON_DAYS, type ForecastResult, type ForecastRow, type ForecastUnit } from '../reports/forecast/forecast';
import {
  buildPlannerChannel,
  computeReverseFunnel,
  computeWhatIf,
  daysInMonth,
  planRowsOfScenario,
  RUN_RATE_DAYS,
  type PlannerChannel,
  type PlannerHistory,
  type ReverseResult,
  type WhatIfInput,
  type WhatIfResult,
} from '../reports/planner';
import { getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Forecast page: one slice's forecast (db/reports/forecast.ts, the
// runner `leadpath report forecast` uses) with its backtest against seasonal
// naive, and the planner (app/reports/planner.ts): what a month's budget per
// channel buys, and what budget a target needs. Forecasts and planner curves
// change only when data is imported, so they are cached per data_version.

export const DEFAULT_HORIZON = 90;
/** History the forecast is fitted on by default: two years up to yesterday. */
export const DEFAULT_HISTORY_DAYS = 730;
/** History periods the chart shows before the forecast. */
const SHOWN_HISTORY: Record<ForecastUnit, number> = { day: 120, week: 78, month: 24 };

const isoDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d && d >= '2000-01-01' && d <= '2100-12-31';
  });
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).refine((m) => m >= '2000-01' && m <= '2100-12');
const amountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/)
  .refine((v) => Number(v) <= 1e11);
const sessionsSchema = z.coerce.number().int().min(0).max(1e9);
const TARGET_METRICS = ['leads', 'sales', 'revenue'] as const;

/** Every field falls back on its own, so a stale or hand-made URL still shows a page. */
const forecastSearchSchema = z.object({
  slice: z.string().trim().min(1).max(200).catch('total').default('total'),
  horizon: z.coerce.number().int().min(1).max(MAX_HORIZON_DAYS).catch(DEFAULT_HORIZON).default(DEFAULT_HORIZON),
  by: z.enum(FORECAST_UNITS).catch('week').default('week'),
  from: isoDaySchema.optional().catch(undefined),
  to: isoDaySchema.optional().catch(undefined),
  month: monthSchema.optional().catch(undefined),
  target: z.enum(TARGET_METRICS).catch('leads').default('leads'),
  value: z.coerce.number().positive().max(1e12).optional().catch(undefined),
  targetChannel: z.string().trim().max(200).catch('').default(''),
});

export interface ForecastState {
  slice: string;
  horizon: number;
  by: ForecastUnit;
  from: string;
  to: string;
  month: string;
  target: (typeof TARGET_METRICS)[number];
  value: number | null;
  targetChannel: string;
  /** What-if inputs per channel, as typed (decimal budget or whole sessions). */
  budgets: Record<string, string>;
  sessions: Record<string, string>;
}

export function parseForecastSearch(search: URLSearchParams, yesterday: string): ForecastState {
  const raw = forecastSearchSchema.parse(Object.fromEntries([...search].filter(([k]) => !k.includes('.'))));
  let to = raw.to ?? yesterday;
  let from = raw.from ?? isoDay(dayNumber(to) - DEFAULT_HISTORY_DAYS + 1);
  if (from > to) [from, to] = [to, from];
  const budgets: Record<string, string> = {};
  const sessions: Record<string, string> = {};
  for (const [key, value] of search) {
    const [kind, channel] = key.split(/\.(.*)/s);
    if (!channel || channel.length > 200 || value.trim() === '') continue;
    if (kind === 'budget' && amountSchema.safeParse(value).success) budgets[channel] = value.trim();
    if (kind === 'sessions' && sessionsSchema.safeParse(value).success) sessions[channel] = String(Math.round(Number(value)));
  }
  return {
    slice: raw.slice,
    horizon: raw.horizon,
    by: raw.by,
    from,
    to,
    month: raw.month ?? addMonths(to, 1).slice(0, 7),
    target: raw.target,
    value: raw.value ?? null,
    targetChannel: raw.targetChannel,
    budgets,
    sessions,
  };
}

// ---------------------------------------------------------------- chart points

export interface ForecastPoint {
  /** First day of the period. */
  date: string;
  /** Leads (or sessions) that happened; null after the history. */
  actual: number | null;
  /** Forecast point and intervals; null before the forecast. A period split between history and forecast adds the days already counted. */
  forecast: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
  /** Days of the period the values cover (a partial first or last period). */
  days: number;
  /** Actual days included in the forecast values of a split period. */
  actualDays: number;
}

const fullDays = (date: string, by: ForecastUnit) => (by === 'day' ? 1 : by === 'week' ? 7 : daysInMonth(date.slice(0, 7)));

/**
 * History and forecast per period for the chart: the history from its first
 * period with anything in it (at most SHOWN_HISTORY periods), then the
 * forecast with its 80% and 95% intervals. A period the history ends inside
 * (a week half over) is drawn once: actual so far + the forecast of its other days.
 */
export function computeForecastPoints(f: ForecastResult, metric: 'leads' | 'sessions'): ForecastPoint[] {
  const value = (r: { leads: number; sessions: number }) => (metric === 'leads' ? r.leads : r.sessions);
  const firstActive = f.actual.findIndex((a) => a.leads > 0 || a.sessions > 0);
  const history = firstActive === -1 ? [] : f.actual.slice(Math.max(firstActive, f.actual.length - SHOWN_HISTORY[f.by]));
  const forecastStart = f.rows[0]?.period;
  const points: ForecastPoint[] = history.map((a) => ({
    date: a.period,
    actual: value(a),
    forecast: null,
    lower80: null,
    upper80: null,
    lower95: null,
    upper95: null,
    days: a.days,
    actualDays: 0,
  }));
  const last = points[points.length - 1];
  const split = last && forecastStart === last.date && last.days < fullDays(last.date, f.by);
  const bounds = (r: ForecastRow) =>
    metric === 'leads'
      ? { lower80: r.leads_lower80, upper80: r.leads_upper80, lower95: r.leads_lower95, upper95: r.leads_upper95 }
      : { lower80: r.sessions_lower80, upper80: r.sessions_upper80, lower95: r.sessions_lower95, upper95: r.sessions_upper95 };
  f.rows.forEach((r, i) => {
    const b = bounds(r);
    const base = i === 0 && split ? last.actual ?? 0 : 0;
    const point = {
      forecast: round2(value(r) + base),
      lower80: round2(b.lower80 + base),
      upper80: round2(b.upper80 + base),
      lower95: round2(b.lower95 + base),
      upper95: round2(b.upper95 + base),
    };
    if (i === 0 && split) Object.assign(last, point, { days: last.days + r.days, actualDays: last.days });
    else points.push({ date: r.period, actual: null, ...point, days: r.days, actualDays: 0 });
  });
  // The history's last whole period also starts the forecast line, so the two lines meet.
  const connector = split ? points[history.length - 2] : last;
  if (connector && connector.actual !== null && f.rows.length > 0) {
    const v = connector.actual;
    Object.assign(connector, { forecast: v, lower80: v, upper80: v, lower95: v, upper95: v, actualDays: connector.days });
  }
  return points;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Why a slice uses the seasonal-naive baseline, for the message on screen. */
export type FallbackReason = { code: 'short'; days: number } | { code: 'notBetter'; model: number; baseline: number } | { code: 'noFit' };

export function fallbackReasonOf(f: ForecastResult): FallbackReason | null {
  if (f.model !== 'seasonal_naive') return null;
  const { model, baseline } = f.backtest;
  if (!model && !baseline) return { code: 'short', days: f.history.days };
  if (model?.mase != null && baseline?.mase != null && model.mase >= baseline.mase) return { code: 'notBetter', model: model.mase, baseline: baseline.mase };
  return { code: 'noFit' };
}

// ---------------------------------------------------------------- planner

/**
 * The budget the what-if starts from for a paid channel: its spend over the
 * last RUN_RATE_DAYS of history at the same daily rate for the month's days
 * (what carrying on as now would cost). Unpaid channels get no budget.
 */
export function runRateBudget(h: PlannerHistory, month: string): string | null {
  const last = dayNumber(h.to);
  const first = Math.max(dayNumber(h.from), last - RUN_RATE_DAYS + 1);
  let spend = 0;
  for (const d of h.days) {
    const n = dayNumber(d.day);
    if (n >= first && n <= last) spend += d.spend;
  }
  if (!(spend > 0)) return null;
  return String(Math.round((spend / (last - first + 1)) * daysInMonth(month)));
}

interface PlannerModel {
  channels: PlannerChannel[];
  overall: PlannerChannel;
  histories: PlannerHistory[];
}

const forecastCache = new LruCache<string, Promise<ForecastResult>>(48);
const plannerCache = new LruCache<string, Promise<PlannerModel>>(16);

function cached<V>(cache: LruCache<string, Promise<V>>, key: string, make: () => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = make();
  cache.set(key, value);
  // A failed computation is not remembered.
  value.catch(() => cache.get(key) === value && cache.delete(key));
  return value;
}

function forecastOf(db: Db, ws: Workspace, s: Pick<ForecastState, 'slice' | 'from' | 'to' | 'horizon' | 'by'>): Promise<ForecastResult> {
  const key = [ws.id, ws.data_version, s.slice, s.from, s.to, s.horizon, s.by].join('|');
  return cached(forecastCache, key, () =>
    getForecast(db, ws, { from: s.from, to: s.to, horizon: s.horizon, by: s.by, channel: s.slice === 'total' ? undefined : s.slice }),
  );
}

function plannerOf(db: Db, ws: Workspace, from: string, to: string): Promise<PlannerModel> {
  const key = [ws.id, ws.data_version, from, to].join('|');
  return cached(plannerCache, key, async () => {
    const h = await getPlannerHistory(db, ws, { from, to });
    return { channels: h.channels.map(buildPlannerChannel), overall: buildPlannerChannel(h.overall), histories: h.channels };
  });
}

export interface PlannerChannelInfo {
  channel: string;
  curve: PlannerChannel['curve'];
  conversion: number | null;
  /** The budget the what-if starts from (run rate), null for an unpaid channel. */
  defaultBudget: string | null;
}

/** The what-if inputs: the URL's, else each paid channel's run-rate budget. */
function whatIfInputs(state: ForecastState, infos: PlannerChannelInfo[]): WhatIfInput[] {
  const typed = Object.keys(state.budgets).length + Object.keys(state.sessions).length > 0;
  const inputs: WhatIfInput[] = [];
  for (const c of infos) {
    if (typed) {
      if (state.sessions[c.channel] !== undefined) inputs.push({ channel: c.channel, sessions: Number(state.sessions[c.channel]) });
      else if (state.budgets[c.channel] !== undefined) inputs.push({ channel: c.channel, budget: state.budgets[c.channel] });
    } else if (c.defaultBudget !== null) {
      inputs.push({ channel: c.channel, budget: c.defaultBudget });
    }
  }
  return inputs;
}

// ---------------------------------------------------------------- the page

export interface ForecastPage {
  workspace: WorkspaceInfo;
  state: ForecastState;
  channels: string[];
  forecast: ForecastResult;
  points: { leads: ForecastPoint[]; sessions: ForecastPoint[] };
  fallback: FallbackReason | null;
  totals: { sessions: number; leads: number; qualified: number | null; sales: number | null; revenue: number | null };
  planner: {
    channels: PlannerChannelInfo[];
    inputs: WhatIfInput[];
    whatIf: WhatIfResult;
    reverse: ReverseResult | null;
  };
  canSavePlan: boolean;
  canSeeSpend: boolean;
}

export async function getForecastPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<ForecastPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  // The whole business's traffic and leads, and budgets per channel: not a sales manager's view.
  requirePermission(access, 'spend:view');
  requirePermission(access, 'leads:view_all');
  const state = parseForecastSearch(new URL(request.url).searchParams, addDays(dashboard.state.today, -1));
  const [filterBar, forecast, planner] = await Promise.all([
    getFilterBarData(db, ws, dashboard),
    forecastOf(db, ws, state),
    plannerOf(db, ws, state.from, state.to),
  ]);
  const infos: PlannerChannelInfo[] = planner.channels.map((c, i) => ({
    channel: c.channel,
    curve: c.curve,
    conversion: c.conversion,
    defaultBudget: c.curve ? runRateBudget(planner.histories[i]!, state.month) : null,
  }));
  const inputs = whatIfInputs(state, infos);
  const sum = (k: 'sessions' | 'leads' | 'qualified' | 'sales') =>
    forecast.rows.some((r) => r[k] === null) ? null : round2(forecast.rows.reduce((s, r) => s + (r[k] ?? 0), 0));
  return {
    workspace,
    state,
    channels: filterBar.options.channel,
    forecast,
    points: { leads: computeForecastPoints(forecast, 'leads'), sessions: computeForecastPoints(forecast, 'sessions') },
    fallback: fallbackReasonOf(forecast),
    totals: {
      sessions: sum('sessions') ?? 0,
      leads: sum('leads') ?? 0,
      qualified: sum('qualified'),
      sales: sum('sales'),
      revenue: forecast.rows.some((r) => r.revenue === null) ? null : round2(forecast.rows.reduce((s, r) => s + Number(r.revenue), 0)),
    },
    planner: {
      channels: infos,
      inputs,
      whatIf: computeWhatIf(planner.channels, state.month, inputs),
      reverse:
        state.value === null
          ? null
          : computeReverseFunnel(planner.channels, planner.overall, state.month, {
              metric: state.target,
              value: state.value,
              channel: state.targetChannel === '' ? undefined : state.targetChannel,
            }),
    },
    canSavePlan: access.can('plans:edit'),
    canSeeSpend: access.can('spend:view'),
  };
}

export type SavePlanResult = { ok: true; month: string; rows: number } | { ok: false; error: 'empty' };

/** "Save as the month's plan": the what-if on screen, recomputed here, as plan rows (whole business + each channel). */
export async function saveScenarioAsPlan(context: AppLoadContext, slug: string | undefined, request: Request): Promise<SavePlanResult> {
  const access = await requireWorkspaceAccess(request, context, slug, 'plans:edit');
  const ws = access.workspace;
  const db = context.db;
  const form = await request.formData();
  const search = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === 'string') search.append(k, v);
  const state = parseForecastSearch(search, addDays(todayIn(ws.time_zone, new Date()), -1));
  const planner = await plannerOf(db, ws, state.from, state.to);
  const infos = planner.channels.map((c, i) => ({
    channel: c.channel,
    curve: c.curve,
    conversion: c.conversion,
    defaultBudget: c.curve ? runRateBudget(planner.histories[i]!, state.month) : null,
  }));
  const inputs = whatIfInputs(state, infos);
  if (inputs.length === 0) return { ok: false, error: 'empty' };
  const rows = planRowsOfScenario(computeWhatIf(planner.channels, state.month, inputs));
  await db.transaction().execute(async (trx) => {
    for (const row of rows) await savePlan(trx, ws, row);
  });
  return { ok: true, month: state.month, rows: rows.length };
}
