import type { Db } from '../../db/client';
import { getWorkspaceBySlug, listWorkspaces, newWorkspaceSchema } from '../../db/queries/workspaces';
import type { Workspace } from '../../db/schema';

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

export async function getWorkspaceOptions(db: Db): Promise<WorkspaceInfo[]> {
  return (await listWorkspaces(db)).map(toWorkspaceInfo);
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
