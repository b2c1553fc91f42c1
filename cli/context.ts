import { connect, type Connection } from '../db/connect';
import { getWorkspaceBySlug, listWorkspaces } from '../db/queries/workspaces';
import type { Workspace } from '../db/schema';
import type { Db } from '../db/client';

/** An error the CLI prints as one clear line (no stack) before exiting 1. */
export class CliError extends Error {}

/** Runs fn with a database connection, closing it (and an embedded server this process started) after. */
export async function withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await connect();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

/** The workspace named by --workspace, or the only one there is. */
export async function resolveWorkspace(db: Db, slug: string | undefined): Promise<Workspace> {
  if (slug) {
    const ws = await getWorkspaceBySlug(db, slug);
    if (!ws) throw new CliError(`no workspace "${slug}" (see: npx leadpath workspace list)`);
    return ws;
  }
  const all = await listWorkspaces(db);
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) throw new CliError('no workspace yet: run "npx leadpath workspace create ..." or "npx leadpath demo"');
  throw new CliError(`several workspaces exist, choose one with --workspace (${all.map((w) => w.slug).join(', ')})`);
}
