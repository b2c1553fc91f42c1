import type { AppLoadContext } from '@remix-run/node';
import { getAccessRow, getMembershipsOf } from '../../db/queries/accounts';
import type { Role, Workspace } from '../../db/schema';
import type { Filters, ReportParams } from '../reports/params';
import { workspaceSlugSchema } from '../models/workspace.server';
import { can, type Permission } from './permissions';
import { getSessionUser, requireUser } from './session.server';

/** Who is asking, in which workspace, with which role. */
export interface Access {
  workspace: Workspace;
  userId: number | null;
  role: Role;
  /** For role 'manager': the manager name their leads carry. */
  managerName: string | null;
  can(permission: Permission): boolean;
}

/** The same answer for "no such workspace" and "not yours": a non-member learns nothing. */
function notFound(slug: string | undefined): Response {
  return new Response(`There is no workspace called “${slug ?? ''}”.`, { status: 404, statusText: 'Not Found' });
}

/**
 * The guard every workspace loader and action calls first: no session → a
 * redirect to /login?next=…; no such workspace or not a member → 404 (never
 * reveal it exists); a member without the permission → 403.
 */
export async function requireWorkspaceAccess(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  permission: Permission,
): Promise<Access> {
  const user = await requireUser(request, context);
  const parsed = workspaceSlugSchema.safeParse(slug);
  const row = parsed.success ? await getAccessRow(context.db, user.id, parsed.data) : undefined;
  if (!row) throw notFound(slug);
  const { member_role: role, member_manager_name: managerName, ...workspace } = row;
  const access: Access = { workspace, userId: user.id, role, managerName, can: (p) => can(role, p) };
  if (!access.can(permission)) throw new Response('Forbidden: your role in this workspace does not allow this.', { status: 403, statusText: 'Forbidden' });
  return access;
}

/** A second permission on top of the one the guard checked (e.g. a report page that also shows spend): 403 without it. */
export function requirePermission(access: Access, permission: Permission): void {
  if (!access.can(permission)) throw new Response('Forbidden: your role in this workspace does not allow this.', { status: 403, statusText: 'Forbidden' });
}

export interface AccessibleWorkspace {
  slug: string;
  name: string;
  role: Role;
}

/** The signed-in user's workspaces, for the switcher ([] when signed out). */
export async function listAccessibleWorkspaces(request: Request, context: AppLoadContext): Promise<AccessibleWorkspace[]> {
  const user = await getSessionUser(request, context);
  if (!user) return [];
  const rows = await getMembershipsOf(context.db, user.id);
  return rows.map((r) => ({ slug: r.slug, name: r.name, role: r.role }));
}

/** Report parameters narrowed to what the role may see: a manager sees only their own leads. */
export function scopeParams<P extends Pick<ReportParams, 'filters'>>(params: P, access: Access): P {
  if (access.role !== 'manager') return params;
  const filters: Filters = { ...params.filters, manager: [access.managerName ?? '\u0000none'] };
  return { ...params, filters };
}
