import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signInOwner } from './support/auth';
import { launchBrowser, openPage, type TestPage } from './support/browser';
import { openServerDb } from './support/fixtures';
import { cli } from './support/demo';
import { startServer, type RunningApp } from './support/server';

// Campaign, manager, product and region names that are HTML/script, imported
// through a canonical CSV with the CLI, must show as literal text on every
// page and chart: no dialog opens, no element is injected, nothing is logged.

const XSS_IMG = '<img src=x onerror=alert(1)><script>alert(1)</script>';
const XSS_SVG = '"><svg onload=alert(2)>';
const XSS_MANAGER = '<b onmouseover=alert(3)>Olena</b>';
const XSS_PRODUCT = "</textarea><iframe src=javascript:alert(4)>";
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

let app: RunningApp;
let browser: Browser;
let cookie: string;
const opened: TestPage[] = [];

beforeAll(async () => {
  app = await startServer();
  await cli(app, ['workspace', 'create', '--slug', 'xss', '--name', 'XSS test', '--tz', 'Europe/Kyiv', '--currency', 'UAH']);
  const files: Record<string, string[]> = {
    spend: ['date,source,medium,campaign,region,cost', `2026-03-02,google,cpc,${quote(XSS_IMG)},${quote(XSS_SVG)},100.00`, `2026-03-03,facebook,paid_social,${quote(XSS_SVG)},Kyiv,50.00`],
    sessions: [
      'session_id,visitor_id,started_at,source,medium,campaign,region',
      `s1,v1,2026-03-02T10:00:00+02:00,google,cpc,${quote(XSS_IMG)},${quote(XSS_SVG)}`,
      `s2,v2,2026-03-03T10:00:00+02:00,facebook,paid_social,${quote(XSS_SVG)},Kyiv`,
    ],
    leads: [
      'lead_id,created_at,kind,session_id,visitor_id,manager,product,region,stage,outcome,amount,closed_at,loss_reason',
      `L1,2026-03-02T10:30:00+02:00,form,s1,v1,${quote(XSS_MANAGER)},${quote(XSS_PRODUCT)},${quote(XSS_SVG)},won,won,1000,2026-03-10T10:00:00+02:00,`,
      `L2,2026-03-03T10:30:00+02:00,form,s2,v2,${quote(XSS_MANAGER)},${quote(XSS_PRODUCT)},Kyiv,new,lost,,2026-03-04T10:00:00+02:00,${quote(XSS_IMG)}`,
    ],
  };
  for (const [kind, lines] of Object.entries(files)) {
    const file = path.join(app.home, `${kind}.csv`);
    writeFileSync(file, lines.join('\n') + '\n');
    await cli(app, ['import', kind, file, '--workspace', 'xss']);
  }
  cookie = await signInOwner(app, ['xss']);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

afterEach(async () => {
  const problems = opened.flatMap((p) => p.problems);
  await Promise.all(opened.splice(0).map((p) => p.context.close()));
  expect(problems).toEqual([]);
});

/** A signed-in page that records every dialog (an alert() from injected script would open one). */
async function open(): Promise<{ page: Page; dialogs: string[] }> {
  const testPage = await openPage(browser, undefined, { app, cookie });
  opened.push(testPage);
  const dialogs: string[] = [];
  testPage.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  testPage.page.setDefaultTimeout(15_000);
  return { page: testPage.page, dialogs };
}

/** Elements the payloads would create if they were parsed as HTML. */
const injected = (page: Page) =>
  page.evaluate(() => ({
    handlers: document.querySelectorAll('[onerror], [onload], [onmouseover]').length,
    images: document.querySelectorAll('img[src="x"]').length,
    iframes: document.querySelectorAll('iframe').length,
    bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'Olena').length,
    // The loader data (JSON in Remix's own script) holds the names as string literals; a parsed payload would be a script of its own.
    scripts: [...document.querySelectorAll('script')].filter((s) => /^alert\(\d\)$/.test(s.textContent?.trim() ?? '')).length,
  }));
const NOTHING_INJECTED = { handlers: 0, images: 0, iframes: 0, bold: 0, scripts: 0 };

async function visit(page: Page, url: string) {
  await page.goto(`${app.url}${url}`);
  await page.waitForLoadState('networkidle');
}

const RANGE = 'range=custom&from=2026-03-01&to=2026-03-31';

describe('hostile names are shown as text', () => {
  test('Channels by campaign: table cells and chart labels', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/channels?${RANGE}&by=campaign`);
    // The campaign cell is a drill-down link: its text and its label carry the name as written.
    for (const name of [XSS_IMG, XSS_SVG]) {
      const link = page.getByRole('link', { name: `Show ${name} by Ads`, exact: true });
      await expect.poll(() => link.count()).toBe(1);
      expect(await link.textContent()).toBe(name);
    }
    // Chart row labels are SVG text, truncated, with the full name in their <title>.
    const labels = await page.locator('main svg text.chart-row-label title').allTextContents();
    expect(labels.sort()).toEqual([XSS_SVG, XSS_IMG].sort());
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });

  test('Channels by region: a region name that closes an attribute', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/channels?${RANGE}&by=region`);
    await expect.poll(() => page.getByText(XSS_SVG, { exact: true }).count()).toBeGreaterThan(0);
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });

  test('chart tooltips show the literal name on hover', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/channels?${RANGE}&by=campaign`);
    // The bar chart's pointer overlay: the top row's tooltip, then the bottom row's.
    const overlay = page.locator('main svg rect.chart-overlay').first();
    const box = (await overlay.boundingBox())!;
    const titles: string[] = [];
    for (const y of [box.y + 4, box.y + box.height - 4]) {
      await page.mouse.move(box.x + box.width / 2, y);
      const tooltip = page.locator('main .chart-tooltip-title');
      await expect.poll(async () => ((await tooltip.count()) === 1 ? tooltip.textContent() : null)).not.toBe(titles[0] ?? null);
      titles.push((await tooltip.textContent())!);
    }
    expect(titles.sort()).toEqual([XSS_SVG, XSS_IMG].sort());
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });

  test('Leads: manager, product and the filter options', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/leads?${RANGE}`);
    await expect.poll(() => page.getByText(XSS_MANAGER, { exact: true }).count()).toBeGreaterThan(0);
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });

  test('one lead: its timeline with the campaign, manager, product and loss reason', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/leads/L2?${RANGE}`);
    await expect.poll(() => page.getByText(XSS_IMG, { exact: false }).count()).toBeGreaterThan(0);
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });

  test('Attribution, Funnel by manager, Managers and the Overview', async () => {
    const { page, dialogs } = await open();
    for (const url of [`/w/xss/attribution?${RANGE}`, `/w/xss/funnel?${RANGE}&by=manager`, `/w/xss/managers?${RANGE}`, `/w/xss?${RANGE}`]) {
      await visit(page, url);
      expect(await page.locator('main').count(), url).toBe(1);
      expect(await injected(page), url).toEqual(NOTHING_INJECTED);
    }
    // The Managers leaderboard names the manager as written.
    await visit(page, `/w/xss/managers?${RANGE}`);
    await expect.poll(() => page.getByText(XSS_MANAGER, { exact: true }).count()).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
  });

  test('a hostile filter value in the URL is echoed as text in the filter bar', async () => {
    const { page, dialogs } = await open();
    await visit(page, `/w/xss/channels?${RANGE}&campaign=${encodeURIComponent(XSS_IMG)}&region=${encodeURIComponent(XSS_SVG)}`);
    expect(await injected(page)).toEqual(NOTHING_INJECTED);
    expect(dialogs).toEqual([]);
  });
});

describe('hostile requests to the running server', () => {
  const get = (url: string, headers: Record<string, string> = {}) => fetch(`${app.url}${url}`, { redirect: 'manual', headers: { cookie, ...headers } });

  test('query keys named after Object.prototype members and NUL values: the page, not a 500', async () => {
    const r = await get(`/w/xss/channels?${RANGE}&toString=1&__proto__=x&constructor=y&campaign=%00&q=%00`);
    expect(r.status).toBe(200);
  });

  test('a query past the server’s header limit is refused with a 4xx', async () => {
    const r = await get(`/w/xss/channels?campaign=${'x'.repeat(100_000)}`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  test('a form post from another origin is a 403 and writes nothing', async () => {
    const body = new URLSearchParams({ intent: 'save', month: '2026-05', kind: 'business', leads: '5' });
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const foreign = await fetch(`${app.url}/w/xss/plans`, { method: 'POST', redirect: 'manual', headers: { ...headers, origin: 'https://evil.example' }, body });
    const none = await fetch(`${app.url}/w/xss/plans`, { method: 'POST', redirect: 'manual', headers, body });
    expect([foreign.status, none.status]).toEqual([403, 403]);
    const db = await openServerDb(app.home);
    try {
      expect(await db.selectFrom('plans').select('month').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
