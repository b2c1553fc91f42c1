// EXPLAIN (ANALYZE, BUFFERS) of every SQL statement a report runs, written to
// bench/plans/<report>.txt so a change of plan shows up in review. Run it on
// the large seed (the database `npm run bench` imports, or any copy of it):
//
//   LEADPATH_HOME=/tmp/lp-large npx tsx bench/plans/explain.ts funnel managers   # some reports
//   LEADPATH_HOME=/tmp/lp-large npx tsx bench/plans/explain.ts                   # all of them
//   options: --workspace large
//
// Each report runs once per case below (full range and one month, filters off
// and on). Every statement it sends is caught on the pg client that runs it,
// with the work_mem that client's transaction set (withReportMemory), and is
// explained again on its own with the same parameters and setting. Read-only:
// EXPLAIN ANALYZE runs the queries, and they only read.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { createPool, type Db } from '../../db/client';
import { connect } from '../../db/connect';
import { projectRoot } from '../../db/paths';
import { getWorkspaceBySlug } from '../../db/queries/workspaces';
import type { Database, Workspace } from '../../db/schema';
import { REPORTS } from '../../db/reports/index';
import { forecastReport } from '../../db/reports/forecast';
import { planReport } from '../../db/reports/plan';
import { getFilterOptions } from '../../db/queries/filter-options';
import { getOverview } from '../../db/queries/overview';
import { reportParamsSchema, type ReportParamsInput } from '../../app/reports/params';
import { forecastParamsSchema } from '../../app/reports/forecast/params';
import { planParamsSchema } from '../../app/reports/pacing';

const FULL = { from: '2024-11-01', to: '2026-10-31' };
const MONTH = { from: '2026-10-01', to: '2026-10-31' };

type Run = (db: Db, ws: Workspace) => Promise<unknown>;
interface Case {
  label: string;
  run: Run;
}

const report = (name: string, input: Omit<ReportParamsInput, 'from' | 'to'> & { from: string; to: string }): Case => ({
  label: `${name} ${JSON.stringify(input)}`,
  run: (db, ws) => REPORTS[name]!(db, ws, reportParamsSchema.parse(input)),
});

/** Full range and one month with filters off, the full range with the filters the benchmark turns on. */
const standard = (name: string, extra: Omit<ReportParamsInput, 'from' | 'to'> = {}): Case[] => [
  report(name, { ...FULL, ...extra }),
  report(name, { ...MONTH, ...extra }),
  report(name, { ...FULL, ...extra, filters: { channel: ['paid_search'] } }),
  report(name, { ...FULL, ...extra, filters: { region: ['Kyiv'] } }),
];

const CASES: Record<string, () => Case[]> = {
  channels: () => [...standard('channels'), report('channels', { ...FULL, by: 'campaign' })],
  funnel: () => [
    ...standard('funnel'),
    report('funnel', { ...FULL, by: 'region' }),
    report('funnel', { ...FULL, by: 'manager' }),
    report('funnel', { ...FULL, by: 'channel' }),
    report('funnel', { ...FULL, by: 'month' }),
  ],
  managers: () => standard('managers'),
  calls: () => standard('calls'),
  cohorts: () => standard('cohorts'),
  coverage: () => standard('coverage'),
  forecast: () => [
    { label: `forecast ${JSON.stringify(FULL)}`, run: (db, ws) => forecastReport(db, ws, forecastParamsSchema.parse({ ...FULL })) },
    { label: `forecast ${JSON.stringify({ ...FULL, channel: 'paid_search' })}`, run: (db, ws) => forecastReport(db, ws, forecastParamsSchema.parse({ ...FULL, channel: 'paid_search' })) },
  ],
  plan: () => [
    { label: 'plan {"month":"2026-10","today":"2026-10-31"}', run: (db, ws) => planReport(db, ws, planParamsSchema.parse({ month: '2026-10', today: '2026-10-31' })) },
    { label: 'plan {"month":"2026-10","today":"2026-10-31","by":"region"}', run: (db, ws) => planReport(db, ws, planParamsSchema.parse({ month: '2026-10', today: '2026-10-31', by: 'region' })) },
  ],
  // Grouped in SQL, then remembered per data version: each case below is a first (uncached) run.
  paths: () => [...standard('paths'), report('paths', { ...FULL, filters: { manager: ['Olena Kovalenko'] } })],
  // Filters do not apply; the journey rollups are read once per range and data version.
  attribution: () => [report('attribution', FULL), report('attribution', MONTH)],
  // What every dashboard page adds to its report: the filter bar's values, the Overview's data summary.
  pages: () => [
    { label: 'filter options', run: (db, ws) => getFilterOptions(db, ws) },
    { label: 'overview summary', run: (db, ws) => getOverview(db, { workspaceId: ws.id, timeZone: ws.time_zone, importLimit: 5 }) },
  ],
};

interface Caught {
  sql: string;
  params: unknown[];
  workMem: string | null;
}

/** Wraps each new pool client's query() to note every statement and the work_mem its transaction set. */
function catchStatements(pool: pg.Pool, caught: Caught[]): void {
  pool.on('connect', (client) => {
    let workMem: string | null = null;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args as [unknown, unknown];
      if (typeof text === 'string') {
        const set = /set_config\('work_mem'/.exec(text);
        if (set) workMem = String((values as unknown[])[0]);
        else if (/^\s*(commit|rollback)/i.test(text)) workMem = null;
        else if (!/^\s*begin/i.test(text)) caught.push({ sql: text, params: Array.isArray(values) ? values : [], workMem });
      }
      return query(...args);
    };
  });
}

const { values: args, positionals } = parseArgs({ options: { workspace: { type: 'string', default: 'large' } }, allowPositionals: true });
const names = positionals.length > 0 ? positionals : Object.keys(CASES);
for (const name of names) if (!CASES[name]) throw new Error(`no cases for ${name}; known: ${Object.keys(CASES).join(', ')}`);

const conn = await connect({ migrate: false });
const pool = createPool(conn.url, 4);
const plain = createPool(conn.url, 1);

/** The plan of one caught statement, run again with its parameters and work_mem. */
async function explain(s: Caught): Promise<string[]> {
  const client = await plain.connect();
  try {
    await client.query('begin');
    if (s.workMem) await client.query(`select set_config('work_mem', $1, true)`, [s.workMem]);
    const r = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.sql}`, s.params);
    return r.rows.map((row) => row['QUERY PLAN']);
  } finally {
    await client.query('rollback');
    client.release();
  }
}
const caught: Caught[] = [];
catchStatements(pool, caught);
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) as Db;
try {
  const ws = await getWorkspaceBySlug(conn.db, args.workspace);
  if (!ws) throw new Error(`no workspace ${args.workspace}`);
  for (const name of names) {
    const out: string[] = [
      `# EXPLAIN (ANALYZE, BUFFERS) of every query of the ${name} report, large seed (5.1M sessions, 120k leads, 403k stage rows, 46k calls),`,
      `# workspace '${args.workspace}', PostgreSQL 17 (embedded), 2 vCPUs shared with other work: times are indicative, shapes are the point.`,
      `# Written by bench/plans/explain.ts; full range ${FULL.from}..${FULL.to}, one month ${MONTH.from}..${MONTH.to}; work_mem as the report sets it.`,
    ];
    for (const c of CASES[name]!()) {
      caught.length = 0;
      await c.run(db, ws);
      const statements = caught.splice(0);
      const seen = new Set<string>();
      out.push('', '#'.repeat(64), `# ${c.label}`);
      for (const s of statements) {
        const key = s.sql + JSON.stringify(s.params);
        if (seen.has(key) || /^\s*select set_config/.test(s.sql)) continue;
        seen.add(key);
        const plan = await explain(s);
        out.push('', `-- work_mem: ${s.workMem ?? 'server default'}`, '-- query:', s.sql.trim(), `-- params: ${JSON.stringify(s.params)}`, ...plan);
      }
    }
    const file = path.join(projectRoot, 'bench', 'plans', `${name}.txt`);
    writeFileSync(file, `${out.join('\n')}\n`);
    console.log(`wrote ${path.relative(projectRoot, file)}`);
  }
} finally {
  await db.destroy();
  await plain.end();
  await conn.close();
}
