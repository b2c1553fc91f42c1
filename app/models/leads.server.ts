import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import { ensureMarkovCredits } from '../../db/analytics/markov-credits';
import {
  getLeadList,
  getLeadTimelineRows,
  getPipelineStages,
  LEAD_SORTS,
  TIMELINE_ROW_LIMIT,
  type LeadListRow,
  type LeadScope,
  type LeadSort,
  type SortDirection,
} from '../../db/queries/leads';
import type { Access } from '../auth/guard.server';
import type { FilterBarData } from '../components/filter-bar';
import { LEAD_KINDS, OUTCOMES } from '../domain/pipeline';
import { searchToObject, type DashboardState } from '../lib/dashboard-params';
import { computeLeadTimeline, type LeadKind, type LeadOutcome, type LeadTimeline, type LeadTimelineLead } from '../reports/lead-timeline';
import { getFilterBarData, openDashboard } from './dashboard.server';
import type { WorkspaceInfo } from './workspace.server';

// The Leads pages. The list: the dashboard filters plus the list's own URL
// keys (q, outcome, stage, kind, sort, dir, page), one query for the page of
// rows and the totals (db/queries/leads.ts). One lead: its timeline and
// per-model credits (app/reports/lead-timeline.ts). Both are scoped to the
// role: a sales manager lists and opens only their own leads (another
// manager's lead is a 404), and phones and emails leave the server only for
// roles that may see every lead, or for the lead's own manager.

export const LEAD_PAGE_SIZE = 50;

/** The list's own URL keys (the dashboard's are in app/lib/dashboard-params.ts). */
export const LEAD_LIST_KEYS = ['q', 'outcome', 'stage', 'kind', 'sort', 'dir', 'page'] as const;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const many = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Like the dashboard schema, each key falls back to its default on its own: a stale URL still shows a list. */
const leadListSearchSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(200)).catch('').default(''),
  outcome: z.preprocess(many, z.array(z.enum(OUTCOMES)).max(OUTCOMES.length)).catch([]).default([]),
  stage: z.preprocess(many, z.array(z.string().trim().min(1).max(100)).max(30)).catch([]).default([]),
  kind: z.preprocess(many, z.array(z.enum(LEAD_KINDS)).max(LEAD_KINDS.length)).catch([]).default([]),
  sort: z.preprocess(first, z.enum(LEAD_SORTS)).catch('created_at').default('created_at'),
  dir: z.preprocess(first, z.enum(['asc', 'desc'])).catch('desc').default('desc'),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000)).catch(1).default(1),
});

export interface LeadListState {
  q: string;
  outcome: LeadOutcome[];
  stage: string[];
  kind: LeadKind[];
  sort: LeadSort;
  dir: SortDirection;
  page: number;
}

export function parseLeadListSearch(search: URLSearchParams): LeadListState {
  const s = leadListSearchSchema.parse(searchToObject(search));
  return { ...s, outcome: [...new Set(s.outcome)], stage: [...new Set(s.stage)], kind: [...new Set(s.kind)] };
}

export function leadScopeOf(access: Access): LeadScope {
  const isManager = access.role === 'manager';
  return {
    allContacts: access.can('leads:view_all'),
    // A manager without a name on record owns no leads.
    manager: isManager ? (access.managerName ?? '\u0000none') : null,
  };
}

/** A list row as the browser gets it: times as ISO strings. */
export type LeadListItem = Omit<LeadListRow, 'createdAt' | 'closedAt'> & { createdAt: string; closedAt: string | null };

export interface LeadsPage {
  workspace: WorkspaceInfo;
  filterBar: FilterBarData;
  list: LeadListState;
  rows: LeadListItem[];
  total: number;
  pageSize: number;
  byOutcome: Record<LeadOutcome, number>;
  wonRevenue: string;
  stages: string[];
  /** Phones and emails are part of the rows (for some or all leads). */
  showContacts: boolean;
}

export async function getLeadsPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<LeadsPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request);
  const list = parseLeadListSearch(new URL(request.url).searchParams);
  const scope = leadScopeOf(access);
  const { params } = dashboard;
  const [filterBar, result, stages] = await Promise.all([
    getFilterBarData(db, ws, dashboard),
    getLeadList(
      db,
      ws,
      {
        from: params.from,
        to: params.to,
        model: params.model,
        filters: params.filters,
        search: list.q,
        outcomes: list.outcome,
        stages: list.stage,
        kinds: list.kind,
        sort: list.sort,
        dir: list.dir,
        page: list.page,
        pageSize: LEAD_PAGE_SIZE,
      },
      scope,
    ),
    getPipelineStages(db, ws),
  ]);
  return {
    workspace,
    // Nothing on the page is compared with another period.
    filterBar: { ...filterBar, comparison: null },
    list,
    rows: result.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null })),
    total: result.total,
    pageSize: LEAD_PAGE_SIZE,
    byOutcome: result.byOutcome,
    wonRevenue: result.wonRevenue,
    stages,
    showContacts: scope.allContacts || scope.manager !== null,
  };
}

// No stored id holds NUL (PostgreSQL text cannot): such a URL is a 404, not a database error.
const leadIdSchema = z.string().min(1).max(200).refine((s) => !s.includes('\u0000'));

export type LeadInfo = Omit<LeadTimelineLead, 'createdAt' | 'closedAt' | 'firstTouchAt'> & {
  createdAt: string;
  closedAt: string | null;
  firstTouchAt: string | null;
};

export interface LeadPage {
  workspace: WorkspaceInfo;
  /** The dashboard state the list was opened with (the way back carries it). */
  state: DashboardState;
  lead: LeadInfo;
  timeline: LeadTimeline;
  pipeline: string[];
  /** Days before a lead whose visits can be its touches (the workspace's stitching window). */
  lookbackDays: number;
}

export async function getLeadPage(
  context: AppLoadContext,
  slug: string | undefined,
  leadIdParam: string | undefined,
  request: Request,
  now = new Date(),
): Promise<LeadPage> {
  const { db, ws, workspace, access, dashboard } = await openDashboard(context, slug, request, now);
  const leadId = leadIdSchema.safeParse(leadIdParam);
  const notFound = () => new Response(`There is no lead “${leadIdParam ?? ''}” in this workspace.`, { status: 404, statusText: 'Not Found' });
  if (!leadId.success) throw notFound();
  // Markov's per-lead credits are written after imports on first use; a no-op when current.
  await ensureMarkovCredits(db, ws);
  const raw = await getLeadTimelineRows(db, ws, leadId.data, leadScopeOf(access));
  if (!raw) throw notFound();
  const { lead } = raw;
  return {
    workspace,
    state: dashboard.state,
    lead: {
      ...lead,
      createdAt: lead.createdAt.toISOString(),
      closedAt: lead.closedAt?.toISOString() ?? null,
      firstTouchAt: lead.firstTouchAt?.toISOString() ?? null,
    },
    timeline: computeLeadTimeline(raw, { now, rowLimit: TIMELINE_ROW_LIMIT }),
    pipeline: raw.pipeline,
    lookbackDays: raw.lookbackDays,
  };
}
