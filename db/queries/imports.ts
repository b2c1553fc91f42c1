import type { Db } from '../client';

export async function listImports(db: Db, workspaceId: number, limit = 20) {
  return db
    .selectFrom('import_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function listRejectedRows(db: Db, workspaceId: number, importId: number) {
  return db
    .selectFrom('rejected_rows')
    .select(['line', 'column_name', 'value', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .orderBy('seq')
    .execute();
}
