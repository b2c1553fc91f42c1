import type { AppLoadContext } from '@remix-run/node';
import type { Db } from '../../db/client';
import { getWorkspaceBySlug, newWorkspaceSchema } from '../../db/queries/workspaces';
import type { Role, Workspace } from '../../db/schema';
import { listMemberships } from '../auth/accounts.server';
import { can } from '../auth/permissions';
import { getSessionUser, requireUser } from '../auth/session.server';

/** What the browser may know about a workspace. */
export interface WorkspaceInfo {
  slug: string;
  name: string;
  timeZone: string;
  currency: string;
}

/** The shape of a workspace slug, as accepted when one is created. */
export const workspaceSlugSchema = newWorkspaceSchema.shape.slug;

export function toWorkspaceInfo(ws: Workspace): WorkspaceInfo {
  return { slug: ws.slug, name: ws.name, timeZone: ws.time_zone, currency: ws.currency };
}

/** The workspace named in the URL, or a thrown 404 Response. */
export async function requireWorkspace(db: Db, slug: string | undefined): Promise<Workspace> {
  // A malformed slug cannot exist; no need to ask the database.
  const parsed = workspaceSlugSchema.safeParse(slug);
  const workspace = parsed.success ? await getWorkspaceBySlug(db, parsed.data) : undefined;
  if (!workspace) {
    throw new Response(`There is no workspace called “${slug ?? ''}”.`, { status: 404, statusText: 'Not Found' });
  }
  return workspace;
}

/** A workspace in the shell's switcher: only the signed-in user's, with their role there. */
export interface ShellWorkspace {
  slug: string;
  name: string;
  role: Role;
  canManageUsers: boolean;
  canManageTokens: boolean;
}

export interface ShellData {
  user: { email: string } | null;
  workspaces: ShellWorkspace[];
}

/** The signed-in user and their workspaces, for the top bar; nobody signed in → no workspaces at all. */
export async function getShellData(request: Request, context: AppLoadContext): Promise<ShellData> {
  const user = await getSessionUser(request, context);
  if (!user) return { user: null, workspaces: [] };
  const memberships = await listMemberships(context.db, user.id);
  return {
    user: { email: user.email },
    workspaces: memberships.map((m) => ({
      slug: m.slug,
      name: m.name,
      role: m.role,
      canManageUsers: can(m.role, 'users:manage'),
      canManageTokens: can(m.role, 'tokens:manage'),
    })),
  };
}

/** The signed-in user's workspace with this slug; anyone else's and a missing one are the same 404. */
export async function requireOwnWorkspaceSlug(request: Request, context: AppLoadContext, slug: string): Promise<string> {
  await requireUser(request, context);
  const { workspaces } = await getShellData(request, context);
  if (!workspaces.some((w) => w.slug === slug)) {
    throw new Response(`There is no workspace called “${slug}”.`, { status: 404, statusText: 'Not Found' });
  }
  return slug;
}
