import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { IMPORT_KINDS, type ImportKind } from '../../app/import/formats';
import { projectRoot, stateDir } from '../../db/paths';
import { FILE_NAMES } from '../../seeds/factories';
import { nowMs } from './stats';

// The canonical CSVs the bench imports: a folder given with --seed-dir, or a
// seed generated once by the real CLI into .leadpath/bench-seed/ (git-ignored)
// and reused while its manifest says it is complete.

export interface SeedFiles {
  dir: string;
  files: Record<ImportKind, string>;
  /** First and last day of the data (workspace days): the "full" range. */
  from: string;
  to: string;
  /** Set when this run generated the seed. */
  generatedMs: number | null;
}

const MANIFEST = 'bench-seed.json';
const manifestSchema = z.object({ scale: z.string(), seed: z.number(), from: z.string(), to: z.string() });

function filesOf(dir: string): Record<ImportKind, string> {
  return Object.fromEntries(IMPORT_KINDS.map((k) => [k, path.join(dir, FILE_NAMES[k])])) as Record<ImportKind, string>;
}

export async function ensureSeed(opts: { seedDir?: string; scale: string; seed: number; end: string; log: (l: string) => void }): Promise<SeedFiles> {
  if (opts.seedDir) {
    const dir = path.resolve(opts.seedDir);
    const files = filesOf(dir);
    const missing = Object.values(files).filter((f) => !existsSync(f));
    if (missing.length > 0) throw new Error(`--seed-dir ${dir}: missing ${missing.map((f) => path.basename(f)).join(', ')}`);
    const manifest = readManifest(dir);
    const range = manifest ?? (await spendRange(files.spend));
    return { dir, files, from: range.from, to: range.to, generatedMs: null };
  }
  const dir = path.join(stateDir, 'bench-seed', `${opts.scale}-${opts.seed}-${opts.end}`);
  const manifest = readManifest(dir);
  if (manifest) {
    opts.log(`seed: reusing ${path.relative(process.cwd(), dir) || dir}`);
    return { dir, files: filesOf(dir), from: manifest.from, to: manifest.to, generatedMs: null };
  }
  // Generated next to its final place and renamed when done: an interrupted run leaves no half seed behind.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  opts.log(`seed: generating the ${opts.scale} seed (seed ${opts.seed}, up to ${opts.end}) into ${path.relative(process.cwd(), dir) || dir}…`);
  const started = nowMs();
  const out = await runCli(['seed', '--scale', opts.scale, '--seed', String(opts.seed), '--out', partial, '--end', opts.end]);
  const summary = /data from (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(out);
  if (!summary) throw new Error(`seed: unexpected output of "leadpath seed":\n${out}`);
  renameSync(partial, dir);
  writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ scale: opts.scale, seed: opts.seed, from: summary[1], to: summary[2] }, null, 2));
  return { dir, files: filesOf(dir), from: summary[1]!, to: summary[2]!, generatedMs: nowMs() - started };
}

function readManifest(dir: string): { from: string; to: string } | null {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) return null;
  return Object.values(filesOf(dir)).every((f) => existsSync(f)) ? parsed.data : null;
}

/** First and last day of a canonical spend file (its first column), for a folder without a manifest. */
async function spendRange(file: string): Promise<{ from: string; to: string }> {
  let from = '';
  let to = '';
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    const day = line.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    if (from === '' || day < from) from = day;
    if (day > to) to = day;
  }
  if (from === '') throw new Error(`${file}: no dated rows, cannot tell the seed's date range`);
  return { from, to };
}

/** Runs `node bin/leadpath.mjs …`; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'leadpath.mjs'), ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`leadpath ${args.join(' ')} exited ${code}:\n${err || out}`))));
  });
}
