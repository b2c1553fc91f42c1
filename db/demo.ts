import path from 'node:path';
import { DEMO_WORKSPACE, generateSeed } from '../seeds/generate';
import type { ImportKind } from '../app/import/formats';
import type { Db } from './client';
import { runImport, type ImportResult } from './import/run-import';
import { stateDir } from './paths';
import { createWorkspace, getWorkspaceBySlug } from './queries/workspaces';
import type { Workspace } from './schema';

// The demo workspace: generated canonical CSVs loaded through the same import
// path as real data, so the demo exercises exactly what users run.

export { DEMO_WORKSPACE };

/** Kinds in the order their references need (leads before their stage history). */
export const IMPORT_ORDER: ImportKind[] = ['tracking_numbers', 'sessions', 'calls', 'leads', 'lead_stages', 'spend', 'plans'];

export interface DemoOptions {
  scale?: 'demo' | 'small' | 'large';
  seed?: number;
  /** Last day of data (YYYY-MM-DD); default yesterday in the demo time zone, so "last 30 days" has data. */
  endDate?: string;
  slug?: string;
  log?: (line: string) => void;
}

export function yesterdayIn(timeZone: string, now = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export async function loadDemo(db: Db, opts: DemoOptions = {}): Promise<{ workspace: Workspace; results: ImportResult[] }> {
  const slug = opts.slug ?? DEMO_WORKSPACE.slug;
  const log = opts.log ?? (() => {});
  if (await getWorkspaceBySlug(db, slug)) throw new Error(`workspace "${slug}" already exists`);
  const scale = opts.scale ?? 'demo';
  const endDate = opts.endDate ?? yesterdayIn(DEMO_WORKSPACE.timeZone);
  const outDir = path.join(stateDir, 'seed', `${scale}-${opts.seed ?? 42}-${endDate}`);
  log(`generating ${scale} data up to ${endDate} in ${outDir}`);
  const summary = await generateSeed({ scale, seed: opts.seed ?? 42, outDir, endDate, timeZone: DEMO_WORKSPACE.timeZone });
  const workspace = await createWorkspace(db, { ...DEMO_WORKSPACE, slug });
  const results: ImportResult[] = [];
  for (const kind of IMPORT_ORDER) {
    const file = summary.files[kind].path;
    const r = await runImport(db, { workspace, kind, file, actor: 'demo' });
    results.push(r);
    if (r.status !== 'succeeded') {
      throw new Error(`demo import of ${kind} failed: ${r.errors.slice(0, 3).map((e) => `line ${e.line} ${e.column ?? ''}: ${e.reason}`).join('; ')}`);
    }
    log(`imported ${kind}: ${r.inserted} rows in ${r.durationMs} ms`);
  }
  return { workspace, results };
}
