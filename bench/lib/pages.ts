import { existsSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { LoaderFunctionArgs } from '@remix-run/node';
import type { Db } from '../../db/client';
import { projectRoot } from '../../db/paths';
import type { Workspace } from '../../db/schema';
import type { BenchCase, BenchFilters, DayRange, RangeName } from './reports';

// The dashboard pages' loaders, called in-process with a Request for the page
// URL, as a browser's document request runs them: every matched route's
// loader (root, the workspace layout, the section layout, the page) at once,
// with a signed-in owner's session cookie once accounts exist (issue 6).

interface PageSpec {
  name: string;
  /** Route modules matched by the URL, outermost first (app/routes/*.tsx, without the extension). */
  routes: string[];
  /** URL below /w/<slug>, before the query. */
  path: string;
  /** Takes the dashboard range and filters from the query. */
  ranged: boolean;
  /** Query parameters of its own. */
  query?: (range: DayRange, filters: BenchFilters | null) => Record<string, string>;
}

const WS = ['root', 'routes/w.$workspace'];
const DATA = [...WS, 'routes/w.$workspace.data'];
const PAGES: PageSpec[] = [
  { name: 'overview', routes: [...WS, 'routes/w.$workspace._index'], path: '', ranged: true },
  { name: 'channels', routes: [...WS, 'routes/w.$workspace.channels'], path: '/channels', ranged: true },
  { name: 'funnel', routes: [...WS, 'routes/w.$workspace.funnel'], path: '/funnel', ranged: true },
  { name: 'attribution', routes: [...WS, 'routes/w.$workspace.attribution'], path: '/attribution', ranged: true },
  { name: 'calls', routes: [...WS, 'routes/w.$workspace.calls'], path: '/calls', ranged: true },
  { name: 'managers', routes: [...WS, 'routes/w.$workspace.managers'], path: '/managers', ranged: true },
  { name: 'leads', routes: [...WS, 'routes/w.$workspace.leads'], path: '/leads', ranged: true },
  {
    name: 'forecast',
    routes: [...WS, 'routes/w.$workspace.forecast'],
    path: '/forecast',
    ranged: true,
    query: (_range, filters): Record<string, string> => (filters ? { slice: filters.channel } : {}),
  },
  { name: 'data/coverage', routes: [...DATA, 'routes/w.$workspace.data.coverage'], path: '/data/coverage', ranged: true },
  { name: 'plans', routes: [...WS, 'routes/w.$workspace.plans'], path: '/plans', ranged: false, query: (range) => ({ month: range.from.slice(0, 7) }) },
  { name: 'lead', routes: [...WS, 'routes/w.$workspace.leads_.$leadId'], path: '/leads/{lead}', ranged: false },
  { name: 'data', routes: [...DATA, 'routes/w.$workspace.data._index'], path: '/data', ranged: false },
  { name: 'data/rules', routes: [...DATA, 'routes/w.$workspace.data.rules'], path: '/data/rules', ranged: false },
  { name: 'data/settings', routes: [...DATA, 'routes/w.$workspace.data.settings'], path: '/data/settings', ranged: false },
  { name: 'data/presets', routes: [...DATA, 'routes/w.$workspace.data.presets'], path: '/data/presets', ranged: false },
];

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

let hooksRegistered = false;

async function loadersOf(routes: string[]): Promise<(Loader | undefined)[]> {
  if (!hooksRegistered) {
    register(pathToFileURL(path.join(projectRoot, 'bench', 'lib', 'css-url-hooks.mjs')).href);
    hooksRegistered = true;
  }
  return Promise.all(
    routes.map(async (r) => {
      const mod = (await import(pathToFileURL(path.join(projectRoot, 'app', `${r}.tsx`)).href)) as { loader?: Loader };
      return mod.loader;
    }),
  );
}

/**
 * A session cookie of an owner of the workspace, through app/auth (issue 6),
 * or null while the app has no accounts. Loaded by path so the bench
 * typechecks before and after accounts land.
 */
async function ownerCookie(db: Db, ws: Workspace): Promise<string | null> {
  const accountsFile = path.join(projectRoot, 'app', 'auth', 'accounts.server.ts');
  const sessionFile = path.join(projectRoot, 'app', 'auth', 'session.server.ts');
  if (!existsSync(accountsFile) || !existsSync(sessionFile)) return null;
  const accounts = (await import(pathToFileURL(accountsFile).href)) as {
    createUser(db: Db, input: { email: string; password: string }): Promise<{ id: number }>;
    addMembership(db: Db, input: { workspaceId: number; userId: number; role: string; managerName: string | null }): Promise<unknown>;
  };
  const session = (await import(pathToFileURL(sessionFile).href)) as {
    startUserSession(db: Db, userId: number, request: Request): Promise<string>;
  };
  const user = await accounts.createUser(db, { email: `bench-${Date.now()}@example.com`, password: 'bench-password-not-secret' });
  await accounts.addMembership(db, { workspaceId: ws.id, userId: user.id, role: 'owner', managerName: null });
  const setCookie = await session.startUserSession(db, user.id, new Request('http://localhost/login', { method: 'POST' }));
  const pair = /lp_session=[^;]+/.exec(setCookie)?.[0];
  if (!pair) throw new Error(`startUserSession returned no lp_session cookie: ${setCookie}`);
  return pair;
}

export async function pageCases(db: Db, ws: Workspace, f: BenchFilters): Promise<BenchCase[]> {
  const cookie = await ownerCookie(db, ws);
  const newest = await sql<{ lead_id: string }>`select lead_id from leads where workspace_id = ${ws.id} order by created_at desc, lead_id limit 1`.execute(db);
  const leadId = newest.rows[0]?.lead_id;
  const context = { db, cspNonce: 'bench' };
  const cases: BenchCase[] = [];
  for (const page of PAGES) {
    if (page.path.includes('{lead}') && !leadId) continue;
    const loaders = await loadersOf(page.routes);
    const pagePath = page.path.replace('{lead}', encodeURIComponent(leadId ?? ''));
    const params: Record<string, string> = { workspace: ws.slug, ...(leadId ? { leadId } : {}) };
    const run = async (range: DayRange, filters: boolean) => {
      const query = new URLSearchParams(page.ranged ? { range: 'custom', from: range.from, to: range.to } : {});
      if (page.ranged && filters) {
        query.set('channel', f.channel);
        query.set('region', f.region);
      }
      for (const [k, v] of Object.entries(page.query?.(range, filters ? f : null) ?? {})) query.set(k, v);
      const qs = query.toString();
      const url = `http://localhost/w/${ws.slug}${pagePath}${qs ? `?${qs}` : ''}`;
      const headers: Record<string, string> = { accept: 'text/html', 'accept-language': 'en' };
      if (cookie) headers.cookie = cookie;
      await Promise.all(
        loaders.map(async (loader) => {
          if (!loader) return;
          try {
            const answer = await loader({ request: new Request(url, { headers }), params, context } as LoaderFunctionArgs);
            if (answer instanceof Response && answer.status >= 300) throw answer;
          } catch (thrown) {
            if (thrown instanceof Response) throw new Error(`${url}: a loader answered HTTP ${thrown.status}${thrown.headers.get('location') ? ` → ${thrown.headers.get('location')}` : ''}`);
            throw thrown;
          }
        }),
      );
    };
    const variants: { range: RangeName; filters: boolean }[] = page.ranged
      ? [
          { range: 'full', filters: false },
          { range: 'full', filters: true },
          { range: 'month', filters: false },
          { range: 'month', filters: true },
        ]
      : [{ range: page.name === 'plans' ? 'month' : 'full', filters: false }];
    cases.push({ name: `page ${page.name}`, variants, run });
  }
  return cases;
}
