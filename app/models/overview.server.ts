import { redirect, type AppLoadContext } from '@remix-run/node';
import { getChannelRows } from '../../db/queries/channels';
import { getDataSummary, getPlanRows, getRecentImports, type Overview } from '../../db/queries/overview';
import type { FilterBarData } from '../components/filter-bar';
import { bucketsOf, monthStart } from '../lib/calendar';
import { timeBucketFor } from '../lib/dashboard-params';
import { rankByRomi, type ChannelRomi } from '../lib/overview';
import { computePlanProgress, findPlan, planSliceOf, type PlanProgress, type PlanSlice } from '../lib/plan-progress';
import { computeChannelsReport } from '../reports/channels';
import type { Metrics } from '../reports/metrics';
import type { ReportParams } from '../reports/params';
import { cachedPerVersion, getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Overview page. Every figure comes from the channel ROI report
// (db/queries/channels.ts + app/reports/channels.ts): KPIs are its totals,
// the trend is the same report by day or week, the ROMI ranking its rows by
// channel. All queries run at once.

export type { ImportSummary } from '../../db/queries/overview';

export interface TrendPoint {
  date: string;
  spend: number | null;
  leads: number;
  cpl: number | null;
}

export interface OverviewPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  kpis: { current: Metrics; previous: Metrics | null };
  trend: { unit: 'day' | 'week' | 'month'; points: TrendPoint[] };
  romi: { top: ChannelRomi[]; bottom: ChannelRomi[] };
  /** Plan progress for the month of the range's last day; null when no plan row fits the filters. */
  plan: (PlanProgress & { slice: PlanSlice }) | null;
  overview: Overview;
}

export async function getOverviewPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<OverviewPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  // The Overview is the business at a glance: total ad spend, every import,
  // the whole workspace's data. A sales manager's home is their own KPIs.
  if (!access.can('spend:view')) throw redirect(`/w/${ws.slug}/managers${new URL(request.url).search}`);
  const params: ReportParams = { ...dashboard.params, by: 'channel' };
  const unit = timeBucketFor(params);
  const month = monthStart(params.to);
  const slice = planSliceOf(params.filters);
  // Plan actuals run from the first of the month; when the range already does, its totals serve.
  const monthParams: ReportParams | null = slice && params.from !== month ? { ...params, from: month } : null;
  // Per (params, data version): the comparison period, the trend and a revisit are served from memory.
  const report = (p: ReportParams) =>
    cachedPerVersion(db, ws, JSON.stringify(['channels', p]), async () => computeChannelsReport(await getChannelRows(db, ws, p), p));

  const summaryParams = { workspaceId: ws.id, timeZone: ws.time_zone, importLimit: 5 };
  const [filterBar, current, previous, trend, plans, monthToDate, summary, imports] = await Promise.all([
    getFilterBarData(db, ws, dashboard),
    report(params),
    dashboard.comparison ? report({ ...dashboard.comparison, by: 'channel' }) : null,
    report({ ...params, by: unit }),
    slice ? getPlanRows(db, ws.id, month, month) : [],
    monthParams ? report(monthParams) : null,
    // Counting millions of sessions is the page's slowest query; its answer changes only with the data.
    cachedPerVersion(db, ws, `data-summary|${ws.time_zone}`, () => getDataSummary(db, summaryParams)),
    getRecentImports(db, summaryParams),
  ]);
  const overview: Overview = { ...summary, imports };

  const byBucket = new Map(trend.rows.map((r) => [String(r[unit]), r]));
  const points = bucketsOf(params.from, params.to, unit).map((date): TrendPoint => {
    const r = byBucket.get(date);
    return {
      date,
      spend: trend.leadOnly ? null : Number(r?.spend ?? 0),
      leads: r?.leads ?? 0,
      cpl: r?.cpl === null || r?.cpl === undefined ? null : Number(r.cpl),
    };
  });

  const planRow = slice ? findPlan(plans, month, slice) : null;
  const plan =
    planRow && slice ? { ...computePlanProgress(planRow, (monthToDate ?? current).totals, params.to), slice } : null;

  return {
    workspace,
    filterBar,
    kpis: { current: current.totals, previous: previous?.totals ?? null },
    trend: { unit, points },
    romi: rankByRomi(current.rows),
    plan,
    overview,
  };
}
