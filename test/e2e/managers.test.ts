import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatHours, stageLabel } from '../../app/components/funnel/format';
import { createI18n } from '../../app/i18n/i18n';
import { createFormatter } from '../../app/lib/format';
import { PHONE, screenshot } from './support/browser';
import { cli, DEMO, reportCsv, type ReportQuery } from './support/demo';
import { startDemoSession } from './support/session';

// The Managers page end to end on the small demo (seed 7, data to
// 2026-10-31): the leaderboard equals `leadpath report managers` for the
// same filters, a click on a manager opens their funnel (equal to `leadpath
// report funnel --manager <name>`) with the state in the URL, and the page
// fits a phone.

const session = startDemoSession();
const { open, visit, navigated } = session;

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const base = () => `${session.app.url}/w/${DEMO.workspace}`;
const f = createFormatter('en-US', 'UAH');
const i18n = createI18n('en');
const none = (v: string) => v === '' || v === '—';
const hours = (v: string) => norm(formatHours(i18n, f, none(v) ? null : Number(v)));
const percent = (v: string) => norm(f.percent(none(v) ? null : Number(v)));
const count = (v: string) => f.count(Number(v));
const money = (v: string) => norm(f.money(v));
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** `leadpath report managers --format table`: its rows then the totals row ('total'), values as printed. */
async function managersReport(q: ReportQuery): Promise<Record<string, string>[]> {
  const args = ['report', 'managers', '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', 'table'];
  if (q.cohort) args.push('--cohort', q.cohort);
  for (const [key, values] of Object.entries(q.filters ?? {})) args.push(`--${key}`, values.join(','));
  const lines = (await cli(session.app, args)).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('note:'));
  const spans = [...lines[1]!.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const cells = (line: string) => spans.map(([start, end], i) => line.slice(start, i === spans.length - 1 ? undefined : end).trim());
  const header = cells(lines[0]!);
  return lines.slice(2).map((line) => Object.fromEntries(cells(line).map((c, i) => [header[i]!, c])));
}

async function readTable(table: Locator) {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) rows.push((await row.locator('th, td').allInnerTexts()).map(norm));
  const footer = (await table.locator('tfoot tr').count()) > 0 ? (await table.locator('tfoot tr').first().locator('th, td').allInnerTexts()).map(norm) : [];
  const record = (cells: string[]) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  return { headers, rows: rows.map(record), footer: record(footer) };
}

/** What the leaderboard shows for a CLI row (the columns visible by default). */
function shownRow(r: Record<string, string>) {
  return {
    Manager: r.manager === 'total' ? 'Total' : r.manager,
    Leads: count(r.leads!),
    'Median time to first contact': r.manager === 'total' ? '' : hours(r.median_hours_to_contact!),
    'Contacted within 15 min': percent(r.contacted_within_15m_share!),
    'Qualified rate': percent(r.qualified_rate!),
    Won: count(r.won!),
    'Win rate': percent(r.win_rate!),
    Revenue: money(r.revenue!),
    'Missed calls': count(r.missed_calls!),
  };
}

async function expectLeaderboardEqual(page: Page, q: ReportQuery) {
  const cli = await managersReport(q);
  const table = await readTable(page.getByRole('table', { name: 'Leaderboard' }));
  expect(table.rows).toEqual(cli.slice(0, -1).map(shownRow));
  expect(table.footer).toEqual(shownRow(cli.at(-1)!));
  return cli;
}

async function kpi(page: Page, region: string, label: string): Promise<string> {
  const card = page.getByRole('region', { name: region }).getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });
  return norm(await card.locator('.kpi-value').innerText());
}

describe('Managers', () => {
  test('the leaderboard and the team figures equal `leadpath report managers`', async () => {
    const page = await open();
    await visit(page, `${base()}/managers?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Managers' }).waitFor();
    const cli = await expectLeaderboardEqual(page, PERIOD);
    expect(cli.length).toBeGreaterThan(3);
    const total = cli.at(-1)!;
    expect(total.manager).toBe('total');
    expect(await kpi(page, 'Team figures', 'Leads')).toBe(count(total.leads!));
    expect(await kpi(page, 'Team figures', 'Median time to first contact')).toBe(hours(total.median_hours_to_contact!));
    expect(await kpi(page, 'Team figures', 'Win rate')).toBe(percent(total.win_rate!));
    expect(await kpi(page, 'Team figures', 'Revenue')).toBe(money(total.revenue!));
    expect(await kpi(page, 'Team figures', 'Missed calls')).toBe(count(total.missed_calls!));
    // The total's median is over all leads, and says so under the table.
    await page.getByText(`median time to first contact ${hours(total.median_hours_to_contact!)} over all leads`, { exact: false }).waitFor();
    await page.getByRole('img', { name: 'Revenue by manager' }).waitFor();
    await screenshot(page, 'managers');
  });

  test('a click on a manager opens their funnel, kept in the URL; the breadcrumb and Back return', async () => {
    const page = await open();
    await visit(page, `${base()}/managers?from=${PERIOD.from}&to=${PERIOD.to}`);
    const [first] = await managersReport(PERIOD);
    const name = first!.manager!;

    await page.getByRole('link', { name: `Show the funnel of ${name}` }).click();
    await navigated(page, (url) => url.searchParams.getAll('manager').join() === name);
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    await page.getByRole('heading', { name: `Funnel of ${name}` }).waitFor();
    const own = { ...PERIOD, filters: { manager: [name] } };
    const cli = await expectLeaderboardEqual(page, own);
    expect(cli.map((r) => r.manager)).toEqual([name, 'total']);

    // The funnel is the funnel report with the same filter.
    const funnel = await reportCsv(session.app, 'funnel', own);
    const stages = await readTable(page.getByRole('table', { name: `Funnel of ${name}: stages` }));
    expect(stages.rows).toEqual(
      funnel.map((s) => ({
        Stage: stageLabel(i18n, s.stage!),
        Entered: count(s.entered!),
        Skipped: count(s.skipped!),
        Reached: count(s.reached!),
        'Step conversion': percent(s.step_conversion!),
        'From first stage': percent(s.conversion_from_first!),
        'Median time to next stage': hours(s.median_hours_to_next!),
      })),
    );
    expect(Number(funnel[0]!.reached)).toBe(Number(first!.leads));
    await page.getByRole('img', { name: `Funnel of ${name}` }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'managers-funnel');

    // A reload keeps the view: it lives in the URL.
    await page.reload();
    await page.getByRole('heading', { name: `Funnel of ${name}` }).waitFor();

    await page.getByRole('navigation', { name: 'Managers', exact: true }).getByRole('link', { name: 'All managers' }).click();
    await navigated(page, (url) => !url.searchParams.has('manager'));
    await expectLeaderboardEqual(page, PERIOD);
    expect(await page.getByRole('heading', { name: `Funnel of ${name}` }).count()).toBe(0);

    await page.goBack();
    await navigated(page, (url) => url.searchParams.getAll('manager').join() === name);
    await page.getByRole('heading', { name: `Funnel of ${name}` }).waitFor();
  });

  test('filters: a region and the outcome mode update the URL and the leaderboard', async () => {
    const page = await open();
    await visit(page, `${base()}/managers?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.locator('summary', { hasText: 'Region' }).click();
    const menu = page.locator('details', { has: page.locator('summary', { hasText: 'Region' }) });
    await menu.getByRole('checkbox', { name: 'Kyiv' }).check();
    await menu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('region').join() === 'Kyiv');
    await expectLeaderboardEqual(page, { ...PERIOD, filters: { region: ['Kyiv'] } });

    await page.getByRole('combobox', { name: 'Outcomes' }).selectOption('event');
    await navigated(page, (url) => url.searchParams.get('cohort') === 'event');
    await expectLeaderboardEqual(page, { ...PERIOD, cohort: 'event', filters: { region: ['Kyiv'] } });
  });

  test('fits a phone: only tables scroll sideways', async () => {
    const page = await open(PHONE);
    await visit(page, `${base()}/managers?from=${PERIOD.from}&to=${PERIOD.to}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const rights = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'managers-phone');
  });
});
