import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PERMISSIONS, permissionsOf, type Permission } from '../../app/auth/permissions';
import { startUserSession } from '../../app/auth/session.server';
import { projectRoot } from '../../db/paths';
import { setConversionGoal } from '../../db/queries/conversions';
import type { Role, Workspace } from '../../db/schema';
import { cookieOf, signInAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';

// Every route module in app/routes × every role (owner, marketer, manager,
// viewer), a signed-in user of ANOTHER workspace, and nobody. Each module's
// loader and action are called directly, as Remix calls them: single-fetch
// data requests can ask one route's loader alone (?_routes=…), so every
// module must guard itself, whatever its layout does.
//
// Expected statuses come from one table (ROUTES) whose permissions mirror
// app/auth/permissions.ts; the matrix itself is pinned below. A route file
// without an entry fails the test.
//
// Data (Europe/Kyiv, March 2026):
//   spend   google/cpc 61234.50 + facebook/cpc 37530.93 = 98765.43
//   plans   2026-03 whole business: budget 77777.00; paid_search: max CPL 5555.55
//   leads   L-OLENA-1 (Olena Koval, open, +380501110001)
//           L-PETRO-SECRET (Petro Secretenko, won 45678.90, +380671234567, petro.client@example.com)
//   calls   c1 Petro answered +380671234567; c2 Olena missed +380501110001 (both to the billboard number)
// The manager user is Olena Koval.

type Who = Role | 'other' | 'anon';
const WHO: readonly Who[] = ['owner', 'marketer', 'manager', 'viewer', 'other', 'anon'];
type Statuses = Record<Who, number>;

/** The permission matrix as this test expects it; pinned against app/auth/permissions.ts below. */
const MATRIX: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  marketer: ['reports:view', 'spend:view', 'leads:view_all', 'data:import', 'plans:edit', 'rules:edit'],
  manager: ['reports:view'],
  viewer: ['reports:view', 'spend:view', 'leads:view_all'],
};
const allowed = (role: Role, perms: readonly Permission[]) => perms.every((p) => MATRIX[role].includes(p));

/** A workspace route: members with every permission get `ok`, members without get 403, others 404, nobody the login. */
function guarded(perms: Permission | Permission[], ok = 200, overrides: Partial<Statuses> = {}): Statuses {
  const p = Array.isArray(perms) ? perms : [perms];
  const member = (role: Role) => (allowed(role, p) ? ok : 403);
  return { owner: member('owner'), marketer: member('marketer'), manager: member('manager'), viewer: member('viewer'), other: 404, anon: 302, ...overrides };
}
const everyone = (status: number, overrides: Partial<Statuses> = {}): Statuses => ({ ...Object.fromEntries(WHO.map((w) => [w, status])), ...overrides }) as Statuses;
const signedIn = (status: number, anon: number): Statuses => everyone(status, { anon });

interface Call {
  method: 'GET' | 'POST';
  url: string;
  params?: Record<string, string>;
  form?: Record<string, string>;
  /** A JSON body instead of a form (the API). */
  json?: unknown;
  expect: Statuses;
  /** What was tried, for the closing note. */
  note: string;
  /** POST /logout ends the session it carries: use a throwaway one. */
  endsSession?: boolean;
}
type RouteEntry = { calls: Call[]; roles: string } | { noServerCode: true; roles: string };

const W = { workspace: 'acme' };
const MARCH = 'range=custom&from=2026-03-01&to=2026-03-31';
const BOGUS_TOKEN = 'A'.repeat(43);
const ROUTES: Record<string, RouteEntry> = {
  // ------------------------------------------------------------ public / account
  '$.tsx': {
    roles: 'anyone (always 404)',
    calls: [
      { method: 'GET', url: '/no/such/page', params: { '*': 'no/such/page' }, expect: everyone(404), note: 'unknown URL' },
      { method: 'POST', url: '/no/such/page', params: { '*': 'no/such/page' }, expect: everyone(404), note: 'POST to an unknown URL' },
    ],
  },
  '_index.tsx': {
    roles: 'anyone: setup / login / the user’s first workspace',
    calls: [{ method: 'GET', url: '/', expect: everyone(302), note: 'home redirects (anon → /login, member → /w/<first>)' }],
  },
  'login.tsx': {
    roles: 'anyone (signed in → redirected home)',
    calls: [
      { method: 'GET', url: '/login', expect: signedIn(302, 200), note: 'login page' },
      { method: 'POST', url: '/login', form: {}, expect: everyone(400), note: 'empty form → field errors' },
    ],
  },
  'logout.tsx': {
    roles: 'anyone (POST only)',
    calls: [
      { method: 'GET', url: '/logout', expect: everyone(302), note: 'GET never signs out (→ /)' },
      { method: 'POST', url: '/logout', form: {}, expect: everyone(302), note: 'POST ends the session (→ /login)', endsSession: true },
    ],
  },
  'setup.tsx': {
    roles: 'nobody once a user exists (404)',
    calls: [
      { method: 'GET', url: '/setup', expect: everyone(404), note: 'setup after setup' },
      { method: 'POST', url: '/setup', form: { email: 'attacker@evil.example', password: 'attacker password', confirm: 'attacker password' }, expect: everyone(404), note: 'a second "first owner"' },
    ],
  },
  'account.tsx': {
    roles: 'signed-in users',
    calls: [
      { method: 'GET', url: '/account', expect: signedIn(200, 302), note: 'own account page' },
      { method: 'POST', url: '/account', form: {}, expect: signedIn(400, 302), note: 'empty password change → field errors' },
    ],
  },
  'invite.$token.tsx': {
    roles: 'whoever holds a valid link',
    calls: [
      { method: 'GET', url: `/invite/${BOGUS_TOKEN}`, params: { token: BOGUS_TOKEN }, expect: everyone(404), note: 'unknown invite token' },
      { method: 'POST', url: `/invite/${BOGUS_TOKEN}`, params: { token: BOGUS_TOKEN }, form: { password: 'some password 1', confirm: 'some password 1' }, expect: everyone(404), note: 'accepting an unknown invite' },
    ],
  },
  'language.tsx': {
    roles: 'anyone',
    calls: [
      { method: 'GET', url: '/language', expect: everyone(302), note: 'GET → /' },
      { method: 'POST', url: '/language', form: { lang: 'uk', redirectTo: '/' }, expect: everyone(302), note: 'set the language cookie' },
    ],
  },
  'switch-workspace.tsx': {
    roles: 'members of the target workspace',
    calls: [{ method: 'GET', url: '/switch-workspace?workspace=acme&section=channels', expect: guarded('reports:view', 302), note: 'switch to acme/channels' }],
  },

  // ------------------------------------------------------------------- API
  ...Object.fromEntries(
    ['batch', 'calls', 'identify', 'leads', 'page', 'track'].map((name) => [
      `api.v1.${name}.tsx`,
      {
        roles: 'API tokens only (cookies never authenticate the API)',
        calls: [
          { method: 'POST', url: `/api/v1/${name}`, json: {}, expect: everyone(401), note: 'no token (a session cookie for the signed-in)' },
          { method: 'GET', url: `/api/v1/${name}`, expect: everyone(401), note: 'GET without a token (the token is checked before the method)' },
        ],
      } satisfies RouteEntry,
    ]),
  ),
  'api.v1.reports.$name.tsx': {
    roles: 'read API tokens only',
    calls: [
      { method: 'GET', url: '/api/v1/reports/channels?from=2026-03-01&to=2026-03-31', params: { name: 'channels' }, expect: everyone(401), note: 'channel report without a token (a session cookie for the signed-in)' },
      { method: 'POST', url: '/api/v1/reports/channels', params: { name: 'channels' }, json: {}, expect: everyone(401), note: 'POST without a token (the token is checked before the method)' },
    ],
  },
  'api.v1.$.tsx': {
    roles: 'nobody (JSON 404)',
    calls: [
      { method: 'GET', url: '/api/v1/nope', params: { '*': 'nope' }, expect: everyone(404), note: 'unknown API path' },
      { method: 'POST', url: '/api/v1/nope', params: { '*': 'nope' }, expect: everyone(404), note: 'unknown API path' },
    ],
  },

  // ------------------------------------------------------------- workspace
  'w.$workspace.tsx': {
    roles: 'members',
    calls: [{ method: 'GET', url: '/w/acme', params: W, expect: guarded('reports:view'), note: 'workspace layout' }],
  },
  'w.$workspace.$.tsx': {
    roles: 'anyone (always 404; the layout answers non-members first)',
    calls: [
      { method: 'GET', url: '/w/acme/nope', params: { ...W, '*': 'nope' }, expect: everyone(404), note: 'unknown page in a workspace' },
      { method: 'POST', url: '/w/acme/nope', params: { ...W, '*': 'nope' }, expect: everyone(404), note: 'POST to an unknown page' },
    ],
  },
  'w.$workspace._index.tsx': {
    roles: 'owner, marketer, viewer (a manager is sent to Managers: no spend)',
    calls: [{ method: 'GET', url: `/w/acme?${MARCH}`, params: W, expect: guarded('reports:view', 200, { manager: 302 }), note: 'Overview (manager → /w/acme/managers)' }],
  },
  ...Object.fromEntries(
    (['attribution', 'calls', 'channels', 'funnel', 'leads', 'managers', 'data.coverage'] as const).map((page) => [
      `w.$workspace.${page}.tsx`,
      {
        roles: page === 'channels' || page === 'calls' ? 'members (a manager: own leads, spend removed)' : 'members (a manager: own leads only)',
        calls: [{ method: 'GET', url: `/w/acme/${page.replace('.', '/')}?${MARCH}`, params: W, expect: guarded('reports:view'), note: `${page} page, March` }],
      } as RouteEntry,
    ]),
  ),
  'w.$workspace.leads_.$leadId.tsx': {
    roles: 'members who may see the lead (a manager: own leads only)',
    calls: [
      { method: 'GET', url: '/w/acme/leads/L-PETRO-SECRET', params: { ...W, leadId: 'L-PETRO-SECRET' }, expect: guarded('reports:view', 200, { manager: 404 }), note: 'another manager’s lead (manager → 404)' },
      { method: 'GET', url: '/w/acme/leads/L-OLENA-1', params: { ...W, leadId: 'L-OLENA-1' }, expect: guarded('reports:view'), note: 'the manager’s own lead' },
    ],
  },
  'w.$workspace.forecast.tsx': {
    roles: 'view: owner, marketer, viewer; save as plan: owner, marketer',
    calls: [
      { method: 'GET', url: '/w/acme/forecast', params: W, expect: guarded(['spend:view', 'leads:view_all']), note: 'forecast & planner (budgets)' },
      { method: 'POST', url: '/w/acme/forecast', params: W, form: {}, expect: guarded('plans:edit'), note: 'save the what-if as the month’s plan' },
    ],
  },
  'w.$workspace.plans.tsx': {
    roles: 'view: owner, marketer, viewer; edit: owner, marketer',
    calls: [
      { method: 'GET', url: '/w/acme/plans?month=2026-03', params: W, expect: guarded(['spend:view', 'leads:view_all']), note: 'plans (budgets, every manager’s targets)' },
      { method: 'POST', url: '/w/acme/plans', params: W, form: { intent: 'save', month: '2026-03', kind: 'business' }, expect: guarded('plans:edit'), note: 'save a plan row without targets → field errors' },
    ],
  },
  'w.$workspace.tokens.tsx': {
    roles: 'owner',
    calls: [
      { method: 'GET', url: '/w/acme/tokens', params: W, expect: guarded('tokens:manage'), note: 'API tokens' },
      { method: 'POST', url: '/w/acme/tokens', params: W, form: { intent: 'create', name: '', scope: 'ingest' }, expect: guarded('tokens:manage'), note: 'create a token without a name → field errors' },
    ],
  },
  'w.$workspace.data.tsx': { noServerCode: true, roles: 'layout without loader (pages below guard themselves)' },
  'w.$workspace.data._index.tsx': {
    roles: 'members (import history: owner, marketer, viewer)',
    calls: [{ method: 'GET', url: '/w/acme/data', params: W, expect: guarded('reports:view'), note: 'imports page' }],
  },
  'w.$workspace.data.upload.tsx': {
    roles: 'owner, marketer',
    calls: [{ method: 'POST', url: '/w/acme/data/upload', params: W, form: {}, expect: guarded('data:import', 302), note: 'upload without a file (→ ?uploadError)' }],
  },
  'w.$workspace.data.progress.$token.tsx': {
    roles: 'owner, marketer',
    calls: [{ method: 'GET', url: `/w/acme/data/progress/${BOGUS_TOKEN}`, params: { ...W, token: BOGUS_TOKEN }, expect: guarded('data:import', 404), note: 'progress of an unknown upload' }],
  },
  'w.$workspace.data.conversions[.csv].tsx': {
    roles: 'owner, marketer',
    calls: [
      {
        method: 'GET',
        url: '/w/acme/data/conversions.csv?platform=google-ads&stage=won&from=2026-03-01&to=2026-03-31',
        params: W,
        expect: guarded('data:import'),
        note: 'offline conversions CSV (every lead’s outcome)',
      },
    ],
  },
  'w.$workspace.data.imports.$importId.errors[.csv].tsx': {
    roles: 'owner, marketer, viewer',
    calls: [{ method: 'GET', url: '/w/acme/data/imports/IMPORT/errors.csv', params: { ...W, importId: 'IMPORT' }, expect: guarded('leads:view_all'), note: 'rejected rows CSV of an import' }],
  },
  'w.$workspace.data.presets.tsx': {
    roles: 'view: members; edit: owner, marketer',
    calls: [
      { method: 'GET', url: '/w/acme/data/presets', params: W, expect: guarded('reports:view'), note: 'presets & conversion goals' },
      { method: 'POST', url: '/w/acme/data/presets', params: W, form: { intent: 'goal', stage: '', name: '' }, expect: guarded('data:import'), note: 'save a conversion goal without a stage → field errors' },
    ],
  },
  'w.$workspace.data.rules.tsx': {
    roles: 'view: members; edit: owner, marketer',
    calls: [
      { method: 'GET', url: '/w/acme/data/rules', params: W, expect: guarded('reports:view'), note: 'channel rules' },
      { method: 'POST', url: '/w/acme/data/rules', params: W, form: {}, expect: guarded('rules:edit'), note: 'empty rules form → field errors' },
    ],
  },
  'w.$workspace.data.settings.tsx': {
    roles: 'view: members; pipeline: owner, marketer; workspace settings: owner',
    calls: [
      { method: 'GET', url: '/w/acme/data/settings', params: W, expect: guarded('reports:view'), note: 'pipeline & workspace settings' },
      { method: 'POST', url: '/w/acme/data/settings', params: W, form: { intent: 'stages' }, expect: guarded('rules:edit'), note: 'pipeline without stages → field errors' },
      { method: 'POST', url: '/w/acme/data/settings', params: W, form: { intent: 'workspace', timeZone: 'Mars/Base', currency: 'XXX' }, expect: guarded('workspace:settings'), note: 'bad time zone/currency → field errors' },
    ],
  },
  'w.$workspace.users.tsx': {
    roles: 'owner',
    calls: [
      { method: 'GET', url: '/w/acme/users', params: W, expect: guarded('users:manage'), note: 'members & invites' },
      { method: 'POST', url: '/w/acme/users', params: W, form: { intent: 'invite', email: 'not-an-email', role: 'viewer' }, expect: guarded('users:manage', 400), note: 'invite a bad email → field errors' },
    ],
  },
};

// ------------------------------------------------------------------ setup

let t: TestDatabase;
let acme: Workspace;
let importId: number;
const cookies = new Map<Who, string>();
const userIds = new Map<Who, number>();

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await makeWorkspace(t.db, 'acme');
  const globex = await makeWorkspace(t.db, 'globex');
  const imports = [
    await importText(t.db, acme, 'tracking_numbers', csv('number,kind,source,medium,campaign,valid_from,valid_to', '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31')),
    await importText(t.db, acme, 'spend', csv('date,source,medium,campaign,cost', '2026-03-02,google,cpc,spring_windows,61234.50', '2026-03-03,facebook,cpc,spring_doors,37530.93')),
    await importText(t.db, acme, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's1,v1,2026-03-05T10:00:00+02:00,google,cpc,spring_windows',
      's2,v2,2026-03-06T11:00:00+02:00,facebook,cpc,spring_doors',
    )),
    await importText(t.db, acme, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status,duration_sec,manager',
      'c1,2026-03-07T10:00:00+02:00,+380671234567,+380441110001,answered,60,Petro Secretenko',
      'c2,2026-03-08T10:00:00+02:00,+380501110001,+380441110001,missed,,Olena Koval',
    )),
    await importText(t.db, acme, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,phone,email,manager,stage,outcome,amount,closed_at',
      'L-OLENA-1,2026-03-05T10:10:00+02:00,form,v1,+380501110001,olena.client@example.com,Olena Koval,new,open,,',
      'L-PETRO-SECRET,2026-03-06T11:10:00+02:00,form,v2,+380671234567,petro.client@example.com,Petro Secretenko,won,won,45678.90,2026-03-20T12:00:00+02:00',
    )),
    await importText(t.db, acme, 'plans', csv('month,channel,region,manager,leads,max_cpl,budget', '2026-03,,,,10,,77777.00', '2026-03,paid_search,,,5,5555.55,')),
  ];
  for (const r of imports) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
  importId = imports[1]!.importId;
  await setConversionGoal(t.db, acme.id, { platform: 'google-ads', stage: 'won', conversionName: 'Won deal' });

  for (const role of ['owner', 'marketer', 'manager', 'viewer'] as const) {
    const s = await signInAs(t.db, { workspaceId: acme.id, role, managerName: role === 'manager' ? 'Olena Koval' : null, email: `${role}@acme.example` });
    cookies.set(role, s.cookie);
    userIds.set(role, s.userId);
  }
  const other = await signInAs(t.db, { workspaceId: globex.id, role: 'owner', email: 'owner@globex.example' });
  cookies.set('other', other.cookie);
  userIds.set('other', other.userId);
});
afterAll(async () => {
  await t.drop();
  // The closing note's table: ROUTES_BY_ROLE_MD=/tmp/s3/routes-by-role.md npx vitest run --project integration test/integration/routes-by-role.test.ts
  if (process.env.ROUTES_BY_ROLE_MD) writeFileSync(process.env.ROUTES_BY_ROLE_MD, routesByRoleMarkdown());
});

// ---------------------------------------------------------------- calling

interface Outcome {
  status: number;
  location: string | null;
  /** Everything the caller would receive, as text. */
  body: string;
}

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;
};

const routesDir = path.join(projectRoot, 'app/routes');
const routeFiles = readdirSync(routesDir).filter((f) => /\.(tsx|ts)$/.test(f)).sort();

async function cookieFor(who: Who, call: Call): Promise<string | undefined> {
  if (who === 'anon') return undefined;
  if (!call.endsSession) return cookies.get(who);
  return cookieOf(await startUserSession(t.db, userIds.get(who)!, new Request('http://localhost/login')));
}

function isDataWithInit(v: unknown): v is { type: 'DataWithResponseInit'; data: unknown; init: ResponseInit | null } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'DataWithResponseInit';
}

async function outcomeOf(value: unknown): Promise<Outcome> {
  if (value instanceof Response) return { status: value.status, location: value.headers.get('location'), body: await value.text() };
  if (isDataWithInit(value)) return { status: value.init?.status ?? 200, location: null, body: JSON.stringify(value.data) };
  return { status: 200, location: null, body: JSON.stringify(value ?? null) };
}

async function run(file: string, call: Call, who: Who): Promise<Outcome> {
  const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as RouteModule;
  const fn = call.method === 'GET' ? mod.loader : mod.action;
  if (!fn) throw new Error(`${file} has no ${call.method === 'GET' ? 'loader' : 'action'}`);
  const url = `http://localhost${call.url.replace('IMPORT', String(importId))}`;
  const headers = new Headers();
  const cookie = await cookieFor(who, call);
  if (cookie) headers.set('cookie', cookie);
  let body: BodyInit | undefined;
  if (call.method === 'POST') {
    headers.set('origin', 'http://localhost');
    if (call.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(call.json);
    } else {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(call.form ?? {}).toString();
    }
  }
  const request = new Request(url, { method: call.method, headers, body });
  const params = Object.fromEntries(Object.entries(call.params ?? {}).map(([k, v]) => [k, v.replace('IMPORT', String(importId))]));
  const context = { db: t.db, cspNonce: 'test', offerDemo: true, clientIp: '127.0.0.1' } as AppLoadContext;
  try {
    return await outcomeOf(await fn({ request, params, context }));
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return outcomeOf(thrown);
    throw thrown;
  }
}

// ------------------------------------------------------------------ tests

test('the permission matrix is the one this test expects', () => {
  for (const role of ['owner', 'marketer', 'manager', 'viewer'] as const) expect([...permissionsOf(role)].sort()).toEqual([...MATRIX[role]].sort());
});

test('every route module in app/routes has an expectation (a new route must be added to ROUTES)', () => {
  const missing = routeFiles.filter((f) => !(f in ROUTES));
  expect(missing).toEqual([]);
});

test('app/root.tsx (runs on every page): the signed-in user’s own workspaces only, nothing for nobody', async () => {
  const root = (await import('../../app/root')) as RouteModule;
  const shell = async (who: Who) => {
    const cookie = cookies.get(who);
    const request = new Request('http://localhost/w/acme', { headers: cookie ? { cookie } : {} });
    const context = { db: t.db, cspNonce: 'test' } as AppLoadContext;
    const data = (await root.loader!({ request, params: {}, context })) as { user: { email: string } | null; workspaces: { slug: string; role: Role }[] };
    return [data.user?.email ?? null, data.workspaces.map((w) => `${w.slug}:${w.role}`)];
  };
  expect(await shell('anon')).toEqual([null, []]);
  expect(await shell('other')).toEqual(['owner@globex.example', ['globex:owner']]);
  expect(await shell('manager')).toEqual(['manager@acme.example', ['acme:manager']]);
});

/** Things a sales manager (Olena Koval) must never receive. */
const FORBIDDEN_FOR_MANAGER = [
  'L-PETRO-SECRET', '+380671234567', 'petro.client@example.com', // another manager's lead and caller
  '45678', // that lead's deal amount
  '61234', '37530', '98765', // spend rows and their total
  '77777', '5555.55', // plan budget and max CPL
];
const SPEND_KEYS = new Set(['spend', 'cost', 'cpl', 'cpc', 'cpql', 'cac', 'romi', 'roas', 'ctr', 'impressions', 'clicks', 'budget', 'max_cpl', 'cost_per_call', 'missed_cost']);

/** Paths of spend-derived fields that carry a value (null/absent is what a manager should get). */
function spendFieldsIn(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => spendFieldsIn(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (SPEND_KEYS.has(k) && v !== null && v !== undefined) return [`${at}.${k}`];
    if (k === 'cplLimits' && v && Object.keys(v).length > 0) return [`${at}.${k}`];
    return spendFieldsIn(v, `${at}.${k}`);
  });
}

const existing = Object.entries(ROUTES).filter(([file]) => routeFiles.includes(file));
const cases = existing.flatMap(([file, entry]) =>
  'calls' in entry ? entry.calls.flatMap((call) => WHO.map((who) => ({ file, call, who }))) : [],
);

describe.each(existing.filter(([, e]) => 'calls' in e).map(([file]) => file))('%s', (file) => {
  test.each(cases.filter((c) => c.file === file).map((c) => [`${c.call.method} ${c.call.url} as ${c.who}`, c] as const))('%s', async (_name, { call, who }) => {
    const out = await run(file, call, who);
    expect({ status: out.status, body: out.status >= 500 ? out.body : undefined }).toEqual({ status: call.expect[who], body: undefined });

    if (out.status === 302 && who === 'anon' && call.expect.anon === 302 && call.expect.owner !== 302 && file.startsWith('w.')) {
      expect(out.location).toMatch(/^\/login\?next=/);
    }
    if (who === 'other') {
      // A user of another workspace learns nothing of acme's data.
      for (const secret of ['L-OLENA-1', 'L-PETRO-SECRET', '61234', 'spring_windows', 'Test acme']) expect(out.body).not.toContain(secret);
    }
    if (who === 'manager' && out.status === 200) {
      for (const secret of FORBIDDEN_FOR_MANAGER) expect(out.body, `manager got "${secret}"`).not.toContain(secret);
      if (out.body.startsWith('{') || out.body.startsWith('[')) expect(spendFieldsIn(JSON.parse(out.body))).toEqual([]);
    }
  });
});

describe('concrete values: the data is there (so the absence checks can fail), and a manager gets only their share', () => {
  const get = (file: string, url: string, who: Who, params: Record<string, string> = W) => run(file, { method: 'GET', url, params, expect: everyone(200), note: '' }, who);

  test('the owner’s Leads page lists both managers’ leads; the manager’s only their own', async () => {
    const owner = await get('w.$workspace.leads.tsx', `/w/acme/leads?${MARCH}`, 'owner');
    expect(owner.body).toContain('L-PETRO-SECRET');
    expect(owner.body).toContain('L-OLENA-1');
    const manager = await get('w.$workspace.leads.tsx', `/w/acme/leads?${MARCH}`, 'manager');
    expect(manager.body).toContain('L-OLENA-1');
  });

  test('the owner’s Channels page has the spend total 61234.50 + 37530.93 = 98765.43', async () => {
    const owner = await get('w.$workspace.channels.tsx', `/w/acme/channels?${MARCH}`, 'owner');
    expect((JSON.parse(owner.body) as { totals: { spend: string } }).totals.spend).toBe('98765.43');
    expect(owner.body).toContain('5555.55');
  });

  test('the viewer’s Calls page carries Petro’s caller; the manager’s has Olena’s missed call and nothing of Petro’s', async () => {
    const viewer = await get('w.$workspace.calls.tsx', `/w/acme/calls?${MARCH}&by=manager`, 'viewer');
    expect(viewer.body).toContain('Petro Secretenko');
    const manager = await get('w.$workspace.calls.tsx', `/w/acme/calls?${MARCH}&by=manager`, 'manager');
    const page = JSON.parse(manager.body) as { totals: { calls: number; missed: number } };
    // Only c2 (Olena's, missed) is in scope: 1 call, 1 missed.
    expect([page.totals.calls, page.totals.missed]).toEqual([1, 1]);
  });

  test('the Funnel counts both leads (1 open, 1 won) for the owner and only Olena’s open one for the manager', async () => {
    const outcome = async (who: Who) => {
      const out = await get('w.$workspace.funnel.tsx', `/w/acme/funnel?${MARCH}`, who);
      const o = (JSON.parse(out.body) as { current: { outcome: { leads: number; won: number; open: number } } }).current.outcome;
      return [o.leads, o.won, o.open];
    };
    expect(await outcome('owner')).toEqual([2, 1, 1]);
    expect(await outcome('manager')).toEqual([1, 0, 1]);
  });

  test('the manager’s Overview sends them to their own KPIs, keeping the filters', async () => {
    const out = await get('w.$workspace._index.tsx', `/w/acme?${MARCH}`, 'manager');
    expect([out.status, out.location]).toEqual([302, `/w/acme/managers?${MARCH}`]);
  });

  test('the manager’s Managers page is their own row only, with the won revenue of no one else', async () => {
    const out = await get('w.$workspace.managers.tsx', `/w/acme/managers?${MARCH}`, 'manager');
    const page = JSON.parse(out.body) as { rows: { manager: string; leads: number }[] };
    expect(page.rows.map((r) => [r.manager, r.leads])).toEqual([['Olena Koval', 1]]);
  });
});

function routesByRoleMarkdown(): string {
  const lines = [
    '# Routes × roles (issue 6)',
    '',
    'Generated by test/integration/routes-by-role.test.ts: each module in app/routes has its loader (GET) and action (POST) called directly, with a session cookie',
    'for each role in workspace `acme`, for the owner of another workspace (`globex`), and with none. Cells are the asserted HTTP status',
    '(302 for nobody = redirect to /login?next=…; 404 for another workspace = the same answer as for a missing workspace).',
    'Beyond the status: every 200 a manager (Olena Koval) gets is searched for the other manager’s lead id, phone, email and deal amount,',
    'for the spend rows, their total, the plan budget and max CPL, and walked for any non-null spend-derived field (spend, cost, CPL, CPC, CPQL, CAC,',
    'ROMI, ROAS, CTR, impressions, clicks, budget, max CPL, cost per call, missed-call cost, CPL limits); another workspace’s user must get',
    'none of acme’s lead ids, spend, campaign or workspace name. Concrete values are checked too (owner’s spend total 98765.43, funnel 2 leads',
    'vs the manager’s 1, calls 1 missed for the manager, managers page = Olena only). POSTs carry the app’s Origin (the Origin check itself is',
    'tested through the real server in test/integration/auth/server-security.test.ts).',
    '',
    '| route file | roles allowed | what was tried | owner | marketer | manager | viewer | other workspace | anonymous |',
    '|---|---|---|---|---|---|---|---|---|',
    '| `app/root.tsx` | anyone | GET (shell data) — anonymous gets no user and no workspaces; a user only their own memberships | 200 | 200 | 200 | 200 | 200 (own workspace only) | 200 (empty) |',
  ];
  for (const file of routeFiles) {
    const entry = ROUTES[file];
    if (!entry) continue;
    if (!('calls' in entry)) {
      lines.push(`| \`${file}\` | ${entry.roles} | (no loader or action) | | | | | | |`);
      continue;
    }
    for (const c of entry.calls) lines.push(`| \`${file}\` | ${entry.roles} | ${c.method} \`${c.url}\` — ${c.note} | ${WHO.map((w) => c.expect[w]).join(' | ')} |`);
  }
  return lines.join('\n');
}
