import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { relativeChange } from '../../app/lib/change';
import { createFormatter } from '../../app/lib/format';
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, type TestPage } from './support/browser';
import { signInOwner } from './support/auth';
import { DEMO, loadDemo, parseCsv, reportCsv, reportTotals, type ReportQuery } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// The dashboard end to end on the small demo (seed 7, data to 2026-10-31):
// Overview and Channels load, follow the filter bar and the URL, drill down,
// export, switch language, fit a phone, and show the same figures as
// `leadpath report` for the same filters.

let app: RunningApp;
/** The e2e owner's session: every page and fetch is signed in. */
let cookie: string;
let browser: Browser;
const opened: TestPage[] = [];

/** A month of the demo (which holds Sep 1 – Oct 31, 2026), and the 31 days before it. */
const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const PREVIOUS = { from: '2026-08-31', to: '2026-09-30' };
const base = () => `${app.url}/w/${DEMO.workspace}`;
const f = createFormatter('en-US', 'UAH');

beforeAll(async () => {
  app = await startServer();
  await loadDemo(app);
  cookie = await signInOwner(app, [DEMO.workspace]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

// No page may log an error: hydration mismatches and CSP violations land here.
afterEach(async () => {
  const problems = opened.flatMap((p) => p.problems);
  await Promise.all(opened.splice(0).map((p) => p.context.close()));
  expect(problems).toEqual([]);
});

async function open(viewport = DESKTOP): Promise<Page> {
  const testPage = await openPage(browser, viewport, { app, cookie });
  testPage.page.setDefaultTimeout(15_000);
  opened.push(testPage);
  return testPage.page;
}

/** Rendered text with every run of whitespace (Intl uses no-break spaces) as one space. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** Goes to a URL and waits until React has hydrated (the filter bar then navigates on change). */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

/**
 * Waits for a client-side navigation to finish: the URL matches and the page
 * no longer says it is loading (the router updates the URL just before React
 * renders the new data).
 */
async function navigated(page: Page, matches: (url: URL) => boolean): Promise<void> {
  await page.waitForURL(matches);
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === null);
}

/** The ROI table's totals row as { column id: text }, by the header's text. */
async function tableTotals(page: Page): Promise<Record<string, string>> {
  const table = page.getByRole('table', { name: 'Channel ROI' });
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const cells = (await table.locator('tfoot tr').first().locator('th, td').allInnerTexts()).map(norm);
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

/** The formatted figures the table shows for the CLI's printed totals. */
function formattedTotals(cli: Record<string, string>) {
  return {
    Spend: f.money(cli.spend!),
    Impressions: f.count(Number(cli.impressions)),
    Clicks: f.count(Number(cli.clicks)),
    Sessions: f.count(Number(cli.sessions)),
    Leads: f.number(Number(cli.leads)),
    CPL: f.money(cli.cpl!),
    Qualified: f.number(Number(cli.qualified)),
    Sales: f.number(Number(cli.sales)),
    Revenue: f.money(cli.revenue!),
    ROMI: f.percent(Number(cli.romi)),
  };
}

function expectTotalsEqual(screen: Record<string, string>, cli: Record<string, string>) {
  for (const [column, expected] of Object.entries(formattedTotals(cli))) expect(screen[column], column).toBe(norm(expected));
}

async function queryOf(page: Page): Promise<ReportQuery> {
  const url = new URL(page.url());
  const filters: Record<string, string[]> = {};
  for (const key of ['channel', 'source', 'medium', 'campaign', 'region', 'manager', 'product', 'temperature']) {
    const values = url.searchParams.getAll(key);
    if (values.length > 0) filters[key] = values;
  }
  return {
    // The dates the server resolved, as the filter bar shows them.
    from: await page.getByLabel('From', { exact: true }).inputValue(),
    to: await page.getByLabel('To', { exact: true }).inputValue(),
    by: url.searchParams.get('by') ?? undefined,
    model: url.searchParams.get('model') ?? undefined,
    filters,
  };
}

describe('Overview', () => {
  test('KPI cards show the report totals and their change against the previous period', async () => {
    const page = await open();
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(page.url()).toContain(`from=${PERIOD.from}`);

    const [current, previous] = await Promise.all([reportTotals(app, 'channels', PERIOD), reportTotals(app, 'channels', PREVIOUS)]);
    const cards = page.getByRole('region', { name: 'Key figures' }).getByRole('listitem');
    const card = async (label: string) => textOf(cards.filter({ has: page.getByText(label, { exact: true }) }));

    for (const [label, key, format] of [
      ['Spend', 'spend', (v: string) => f.money(v)],
      ['Leads', 'leads', (v: string) => f.number(Number(v))],
      ['CPL', 'cpl', (v: string) => f.money(v)],
      ['Qualified', 'qualified', (v: string) => f.number(Number(v))],
      ['CPQL', 'cpql', (v: string) => f.money(v)],
      ['Sales', 'sales', (v: string) => f.number(Number(v))],
      ['Revenue', 'revenue', (v: string) => f.money(v)],
      ['ROMI', 'romi', (v: string) => f.percent(Number(v))],
    ] as const) {
      const change = relativeChange(current[key]!, previous[key]!);
      const text = norm(await card(label));
      expect(text.startsWith(norm(`${label} ${format(current[key]!)}`)), `${label}: ${text}`).toBe(true);
      expect(text, label).toContain(norm(`${f.change(change)} was ${format(previous[key]!)}`));
    }

    // The trend chart and both ROMI panels are drawn.
    await page.getByRole('img', { name: 'Spend, leads and CPL' }).waitFor();
    await page.getByRole('img', { name: 'Best channels by ROMI' }).waitFor();
    await screenshot(page, 'dashboard-overview');
  });

  test('the chart shows a tooltip for the day under the pointer and follows the arrow keys', async () => {
    const page = await open();
    await visit(page, `${base()}?from=2026-10-01&to=2026-10-31`);
    const chart = page.getByRole('img', { name: 'Spend, leads and CPL' });
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    // The rightmost day: inside the plot, left of the 12 px right margin.
    await chart.hover({ position: { x: box.width - 16, y: box.height / 2 } });
    const tooltip = page.locator('.chart-tooltip');
    await tooltip.waitFor();
    expect(await textOf(tooltip)).toContain('Oct 31, 2026');
    await chart.focus();
    await page.keyboard.press('Home');
    expect(await textOf(tooltip)).toContain('Oct 1, 2026');
  });

  test('a range without data says so instead of drawing empty charts', async () => {
    const page = await open();
    await visit(page, `${base()}?from=2020-01-01&to=2020-01-31`);
    expect(await page.getByText('No data in this range').count()).toBeGreaterThan(0);
    expect(await page.getByText('No channel had spend in this range.').count()).toBe(2);
  });

  test('hostile query strings fall back to defaults instead of failing', async () => {
    for (const query of [
      '?range=forever&from=yesterday&to=2026-02-30&compare=sideways&model=%00&by=password',
      `?channel=${'x'.repeat(5000)}&region=%3Cscript%3E&from=1900-01-01`,
      '?from=2026-10-31&to=2026-01-01&range=custom&range=last_7',
    ]) {
      for (const path of ['', '/channels']) {
        const response = await fetch(`${base()}${path}${query}`, { headers: { cookie } });
        expect(response.status, `${path}${query}`).toBe(200);
        const html = await response.text();
        expect(html).not.toContain('<script>alert');
      }
    }
  });
});

describe('Channels', () => {
  test('filters: a date preset and a region change the URL, the table and the chart; Back restores them', async () => {
    const page = await open();
    await visit(page, `${base()}/channels?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', PERIOD));
    const chart = page.getByRole('img', { name: 'Spend and revenue' });
    const chartBefore = await chart.innerHTML();

    // A preset: the URL carries the preset, not dates; the server resolves the dates.
    await page.getByRole('combobox', { name: 'Period' }).selectOption('last_90');
    await navigated(page, (url) => url.searchParams.get('range') === 'last_90' && !url.searchParams.has('from'));
    await page.getByRole('combobox', { name: 'Period' }).waitFor();
    const presetQuery = await queryOf(page);
    expect(presetQuery.from).not.toBe(PERIOD.from);
    const presetRows = await reportCsv(app, 'channels', presetQuery);
    if (presetRows.length > 0) {
      expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', presetQuery));
      expect(await chart.innerHTML()).not.toBe(chartBefore);
    } else {
      // Run long after the demo's last day: the last 90 days hold no data, and the page says so.
      await page.getByText('No data in this range').first().waitFor();
    }

    // Back to the custom period, then one region through the Region dropdown.
    await page.goBack();
    await navigated(page, (url) => url.searchParams.get('from') === PERIOD.from);
    await page.locator('summary', { hasText: 'Region' }).click();
    const regionMenu = page.locator('details', { has: page.locator('summary', { hasText: 'Region' }) });
    await regionMenu.getByRole('checkbox', { name: 'Kyiv' }).check();
    await regionMenu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('region').join() === 'Kyiv');
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    const kyiv = { ...PERIOD, filters: { region: ['Kyiv'] } };
    await expect.poll(async () => (await tableTotals(page)).Spend).toBe(norm(f.money((await reportTotals(app, 'channels', kyiv)).spend!)));
    expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', kyiv));
    expect(await chart.innerHTML()).not.toBe(chartBefore);
    expect(await textOf(page.locator('summary', { hasText: 'Region' }))).toBe('Region Kyiv');

    // Back: the URL, the filter bar and the table return to all regions.
    await page.goBack();
    await navigated(page, (url) => !url.searchParams.has('region'));
    await expect.poll(async () => (await tableTotals(page)).Spend).toBe(norm(f.money((await reportTotals(app, 'channels', PERIOD)).spend!)));
    expect(await textOf(page.locator('summary', { hasText: 'Region' }))).toBe('Region All');
  });

  test('drill-down: channel → source/medium → campaign, with breadcrumbs back up', async () => {
    const page = await open();
    await visit(page, `${base()}/channels?from=${PERIOD.from}&to=${PERIOD.to}`);

    await page.getByRole('link', { name: 'Show Paid search by Sources and mediums' }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'source_medium' && url.searchParams.get('channel') === 'paid_search');
    await page.getByRole('heading', { name: 'Channel ROI: Sources and mediums' }).waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Drill-down' });
    expect(await textOf(crumbs)).toBe('All channels Paid search');
    const bySource = { ...PERIOD, by: 'source_medium', filters: { channel: ['paid_search'] } };
    expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', bySource));
    // The filter bar shows the drill as a filter.
    expect(await textOf(page.locator('summary', { hasText: 'Channel' }))).toBe('Channel Paid search');

    const [first] = await reportCsv(app, 'channels', bySource);
    await page.getByRole('link', { name: `Show ${first!.source} / ${first!.medium} by Campaigns` }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'campaign' && url.searchParams.get('source') === first!.source);
    await page.getByRole('heading', { name: 'Channel ROI: Campaigns' }).waitFor();
    expect(await textOf(crumbs)).toBe(`All channels Paid search ${first!.source} / ${first!.medium}`);
    const byCampaign = { ...PERIOD, by: 'campaign', filters: { channel: ['paid_search'], source: [first!.source!], medium: [first!.medium!] } };
    expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', byCampaign));
    await page.evaluate(() => window.scrollTo(0, 0)); // the top bar is sticky: shoot from the top
    await screenshot(page, 'dashboard-channels-campaigns');

    await crumbs.getByRole('link', { name: 'Paid search' }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'source_medium' && !url.searchParams.has('source'));
    await crumbs.getByRole('link', { name: 'All channels' }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'channel' && !url.searchParams.has('channel'));
    await page.getByRole('heading', { name: 'Channel ROI: Channels' }).waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    expectTotalsEqual(await tableTotals(page), await reportTotals(app, 'channels', PERIOD));
  });

  test('Export CSV writes the rows and columns on screen, equal to `leadpath report channels --format csv`', async () => {
    const page = await open();
    const query = { ...PERIOD, by: 'source_medium', filters: { channel: ['paid_search', 'paid_social'] } };
    await visit(page, `${base()}/channels?from=${PERIOD.from}&to=${PERIOD.to}&by=source_medium&channel=paid_search&channel=paid_social`);

    // Show one more column and sort by CPL, descending: the file must follow.
    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Avg. deal' }).check();
    await page.getByRole('button', { name: 'CPL' }).click();
    await page.getByRole('button', { name: 'CPL' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const exported = parseCsv(readFileSync((await download.path())!, 'utf8'));
    const cli = await reportCsv(app, 'channels', query);

    const headers = (await page.getByRole('table', { name: 'Channel ROI' }).locator('thead th').allTextContents()).length;
    const columns = Object.keys(exported[0]!);
    expect(columns.length).toBe(headers);
    expect(columns).toEqual(expect.arrayContaining(['source', 'medium', 'channel', 'spend', 'leads', 'cpl', 'revenue', 'romi', 'avg_deal']));
    expect(columns).not.toContain('junk');
    expect(exported.length).toBe(cli.length);
    const key = (r: Record<string, string>) => `${r.channel}|${r.source}|${r.medium}`;
    const cliByKey = new Map(cli.map((r) => [key(r), r]));
    for (const row of exported) {
      const expected = cliByKey.get(key(row));
      expect(expected, key(row)).toBeDefined();
      for (const c of columns) expect(row[c], `${key(row)} ${c}`).toBe(expected![c]);
    }
    // In the order on screen: CPL descending, empty CPLs last.
    const cpl = exported.map((r) => (r.cpl === '' ? -Infinity : Number(r.cpl)));
    expect(cpl).toEqual([...cpl].sort((a, b) => b - a));
  });

  test('a CPL above the plan maximum is flagged', async () => {
    const page = await open();
    // October only: the demo's plans set a maximum CPL per paid channel and month.
    const october = { from: '2026-10-01', to: '2026-10-31' };
    const db = await openServerDb(app.home);
    const limits = await db
      .selectFrom('plans')
      .select(['channel', 'max_cpl'])
      .where('month', '=', october.from)
      .where('channel', '<>', '')
      .where('region', '=', '')
      .where('manager', '=', '')
      .where('max_cpl', 'is not', null)
      .execute()
      .finally(() => db.destroy());
    const limitOf = new Map(limits.map((l) => [l.channel, Number(l.max_cpl)]));
    const expected = (await reportCsv(app, 'channels', october))
      .filter((r) => r.cpl !== '' && limitOf.has(r.channel!) && Number(r.cpl) > limitOf.get(r.channel!)!)
      .map((r) => r.channel);
    expect(limits.length).toBeGreaterThan(0);

    await visit(page, `${base()}/channels?from=${october.from}&to=${october.to}`);
    const flagged = page.getByRole('table', { name: 'Channel ROI' }).locator('tbody tr.is-flagged');
    const shown: string[] = [];
    for (const row of await flagged.all()) {
      expect(await textOf(row)).toContain('CPL above the plan maximum of');
      shown.push((await row.getByRole('link').getAttribute('href'))!.match(/channel=([^&]+)/)![1]!);
    }
    expect(shown.sort()).toEqual([...expected].sort());
  });

  test('the table filters rows by text and hides columns', async () => {
    const page = await open();
    await visit(page, `${base()}/channels?from=${PERIOD.from}&to=${PERIOD.to}`);
    const table = page.getByRole('table', { name: 'Channel ROI' });
    await page.getByRole('searchbox', { name: 'Filter rows' }).fill('paid');
    await expect.poll(async () => table.locator('tbody tr').count()).toBe(2);
    expect(await textOf(page.getByRole('status').filter({ hasText: 'rows' }))).toMatch(/^2 of \d+ rows$/);
    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Impressions' }).uncheck();
    expect(await table.getByRole('columnheader', { name: 'Impressions' }).count()).toBe(0);
  });
});

describe('Everywhere', () => {
  test('the language switcher translates the interface and is remembered', async () => {
    const page = await open();
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('uk');
    await page.getByRole('heading', { level: 1, name: 'Огляд' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    await page.getByRole('heading', { name: 'Ключові показники' }).waitFor();
    // Numbers follow the language's locale: 68 670,66 грн.
    const totals = await reportTotals(app, 'channels', PERIOD);
    const spend = norm(createFormatter('uk-UA', 'UAH').money(totals.spend!));
    expect(norm(await textOf(page.getByRole('region', { name: 'Ключові показники' })))).toContain(spend);
    expect(page.url()).toContain(`from=${PERIOD.from}`);

    // The choice is a cookie: a new page load keeps it, and so does another section.
    await page.getByRole('navigation', { name: 'Розділи' }).getByRole('link', { name: 'Канали' }).click();
    await page.getByRole('heading', { level: 1, name: 'Канали' }).waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    await page.reload();
    await page.getByRole('heading', { name: 'ROI каналів: Канали' }).waitFor();
    await page.getByRole('columnheader', { name: 'Витрати' }).waitFor();
    await screenshot(page, 'dashboard-channels-uk');
  });

  test('pages fit a phone: only tables scroll sideways, charts fit the screen', async () => {
    const page = await open(PHONE);
    for (const [name, path] of [
      ['dashboard-overview-phone', ''],
      ['dashboard-channels-phone', '/channels'],
    ] as const) {
      await visit(page, `${base()}${path}?from=${PERIOD.from}&to=${PERIOD.to}`);
      // clientWidth, not innerWidth: a mobile browser widens its layout viewport to fit overflowing content.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
      const widths = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
      for (const right of widths) expect(right).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, name);
    }
  });

  test('server time of each page at the small demo scale (logged, not asserted)', async () => {
    const lines: string[] = [];
    for (const path of ['', '/channels', '/channels?by=ad&range=last_year']) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${base()}${path}`, { headers: { cookie } });
        await response.arrayBuffer();
        times.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
      }
      times.sort((a, b) => a - b);
      expect(times.every(Number.isFinite)).toBe(true);
      lines.push(`${path || '/'}: median ${times[2]} ms`);
    }
    console.log(`Server-Timing at the small demo scale\n${lines.join('\n')}`);
  });
});
