import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../db/paths';
import { serve, type RunningServer } from '../../../server/serve';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// The real HTTP server (production build, as `leadpath serve` runs it): the
// CSRF Origin check and the security headers are express middleware, so they
// are tested through real requests.

let t: TestDatabase;
let server: RunningServer;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await serve({ db: t.db, port: 0, dev: false });
});
afterAll(async () => {
  await server?.close();
  await t.drop();
});

const FORBIDDEN = 'Forbidden: this request did not come from a Leadpath page (its Origin or Referer header does not match this site).';
const post = (pathname: string, headers: Record<string, string>) =>
  fetch(server.url + pathname, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'lang=uk&redirectTo=/' });

describe('mutating requests must come from this site', () => {
  test.each([
    ['another site’s Origin', { origin: 'https://evil.example' }],
    ['an Origin with the right host but another port', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
    ['no Origin and no Referer', {}],
    ['no Origin and another site’s Referer', { referer: 'https://evil.example/page' }],
    ['a foreign Origin, even with our own Referer', { origin: 'https://evil.example', referer: 'SELF/w/acme' }],
  ])('%s → 403 with a clear text, and the action never runs', async (_name, h) => {
    const headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace('SELF', server.url)]));
    const res = await post('/language', headers);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe(FORBIDDEN);
    // The language action would have set lp_lang.
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test('our own Origin (or, without Origin, our own Referer) passes: the action runs and redirects', async () => {
    const byOrigin = await post('/language', { origin: server.url });
    expect([byOrigin.status, byOrigin.headers.get('set-cookie')?.split(';')[0]]).toEqual([302, 'lp_lang=uk']);
    const byReferer = await post('/language', { referer: `${server.url}/w/acme/channels` });
    expect(byReferer.status).toBe(302);
  });

  test('behind a trusted proxy the Origin is checked against X-Forwarded-Host (and only then)', async () => {
    const proxied = { origin: 'https://leadpath.example', 'x-forwarded-host': 'leadpath.example', 'x-forwarded-proto': 'https' };
    expect((await post('/language', proxied)).status).toBe(403);
    process.env.LEADPATH_TRUST_PROXY = '1';
    try {
      expect((await post('/language', proxied)).status).toBe(302);
      expect((await post('/language', { ...proxied, origin: 'https://evil.example' })).status).toBe(403);
    } finally {
      delete process.env.LEADPATH_TRUST_PROXY;
    }
  });

  test('GET is never blocked, whatever the Origin', async () => {
    const res = await fetch(`${server.url}/language`, { redirect: 'manual', headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(302);
  });

  test('/api/ is exempt (tokens, not cookies, authenticate it)', async () => {
    const res = await fetch(`${server.url}/api/v1/batch`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).not.toBe(403);
    expect(await res.text()).not.toContain('did not come from a Leadpath page');
  });
});

describe('security headers', () => {
  test('a page carries CSP with a nonce, Permissions-Policy, frame and sniffing protection, and no-store', async () => {
    const res = await fetch(`${server.url}/login`, { redirect: 'manual' });
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // Plain http: no HSTS.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  test('fingerprinted static assets stay cacheable', async () => {
    const asset = readdirSync(path.join(projectRoot, 'build/client/assets')).find((f) => f.endsWith('.js'));
    const res = await fetch(`${server.url}/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
