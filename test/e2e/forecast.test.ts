import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createFormatter } from '../../app/lib/format';
import { buildPlannerChannel, computeReverseFunnel, computeWhatIf } from '../../app/reports/planner';
import type { Db } from '../../db/client';
import { getPlannerHistory } from '../../db/queries/plans';
import { getWorkspaceBySlug } from '../../db/queries/workspaces';
import type { Workspace } from '../../db/schema';
import { launchBrowser, openPage, PHONE, screenshot, DESKTOP, type TestPage } from './support/browser';
import { signInOwner } from './support/auth';
import { cli, DEMO, loadDemo, parseCsv } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// The Forecast page end to end on the small demo (seed 7, data to
// 2026-10-31): the table equals `leadpath report forecast`, the chart draws
// its 80%/95% band, the backtest shows MAPE/MASE of both models, a short
// history says it falls back to seasonal naive, and the planner's what-if,
// reverse funnel and "save as the month's plan" work on the same numbers
// as app/reports/planner.ts.

let app: RunningApp;
/** The e2e owner's session: every page and fetch is signed in. */
let cookie: string;
let browser: Browser;
let db: Db;
let ws: Workspace;
const opened: TestPage[] = [];
const f = createFormatter('en-US', 'UAH');
const HISTORY = { from: '2025-11-01', to: '2026-10-31' };
const page0 = () => `${app.url}/w/${DEMO.workspace}/forecast?from=${HISTORY.from}&to=${HISTORY.to}`;

beforeAll(async () => {
  app = await startServer();
  await loadDemo(app);
  cookie = await signInOwner(app, [DEMO.workspace]);
  db = await openServerDb(app.home);
  ws = (await getWorkspaceBySlug(db, DEMO.workspace))!;
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

async function navigated(page: Page, matches: (url: URL) => boolean): Promise<void> {
  await page.waitForURL(matches);
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === null);
}

/** `leadpath report forecast` as CSV rows and its backtest section (printed only in the text table). */
async function cliForecast(q: { from: string; to: string; horizon: number; by: string; channel?: string }) {
  const args = ['report', 'forecast', '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--horizon', String(q.horizon), '--by', q.by];
  if (q.channel) args.push('--channel', q.channel);
  const rows = parseCsv(await cli(app, [...args, '--format', 'csv']));
  const text = await cli(app, [...args, '--format', 'table']);
  const section = text.split('backtest (daily values)\n')[1]!.split('\n');
  const spans = [...section[1]!.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const cells = (line: string) => spans.map(([a, b]) => line.slice(a, b).trim());
  const header = cells(section[0]!);
  const backtest = section
    .slice(2)
    .filter((l) => l && !l.startsWith('note:'))
    .map((l) => Object.fromEntries(header.map((h, i) => [h, cells(l)[i]!])));
  return { rows, backtest };
}

const weekOf = (day: string) => `Week of ${f.day(day)}`;

/** The forecast table's visible cells by header. */
async function forecastTable(page: Page): Promise<Record<string, string>[]> {
  const table = page.getByRole('table', { name: 'Forecast by period' });
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const rows = table.locator('tbody tr');
  const out: Record<string, string>[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = (await rows.nth(i).locator('td').allInnerTexts()).map(norm);
    out.push(Object.fromEntries(headers.map((h, j) => [h, cells[j]!])));
  }
  return out;
}

function expectTableEqualsCli(screen: Record<string, string>[], cliRows: Record<string, string>[]) {
  expect(screen).toHaveLength(cliRows.length);
  for (const [i, r] of cliRows.entries()) {
    const s = screen[i]!;
    expect(s.Period, r.period).toBe(norm(weekOf(r.period!)));
    expect(s.Sessions, r.period).toBe(norm(f.count(Number(r.sessions))));
    expect(s.Leads, r.period).toBe(norm(f.number(Number(r.leads))));
    expect(s['Leads, 80% low'], r.period).toBe(norm(f.number(Number(r.leads_lower80))));
    expect(s['Leads, 80% high'], r.period).toBe(norm(f.number(Number(r.leads_upper80))));
    expect(s.Qualified, r.period).toBe(norm(f.number(Number(r.qualified))));
    expect(s.Sales, r.period).toBe(norm(f.number(Number(r.sales))));
    expect(s.Revenue, r.period).toBe(norm(f.money(r.revenue!)));
  }
}

describe('Forecast', () => {
  test('the table equals `leadpath report forecast`; the chart draws history, forecast and both intervals; the backtest shows both models', async () => {
    const page = await open();
    await visit(page, `${page0()}&horizon=90&by=week`);
    await page.getByRole('heading', { level: 1, name: 'Forecast' }).waitFor();
    const { rows, backtest } = await cliForecast({ ...HISTORY, horizon: 90, by: 'week' });
    expectTableEqualsCli(await forecastTable(page), rows);

    const chart = page.getByRole('img', { name: 'Leads: Whole business' });
    for (const band of ['80', '95']) {
      const d = await chart.locator(`path[data-band="${band}"]`).getAttribute('d');
      expect(d, band).toMatch(/^M[\d.,]+L/);
    }
    expect(await chart.locator('path.chart-history-line').getAttribute('d')).toMatch(/^M/);
    expect(await chart.locator('path.chart-forecast-line').getAttribute('d')).toMatch(/^M/);
    const legend = await textOf(page.locator('figure', { has: chart }).locator('.chart-legend'));
    expect(legend).toBe('History Forecast 80% interval 95% interval');
    // The last period in the tooltip: its forecast and 80% interval, as the report prints them.
    await chart.focus();
    await page.keyboard.press('End');
    const last = rows.at(-1)!;
    const tooltip = await textOf(page.locator('.chart-tooltip'));
    expect(tooltip).toContain(norm(weekOf(last.period!)));
    expect(tooltip).toContain(norm(`Forecast ${f.number(Number(last.leads))}`));
    expect(tooltip).toContain(norm(`80% interval ${f.number(Number(last.leads_lower80))} – ${f.number(Number(last.leads_upper80))}`));

    const table = page.getByRole('table', { name: 'Backtest: forecast error' });
    const screen = (await table.locator('tbody tr').allInnerTexts()).map(norm);
    const names: Record<string, string> = { seasonal_regression: 'Seasonal regression', seasonal_naive: 'Seasonal naive (baseline)' };
    expect(backtest).toHaveLength(2);
    for (const [i, b] of backtest.entries()) {
      const expected = [names[b.model!], f.percent(Number(b.mape)), f.number(Number(b.mase), 3), f.count(Number(b.origins)), f.count(Number(b.points))].join(' ');
      expect(screen[i]!.startsWith(norm(expected)), `${screen[i]} vs ${expected}`).toBe(true);
      expect(screen[i]!.endsWith('used')).toBe(b.chosen === 'true');
    }
    await screenshot(page, 'forecast');
  });

  test('the slice selector changes the URL, the table and the chart', async () => {
    const page = await open();
    await visit(page, `${page0()}&horizon=60&by=week`);
    const chartBefore = await page.getByRole('img', { name: 'Leads: Whole business' }).innerHTML();
    await page.getByLabel('Forecast for').selectOption({ label: 'Paid search' });
    await navigated(page, (u) => u.searchParams.get('slice') === 'paid_search');
    const chart = page.getByRole('img', { name: 'Leads: Paid search' });
    await chart.waitFor();
    expect(await chart.innerHTML()).not.toBe(chartBefore);
    const { rows } = await cliForecast({ ...HISTORY, horizon: 60, by: 'week', channel: 'paid_search' });
    expectTableEqualsCli(await forecastTable(page), rows);
  });

  test('a slice on the seasonal-naive baseline says so, and why', async () => {
    const page = await open();
    // 47 days of history: too short to backtest (56 days needed).
    await visit(page, `${app.url}/w/${DEMO.workspace}/forecast?from=2026-09-15&to=2026-10-31&horizon=30&by=week`);
    const { rows } = await cliForecast({ from: '2026-09-15', to: '2026-10-31', horizon: 30, by: 'week' });
    expect(rows.every((r) => r.model === 'seasonal_naive')).toBe(true);
    const note = await textOf(page.getByRole('note'));
    expect(note).toBe('This forecast uses the seasonal-naive baseline (the last week repeated). The history has 47 days; a backtest needs 56, so the regression cannot be checked.');
    const backtest = await textOf(page.getByRole('table', { name: 'Backtest: forecast error' }));
    expect(backtest).toContain('Seasonal naive (baseline) — — — — used');
  });
});

describe('Planner', () => {
  test('what-if: a budget for a channel gives its leads, sales, revenue, CPL and ROMI, and is saved as the month’s plan', async () => {
    const page = await open();
    await visit(page, `${page0()}&horizon=30`);
    const history = await getPlannerHistory(db, ws, HISTORY);
    const channels = history.channels.map(buildPlannerChannel);
    const paidSearch = channels.find((c) => c.channel === 'paid_search')!;

    const card = page.getByRole('group', { name: 'Paid search' });
    expect(await textOf(card)).toContain(paidSearch.curve!.curve === 'saturating' ? 'Saturating response curve' : 'Constant cost');
    await card.getByLabel('Budget, UAH').fill('20000');
    await page.getByRole('button', { name: 'Calculate' }).click();
    await navigated(page, (u) => u.searchParams.get('budget.paid_search') === '20000');

    // The month after the history: November 2026. Other paid channels keep the budgets the form showed.
    const expected = computeWhatIf(channels, '2026-11', [{ channel: 'paid_search', budget: '20000' }]).rows[0]!;
    const table = page.getByRole('table', { name: 'What-if result' });
    const row = (await table.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Paid search' }) }).locator('th, td').allInnerTexts()).map(norm);
    expect(row).toEqual(
      [
        'Paid search',
        expected.curve === 'saturating' ? 'Saturating response curve' : 'Constant cost (too little history for a curve)',
        f.money(expected.budget!),
        f.count(expected.sessions!),
        f.number(expected.leads!),
        f.number(expected.qualified!),
        f.number(expected.sales!),
        f.money(expected.revenue!),
        f.money(expected.cpl!),
        f.percent(expected.romi),
        '',
      ].map(norm),
    );

    // Save: the whole business and each channel with a budget become November's plan.
    await page.getByRole('button', { name: 'Save as the plan for Nov 2026' }).click();
    await page.getByText(/^Saved \d+ plan rows/).waitFor();
    const saved = await db.selectFrom('plans').selectAll().where('workspace_id', '=', ws.id).where('month', '=', '2026-11-01').where('channel', '=', 'paid_search').executeTakeFirstOrThrow();
    expect(Number(saved.budget)).toBe(20000);
    expect(saved.leads).toBe(Math.round(expected.leads!));
    expect(saved.import_id).toBeNull();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'forecast-planner');
  });

  test('reverse funnel: a leads target shows the rates step by step and the budget it needs', async () => {
    const page = await open();
    await visit(page, page0());
    await page.getByLabel('Target', { exact: true }).selectOption({ label: 'Leads' });
    await page.getByLabel('Value', { exact: true }).fill('300');
    await page.getByRole('button', { name: 'Work out' }).click();
    await navigated(page, (u) => u.searchParams.get('value') === '300');

    const history = await getPlannerHistory(db, ws, HISTORY);
    const expected = computeReverseFunnel(history.channels.map(buildPlannerChannel), buildPlannerChannel(history.overall), '2026-11', { metric: 'leads', value: 300 });
    const figures = await textOf(page.locator('.reverse-result .kpi-grid'));
    expect(figures).toContain(norm(`Leads needed ${f.number(300)}`));
    expect(figures).toContain(norm(`Budget needed ${expected.budget === null ? '—' : f.money(expected.budget)}`));
    const steps = page.getByRole('table', { name: 'Step by step' });
    expect(await steps.locator('tbody tr').count()).toBe(expected.steps.length);
    expect(await textOf(steps.locator('tbody tr').first())).toContain('Leads from unpaid channels');
  });

  test('the page fits a phone', async () => {
    const page = await open(PHONE);
    await visit(page, `${page0()}&horizon=60`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'forecast-phone');
  });
});
