import type { AppLoadContext } from '@remix-run/node';
import { getFunnelRows } from '../../db/queries/funnel';
import { QUALIFIED_STAGE } from '../domain/pipeline';
import type { FilterBarData } from '../components/filter-bar';
import { funnelByOf } from '../components/funnel/slices';
import {
  computeFunnel,
  type FunnelBreakdown,
  type FunnelOutcomeRow,
  type FunnelReport,
  type SpeedRow,
} from '../reports/funnel';
import type { ReportParams } from '../reports/params';
import { cachedPerVersion, getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Funnel page: the funnel report (db/queries/funnel.ts +
// app/reports/funnel.ts, the pair `leadpath report funnel` runs) for the
// chosen breakdown, and the same report without one over the comparison
// period for the key figures' change.

export interface FunnelSummary {
  /** Outcomes of all leads in scope (the report's total group). */
  outcome: FunnelOutcomeRow | null;
  /** Speed to first contact of all managers. */
  speed: SpeedRow | null;
  /** Share of the leads that reached the qualified stage (or a later one). */
  qualifiedRate: number | null;
}

export interface FunnelPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  by: FunnelBreakdown | null;
  report: FunnelReport;
  current: FunnelSummary;
  previous: FunnelSummary | null;
  /** False for a sales manager, whose leads are the only ones in scope (no manager filter to offer). */
  canSeeAll: boolean;
}

/** The all-leads figures of a report: the only group without a breakdown, the last ('total') with one. */
export function summaryOf(report: FunnelReport): FunnelSummary {
  const all = report.groups.at(-1);
  const qualified = report.stages.find((s) => s.group === all && s.stage === QUALIFIED_STAGE);
  return {
    outcome: report.outcomes.at(-1) ?? null,
    speed: report.speed.at(-1) ?? null,
    qualifiedRate: qualified?.conversion_from_first ?? null,
  };
}


export async function getFunnelPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<FunnelPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  const by = funnelByOf(dashboard.state.by);
  const params: ReportParams = { ...dashboard.params, by: by ?? undefined };
  // One funnel per (params, breakdown) and data version: a revisit or a period that was the
  // comparison before is served from memory. The comparison feeds only the key figures, which
  // read no median time between stages, so those are not computed for it.
  const funnel = (p: ReportParams, b: FunnelBreakdown | null, stepMedians: boolean) =>
    cachedPerVersion(db, ws, JSON.stringify(['funnel', p, b, stepMedians]), async () =>
      computeFunnel(await getFunnelRows(db, ws, p, b, { stepMedians }), { by: b }),
    );
  const [filterBar, report, previous] = await Promise.all([
    getFilterBarData(db, ws, { ...dashboard, state: { ...dashboard.state, by: by ?? undefined } }),
    funnel(params, by, true),
    dashboard.comparison ? funnel({ ...dashboard.comparison, by: undefined }, null, false) : null,
  ]);
  return {
    workspace,
    filterBar,
    by,
    report,
    current: summaryOf(report),
    previous: previous ? summaryOf(previous) : null,
    canSeeAll: access.can('leads:view_all'),
  };
}
