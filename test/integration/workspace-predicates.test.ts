import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import { importMarchJourneys } from '../support/march-journeys';
import { signInAs } from '../support/auth';
import type { Workspace } from '../../db/schema';
import { createDb } from '../../db/client';
import { REPORTS } from '../../db/reports/index';
import { forecastReport } from '../../db/reports/forecast';
import { planReport } from '../../db/reports/plan';
import { reportParamsSchema } from '../../app/reports/params';
import { forecastParamsSchema } from '../../app/reports/forecast/params';
import { planParamsSchema } from '../../app/reports/pacing';
import { getOverviewPage } from '../../app/models/overview.server';
import { getChannelsPage } from '../../app/models/channels.server';
import { getFunnelPage } from '../../app/models/funnel.server';
import { getCallsPage } from '../../app/models/calls.server';
import { getManagersPage } from '../../app/models/managers.server';
import { getLeadsPage, getLeadPage } from '../../app/models/leads.server';
import { getForecastPage } from '../../app/models/forecast.server';
import { getPlansPage } from '../../app/models/plans.server';
import { getAttributionPage } from '../../app/models/attribution.server';
import { getCoveragePage, getImportsPage, getPresetsPage, getRulesPage, getSettingsPage } from '../../app/models/data.server';

// Issue 7, scale-out: every statement a report or a page loader runs must
// name the workspace for each workspace table it reads (docs/scaling.md: on
// Citus that routes the statement to one node). Every SQL statement sent
// through pg while the reports and loaders run is captured and parsed just
// enough: each reference to a table with a workspace_id column (from, join,
// update, delete from; with its alias) must come with `<alias>.workspace_id`
// compared by = or in (a value or another table's workspace_id), or an
// unqualified `workspace_id =` / `using (workspace_id …)`.

// Statements that may span workspaces on purpose, each with its reason.
const CROSS_WORKSPACE: { pattern: RegExp; reason: string }[] = [
  { pattern: /\bfrom workspace_members\b[\s\S]*\buser_id\s*=/i, reason: "a person's memberships in every workspace (the switcher, the guard)" },
];

let t: TestDatabase;
let ws: Workspace;
let other: Workspace;
let cookie: string;
let scoped: Set<string>;
const statements: string[] = [];
let capturing = false;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'acme');
  other = await makeWorkspace(t.db, 'other');
  await importMarchJourneys(t.db, ws);
  // Another workspace with rows under the same ids: a statement without its workspace would mix them in.
  await importMarchJourneys(t.db, other);
  expect((await importText(t.db, other, 'spend', csv(
    'date,source,medium,campaign,cost,impressions,clicks',
    '2026-03-02,google,cpc,brand,999.00,1000,100',
  ))).status).toBe('succeeded');
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
     where table_schema = 'public' and column_name = 'workspace_id'`.execute(t.db);
  scoped = new Set(tables.rows.map((r) => r.table_name));
  cookie = (await signInAs(t.db, { workspaceId: ws.id, role: 'owner' })).cookie;
  // Every statement any pool client sends (Kysely and raw pg alike).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (capturing && text) statements.push(text);
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
});
afterAll(async () => {
  console.info(`workspace predicates: ${checked} statements checked`);
  pg.Client.prototype.query = originalQuery;
  await t.drop();
});

/** Table references of a statement whose workspace is not named, as "table alias". */
function unscopedReferences(statement: string, workspaceTables: ReadonlySet<string>): string[] {
  const text = statement.replace(/"/g, '').replace(/\s+/g, ' ');
  if (CROSS_WORKSPACE.some((c) => c.pattern.test(text))) return [];
  const keywords = new Set(['where', 'on', 'join', 'left', 'inner', 'cross', 'using', 'group', 'order', 'set', 'limit', 'union', 'lateral', 'natural', 'full', 'right', 'window', 'having', 'returning']);
  const found: string[] = [];
  const ref = /\b(?:from|join|update|delete from)\s+(?:only\s+)?(?:public\.)?([a-z_][a-z0-9_]*)(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?/gi;
  for (const m of text.matchAll(ref)) {
    const table = m[1]!.toLowerCase();
    if (!workspaceTables.has(table)) continue;
    const alias = m[2] && !keywords.has(m[2].toLowerCase()) ? m[2] : table;
    const a = alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const qualified = new RegExp(`\\b${a}\\.workspace_id\\s*(=|in\\b)|=\\s*${a}\\.workspace_id\\b`, 'i');
    const bare = /(^|[^.\w])workspace_id\s*(=|in\b)|=\s*workspace_id\b|using\s*\([^)]*\bworkspace_id\b/i;
    // An unqualified workspace_id only names the workspace of a table referenced without an alias.
    if (!qualified.test(text) && !(alias === table && bare.test(text))) found.push(`${table} ${alias}`);
  }
  return found;
}

async function captured(run: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  capturing = true;
  try {
    await run();
  } finally {
    capturing = false;
  }
  return [...statements];
}

let checked = 0;
function expectScoped(name: string, sqls: string[]) {
  expect(sqls.length, `${name} ran no statement`).toBeGreaterThan(0);
  checked += sqls.length;
  const problems = sqls.flatMap((s) => unscopedReferences(s, scoped).map((r) => `${r}: ${s.replace(/\s+/g, ' ').slice(0, 300)}`));
  expect(problems, name).toEqual([]);
}

test('the parser flags a table without its workspace and accepts the scoped forms', () => {
  const tables = new Set(['leads', 'lead_facts', 'sessions']);
  expect(unscopedReferences('select * from leads l where l.lead_id = $1', tables)).toEqual(['leads l']);
  expect(unscopedReferences('select * from leads l join lead_facts f on f.lead_id = l.lead_id where l.workspace_id = $1', tables)).toEqual(['lead_facts f']);
  expect(unscopedReferences('select * from "leads" as "l" join lead_facts f on f.workspace_id = l.workspace_id and f.lead_id = l.lead_id where "l"."workspace_id" = $1', tables)).toEqual([]);
  expect(unscopedReferences('select count(*) from sessions where workspace_id = $1', tables)).toEqual([]);
  expect(unscopedReferences('select * from spend s', tables)).toEqual([]);
  // An unqualified predicate does not cover an aliased table.
  expect(unscopedReferences('select * from sessions where workspace_id = $1 and visitor_id in (select visitor_id from leads l)', tables)).toEqual(['leads l']);
});

const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const FILTER_SETS = [{}, { manager: ['Olena'] }, { channel: ['direct'], region: ['Kyiv'] }];

describe('every report names its workspace in every statement', () => {
  for (const name of Object.keys(REPORTS)) {
    test(name, async () => {
      const models = name === 'channels' ? ['last_non_direct', 'first', 'linear', 'markov'] : ['last_non_direct'];
      for (const model of models) {
        for (const filters of FILTER_SETS) {
          const params = reportParamsSchema.parse({ ...MARCH, model, filters });
          expectScoped(`${name} ${model} ${JSON.stringify(filters)}`, await captured(() => REPORTS[name]!(t.db, ws, params)));
        }
      }
    });
  }
  test('forecast and plan', async () => {
    expectScoped('forecast', await captured(() => forecastReport(t.db, ws, forecastParamsSchema.parse({ ...MARCH, horizon: 30, by: 'week' }))));
    expectScoped('plan', await captured(() => planReport(t.db, ws, planParamsSchema.parse({ month: '2026-03', today: '2026-03-20' }))));
    expectScoped('plan by region', await captured(() => planReport(t.db, ws, planParamsSchema.parse({ month: '2026-03', today: '2026-03-20', by: 'region' }))));
  });
});

describe('every page loader names its workspace in every statement', () => {
  const context = () => ({ db: t.db, cspNonce: 'test' }) as never;
  const request = (path: string, query = 'range=custom&from=2026-03-01&to=2026-03-31') =>
    new Request(`http://localhost/w/acme${path}?${query}`, { headers: { cookie } });
  const pages: [string, () => Promise<unknown>][] = [
    ['overview', () => getOverviewPage(context(), 'acme', request(''))],
    ['channels', () => getChannelsPage(context(), 'acme', request('/channels'))],
    ['funnel', () => getFunnelPage(context(), 'acme', request('/funnel', 'range=custom&from=2026-03-01&to=2026-03-31&by=region'))],
    ['calls', () => getCallsPage(context(), 'acme', request('/calls'))],
    ['managers', () => getManagersPage(context(), 'acme', request('/managers'))],
    ['leads', () => getLeadsPage(context(), 'acme', request('/leads'))],
    ['lead', () => getLeadPage(context(), 'acme', 'L1', request('/leads/L1'))],
    ['forecast', () => getForecastPage(context(), 'acme', request('/forecast'))],
    ['plans', () => getPlansPage(context(), 'acme', request('/plans'))],
    ['attribution', () => getAttributionPage(context(), 'acme', request('/attribution', 'range=custom&from=2026-03-01&to=2026-03-31&manager=Olena'))],
    ['data', () => getImportsPage(context(), 'acme', request('/data'))],
    ['data/coverage', () => getCoveragePage(context(), 'acme', request('/data/coverage'))],
    ['data/settings', () => getSettingsPage(context(), 'acme', request('/data/settings'))],
    ['data/rules', () => getRulesPage(context(), 'acme', request('/data/rules'))],
    ['data/presets', () => getPresetsPage(context(), 'acme', request('/data/presets'))],
  ];
  for (const [name, load] of pages) {
    test(name, async () => expectScoped(name, await captured(load)));
  }
});

describe("another workspace's data never changes a workspace's reports", () => {
  // Every report of 'acme' before and after 'other' gets more data of every kind, each pass on a new
  // pool (so no in-process cache answers): equal outputs, while the other workspace's own numbers move.
  async function allReports(db: ReturnType<typeof createDb>, of: Workspace): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const name of Object.keys(REPORTS)) {
      for (const model of name === 'channels' ? ['last_non_direct', 'linear', 'markov'] : ['last_non_direct']) {
        for (const filters of FILTER_SETS) out.push(await REPORTS[name]!(db, of, reportParamsSchema.parse({ ...MARCH, model, filters })));
      }
    }
    out.push(await forecastReport(db, of, forecastParamsSchema.parse({ ...MARCH, horizon: 30, by: 'week' })));
    out.push(await planReport(db, of, planParamsSchema.parse({ month: '2026-03', today: '2026-03-20' })));
    return out;
  }

  test('reports of acme are the same after other imports sessions, spend, calls and leads', async () => {
    const before = createDb(t.url, { max: 2 });
    const after = createDb(t.url, { max: 2 });
    try {
      const acmeBefore = await allReports(before, ws);
      const otherBefore = await allReports(before, other);
      for (const [kind, text] of [
        ['spend', csv('date,source,medium,campaign,cost,impressions,clicks', '2026-03-05,google,cpc,brand,1234.00,5000,400')],
        ['sessions', csv('session_id,visitor_id,started_at,source,medium,campaign',
          'x1,v1,2026-03-04T10:00:00+02:00,facebook,paid_social,spring', 'x2,vx,2026-03-05T10:00:00+02:00,newsletter,email,march')],
        ['calls', csv('call_id,started_at,caller_phone,tracking_number,status', 'cx1,2026-03-06T11:00:00+02:00,+380501234599,+380441110001,answered')],
        // Same ids as acme's leads: a new one, and L2 now won.
        ['leads', csv('lead_id,created_at,kind,visitor_id,call_id,source,medium,campaign,manager,stage,outcome,amount,closed_at',
          'LX,2026-03-06T12:00:00+02:00,call,vx,cx1,,,,Olena,won,won,777.00,2026-03-20T12:00:00+02:00',
          'L2,2026-03-04T12:00:00+02:00,form,v2,,,,,Ivan,won,won,450.00,2026-03-12T10:00:00+02:00')],
      ] as const) {
        const result = await importText(t.db, other, kind, text);
        expect(result.status, `${kind}: ${JSON.stringify(result.errors ?? [])}`).toBe('succeeded');
      }
      expect(await allReports(after, ws)).toEqual(acmeBefore);
      expect(await allReports(after, other)).not.toEqual(otherBefore);
    } finally {
      await before.destroy();
      await after.destroy();
    }
  });
});
