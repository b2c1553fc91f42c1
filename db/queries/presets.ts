import type { Db } from '../client';
import type { StatusMapEntry } from '../../app/import/presets/preset';

// A workspace's edits to a CRM preset's status map (status → pipeline stage
// and outcome). The preset's own defaults live in its module; these rows
// overlay them, so a workspace stores only what it changed.

export async function getStatusMapOverrides(db: Db, workspaceId: number, preset: string): Promise<StatusMapEntry[]> {
  return db
    .selectFrom('status_maps')
    .select(['status', 'stage', 'outcome'])
    .where('workspace_id', '=', workspaceId)
    .where('preset', '=', preset)
    .orderBy('status')
    .execute();
}

export async function setStatusMapEntry(db: Db, workspaceId: number, preset: string, entry: StatusMapEntry): Promise<void> {
  await db
    .insertInto('status_maps')
    .values({ workspace_id: workspaceId, preset, status: entry.status.trim(), stage: entry.stage, outcome: entry.outcome })
    .onConflict((oc) => oc.columns(['workspace_id', 'preset', 'status']).doUpdateSet({ stage: entry.stage, outcome: entry.outcome }))
    .execute();
}

export async function deleteStatusMapEntry(db: Db, workspaceId: number, preset: string, status: string): Promise<boolean> {
  const r = await db
    .deleteFrom('status_maps')
    .where('workspace_id', '=', workspaceId)
    .where('preset', '=', preset)
    .where('status', '=', status.trim())
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
