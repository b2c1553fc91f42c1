import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endUserSession, getSessionUser, requireUser, safeNextPath, startUserSession } from '../../../app/auth/session.server';
import type { Workspace } from '../../../db/schema';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { cookieOf, signInAs } from '../../support/auth';

let t: TestDatabase;
let ws: Workspace;
beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'acme');
});
afterAll(async () => t.drop());

const req = (cookie?: string, url = 'http://localhost/w/acme') => new Request(url, { headers: cookie ? { cookie } : {} });
const ctx = () => ({ db: t.db });

describe('session cookie', () => {
  test('HttpOnly, SameSite=Lax, Path=/, 30 days, and Secure only over HTTPS', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const plain = await startUserSession(t.db, u.userId, new Request('http://localhost/login'));
    expect(plain).toMatch(/^lp_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    const https = await startUserSession(t.db, u.userId, new Request('https://leadpath.example/login'));
    expect(https.endsWith('; Secure')).toBe(true);
  });

  test('X-Forwarded-Proto makes it Secure only when LEADPATH_TRUST_PROXY=1', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const proxied = () => new Request('http://localhost/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(await startUserSession(t.db, u.userId, proxied())).not.toContain('Secure');
    process.env.LEADPATH_TRUST_PROXY = '1';
    try {
      expect(await startUserSession(t.db, u.userId, proxied())).toContain('; Secure');
    } finally {
      delete process.env.LEADPATH_TRUST_PROXY;
    }
  });

  test('the database stores only the sha256 of the id', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const id = u.cookie.slice('lp_session='.length);
    const rows = await t.db.selectFrom('user_sessions').select('id').where('user_id', '=', u.userId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.id).not.toContain(id);
  });
});

describe('session lifecycle', () => {
  test('a live cookie names its user; a missing, malformed or unknown one names nobody', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer', email: 'alive@example.com' });
    expect(await getSessionUser(req(u.cookie), ctx())).toEqual({ id: u.userId, email: 'alive@example.com' });
    expect(await getSessionUser(req(), ctx())).toBeNull();
    expect(await getSessionUser(req('lp_session=short'), ctx())).toBeNull();
    expect(await getSessionUser(req(`lp_session=${'A'.repeat(43)}`), ctx())).toBeNull();
    // Other cookies around it do not matter.
    expect(await getSessionUser(req(`lang=uk; ${u.cookie}; theme=dark`), ctx())).toEqual({ id: u.userId, email: 'alive@example.com' });
  });

  test('login rotates: the session the request carried ends and a new id is issued', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const rotated = cookieOf(await startUserSession(t.db, u.userId, new Request('http://localhost/login', { method: 'POST', headers: { cookie: u.cookie } })));
    expect(rotated).not.toBe(u.cookie);
    expect(await getSessionUser(req(u.cookie), ctx())).toBeNull();
    expect((await getSessionUser(req(rotated), ctx()))?.id).toBe(u.userId);
    const user = await t.db.selectFrom('users').select('last_login_at').where('id', '=', u.userId).executeTakeFirstOrThrow();
    expect(user.last_login_at).toBeInstanceOf(Date);
  });

  test('past the 30-day absolute expiry, or idle for more than 7 days, the session is dead', async () => {
    const absolute = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const idle = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    await t.db.updateTable('user_sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', absolute.userId).execute();
    // 7 days + 1 minute ago.
    await t.db.updateTable('user_sessions').set({ last_seen_at: new Date(Date.now() - 7 * 86_400_000 - 60_000) }).where('user_id', '=', idle.userId).execute();
    expect(await getSessionUser(req(absolute.cookie), ctx())).toBeNull();
    expect(await getSessionUser(req(idle.cookie), ctx())).toBeNull();
  });

  test('a session idle for two hours is refreshed when used (last_seen_at moves to now)', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await t.db.updateTable('user_sessions').set({ last_seen_at: twoHoursAgo }).where('user_id', '=', u.userId).execute();
    expect((await getSessionUser(req(u.cookie), ctx()))?.id).toBe(u.userId);
    const row = await t.db.selectFrom('user_sessions').select('last_seen_at').where('user_id', '=', u.userId).executeTakeFirstOrThrow();
    expect(row.last_seen_at.getTime()).toBeGreaterThan(twoHoursAgo.getTime() + 3600_000);
  });

  test('logout ends the session and clears the cookie', async () => {
    const u = await signInAs(t.db, { workspaceId: ws.id, role: 'viewer' });
    const cleared = await endUserSession(req(u.cookie), ctx());
    expect(cleared).toBe('lp_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(await getSessionUser(req(u.cookie), ctx())).toBeNull();
  });

  test('requireUser redirects to /login with the page (and its query) as next', async () => {
    const thrown = await requireUser(req(undefined, 'http://localhost/w/acme/channels?from=2026-03-01&by=campaign'), ctx()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const res = thrown as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/w/acme/channels?from=2026-03-01&by=campaign')}`);
  });

  test('a single-fetch data request is sent back to its page, not to the .data URL', async () => {
    const thrown = await requireUser(req(undefined, 'http://localhost/w/acme/funnel.data?by=region&_routes=routes%2Fw.%24workspace.funnel'), ctx()).catch((e: unknown) => e);
    expect((thrown as Response).headers.get('location')).toBe(`/login?next=${encodeURIComponent('/w/acme/funnel?by=region')}`);
  });

  test.each([
    ['/w/acme', '/w/acme'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['', '/'],
  ])('safeNextPath(%j) → %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});
