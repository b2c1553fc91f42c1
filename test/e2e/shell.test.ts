import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, type TestPage } from './support/browser';
import { signInOwner } from './support/auth';
import { openServerDb, seedShellFixtures } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// The web shell end to end: layout, navigation, workspace switching, the
// temporary overview on real data, error pages, security headers.

const SECTION_LABELS = [
  'Overview',
  'Channels',
  'Funnel',
  'Paths & attribution',
  'Calls',
  'Managers',
  'Leads',
  'Forecast',
  'Plans',
  'Data',
];

let app: RunningApp;
/** The e2e owner's session (owner of both fixture workspaces). */
let cookie: string;
let browser: Browser;
const opened: TestPage[] = [];
let expectedProblems: RegExp[] = [];

beforeAll(async () => {
  app = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

// No page may log an error: CSP violations and hydration mismatches land here.
afterEach(async () => {
  const problems = opened.flatMap((p) => p.problems).filter((p) => !expectedProblems.some((re) => re.test(p)));
  expectedProblems = [];
  await Promise.all(opened.splice(0).map((p) => p.context.close()));
  expect(problems).toEqual([]);
});

/** A page signed in as the e2e owner, or (signedIn false) a visitor without a session. */
async function open(viewport = DESKTOP, signedIn = true): Promise<Page> {
  const testPage = await openPage(browser, viewport, signedIn ? { app, cookie } : undefined);
  testPage.page.setDefaultTimeout(10_000);
  opened.push(testPage);
  return testPage.page;
}

/** Rendered text with every run of whitespace (Intl uses no-break spaces) as one space. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

test('before anyone has an account every page leads to the setup page', async () => {
  const page = await open(DESKTOP, false);
  for (const path of ['/', '/login', '/w/acme/channels']) {
    const response = await page.goto(`${app.url}${path}`);
    expect(response?.status(), path).toBe(200);
    await page.waitForURL(`${app.url}/setup`);
  }
  await page.getByRole('heading', { level: 1, name: 'Set up Leadpath' }).waitFor();
  // Signed out: no workspace switcher, no sections, no user menu.
  expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
  expect(await page.getByRole('combobox', { name: 'Workspace' }).count()).toBe(0);
  await screenshot(page, 'setup');
});

describe('with two workspaces', () => {
  beforeAll(async () => {
    const db = await openServerDb(app.home);
    try {
      await seedShellFixtures(db);
    } finally {
      await db.destroy();
    }
    cookie = await signInOwner(app, ['acme', 'northwind']);
  });

  test('the home page leads to the overview of the first workspace', async () => {
    const page = await open();
    await page.goto(app.url);
    await page.waitForURL(`${app.url}/w/acme`);

    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.title()).toBe('Overview · Acme Dental · Leadpath');
    await page.getByRole('link', { name: 'Leadpath home' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Workspace' }).inputValue()).toBe('acme');
    // The switcher lists the user's workspaces (by name) with their role there.
    expect(await page.getByRole('combobox', { name: 'Workspace' }).getByRole('option').allTextContents()).toEqual([
      'Acme Dental · Owner',
      'Northwind Realty · Owner',
    ]);

    const nav = page.getByRole('navigation', { name: 'Sections' });
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels).toEqual(SECTION_LABELS);
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');

    const stats = page.getByRole('region', { name: 'Data in this workspace' }).getByRole('listitem');
    expect(await textOf(stats.filter({ hasText: 'Sessions' }))).toBe('Sessions 3 Nov 1, 2026 – Nov 18, 2026');
    expect(await textOf(stats.filter({ hasText: 'Leads' }))).toBe('Leads 2 Nov 5, 2026 – Nov 20, 2026');
    expect(await textOf(stats.filter({ hasText: 'Calls' }))).toBe('Calls 1 Nov 6, 2026');
    // 1250.40 + 980.35 + 0.10 + 0.20, summed exactly in SQL.
    expect(await textOf(stats.filter({ hasText: 'Ad spend' }))).toBe('Ad spend UAH 2,231.05 Nov 1, 2026 – Nov 19, 2026');

    const facts = page.getByRole('region', { name: 'Workspace', exact: true });
    expect(await textOf(facts.getByRole('definition').nth(1))).toBe('Europe/Kyiv');
    expect(await textOf(facts.getByRole('definition').nth(2))).toBe('UAH');
    expect(await textOf(facts.getByRole('definition').nth(3))).toBe('Nov 1, 2026 – Nov 20, 2026');

    const imports = page.getByRole('table', { name: 'Latest imports' });
    const rows = imports.getByRole('row');
    expect(await rows.count()).toBe(3); // header + two imports, newest first
    expect(await textOf(rows.nth(1))).toBe('Nov 21, 2026, 10:30 leads crm-export.csv Failed 12 0 0 12');
    expect(await textOf(rows.nth(2))).toBe('Nov 20, 2026, 11:00 spend google-ads-november.csv Succeeded 4 4 0 0');

    await screenshot(page, 'overview');
  });

  test('the overview fits a phone screen', async () => {
    const page = await open(PHONE);
    await page.goto(`${app.url}/w/acme`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Channels' }).waitFor();

    // Only the imports table may scroll sideways, inside its own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'overview-phone');
  });

  test('the navigation opens a section and the switcher keeps it for another workspace', async () => {
    const page = await open();
    await page.goto(`${app.url}/w/acme`);
    await page.waitForLoadState('networkidle'); // hydrated: the switcher submits on change

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Funnel' }).click();
    await page.waitForURL(`${app.url}/w/acme/funnel`);
    await page.getByRole('heading', { level: 1, name: 'Funnel' }).waitFor();
    expect(await page.title()).toBe('Funnel · Acme Dental · Leadpath');

    await page.getByRole('combobox', { name: 'Workspace' }).selectOption('northwind');
    await page.waitForURL(`${app.url}/w/northwind/funnel`);
    await page.getByRole('heading', { level: 1, name: 'Funnel' }).waitFor();

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(`${app.url}/w/northwind`);
    await page.getByRole('heading', { name: 'No data yet' }).waitFor();
    expect(await textOf(page.getByRole('listitem').filter({ hasText: 'Ad spend' }))).toBe('Ad spend $0.00 No data');
    await page.getByText('Nothing has been imported into this workspace yet.').waitFor();
    await screenshot(page, 'overview-empty');
  });

  test('unknown addresses get the 404 page', async () => {
    const page = await open();
    // Chromium reports every 404 document in the console; here they are the point.
    expectedProblems = [/Failed to load resource: .* 404/];

    let response = await page.goto(`${app.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.title()).toBe('Page not found · Leadpath');
    await page.getByRole('link', { name: 'Go to the start page' }).waitFor();
    await screenshot(page, 'not-found');

    response = await page.goto(`${app.url}/w/nope`);
    expect(response?.status()).toBe(404);
    await page.getByText('There is no workspace called “nope”.').waitFor();

    response = await page.goto(`${app.url}/w/northwind/nope`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Workspace' }).inputValue()).toBe('northwind');

    // Browsing into a missing page client-side shows the same page.
    await page.waitForLoadState('networkidle');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Funnel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Funnel' }).waitFor();
  });

  test('responses carry the security headers', async () => {
    const response = await fetch(`${app.url}/w/acme`, { headers: { cookie } });
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(nonce).toBeTruthy();
    // Every inline script carries this response's nonce.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const assetResponse = await fetch(`${app.url}${asset}`);
    expect(assetResponse.status).toBe(200);
    expect(assetResponse.headers.get('cache-control')).toContain('immutable');
    expect(assetResponse.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
