import type { AppLoadContext } from '@remix-run/node';
import { getFunnelRows } from '../../db/queries/funnel';
import { getManagerRows } from '../../db/queries/managers';
import type { FilterBarData } from '../components/filter-bar';
import { computeFunnel, type FunnelReport } from '../reports/funnel';
import { computeManagers, type ManagerRow } from '../reports/managers';
import type { ReportParams } from '../reports/params';
import { cachedPerVersion, getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Managers page: the managers leaderboard (db/queries/managers.ts +
// app/reports/managers.ts, what `leadpath report managers` runs), and, when
// the manager filter names exactly one manager (a click on a name, or a
// sales manager's own view), that manager's funnel from the funnel report
// with the same filters.

export interface ManagersPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  rows: ManagerRow[];
  totals: ManagerRow;
  /** Totals over the comparison period, for the key figures' change. */
  previous: ManagerRow | null;
  /** False when a filter calls cannot be sliced by is on (the call columns are empty). */
  hasCalls: boolean;
  /** The one manager the filters name, whose funnel is shown. */
  selected: string | null;
  funnel: FunnelReport | null;
  /** False for a sales manager, who sees only their own leads (no "all managers" view). */
  canSeeAll: boolean;
}

/** The manager the report params narrow to, when they name exactly one. */
export function selectedManager(params: Pick<ReportParams, 'filters'>): string | null {
  const managers = params.filters.manager ?? [];
  return managers.length === 1 ? managers[0]! : null;
}

export async function getManagersPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<ManagersPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  const params: ReportParams = { ...dashboard.params, by: undefined };
  const selected = selectedManager(params);
  // Per (params, data version): a revisit or a period that was the comparison before is served from memory.
  const managerRows = (p: ReportParams) => cachedPerVersion(db, ws, JSON.stringify(['managers', p]), () => getManagerRows(db, ws, p));
  const [filterBar, current, previous, funnelRows] = await Promise.all([
    getFilterBarData(db, ws, { ...dashboard, state: { ...dashboard.state, by: undefined } }),
    managerRows(params),
    dashboard.comparison ? managerRows({ ...dashboard.comparison, by: undefined }) : null,
    selected !== null ? cachedPerVersion(db, ws, JSON.stringify(['funnel-rows', params]), () => getFunnelRows(db, ws, params, null)) : null,
  ]);
  const report = computeManagers(current);
  return {
    workspace,
    filterBar,
    rows: report.rows,
    totals: report.totals,
    previous: previous ? computeManagers(previous).totals : null,
    hasCalls: report.hasCalls,
    selected,
    funnel: funnelRows ? computeFunnel(funnelRows, { by: null }) : null,
    canSeeAll: access.can('leads:view_all'),
  };
}
