import type { Db } from '../../db/client';
import { getOverview, type Overview } from '../../db/queries/overview';
import { requireWorkspace, toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

export type { ImportSummary } from '../../db/queries/overview';

export interface OverviewPage {
  workspace: WorkspaceInfo;
  overview: Overview;
}

export async function getOverviewPage(db: Db, slug: string | undefined): Promise<OverviewPage> {
  const workspace = await requireWorkspace(db, slug);
  const overview = await getOverview(db, { workspaceId: workspace.id, timeZone: workspace.time_zone });
  return { workspace: toWorkspaceInfo(workspace), overview };
}
