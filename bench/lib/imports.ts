import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportKind } from '../../app/import/formats';
import type { ImportResult } from '../../db/import/run-import';
import { projectRoot } from '../../db/paths';
import { nowMs, round1 } from './stats';

// Import rate and peak RSS of the real CLI (`leadpath import <kind> <file>
// --json`, one child process per file), and the rate of a bare COPY of the
// same file into an unindexed table, streamed from Node, in the same run.

export interface ImportFigures {
  kind: ImportKind;
  rows: number;
  /** Rows per second of the child's wall time (Node start to exit). */
  rows_per_s: number;
  copy_rows_per_s: number | null;
  /** rows_per_s / copy_rows_per_s. */
  ratio: number | null;
  peak_rss_mb: number;
  /** Rows per second of the import's own duration (import_ms), without Node start-up. */
  import_rows_per_s: number;
  wall_ms: number;
  /** The import's own duration (durationMs: read, check, upsert, derive, commit), without Node start-up. */
  import_ms: number;
  copy_ms: number | null;
  phases_ms: Record<string, number>;
}

/** What the bare COPY baseline loads into: written into results.json. */
export const COPY_BASELINE =
  'COPY <table> FROM STDIN (FORMAT csv, HEADER true) from a Node read stream into a fresh logged table without indexes or constraints, every column text; dropped after';

export async function importWithCli(url: string, kind: ImportKind, file: string, workspace: string): Promise<{ result: ImportResult; wallMs: number; peakRssMb: number }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'leadpath-bench-rss-'));
  const rssFile = path.join(tmp, 'maxrss');
  try {
    const args = [path.join(projectRoot, 'bench', 'lib', 'rss-child.mjs'), path.join(projectRoot, 'bin', 'leadpath.mjs'), 'import', kind, file, '--workspace', workspace, '--json'];
    const env = { ...process.env, DATABASE_URL: url, LEADPATH_BENCH_RSS_FILE: rssFile, LEADPATH_SLOW_QUERY_MS: '1000000000' };
    const started = nowMs();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    const wallMs = nowMs() - started;
    const json = stdout.slice(stdout.indexOf('{'));
    let result: ImportResult;
    try {
      result = JSON.parse(json) as ImportResult;
    } catch {
      throw new Error(`import ${kind} exited ${code} without a JSON result:\n${stderr || stdout}`);
    }
    if (code !== 0 || result.status !== 'succeeded') {
      const errors = result.errors.slice(0, 5).map((e) => `line ${e.line} ${e.column ?? ''}: ${e.reason}`).join('\n  ');
      throw new Error(`import ${kind} failed (exit ${code}):\n  ${errors || stderr}`);
    }
    const peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    return { result, wallMs, peakRssMb };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Streams the file into a bare table with COPY; returns rows and milliseconds of the COPY alone. */
export async function bareCopy(url: string, kind: ImportKind, file: string): Promise<{ rows: number; ms: number }> {
  const columns = await headerOf(file);
  const table = `bench_copy_${kind}`;
  const client = new pg.Client({ connectionString: url, application_name: 'leadpath-bench' });
  await client.connect();
  try {
    await client.query(`drop table if exists ${table}`);
    await client.query(`create table ${table} (${columns.map((c, i) => `c${i} text`).join(', ')})`);
    const started = nowMs();
    const copy = client.query(copyFrom(`copy ${table} from stdin (format csv, header true)`));
    await pipeline(createReadStream(file), copy);
    const ms = nowMs() - started;
    await client.query(`drop table ${table}`);
    return { rows: copy.rowCount, ms };
  } finally {
    await client.end();
  }
}

async function headerOf(file: string): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line.split(',');
  }
  throw new Error(`${file} is empty`);
}

export function importFigures(kind: ImportKind, run: { result: ImportResult; wallMs: number; peakRssMb: number }, copy: { rows: number; ms: number } | null): ImportFigures {
  const rows = run.result.rowsRead;
  const rate = (n: number, ms: number) => (ms > 0 ? Math.round((n / ms) * 1000) : n);
  const rowsPerS = rate(rows, run.wallMs);
  const copyRate = copy ? rate(copy.rows, copy.ms) : null;
  return {
    kind,
    rows,
    rows_per_s: rowsPerS,
    copy_rows_per_s: copyRate,
    ratio: copyRate ? Number((rowsPerS / copyRate).toPrecision(3)) : null,
    peak_rss_mb: round1(run.peakRssMb),
    import_rows_per_s: rate(rows, run.result.durationMs),
    wall_ms: Math.round(run.wallMs),
    import_ms: run.result.durationMs,
    copy_ms: copy ? Math.round(copy.ms) : null,
    phases_ms: run.result.phases,
  };
}
