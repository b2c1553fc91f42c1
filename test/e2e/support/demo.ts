import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../db/paths';
import type { RunningApp } from './server';

// The CLI against a running test server's database: the demo data goes in
// through `leadpath demo` (the same import path users run), and the figures
// the pages must show come out of `leadpath report`. The CLI finds the
// server's embedded PostgreSQL through LEADPATH_HOME and shares it.

const run = promisify(execFile);
const cliEntry = path.join(projectRoot, 'bin', 'leadpath.mjs');

/** The small deterministic demo: about a year to 2026-10-31, one workspace "demo". */
export const DEMO = { scale: 'small', seed: 7, end: '2026-10-31', workspace: 'demo' } as const;

export async function cli(app: RunningApp, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LEADPATH_HOME: app.home, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const { stdout } = await run(process.execPath, [cliEntry, ...args], { cwd: projectRoot, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function loadDemo(app: RunningApp): Promise<void> {
  await cli(app, ['demo', '--scale', DEMO.scale, '--seed', String(DEMO.seed), '--end', DEMO.end]);
}

export interface ReportQuery {
  from: string;
  to: string;
  by?: string;
  model?: string;
  cohort?: string;
  filters?: Record<string, string[]>;
}

function reportArgs(name: string, q: ReportQuery, format: 'csv' | 'table'): string[] {
  const args = ['report', name, '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', format];
  if (q.by) args.push('--by', q.by);
  if (q.model) args.push('--model', q.model);
  if (q.cohort) args.push('--cohort', q.cohort);
  for (const [key, values] of Object.entries(q.filters ?? {})) args.push(`--${key}`, values.join(','));
  return args;
}

/** `leadpath report <name> --format csv`, parsed: one record per row, values as printed. */
export async function reportCsv(app: RunningApp, name: string, q: ReportQuery): Promise<Record<string, string>[]> {
  return parseCsv(await cli(app, reportArgs(name, q, 'csv')));
}

/** The totals row of `leadpath report <name>` (the text table's last line), values as printed. */
export async function reportTotals(app: RunningApp, name: string, q: ReportQuery): Promise<Record<string, string>> {
  const lines = (await cli(app, reportArgs(name, q, 'table'))).split('\n').filter((l) => l && !l.startsWith('note:'));
  // Header, dashes, rows…, totals: fixed-width columns, whose extents the dashes give.
  const spans = [...lines[1]!.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const cells = (line: string) => spans.map(([start, end]) => line.slice(start, end).trim());
  const header = cells(lines[0]!);
  const totals = cells(lines.at(-1)!);
  return Object.fromEntries(header.map((h, i) => [h, totals[i]!]));
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF) to records keyed by the header. A BOM is dropped. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  const [header = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
