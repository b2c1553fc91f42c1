import type { ImportFigures } from './imports';
import type { RangeName } from './reports';

// bench/results.json (the issue's shape plus extra fields) and the Markdown
// table with each target checked.

export interface ReportFigures {
  name: string;
  range: RangeName;
  filters: boolean;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms?: number;
  runs?: number;
  error?: string;
}

export interface DuckFigures {
  name: string;
  ours_ms: number;
  duckdb_ms: number;
  /** ours_ms / duckdb_ms: under 1 means ours is faster. */
  ratio: number;
  agree: boolean;
  mismatches: string[];
}

export interface Target {
  target: string;
  met: boolean;
  detail: string;
}

export interface BenchResults {
  machine: Record<string, string | number | null>;
  run: Record<string, unknown>;
  import: ImportFigures[];
  reports: ReportFigures[];
  duckdb: DuckFigures[];
  markov_cold_ms: number | null;
  attribution_cold_ms: number | null;
  start_ms: number | null;
  /** Same, with PostgreSQL already running (embedded only). */
  start_warm_ms: number | null;
  targets: Target[];
}

export const LIMITS = { sessionsCopyRatio: 0.4, rssMb: 1024, fullP95: 200, monthP95: 100, markovColdMs: 2000, startMs: 5000 };

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const limitOf = (r: ReportFigures) => (r.range === 'full' ? LIMITS.fullP95 : LIMITS.monthP95);
const reportOk = (r: ReportFigures) => r.error === undefined && r.p95_ms !== null && r.p95_ms < limitOf(r);

export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  const sessions = r.import.find((i) => i.kind === 'sessions');
  if (sessions?.ratio != null) {
    targets.push({
      target: `import sessions ≥ ${LIMITS.sessionsCopyRatio * 100}% of bare COPY`,
      met: sessions.ratio >= LIMITS.sessionsCopyRatio,
      detail: `${(sessions.ratio * 100).toFixed(1)}% (${sessions.rows_per_s.toLocaleString('en')} vs ${sessions.copy_rows_per_s?.toLocaleString('en')} rows/s)`,
    });
  }
  if (r.import.length > 0) {
    const worst = r.import.reduce((a, b) => (b.peak_rss_mb > a.peak_rss_mb ? b : a));
    targets.push({ target: 'import peak RSS < 1 GB', met: worst.peak_rss_mb < LIMITS.rssMb, detail: `max ${worst.peak_rss_mb} MB (${worst.kind})` });
  }
  for (const range of ['full', 'month'] as const) {
    const rows = r.reports.filter((x) => x.range === range);
    if (rows.length === 0) continue;
    const misses = rows.filter((x) => !reportOk(x));
    const limit = range === 'full' ? LIMITS.fullP95 : LIMITS.monthP95;
    targets.push({
      target: `every report and page p95 < ${limit} ms (${range === 'full' ? 'full range' : 'one month'})`,
      met: misses.length === 0,
      detail: misses.length === 0
        ? `${rows.length} of ${rows.length} under`
        : `${misses.length} of ${rows.length} over: ${misses.map((m) => `${m.name}${m.filters ? ' (filtered)' : ''} ${m.error ? 'error' : `${m.p95_ms} ms`}`).join('; ')}`,
    });
  }
  if (r.markov_cold_ms !== null) {
    targets.push({ target: 'Markov over the full range < 2 s cold', met: r.markov_cold_ms < LIMITS.markovColdMs, detail: `${r.markov_cold_ms} ms` });
  }
  for (const d of r.duckdb) {
    targets.push({ target: `faster than DuckDB: ${d.name}`, met: d.ratio < 1 && d.agree, detail: `ours ${d.ours_ms} ms / DuckDB ${d.duckdb_ms} ms = ${d.ratio}${d.agree ? '' : `; RESULTS DIFFER (${d.mismatches.length})`}` });
  }
  if (r.start_ms !== null) targets.push({ target: 'app start < 5 s', met: r.start_ms < LIMITS.startMs, detail: `${r.start_ms} ms` });
  return targets;
}

const n = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toLocaleString('en'));

export function toMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# Leadpath bench — ${String(r.run.scale)} (${String(r.run.from)}..${String(r.run.to)})`, '');
  out.push(`${m.date}; ${m.cpus} × ${m.cpu_model}, ${m.memory_gb} GB; Node ${m.node}; ${m.postgres}; DuckDB ${m.duckdb}; commit ${m.commit}`, '');
  out.push('## Targets', '', '| | target | measured |', '|---|---|---|');
  for (const t of r.targets) out.push(`| ${mark(t.met)} | ${t.target} | ${t.detail} |`);
  if (r.import.length > 0) {
    out.push('', '## Import (`leadpath import`, one child process per file)', '');
    out.push('| kind | rows | rows/s | bare COPY rows/s | ratio | peak RSS MB | wall s | rows/s without Node start | |', '|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const i of r.import) {
      const ok = i.peak_rss_mb < LIMITS.rssMb && (i.kind !== 'sessions' || (i.ratio ?? 0) >= LIMITS.sessionsCopyRatio);
      out.push(`| ${i.kind} | ${n(i.rows)} | ${n(i.rows_per_s)} | ${n(i.copy_rows_per_s)} | ${i.ratio ?? '–'} | ${i.peak_rss_mb} | ${(i.wall_ms / 1000).toFixed(1)} | ${n(i.import_rows_per_s)} | ${mark(ok)} |`);
    }
    out.push('', `rows/s: ${String(r.run.rows_per_s)}. Bare COPY: ${String(r.run.copy_baseline)}.`);
  }
  if (r.reports.length > 0) {
    out.push('', `## Reports and pages (p50/p95 over ${String(r.run.runs)} runs after a warm-up; ms)`, '');
    out.push(`Full = ${String(r.run.from)}..${String(r.run.to)}, month = ${String(r.run.month_from)}..${String(r.run.month_to)}; filters = ${String(r.run.filters_label)}.`, '');
    out.push('| name | range | filters | p50 | p95 | |', '|---|---|---|---:|---:|---|');
    for (const x of r.reports) {
      out.push(`| ${x.name} | ${x.range} | ${x.filters ? 'on' : 'off'} | ${x.error ? 'error' : n(x.p50_ms)} | ${x.error ? x.error.slice(0, 80) : n(x.p95_ms)} | ${mark(reportOk(x))} |`);
    }
  }
  const cold: string[] = [];
  if (r.markov_cold_ms !== null) cold.push(`Markov cold (first \`report channels --model markov\` after the imports, full range): ${r.markov_cold_ms} ms ${mark(r.markov_cold_ms < LIMITS.markovColdMs)}`);
  if (r.attribution_cold_ms !== null) cold.push(`first \`report attribution\` (every model, bootstrap) after the imports, full range: ${r.attribution_cold_ms} ms`);
  if (cold.length > 0) out.push('', ...cold.map((c) => `- ${c}`));
  if (r.duckdb.length > 0) {
    out.push('', `## DuckDB from the CSVs (p50 over ${String(r.run.duckdb_runs)} runs; ms)`, '', `Compared: ${String(r.run.duckdb_compared)}.`, '');
    out.push('| name | ours | DuckDB | ours/DuckDB | same numbers | |', '|---|---:|---:|---:|---|---|');
    for (const d of r.duckdb) out.push(`| ${d.name} | ${n(d.ours_ms)} | ${n(d.duckdb_ms)} | ${d.ratio} | ${d.agree ? 'yes' : `NO (${d.mismatches.length})`} | ${mark(d.ratio < 1 && d.agree)} |`);
  }
  if (r.start_ms !== null) {
    out.push('', `App start (\`leadpath serve\` spawned until it answers HTTP, ${String(r.run.start_mode)}): ${r.start_ms} ms ${mark(r.start_ms < LIMITS.startMs)}` +
      `${r.start_warm_ms !== null ? `; with PostgreSQL already running: ${r.start_warm_ms} ms` : ''}; serve's own "ready in": ${String(r.run.start_ready_ms ?? '–')} ms.`);
  }
  return out.join('\n') + '\n';
}
