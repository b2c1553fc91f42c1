import type { AppLoadContext } from '@remix-run/node';
import { getCallsRows, type CallsQueryParams } from '../../db/queries/calls';
import type { FilterBarData } from '../components/filter-bar';
import { bucketsOf } from '../lib/calendar';
import { timeBucketFor } from '../lib/dashboard-params';
import { keyFields } from '../reports/channels';
import {
  computeCallsReport,
  type CallHourRow,
  type CallMetrics,
  type CallsReport,
  type MissedByManagerRow,
  type StaticNumberRow,
} from '../reports/calls';
import { callsByOf, type CallsPageBy } from '../components/funnel/slices';
import { cachedPerVersion, getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Calls page: the calls report (db/queries/calls.ts +
// app/reports/calls.ts, what `leadpath report calls` runs) by the chosen
// slice, again by day/week/month for the volume chart, and its totals over
// the comparison period. What missed calls cost is spend-derived: for a role
// without 'spend:view' every cost and spend figure is removed here, on the
// server, so it never reaches the browser.

export type KeyField = 'channel' | 'source' | 'medium' | 'campaign' | 'region' | 'manager';

/** Call metrics with the spend-derived ones null when the role may not see spend. */
export type CallFigures = Omit<CallMetrics, 'cost_per_call' | 'missed_cost'> & { cost_per_call: string | null; missed_cost: string | null };
export type CallsPageRow = CallFigures & Partial<Record<KeyField, string>>;

export interface CallsTrendPoint {
  date: string;
  calls: number;
  answered: number;
  missed: number;
  repeat: number;
}

export interface CallsPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  by: CallsPageBy;
  keys: KeyField[];
  rows: CallsPageRow[];
  totals: CallFigures;
  previous: CallFigures | null;
  trend: { unit: 'day' | 'week' | 'month'; points: CallsTrendPoint[] };
  byHour: CallHourRow[];
  staticNumbers: (Omit<StaticNumberRow, 'spend' | 'cpl'> & { spend: string | null; cpl: string | null })[];
  missedByManager: (Omit<MissedByManagerRow, 'missed_cost'> & { missed_cost: string | null })[];
  canSeeSpend: boolean;
  /** False for a sales manager, whose calls are the only ones in scope (no manager filter to offer). */
  canSeeAll: boolean;
}

export async function getCallsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<CallsPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  const by = callsByOf(dashboard.state.by);
  const unit = timeBucketFor(dashboard.params);
  const canSeeSpend = access.can('spend:view');
  // Per (params, data version): a revisit or a period that was the comparison before is served from memory.
  const report = (p: CallsQueryParams) =>
    cachedPerVersion(db, ws, JSON.stringify(['calls', p]), async () => computeCallsReport(await getCallsRows(db, ws, p), { by: p.by }));
  const [filterBar, current, trend, previous] = await Promise.all([
    getFilterBarData(db, ws, { ...dashboard, state: { ...dashboard.state, by } }),
    report({ ...dashboard.params, by }),
    report({ ...dashboard.params, by: unit }),
    dashboard.comparison ? report({ ...dashboard.comparison, by }) : null,
  ]);
  return {
    workspace,
    filterBar,
    by,
    keys: keyFields(by) as KeyField[],
    rows: current.rows.map((r) => ({ ...(r as CallsPageRow), ...costs(r, canSeeSpend) })),
    totals: { ...current.totals, ...costs(current.totals, canSeeSpend) },
    previous: previous ? { ...previous.totals, ...costs(previous.totals, canSeeSpend) } : null,
    trend: { unit, points: trendPoints(trend, unit, dashboard.params.from, dashboard.params.to) },
    byHour: current.byHour,
    staticNumbers: current.staticNumbers.map((n) => (canSeeSpend ? n : { ...n, spend: null, cpl: null })),
    missedByManager: current.missedByManager.map((m) => (canSeeSpend ? m : { ...m, missed_cost: null })),
    canSeeSpend,
    canSeeAll: access.can('leads:view_all'),
  };
}

function costs(m: CallMetrics, canSeeSpend: boolean): Pick<CallFigures, 'cost_per_call' | 'missed_cost'> {
  return canSeeSpend ? { cost_per_call: m.cost_per_call, missed_cost: m.missed_cost } : { cost_per_call: null, missed_cost: null };
}

/** Every bucket of the range, zeros included, so the chart's time axis has no gaps. */
function trendPoints(report: CallsReport, unit: 'day' | 'week' | 'month', from: string, to: string): CallsTrendPoint[] {
  const byBucket = new Map(report.rows.map((r) => [String(r[unit]), r]));
  return bucketsOf(from, to, unit).map((date) => {
    const r = byBucket.get(date);
    return { date, calls: r?.calls ?? 0, answered: r?.answered ?? 0, missed: r?.missed ?? 0, repeat: r?.repeat ?? 0 };
  });
}
