import { Readable } from 'node:stream';
import type { Db } from '../../db/client';
import { runImport, type ImportResult } from '../../db/import/run-import';
import { createWorkspace } from '../../db/queries/workspaces';
import type { ImportKind } from '../../app/import/formats';
import type { Workspace } from '../../db/schema';

export async function makeWorkspace(db: Db, slug = 'acme', overrides: Partial<{ timeZone: string; currency: string }> = {}): Promise<Workspace> {
  return createWorkspace(db, {
    slug,
    name: `Test ${slug}`,
    timeZone: overrides.timeZone ?? 'Europe/Kyiv',
    currency: overrides.currency ?? 'UAH',
  });
}

/** Imports CSV text (or raw bytes) as a file named `<kind>.csv`. */
export async function importText(
  db: Db,
  workspace: Workspace,
  kind: ImportKind,
  content: string | Buffer,
  opts: { skipInvalid?: boolean; name?: string } = {},
): Promise<ImportResult> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return runImport(db, {
    workspace,
    kind,
    file: { stream: Readable.from([bytes]), name: opts.name ?? `${kind}.csv` },
    skipInvalid: opts.skipInvalid,
    actor: 'test',
  });
}

export const csv = (...lines: string[]) => lines.join('\n') + '\n';
