import type { AppLoadContext } from '@remix-run/node';
import { getChannelRows } from '../../db/queries/channels';
import { getPlanRows } from '../../db/queries/overview';
import type { FilterBarData } from '../components/filter-bar';
import { monthsOf, monthStart } from '../lib/calendar';
import { maxCplByChannel } from '../lib/plan-progress';
import { computeChannelsReport, type ChannelRow } from '../reports/channels';
import type { Metrics } from '../reports/metrics';
import type { ReportParams } from '../reports/params';
import { channelsByOf, type ChannelsBy } from '../lib/channel-levels';
import { cachedPerVersion, getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Channels page: the channel ROI report (db/queries/channels.ts +
// app/reports/channels.ts, the same pair the CLI's `report channels` runs) at
// one drill level, with the plan's CPL limits.

export interface ChannelsPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  by: ChannelsBy;
  /** Key columns of the rows, e.g. ['channel', 'source', 'medium']. */
  keys: string[];
  rows: ChannelRow[];
  totals: Metrics;
  /** Spend and sessions do not apply (a lead-only slice or filter). */
  leadOnly: boolean;
  /** Highest plan max CPL per channel over the months of the range (decimal strings). */
  cplLimits: Record<string, string>;
}

export async function getChannelsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<ChannelsPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  // A sales manager's view is scoped to their leads, which makes the report
  // lead-only (no spend, so no CPL, ROMI...); the plan's CPL limits are spend too.
  const canSeeSpend = access.can('spend:view');
  const by = channelsByOf(dashboard.state.by);
  const params: ReportParams = { ...dashboard.params, by };
  const [filterBar, raw, plans] = await Promise.all([
    getFilterBarData(db, ws, { ...dashboard, state: { ...dashboard.state, by } }),
    cachedPerVersion(db, ws, JSON.stringify(['channel-rows', params]), () => getChannelRows(db, ws, params)),
    canSeeSpend ? getPlanRows(db, ws.id, monthStart(params.from), monthStart(params.to)) : [],
  ]);
  const report = computeChannelsReport(raw, params);
  return {
    workspace,
    filterBar,
    by,
    keys: report.keys,
    rows: report.rows,
    totals: report.totals,
    leadOnly: report.leadOnly,
    cplLimits: Object.fromEntries(maxCplByChannel(plans, monthsOf(params.from, params.to))),
  };
}
