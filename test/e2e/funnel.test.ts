import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatDays, formatHours, stageLabel } from '../../app/components/funnel/format';
import { createI18n } from '../../app/i18n/i18n';
import { createFormatter } from '../../app/lib/format';
import { PHONE, screenshot } from './support/browser';
import { cli, DEMO, reportCsv, type ReportQuery } from './support/demo';
import { startDemoSession } from './support/session';

// The Funnel page end to end on the small demo (seed 7, data to 2026-10-31):
// every figure on screen equals `leadpath report funnel` for the same
// filters (stages, outcomes, reasons, speed to first contact, and each
// group of a breakdown), the breakdown and the filter bar live in the URL,
// and the page fits a phone.

const session = startDemoSession();
const { open, visit, navigated } = session;

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const base = () => `${session.app.url}/w/${DEMO.workspace}`;
const f = createFormatter('en-US', 'UAH');
const i18n = createI18n('en');
const hours = (v: string) => formatHours(i18n, f, v === '' || v === '—' ? null : Number(v));
const days = (v: string) => formatDays(i18n, f, v === '' || v === '—' ? null : Number(v));
const percent = (v: string, digits?: number) => f.percent(v === '' || v === '—' ? null : Number(v), digits);
const count = (v: string) => f.count(Number(v));
const number = (v: string) => (v === '' || v === '—' ? '—' : f.number(Number(v)));
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** `leadpath report <name> --format table`: the main table and each section, by title, values as printed. */
async function reportTables(q: ReportQuery & { name: string }): Promise<Record<string, Record<string, string>[]>> {
  const args = ['report', q.name, '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', 'table'];
  if (q.by) args.push('--by', q.by);
  if (q.model) args.push('--model', q.model);
  for (const [key, values] of Object.entries(q.filters ?? {})) args.push(`--${key}`, values.join(','));
  const blocks = (await cli(session.app, args))
    .split('\n')
    .filter((l) => !l.startsWith('note:'))
    .join('\n')
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').filter((l) => l.trim() !== ''))
    .filter((b) => b.length > 0);
  const out: Record<string, Record<string, string>[]> = {};
  for (const lines of blocks) {
    const title = /^-[- ]*$/.test(lines[1] ?? '') ? 'main' : lines.shift()!;
    const spans = [...lines[1]!.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
    const cells = (line: string) => spans.map(([start, end], i) => line.slice(start, i === spans.length - 1 ? undefined : end).trim());
    const header = cells(lines[0]!);
    out[title] = lines.slice(2).map((line) => Object.fromEntries(cells(line).map((c, i) => [header[i]!, c])));
  }
  return out;
}

/** A table's header texts, body rows and footer, as shown. */
async function readTable(table: Locator) {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) rows.push((await row.locator('th, td').allInnerTexts()).map(norm));
  const footer = (await table.locator('tfoot tr').first().count()) > 0 ? (await table.locator('tfoot tr').first().locator('th, td').allInnerTexts()).map(norm) : [];
  const record = (cells: string[]) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  return { headers, rows: rows.map(record), footer: record(footer) };
}

async function kpi(page: Page, label: string): Promise<string> {
  const card = page.getByRole('region', { name: 'Funnel figures' }).getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });
  return norm(await card.locator('.kpi-value').innerText());
}

function expectStagesEqual(shown: Record<string, string>[], cli: Record<string, string>[]) {
  expect(shown.map((r) => r.Stage)).toEqual(cli.map((r) => stageLabel(i18n, r.stage!)));
  shown.forEach((row, i) => {
    const c = cli[i]!;
    expect(row, c.stage).toEqual({
      Stage: stageLabel(i18n, c.stage!),
      Entered: count(c.entered!),
      Skipped: count(c.skipped!),
      Reached: count(c.reached!),
      'Step conversion': norm(percent(c.step_conversion!)),
      'From first stage': norm(percent(c.conversion_from_first!)),
      'Median time to next stage': norm(hours(c.median_hours_to_next!)),
    });
  });
}

describe('Funnel', () => {
  test('stages, outcomes, reasons and speed to first contact equal `leadpath report funnel`', async () => {
    const page = await open();
    await visit(page, `${base()}/funnel?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Funnel' }).waitFor();
    const cli = await reportTables({ name: 'funnel', ...PERIOD });
    expect(cli.main!.length).toBeGreaterThan(0);

    // Stages: entered, skipped and reached side by side.
    const stages = await readTable(page.getByRole('table', { name: 'Stage funnel: stages' }));
    expectStagesEqual(stages.rows, cli.main!);
    expect(cli.main!.some((r) => Number(r.skipped) > 0), 'the demo has skipped stages').toBe(true);
    const chart = page.getByRole('img', { name: 'Stage funnel' });
    await chart.waitFor();
    expect(await chart.locator('.funnel-skipped').allTextContents()).toEqual(
      cli.main!.filter((s) => Number(s.skipped) > 0).map((s) => `${s.skipped} skipped`),
    );

    // Outcomes: the key figures.
    const [outcome] = cli.outcomes!;
    expect(await kpi(page, 'Leads')).toBe(count(outcome!.leads!));
    expect(await kpi(page, 'Won')).toBe(count(outcome!.won!));
    expect(await kpi(page, 'Win rate')).toBe(norm(percent(outcome!.win_rate!)));
    expect(await kpi(page, 'Junk rate')).toBe(norm(percent(outcome!.junk_rate!)));
    expect(await kpi(page, 'Median sales cycle')).toBe(norm(days(outcome!.median_sales_cycle_days!)));
    const speedTotal = cli.speed!.at(-1)!;
    expect(speedTotal.manager).toBe('total');
    expect(await kpi(page, 'Median time to first contact')).toBe(norm(hours(speedTotal.median_hours_to_contact!)));
    expect(await kpi(page, 'Contacted within 15 min')).toBe(norm(percent(speedTotal.contacted_within_15m_share!)));
    const qualified = cli.main!.find((r) => r.stage === 'qualified')!;
    expect(await kpi(page, 'Qualified rate')).toBe(norm(percent(qualified.conversion_from_first!)));

    // Loss and junk reasons, ranked.
    for (const [outcomeName, title] of [
      ['lost', 'Why leads were lost'],
      ['junk', 'Why leads were junk'],
    ] as const) {
      const shown = await page.getByRole('table', { name: title }).locator('tbody tr').allInnerTexts();
      const expected = cli.reasons!.filter((r) => r.outcome === outcomeName).map((r) => `${r.reason}\t${count(r.leads!)}\t${percent(r.share!)}`);
      expect(shown.map(norm)).toEqual(expected.map(norm));
    }

    // Speed to first contact per manager, with the all-leads figures under the table.
    const speed = await readTable(page.getByRole('table', { name: 'Speed to first contact by manager' }));
    const managers = cli.speed!.slice(0, -1);
    expect(speed.rows.map((r) => r.Manager)).toEqual(managers.map((m) => m.manager));
    speed.rows.forEach((row, i) => {
      const m = managers[i]!;
      expect(row, m.manager).toEqual({
        Manager: m.manager,
        Leads: count(m.leads!),
        Contacted: count(m.contacted!),
        'Median time to first contact': norm(hours(m.median_hours_to_contact!)),
        'Contacted within 15 min': norm(percent(m.contacted_within_15m_share!)),
      });
    });
    expect(speed.footer.Leads).toBe(count(speedTotal.leads!));

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'funnel');
  });

  test('a breakdown draws small multiples and a group table equal to `--by`; a filter updates URL, table and chart', async () => {
    const page = await open();
    await visit(page, `${base()}/funnel?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('navigation', { name: 'Break down by' }).getByRole('link', { name: 'Region' }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'region');
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    await page.getByRole('heading', { name: 'Compare funnels: Region' }).waitFor();

    const checkGroups = async (query: ReportQuery) => {
      const cli = await reportTables({ name: 'funnel', ...query, by: 'region' });
      const table = await readTable(page.getByRole('table', { name: 'Funnel by group: Region' }));
      const outcomes = cli.outcomes!.filter((o) => o.group !== 'total');
      expect(table.rows.map((r) => r.Group)).toEqual(outcomes.map((o) => (o.group === '(none)' ? '(none)' : o.group)));
      const reachedOf = (group: string, stage: string) => cli.main!.find((s) => s.group === group && s.stage === stage)!;
      for (const [i, row] of table.rows.entries()) {
        const o = outcomes[i]!;
        expect(row.Leads, o.group).toBe(count(o.leads!));
        expect(row['Win rate'], o.group).toBe(norm(percent(o.win_rate!)));
        expect(row['Junk rate'], o.group).toBe(norm(percent(o.junk_rate!)));
        expect(row['Median sales cycle, days'], o.group).toBe(number(o.median_sales_cycle_days!));
        const q = reachedOf(o.group!, 'qualified');
        expect(row.Qualified, o.group).toBe(norm(`${count(q.reached!)} (${percent(q.conversion_from_first!, 0)})`));
        const won = reachedOf(o.group!, 'won');
        expect(row.Won, o.group).toBe(count(won.reached!));
      }
      const total = cli.outcomes!.at(-1)!;
      expect(total.group).toBe('total');
      expect(table.footer.Leads).toBe(count(total.leads!));
      expect(table.footer['Win rate']).toBe(norm(percent(total.win_rate!)));
      expect(table.footer['Median sales cycle, days']).toBe(number(total.median_sales_cycle_days!));
      // One small funnel per group (up to 12).
      expect(await page.locator('.funnel-multiples > li').count()).toBe(Math.min(12, outcomes.length));
      return outcomes.length;
    };
    expect(await checkGroups(PERIOD)).toBeGreaterThan(1);
    const chart = page.getByRole('img', { name: 'Stage funnel' });
    const chartBefore = await chart.innerHTML();

    // A channel filter through the filter bar: the breakdown stays, the figures follow.
    await page.locator('summary', { hasText: 'Channel' }).click();
    const menu = page.locator('details', { has: page.locator('summary', { hasText: 'Channel' }) });
    await menu.getByRole('checkbox', { name: 'Paid search' }).check();
    await menu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('channel').join() === 'paid_search');
    expect(new URL(page.url()).searchParams.get('by')).toBe('region');
    const filtered = { ...PERIOD, filters: { channel: ['paid_search'] } };
    await checkGroups(filtered);
    expect(await chart.innerHTML()).not.toBe(chartBefore);
    expectStagesEqual(
      (await readTable(page.getByRole('table', { name: 'Stage funnel: stages' }))).rows,
      await reportCsv(session.app, 'funnel', filtered),
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'funnel-by-region');

    // Back: no filter, same breakdown.
    await page.goBack();
    await navigated(page, (url) => !url.searchParams.has('channel'));
    await checkGroups(PERIOD);
  });

  test('a cohort-month breakdown labels months and keeps them in time order', async () => {
    const page = await open();
    // The small demo holds Sep 1 – Oct 31, 2026.
    await visit(page, `${base()}/funnel?from=2026-08-01&to=2026-10-31&by=month`);
    const table = await readTable(page.getByRole('table', { name: 'Funnel by group: Cohort month' }));
    expect(table.rows.map((r) => r.Group)).toEqual(['Sep 2026', 'Oct 2026']);
    const cli = await reportTables({ name: 'funnel', from: '2026-08-01', to: '2026-10-31', by: 'month' });
    expect(cli.outcomes!.map((o) => o.group)).toEqual(['2026-09-01', '2026-10-01', 'total']);
    expect(table.rows.map((r) => r.Leads)).toEqual(cli.outcomes!.slice(0, -1).map((o) => count(o.leads!)));
  });

  test('a range without leads says so', async () => {
    const page = await open();
    await visit(page, `${base()}/funnel?from=2020-01-01&to=2020-01-31&by=manager`);
    expect(await page.getByText('No leads in this range').count()).toBeGreaterThan(0);
  });

  test('fits a phone: only tables scroll sideways', async () => {
    const page = await open(PHONE);
    await visit(page, `${base()}/funnel?from=${PERIOD.from}&to=${PERIOD.to}&by=channel`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const rights = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'funnel-phone');
  });
});
