import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createWorkspace } from '../../db/queries/workspaces';
import { getLoginPage, getSetupPage, loginAction, safeNext, setupAction } from '../../app/models/account.server';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The account pages' server side on a real database: setup without the demo
// (a first empty workspace), setup after an upgrade (workspaces, no users),
// setup once only, and where sign-in may send the browser.

const ORIGIN = 'http://leadpath.test';

function post(path: string, fields: Record<string, string>): Request {
  return new Request(`${ORIGIN}${path}`, { method: 'POST', headers: { origin: ORIGIN }, body: new URLSearchParams(fields) });
}

/** A thrown or returned Response, whichever the function gave. */
async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
    throw new Error(`expected a Response, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

const owner = { email: 'Owner@Example.COM ', password: 'a long owner password', confirm: 'a long owner password' };

describe('setup without the demo', () => {
  let t: TestDatabase;
  let context: AppLoadContext;
  beforeAll(async () => {
    t = await createTestDatabase();
    context = { db: t.db, cspNonce: '', offerDemo: true, clientIp: '127.0.0.1' };
  });
  afterAll(() => t.drop());

  test('field errors name each bad field and nothing is created', async () => {
    const result = await setupAction(post('/setup', { ...owner, confirm: 'different', name: '', slug: 'Bad Slug', timeZone: 'Mars/Base', currency: 'XXXX' }), context);
    const { data, init } = result as unknown as { data: { ok: boolean; errors: Record<string, string> }; init: { status: number } };
    expect(init.status).toBe(400);
    expect(data.ok).toBe(false);
    expect(Object.keys(data.errors).sort()).toEqual(['confirm', 'currency', 'name', 'slug', 'timeZone']);
    expect(data.errors.confirm).toBe('auth.error.confirm');
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);
  });

  test('creates the workspace and its owner, signs them in, and is gone afterwards', async () => {
    const response = await responseOf(() =>
      setupAction(post('/setup', { ...owner, name: 'Acme Dental', slug: 'acme', timeZone: 'Europe/Kyiv', currency: 'uah' }), context),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/w/acme');
    expect(response.headers.get('set-cookie')).toMatch(/^lp_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);

    const members = await t.db
      .selectFrom('workspace_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .select(['u.email', 'w.slug', 'w.currency', 'm.role'])
      .execute();
    // The email is stored normalised; the currency upper-cased before validation.
    expect(members).toEqual([{ email: 'owner@example.com', slug: 'acme', currency: 'UAH', role: 'owner' }]);

    expect((await responseOf(() => getSetupPage(context))).status).toBe(404);
    const again = await responseOf(() => setupAction(post('/setup', { ...owner, email: 'second@example.com', name: 'B', slug: 'b', timeZone: 'UTC', currency: 'USD' }), context));
    expect(again.status).toBe(404);
    expect(await t.db.selectFrom('users').select('email').execute()).toEqual([{ email: 'owner@example.com' }]);
  });

  test('sign-in follows only local next paths', async () => {
    const signIn = (next: string) => responseOf(() => loginAction(post('/login', { email: 'owner@example.com', password: owner.password, next }), context));
    expect((await signIn('/w/acme/leads?range=last_7')).headers.get('location')).toBe('/w/acme/leads?range=last_7');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
      // Refused: the user's first workspace instead.
      expect((await signIn(next)).headers.get('location'), next).toBe('/w/acme');
    }
    const page = await getLoginPage(new Request(`${ORIGIN}/login?next=%2F%2Fevil.example`), context);
    expect(page.next).toBe('/');
  });
});

describe('setup after an upgrade (workspaces exist, no users)', () => {
  let t: TestDatabase;
  let context: AppLoadContext;
  beforeAll(async () => {
    t = await createTestDatabase();
    context = { db: t.db, cspNonce: '', offerDemo: true, clientIp: '127.0.0.1' };
    await createWorkspace(t.db, { slug: 'north', name: 'North', timeZone: 'UTC', currency: 'USD' });
    await createWorkspace(t.db, { slug: 'south', name: 'South', timeZone: 'UTC', currency: 'EUR' });
  });
  afterAll(() => t.drop());

  test('offers no demo and no new workspace; the owner gets every existing one', async () => {
    const page = await getSetupPage(context);
    expect(page.offerDemo).toBe(false);
    expect(page.existingWorkspaces).toBe(2);
    // The form's demo and workspace fields are ignored here.
    const response = await responseOf(() => setupAction(post('/setup', { ...owner, demo: 'on', name: 'X', slug: 'x', timeZone: 'UTC', currency: 'USD' }), context));
    expect(response.status).toBe(302);
    const rows = await t.db
      .selectFrom('workspace_members as m')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .select(['w.slug', 'm.role'])
      .orderBy('w.slug')
      .execute();
    expect(rows).toEqual([
      { slug: 'north', role: 'owner' },
      { slug: 'south', role: 'owner' },
    ]);
    expect((await t.db.selectFrom('workspaces').select('slug').orderBy('slug').execute()).map((w) => w.slug)).toEqual(['north', 'south']);
  });
});

test.each([
  ['/w/acme?range=last_7#top', '/w/acme?range=last_7#top'],
  ['//evil.example', '/'],
  ['/\\evil.example', '/'],
  ['https://evil.example/w', '/'],
  ['w/acme', '/'],
  ['', '/'],
  [null, '/'],
])('safeNext(%j) is %j', (next, expected) => {
  expect(safeNext(next)).toBe(expected);
});
