import type { AppLoadContext } from '@remix-run/node';
import { LEAD_FILTER_KEYS, unsupportedFilterKeys } from '../../db/queries/attribution';
import { getAttributionReport } from '../../db/reports/attribution';
import { getCachedPathsInput } from '../../db/reports/paths';
import type { FilterBarData } from '../components/filter-bar';
import type { AttributionRevenueRow, AttributionRow } from '../reports/attribution-report';
import { ATTRIBUTION_MODELS as ENGINE_MODELS, type AttributionModel } from '../reports/attribution/model-comparison';
import { computeCollapsedPath } from '../reports/attribution/paths';
import type { LeadPathRow } from '../reports/journeys';
import { computePathsReportFromGroups, type PathsReport } from '../reports/paths-report';
import type { FilterKey } from '../reports/params';
import { getFilterBarData, openDashboard, type DashboardContext } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Paths & attribution page. Two reports, each through the functions the
// CLI runs, so the page equals `leadpath report attribution|paths`:
// - the model comparison: getAttributionReport (db/reports/attribution.ts,
//   cached per data version), over every journey of the range — no filter
//   applies to it (non-converting journeys have no lead dimensions);
// - the paths report: getCachedPathsInput + computePathsReportFromGroups, over the leads
//   created in the range with the lead filters applied (region, manager,
//   product, temperature; a sales manager's own leads). The journey flow
//   diagram is drawn from the same grouped lead rows.
// The comparison covers the whole workspace, so a role limited to its own
// leads (a sales manager) gets the paths part only.

/** Steps of the journey flow diagram: the first touches of each lead's collapsed path. */
export const FLOW_STEPS = 4;

export interface FlowNode {
  /** `${step}:${channel}` */
  id: string;
  /** 0-based. */
  step: number;
  channel: string;
  /** Leads whose path has this channel at this step. */
  leads: number;
  /** Of those, leads whose path ends here (the touch before the lead). */
  ends: number;
}

export interface FlowLink {
  source: string;
  target: string;
  leads: number;
}

export interface JourneyFlows {
  steps: number;
  leads: number;
  /** Leads with more steps than the diagram shows. */
  longer: number;
  nodes: FlowNode[];
  links: FlowLink[];
}

/**
 * The first `steps` steps of the leads' collapsed paths (the paths report's
 * paths: consecutive repeats removed) as a flow: a node per step and channel
 * with the leads that pass it, a link per pair of consecutive steps. Nodes
 * come by step, then most leads first; links by source, then most leads.
 * A row stands for one lead, or for `leads` leads with the same channels.
 */
export function computeJourneyFlows(rows: readonly (Pick<LeadPathRow, 'channels'> & { leads?: number })[], steps = FLOW_STEPS): JourneyFlows {
  const nodes = new Map<string, FlowNode>();
  const links = new Map<string, FlowLink>();
  let longer = 0;
  let leads = 0;
  for (const row of rows) {
    const weight = row.leads ?? 1;
    leads += weight;
    const path = computeCollapsedPath(row.channels);
    if (path.length > steps) longer += weight;
    const shown = path.slice(0, steps);
    shown.forEach((channel, step) => {
      const id = `${step}:${channel}`;
      const node = nodes.get(id) ?? { id, step, channel, leads: 0, ends: 0 };
      node.leads += weight;
      if (step === path.length - 1) node.ends += weight;
      nodes.set(id, node);
      if (step > 0) {
        const source = `${step - 1}:${shown[step - 1]}`;
        const key = `${source}\u001f${id}`;
        const link = links.get(key) ?? { source, target: id, leads: 0 };
        link.leads += weight;
        links.set(key, link);
      }
    });
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const nodeList = [...nodes.values()].sort((a, b) => a.step - b.step || b.leads - a.leads || byName(a.channel, b.channel));
  const order = new Map(nodeList.map((n, i) => [n.id, i]));
  const linkList = [...links.values()].sort(
    (a, b) => order.get(a.source)! - order.get(b.source)! || b.leads - a.leads || order.get(a.target)! - order.get(b.target)!,
  );
  return { steps, leads, longer, nodes: nodeList, links: linkList };
}

export interface ModelComparison {
  rows: AttributionRow[];
  revenue: AttributionRevenueRow[];
  /** Each model's credits summed (rounded like the CLI's totals row): the number of leads. */
  totals: Record<AttributionModel, number>;
  leads: number;
  wonLeads: number;
  nonConvertingJourneys: number;
  totalRevenue: string;
  bootstrapIterations: number;
}

export interface AttributionPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  /** Null when the role may not see the whole workspace's journeys. */
  comparison: ModelComparison | null;
  paths: PathsReport;
  flows: JourneyFlows;
  /** Filters set in the URL that the paths report cannot apply (touch dimensions). */
  ignoredFilters: string[];
  /** Filters that narrow the paths part but not the model comparison. */
  pathOnlyFilters: string[];
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4 + 0;

export async function getAttributionPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<AttributionPage> {
  return loadAttributionPage(await openDashboard(context, slug, request));
}

/** The page's data once the guard has let the request through (also timed by the bench without a session). */
export async function loadAttributionPage({ db, ws, workspace, access, dashboard }: DashboardContext): Promise<AttributionPage> {
  const { params } = dashboard;
  const canCompare = access.can('leads:view_all');
  const [filterBar, attribution, pathsInput] = await Promise.all([
    getFilterBarData(db, ws, dashboard),
    canCompare ? getAttributionReport(db, ws, params) : null,
    getCachedPathsInput(db, ws, params),
  ]);
  const report = attribution?.report;
  const applied = Object.entries(params.filters)
    .filter(([key, values]) => (values?.length ?? 0) > 0 && (LEAD_FILTER_KEYS as readonly string[]).includes(key))
    .map(([key]) => key as FilterKey);
  return {
    workspace,
    // Nothing on the page is compared with another period.
    filterBar: { ...filterBar, comparison: null },
    comparison: report
      ? {
          rows: report.rows,
          revenue: report.revenue,
          totals: Object.fromEntries(ENGINE_MODELS.map((m) => [m, round4(report.totals[m])])) as Record<AttributionModel, number>,
          leads: report.leads,
          wonLeads: report.wonLeads,
          nonConvertingJourneys: report.nonConvertingJourneys,
          totalRevenue: report.totalRevenue,
          bootstrapIterations: report.bootstrapIterations,
        }
      : null,
    paths: computePathsReportFromGroups(pathsInput),
    flows: computeJourneyFlows(pathsInput.paths),
    ignoredFilters: unsupportedFilterKeys(params.filters),
    // A manager's own-leads filter is theirs, not a choice to point out.
    pathOnlyFilters: access.role === 'manager' ? applied.filter((k) => k !== 'manager') : applied,
  };
}
