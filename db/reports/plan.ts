import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { FlatRow } from '../../app/reports/export';
import { dayNumber, isoDay, monthRange } from '../../app/reports/forecast/calendar';
import { buildSliceForecaster, MAX_HORIZON_DAYS, stageRatesOf } from '../../app/reports/forecast/forecast';
import type { ForecastModelName } from '../../app/reports/forecast/slice-model';
import {
  AHEAD_AT,
  BEHIND_BELOW,
  computePacing,
  monthDays,
  monthPhase,
  PACING_FIELDS,
  type DayShape,
  type MonthPhase,
  type PacingResult,
  type PlanParams,
} from '../../app/reports/pacing';
import { getForecastHistory, TOTAL_SLICE } from '../queries/forecast';
import { getPlanActuals, getPlans, getSliceShares, type PlanRow } from '../queries/plans';
import type { ReportOutput } from './index';

/** Days of history the pacing forecast is fitted on (two years). */
export const PACING_HISTORY_DAYS = 730;
/** Days whose mix of leads, deals and revenue gives a region's or manager's share of the business forecast. */
export const SHARE_DAYS = 91;

export interface PlanPacingSlice {
  /** The slice's value ('' for the whole business). */
  key: string;
  plan: PlanRow;
  pacing: PacingResult;
  /** The forecast model the shape came from (null for a past month or when there is none). */
  model: ForecastModelName | null;
  fallback: string | null;
}

export interface PlanPacingReport {
  month: string;
  today: string;
  phase: MonthPhase;
  by: PlanParams['by'] | null;
  slices: PlanPacingSlice[];
  notes: string[];
}

/** Today's date in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export async function getPlanPacing(db: Db, ws: Workspace, params: PlanParams): Promise<PlanPacingReport> {
  const today = params.today ?? todayIn(ws.time_zone);
  const by = params.by;
  const { first, last } = monthRange(params.month);
  const { phase, daysElapsed, daysInMonth } = monthPhase(params.month, today);
  const plans = await getPlans(db, ws, params.month, by);
  const notes: string[] = [];
  const keyOf = (p: PlanRow) => (by ? p[by] : '');

  const countedTo = Math.min(last, dayNumber(today) - 1);
  const actuals = phase === 'future' ? new Map() : await getPlanActuals(db, ws, { from: isoDay(first), to: isoDay(countedTo), by });

  // Daily shapes of the month from the forecast (not needed once the month is over).
  const shapes = new Map<string, { shape: DayShape[] | null; model: ForecastModelName | null; fallback: string | null }>();
  if (phase !== 'past' && plans.length > 0) {
    const historyTo = dayNumber(today) - 1;
    const horizon = last - historyTo;
    if (horizon > MAX_HORIZON_DAYS) {
      notes.push(`the month ends more than ${MAX_HORIZON_DAYS} days after today: no forecast, no projection`);
    } else {
      const histories = await getForecastHistory(db, ws, { from: isoDay(historyTo - PACING_HISTORY_DAYS + 1), to: isoDay(historyTo), allChannels: by === 'channel' });
      const days = monthDays(params.month);
      for (const h of histories) {
        const f = buildSliceForecaster(h, Math.max(1, horizon));
        const rates = stageRatesOf(h.cohort);
        const shape = f.choice
          ? days.map((day) => {
              const n = dayNumber(day);
              const leads = f.leadsOn(n);
              const sales = leads * (rates.winRate ?? 0);
              return { day, sessions: f.sessionsOn(n), leads, sales, revenue: sales * Number(rates.avgDeal ?? 0) };
            })
          : null;
        shapes.set(h.slice, { shape, model: f.choice?.model ?? null, fallback: f.choice?.fallback ?? null });
      }
      if (by === 'region' || by === 'manager') {
        const business = shapes.get(TOTAL_SLICE);
        const shares = await getSliceShares(db, ws, { from: isoDay(historyTo - SHARE_DAYS + 1), to: isoDay(historyTo), by });
        for (const p of plans) {
          const s = shares.get(keyOf(p)) ?? { leads: 0, sales: 0, revenue: 0 };
          shapes.set(`${by}:${keyOf(p)}`, {
            shape: business?.shape?.map((d) => ({ day: d.day, sessions: d.sessions * s.leads, leads: d.leads * s.leads, sales: d.sales * s.sales, revenue: d.revenue * s.revenue })) ?? null,
            model: business?.model ?? null,
            fallback: business?.fallback ?? null,
          });
        }
        notes.push(`a ${by}'s forecast is the business forecast × its share of leads, deals and revenue over the last ${SHARE_DAYS} days`);
      }
    }
  }

  const slices = plans.map((plan): PlanPacingSlice => {
    const key = keyOf(plan);
    const shapeKey = by === 'region' || by === 'manager' ? `${by}:${key}` : by === 'channel' ? key : TOTAL_SLICE;
    const s = shapes.get(shapeKey) ?? { shape: null, model: null, fallback: null };
    const actual = actuals.get(key) ?? { leads: 0, sales: 0, revenue: '0.00', spend: by === 'manager' ? null : '0.00' };
    const pacing = computePacing({
      month: params.month,
      today,
      plan: { leads: plan.leads, max_cpl: plan.max_cpl, budget: plan.budget, sales: plan.sales, revenue: plan.revenue },
      actual,
      shape: s.shape,
    });
    return { key, plan, pacing, model: s.model, fallback: s.fallback };
  });

  notes.unshift(
    phase === 'past'
      ? `${params.month} is over: actual is final, attainment = actual ÷ plan`
      : phase === 'future'
        ? `${params.month} has not started (today ${today}): projected = the forecast of the whole month`
        : `${params.month}, ${daysElapsed} of ${daysInMonth} days counted (today ${today} not yet): expected by today on the forecast's daily shape, projected = actual + forecast of the ${daysInMonth - daysElapsed} days left`,
    `status: ahead if attainment ≥ ${AHEAD_AT}, behind if < ${BEHIND_BELOW}, else on_track (budget: over / under); cpl: within or over max CPL`,
  );
  if (slices.some((s) => s.pacing.flatShape)) notes.push('no forecast for some slices: expected by today is pro rata on days');
  if (plans.length === 0) notes.push(`no plans for ${params.month}${by ? ` by ${by}` : ' for the whole business'}`);
  return { month: params.month, today, phase, by: by ?? null, slices, notes };
}

/** `leadpath report plan`: one row per slice and planned metric. */
export async function planReport(db: Db, ws: Workspace, params: PlanParams): Promise<ReportOutput> {
  const r = await getPlanPacing(db, ws, params);
  const rows: FlatRow[] = [];
  for (const s of r.slices) {
    for (const m of s.pacing.rows) rows.push({ month: r.month, ...(r.by ? { [r.by]: s.key } : {}), ...m });
  }
  return {
    name: 'plan',
    columns: ['month', ...(r.by ? [r.by] : []), ...PACING_FIELDS],
    rows,
    notes: r.notes,
  };
}
