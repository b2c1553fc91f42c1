import type { AppLoadContext } from '@remix-run/node';
import type { Role, Workspace } from '../../db/schema';
import type { Filters, ReportParams } from '../reports/params';
import { requireWorkspace } from '../models/workspace.server';
import { can, type Permission } from './permissions';

/** Who is asking, in which workspace, with which role. */
export interface Access {
  workspace: Workspace;
  userId: number | null;
  role: Role;
  /** For role 'manager': the manager name their leads carry. */
  managerName: string | null;
  can(permission: Permission): boolean;
}

/**
 * The guard every workspace loader and action calls first: resolves the
 * workspace in the URL (404 when missing or not the user's — never reveal it
 * exists) and checks the permission (403).
 *
 * Until accounts land (issue 6), every request acts as the owner.
 */
export async function requireWorkspaceAccess(
  _request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  permission: Permission,
): Promise<Access> {
  const workspace = await requireWorkspace(context.db, slug);
  const role: Role = 'owner';
  const access: Access = { workspace, userId: null, role, managerName: null, can: (p) => can(role, p) };
  if (!access.can(permission)) throw new Response('Forbidden', { status: 403 });
  return access;
}

/** Report parameters narrowed to what the role may see: a manager sees only their own leads. */
export function scopeParams<P extends Pick<ReportParams, 'filters'>>(params: P, access: Access): P {
  if (access.role !== 'manager') return params;
  const filters: Filters = { ...params.filters, manager: [access.managerName ?? '\u0000none'] };
  return { ...params, filters };
}
