import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { todayIn } from '../../app/lib/calendar';
import { createFormatter } from '../../app/lib/format';
import type { Db } from '../../db/client';
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, type TestPage } from './support/browser';
import { signInOwner } from './support/auth';
import { cli, DEMO, loadDemo, parseCsv } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// The Plans page end to end on the small demo (seed 7, data to 2026-10-31,
// with the demo's imported plans): plan against actual equals
// `leadpath report plan`, a target edited in the form (zod field errors for
// bad input) changes plan against actual at once, a channel view, the
// current month's pacing columns, and a plans file imported from the page.

let app: RunningApp;
/** The e2e owner's session: every page and fetch is signed in. */
let cookie: string;
let browser: Browser;
let db: Db;
const opened: TestPage[] = [];
const f = createFormatter('en-US', 'UAH');
const base = () => `${app.url}/w/${DEMO.workspace}/plans`;
const PAST = '2026-10';

beforeAll(async () => {
  app = await startServer();
  await loadDemo(app);
  cookie = await signInOwner(app, [DEMO.workspace]);
  db = await openServerDb(app.home);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
  await app?.stop();
});

afterEach(async () => {
  const problems = opened.flatMap((p) => p.problems);
  await Promise.all(opened.splice(0).map((p) => p.context.close()));
  expect(problems).toEqual([]);
});

async function open(viewport = DESKTOP): Promise<Page> {
  const testPage = await openPage(browser, viewport, { app, cookie });
  testPage.page.setDefaultTimeout(20_000);
  opened.push(testPage);
  return testPage.page;
}

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const textOf = async (locator: Locator) => norm(await locator.innerText());

async function cliPlan(month: string, by?: string): Promise<Record<string, string>[]> {
  const args = ['report', 'plan', '--workspace', DEMO.workspace, '--month', month, '--format', 'csv'];
  if (by) args.push('--by', by);
  return parseCsv(await cli(app, args));
}

const METRICS: Record<string, string> = { leads: 'Leads', sales: 'Sales', revenue: 'Revenue', budget: 'Budget', cpl: 'Max CPL' };
const STATUS: Record<string, string> = { ahead: 'Ahead', on_track: 'On track', behind: 'Behind', over: 'Over', under: 'Under', within: 'Within' };
const value = (metric: string, v: string) => (v === '' ? '—' : metric === 'leads' || metric === 'sales' ? f.number(Number(v)) : f.money(v));
const percent = (v: string) => (v === '' ? '—' : f.percent(Number(v), 1));

/** A slice's pacing table as { header: text } per row. */
async function pacingRows(page: Page, slice: string): Promise<Record<string, string>[]> {
  const table = page.getByRole('table', { name: `Plan against actual: ${slice}` });
  await table.waitFor();
  const headers = (await table.locator('thead th').allTextContents()).map(norm);
  const rows = table.locator('tbody tr');
  const out: Record<string, string>[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = (await rows.nth(i).locator('th, td').allInnerTexts()).map(norm);
    out.push(Object.fromEntries(headers.map((h, j) => [h, cells[j]!])));
  }
  return out;
}

/** A past month: plan, final actual, final attainment and status per metric, as the report prints them. */
function expectPastEqualsCli(screen: Record<string, string>[], cliRows: Record<string, string>[]) {
  expect(screen.map((r) => r.Target)).toEqual(cliRows.map((r) => METRICS[r.metric!]));
  for (const [i, r] of cliRows.entries()) {
    const s = screen[i]!;
    expect(s.Plan, r.metric).toBe(norm(value(r.metric!, r.plan!)));
    expect(s['Actual (final)'], r.metric).toBe(norm(value(r.metric!, r.actual!)));
    expect(s['Final attainment'], r.metric).toBe(norm(percent(r.attainment!)));
    expect(s.Status, r.metric).toBe(r.status ? STATUS[r.status] : '—');
  }
}

describe('Plan against actual', () => {
  test('a past month shows the final attainment of `leadpath report plan`', async () => {
    const page = await open();
    await visit(page, `${base()}?month=${PAST}`);
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    expect(await textOf(page.locator('.plan-slices > p.muted'))).toBe('Oct 2026 is over: the actual figures are final; attainment = actual ÷ plan.');
    expectPastEqualsCli(await pacingRows(page, 'Whole business'), await cliPlan(PAST));
  });

  test('editing a target updates plan against actual', async () => {
    const page = await open();
    await visit(page, `${base()}?month=${PAST}`);
    const before = (await cliPlan(PAST)).find((r) => r.metric === 'leads')!;
    const target = Number(before.actual) * 2;

    await page.getByRole('link', { name: 'Edit the plan of Whole business' }).click();
    await page.getByRole('heading', { name: 'Plan of Whole business for Oct 2026' }).waitFor();
    const leads = page.getByLabel('Leads', { exact: true });
    expect(await leads.inputValue()).toBe(before.plan);
    await leads.fill(String(target));
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const after = await cliPlan(PAST);
    const row = after.find((r) => r.metric === 'leads')!;
    expect(row.plan).toBe(String(target));
    expect(row.attainment).toBe('0.5');
    expect(row.status).toBe('behind');
    const screen = await pacingRows(page, 'Whole business');
    expect(screen[0]).toMatchObject({ Target: 'Leads', Plan: norm(f.number(target)), 'Final attainment': norm(f.percent(0.5, 1)), Status: 'Behind' });
    expectPastEqualsCli(screen, after);
    expect(await textOf(page.getByRole('table', { name: 'Targets for Oct 2026' }).getByRole('row', { name: /^Whole business/ }))).toContain('set here');
    // The form shows the saved plan.
    expect(await leads.inputValue()).toBe(String(target));
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'plans');
  });

  test('bad input is refused with an error on each field', async () => {
    const page = await open();
    await visit(page, `${base()}?month=${PAST}`);
    await page.getByLabel('Slice', { exact: true }).selectOption({ label: 'Channel' });
    await page.getByLabel('Leads', { exact: true }).fill('twelve');
    await page.getByLabel('Budget', { exact: true }).fill('12,500');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await page.getByText('Name the channel, region or manager.').waitFor();
    await page.getByText('A number.').waitFor();
    await page.getByText('An amount such as 12500 or 12500.50 (no spaces or thousands separators).').waitFor();
    for (const label of ['Channel, region or manager', 'Leads', 'Budget']) {
      expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), label).toBe('true');
    }
    // What was typed stays in the form.
    expect(await page.getByLabel('Leads', { exact: true }).inputValue()).toBe('twelve');
  });

  test('by channel: a table per planned channel, equal to `leadpath report plan --by channel`', async () => {
    const page = await open();
    await visit(page, `${base()}?month=${PAST}&by=channel`);
    const cliRows = await cliPlan(PAST, 'channel');
    const paidSearch = cliRows.filter((r) => r.channel === 'paid_search');
    expect(paidSearch.length).toBeGreaterThan(0);
    expectPastEqualsCli(await pacingRows(page, 'Paid search'), paidSearch);
    const channels = new Set(cliRows.map((r) => r.channel));
    expect(await page.locator('table.pacing-table').count()).toBe(channels.size);
  });

  test('the current month shows progress, expected by today and the projected month end', async () => {
    const page = await open();
    const month = todayIn('Europe/Kyiv', new Date()).slice(0, 7);
    await visit(page, `${base()}?month=${month}`);
    // A plan for this month, entered here.
    await page.getByLabel('Month', { exact: true }).last().fill(month);
    await page.getByLabel('Leads', { exact: true }).fill('150');
    await page.getByLabel('Sales', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const cliRows = await cliPlan(month);
    const screen = await pacingRows(page, 'Whole business');
    // A month under way from its second day: the pacing columns are there and agree with the report.
    if (todayIn('Europe/Kyiv', new Date()).slice(8) !== '01') {
      for (const [i, r] of cliRows.entries()) {
        expect(screen[i]!['Expected by today'], r.metric).toBe(norm(value(r.metric!, r.expected!)));
        expect(screen[i]!['Projected month end'], r.metric).toBe(norm(value(r.metric!, r.projected!)));
        expect(screen[i]!['Projected attainment'], r.metric).toBe(norm(percent(r.attainment!)));
      }
    }
    expect(screen.map((r) => r.Plan)).toEqual(['150', '20']);
  });

  test('a plans file imported from the page sets a month’s targets', async () => {
    const page = await open();
    await visit(page, `${base()}?month=2027-01`);
    await page.getByText('No plan for Jan 2027').waitFor();
    const file = ['month,channel,region,manager,leads,max_cpl,budget,sales,revenue', '2027-01,,,,210,650,90000,30,950000', '2027-01,paid_search,,,80,800,40000,,', ''].join('\n');
    await page.getByLabel('CSV or TSV file').setInputFiles({ name: 'plans-2027-01.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const result = page.getByRole('region', { name: 'Result of plans-2027-01.csv' });
    await result.waitFor();
    expect(await textOf(result)).toContain('2 rows read: 2 new');
    // The page reloads its data when the import finishes.
    const targets = page.getByRole('table', { name: 'Targets for Jan 2027' });
    await targets.waitFor();
    const rows = (await targets.locator('tbody tr').allInnerTexts()).map(norm);
    expect(rows[0]).toContain(norm(`Whole business 210 ${f.money('650')} ${f.money('90000')} 30 ${f.money('950000')} imported`));
    expect(rows[1]).toContain(norm(`Channel: Paid search 80 ${f.money('800')} ${f.money('40000')} — — imported`));
    expect(await textOf(page.locator('.plan-slices > p.muted'))).toBe('Jan 2027 has not started: projected = the forecast of the whole month.');
  });

  test('the page fits a phone', async () => {
    const page = await open(PHONE);
    await visit(page, `${base()}?month=${PAST}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'plans-phone');
  });
});
