import type { AppLoadContext } from '@remix-run/node';
import type { Db } from '../../db/client';
import { getFilterOptions } from '../../db/queries/filter-options';
import type { Workspace } from '../../db/schema';
import { requireWorkspaceAccess, scopeParams, type Access } from '../auth/guard.server';
import type { FilterBarData } from '../components/filter-bar';
import { comparisonRange, type Dashboard, type FilterOptions } from '../lib/dashboard-params';
import { getDashboard } from '../lib/dashboard-params.server';
import { LruCache } from '../reports/lru-cache';
import { toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

// What every dashboard page's loader starts with:
//
//   const { db, ws, workspace, dashboard } = await openDashboard(context, params.workspace, request);
//   const [filterBar, rows] = await Promise.all([
//     getFilterBarData(db, ws, dashboard),
//     getSomethingRows(db, ws, dashboard.params),
//   ]);
//
// `dashboard.params` (and `dashboard.comparison`) are ReportParams, ready
// for any report query and already narrowed to what the user's role may see;
// `dashboard.state` is what links and the filter bar carry.

export interface DashboardContext {
  db: Db;
  ws: Workspace;
  workspace: WorkspaceInfo;
  /** Who asks, with which role (app/auth/guard.server.ts). */
  access: Access;
  dashboard: Dashboard;
}

/**
 * The guard (the workspace in the URL, or a 404; the permission, or a 403)
 * and the dashboard state of the request's query, with the report params
 * scoped to the role (a sales manager sees only their own leads).
 */
export async function openDashboard(
  context: AppLoadContext,
  slug: string | undefined,
  request: Request,
  now = new Date(),
): Promise<DashboardContext> {
  const access = await requireWorkspaceAccess(request, context, slug, 'reports:view');
  const ws = access.workspace;
  const dashboard = getDashboard(request, ws, now);
  return {
    db: context.db,
    ws,
    workspace: toWorkspaceInfo(ws),
    access,
    dashboard: {
      ...dashboard,
      params: scopeParams(dashboard.params, access),
      comparison: dashboard.comparison && scopeParams(dashboard.comparison, access),
    },
  };
}

// Results that change only when data is imported (an import bumps the
// workspace's data_version): one cached promise per database, workspace,
// version and key. Old versions become unreachable and age out.
const versionCaches = new WeakMap<Db, LruCache<string, Promise<unknown>>>();
const VERSION_CACHE_ENTRIES = 256;

export function cachedPerVersion<T>(db: Db, ws: Pick<Workspace, 'id' | 'data_version'>, key: string, make: () => Promise<T>): Promise<T> {
  let cache = versionCaches.get(db);
  if (!cache) {
    cache = new LruCache(VERSION_CACHE_ENTRIES);
    versionCaches.set(db, cache);
  }
  const full = `${ws.id}|${Number(ws.data_version)}|${key}`;
  const hit = cache.get(full);
  if (hit) return hit as Promise<T>;
  const value = make();
  cache.set(full, value);
  // A failed query is not remembered.
  value.catch(() => cache.get(full) === value && cache.delete(full));
  return value;
}

/** The values each filter offers (they change only with the data). */
export function getCachedFilterOptions(db: Db, ws: Workspace): Promise<FilterOptions> {
  return cachedPerVersion(db, ws, 'filter-options', () => getFilterOptions(db, ws));
}

export async function getFilterBarData(db: Db, ws: Workspace, dashboard: Dashboard): Promise<FilterBarData> {
  const options = getCachedFilterOptions(db, ws);
  const { state } = dashboard;
  return {
    state,
    options: await options,
    comparison: state.compare === 'none' || !dashboard.comparison ? null : comparisonRange(state, state.compare),
  };
}
