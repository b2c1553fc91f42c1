import http from 'node:http';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signInOwner } from './support/auth';
import { launchBrowser, openPage } from './support/browser';
import { cli } from './support/demo';
import { startServer, type RunningApp } from './support/server';

// The ingestion API as a site uses it: `leadpath serve` (the production
// build, express, the Remix resource routes) on localhost, a token from
// `leadpath token create`, the real @segment/analytics-node client, and the
// numbers read back with `leadpath report`.

let app: RunningApp;
let token = '';

beforeAll(async () => {
  app = await startServer();
  await cli(app, ['workspace', 'create', '--slug', 'shop', '--name', 'Shop', '--tz', 'Europe/Kyiv', '--currency', 'UAH']);
  token = (await cli(app, ['token', 'create', '--workspace', 'shop', '--scope', 'ingest', '--name', 'website'])).trim();
});
afterAll(async () => {
  await app?.stop();
});

test('the Segment client delivers pages and a lead that show in `leadpath report`', async () => {
  const analytics = new Analytics({ writeKey: token, host: app.url, path: '/api/v1/batch', flushAt: 10, flushInterval: 60_000, maxRetries: 0 });
  const failures: unknown[] = [];
  analytics.on('error', (e) => failures.push(e));
  const at = (iso: string) => new Date(iso);
  // Visitor a: Google Ads, then Facebook, then the lead. Visitor b: Google Ads only.
  analytics.page({ anonymousId: 'a', timestamp: at('2026-04-02T09:00:00Z'), properties: { url: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand' } });
  analytics.page({ anonymousId: 'a', timestamp: at('2026-04-03T09:00:00Z'), properties: { url: 'https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring' } });
  analytics.track({ anonymousId: 'a', event: 'Lead Created', timestamp: at('2026-04-03T09:05:00Z'), properties: { lead_id: 'W-1' } });
  analytics.page({ anonymousId: 'b', timestamp: at('2026-04-05T12:00:00Z'), properties: { url: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand' } });
  await analytics.closeAndFlush();
  expect(failures).toEqual([]);

  const rows = JSON.parse(await cli(app, ['report', 'channels', '--workspace', 'shop', '--from', '2026-04-01', '--to', '2026-04-30', '--format', 'json'])) as Record<string, unknown>[];
  // Sessions: paid_search 2 (a, b), paid_social 1 (a). The lead goes to its last non-direct touch: paid_social.
  expect(Object.fromEntries(rows.map((r) => [r.channel, [r.sessions, r.leads]]))).toEqual({ paid_search: [2, 0], paid_social: [1, 1] });
  const paths = JSON.parse(await cli(app, ['report', 'paths', '--workspace', 'shop', '--from', '2026-04-01', '--to', '2026-04-30', '--format', 'json'])) as Record<string, unknown>[];
  expect(paths.filter((r) => Number(r.leads) > 0).map((r) => [r.path, r.leads])).toEqual([['paid_search > paid_social', 1]]);
});

test('through express and Remix: JSON errors, no Origin needed, other methods 405, unknown paths 404, big bodies 413', async () => {
  const post = (path: string, body: string, auth: string | null = `Bearer ${token}`) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body });
  const bad = await post('/api/v1/track', JSON.stringify({ anonymousId: 'a', event: 'Lead Created', properties: { amount: 'lots' } }));
  expect([bad.status, ((await bad.json()) as { error: { field: string } }).error.field]).toEqual([400, 'properties.amount']);
  const anonymous = await post('/api/v1/calls', '[]', null);
  expect([anonymous.status, anonymous.headers.get('content-type')?.split(';')[0]]).toEqual([401, 'application/json']);
  expect((await fetch(`${app.url}/api/v1/leads`)).status).toBe(401);
  const get = await fetch(`${app.url}/api/v1/leads`, { headers: { authorization: `Bearer ${token}` } });
  expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
  const missing = await post('/api/v1/purchases', '{}');
  expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
  const big = await post('/api/v1/batch', JSON.stringify({ batch: [{ type: 'page', anonymousId: 'a', properties: { pad: 'x'.repeat(600 * 1024) } }] }));
  expect(big.status).toBe(413);
  // Chunked, no Content-Length: refused while reading, at 500 KB.
  // node:http rather than fetch: the server answers 413 and closes while the
  // client is still sending, and fetch then reports the broken pipe instead
  // of the response it already got.
  expect(await postChunked(`${app.url}/api/v1/batch`, token, 64 * 1024, 20)).toBe(413);
  // The server still answers afterwards.
  expect((await post('/api/v1/calls', '[]')).status).toBe(400);
});

test('the owner creates a read token on the API tokens page, sees it once, uses it, and revokes it', async () => {
  const cookie = await signInOwner(app, ['shop']);
  const browser = await launchBrowser();
  try {
    const { page, problems } = await openPage(browser, undefined, { app, cookie });
    await page.goto(`${app.url}/w/shop/tokens`);
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    // The CLI's token is listed; no token text is on the page.
    await page.getByRole('cell', { name: 'website', exact: true }).waitFor();
    expect(await page.content()).not.toContain(token);

    await page.getByLabel('Name').fill('BI');
    await page.getByLabel('Scope').selectOption('read');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByLabel('Token', { exact: true });
    await shown.waitFor();
    const readToken = await shown.inputValue();
    expect(readToken).toMatch(/^lp_read_[A-Za-z0-9_-]{43}$/);
    const report = (t: string) => fetch(`${app.url}/api/v1/reports/channels?from=2026-04-01&to=2026-04-30`, { headers: { authorization: `Bearer ${t}` } });
    expect((await report(readToken)).status).toBe(200);

    // Shown once: a reload lists it without the token.
    await page.goto(`${app.url}/w/shop/tokens`);
    await page.getByRole('cell', { name: 'BI', exact: true }).waitFor();
    expect(await page.content()).not.toContain(readToken);
    await page.getByRole('button', { name: 'Revoke token BI' }).click();
    await page.getByText(/^revoked /).waitFor();
    expect((await report(readToken)).status).toBe(401);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});

/** POSTs `chunks` chunks of `chunkBytes` without a Content-Length; resolves with the status as soon as the server answers. */
function postChunked(url: string, token: string, chunkBytes: number, chunks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // A write after the server closed fails; only an error before any answer counts.
    req.on('error', (error) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 1_000);
    });
    const chunk = Buffer.alloc(chunkBytes, 'x');
    let sent = 0;
    const writeMore = (): void => {
      while (sent < chunks && !answered && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      if (!answered && !req.destroyed) req.end();
    };
    writeMore();
  });
}
