import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatSeconds } from '../../app/components/funnel/format';
import { createI18n } from '../../app/i18n/i18n';
import { createFormatter } from '../../app/lib/format';
import { PHONE, screenshot } from './support/browser';
import { cli, DEMO, type ReportQuery } from './support/demo';
import { startDemoSession } from './support/session';

// The Calls page end to end on the small demo (seed 7, data to 2026-10-31):
// the table, the key figures, what missed calls cost per manager and the
// static numbers equal `leadpath report calls` for the same filters; the
// slice and the filters live in the URL; the page fits a phone.

const session = startDemoSession();
const { open, visit, navigated } = session;

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const base = () => `${session.app.url}/w/${DEMO.workspace}`;
const f = createFormatter('en-US', 'UAH');
const i18n = createI18n('en');
const none = (v: string) => v === '' || v === '—';
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const percent = (v: string) => norm(f.percent(none(v) ? null : Number(v)));
const count = (v: string) => f.count(Number(v));
const number = (v: string) => (none(v) ? '—' : f.number(Number(v)));
const money = (v: string) => norm(f.money(none(v) ? null : v));
const seconds = (v: string) => norm(formatSeconds(i18n, f, none(v) ? null : Number(v)));
const channel = (v: string) => (v === 'unknown' ? 'Unknown' : i18n.tMaybe(`channel.${v}`, v));

/** `leadpath report calls --format table`: the main table (totals last) and each section, by title, values as printed. */
async function callsReport(q: ReportQuery): Promise<Record<string, Record<string, string>[]>> {
  const args = ['report', 'calls', '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', 'table'];
  if (q.by) args.push('--by', q.by);
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

async function readTable(table: Locator) {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) rows.push((await row.locator('th, td').allInnerTexts()).map(norm));
  const footer = (await table.locator('tfoot tr').count()) > 0 ? (await table.locator('tfoot tr').first().locator('th, td').allInnerTexts()).map(norm) : [];
  const record = (cells: string[]) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  return { headers, rows: rows.map(record), footer: record(footer) };
}

/** The metric cells of a calls row as the table prints them. */
function metrics(r: Record<string, string>) {
  return {
    Calls: count(r.calls!),
    Answered: count(r.answered!),
    Missed: count(r.missed!),
    'Missed share': percent(r.missed_share!),
    'Missed calls cost': money(r.missed_cost!),
    'Cost per call': money(r.cost_per_call!),
    'First-time': count(r.first_time!),
    Repeat: count(r.repeat!),
    Leads: count(r.leads!),
  };
}

async function kpi(page: Page, label: string): Promise<string> {
  const card = page.getByRole('region', { name: 'Call figures' }).getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });
  return norm(await card.locator('.kpi-value').innerText());
}

describe('Calls', () => {
  test('the table, key figures, missed-call cost by manager and static numbers equal `leadpath report calls`', async () => {
    const page = await open();
    await visit(page, `${base()}/calls?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Calls' }).waitFor();
    const cli = await callsReport(PERIOD);
    const rows = cli.main!.slice(0, -1);
    const total = cli.main!.at(-1)!;
    expect(total.channel).toBe('total');
    expect(rows.length).toBeGreaterThan(2);

    const table = await readTable(page.getByRole('table', { name: 'Calls: Channel' }));
    expect(table.rows).toEqual(rows.map((r) => ({ Channel: channel(r.channel!), ...metrics(r) })));
    expect(table.footer).toEqual({ Channel: 'Total', ...metrics(total) });

    expect(await kpi(page, 'Calls')).toBe(count(total.calls!));
    expect(await kpi(page, 'Missed')).toBe(count(total.missed!));
    expect(await kpi(page, 'Missed share')).toBe(percent(total.missed_share!));
    expect(await kpi(page, 'First-time calls')).toBe(count(total.first_time!));
    expect(await kpi(page, 'Repeat calls')).toBe(count(total.repeat!));
    expect(await kpi(page, 'Leads from calls')).toBe(count(total.leads!));
    expect(await kpi(page, 'Avg. answered call')).toBe(seconds(total.avg_duration_sec!));
    expect(await kpi(page, 'Missed calls cost')).toBe(money(total.missed_cost!));

    // What missed calls cost, per manager: the section of the report, adding up to the total.
    const missed = await readTable(page.getByRole('table', { name: 'Missed calls by manager' }));
    expect(missed.rows).toEqual(
      cli.missed_by_manager!.map((m) => ({ Manager: m.manager, Missed: count(m.missed!), 'Missed calls cost': money(m.missed_cost!) })),
    );
    expect(missed.footer).toEqual({ Manager: 'Total', Missed: count(total.missed!), 'Missed calls cost': money(total.missed_cost!) });

    // Static numbers (offline media) with their calls, leads, spend and CPL.
    const statics = await readTable(page.getByRole('table', { name: 'Static numbers' }));
    expect(cli.static_numbers!.length).toBeGreaterThan(0);
    expect(statics.rows).toEqual(
      cli.static_numbers!.map((n) => ({
        Number: n.number,
        Source: n.source,
        Campaign: n.campaign,
        Calls: count(n.calls!),
        Missed: count(n.missed!),
        Leads: count(n.leads!),
        Spend: money(n.spend!),
        CPL: money(n.cpl!),
      })),
    );

    // The hour-of-week grid: its scale ends at the busiest hour of the report.
    const busiest = Math.max(...cli.by_hour!.map((h) => Number(h.calls)));
    expect(cli.by_hour!.length).toBe(7 * 24);
    const heatmap = page.getByRole('figure', { name: 'Calls by hour of the week' });
    expect(norm(await heatmap.locator('.heatmap-scale').innerText())).toBe(`0 calls ${busiest} call${busiest === 1 ? '' : 's'}`);
    await page.getByRole('img', { name: 'Call volume' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'calls');

    // The mean length of answered calls is one column away.
    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Avg. answered call, s' }).check();
    const withDuration = await readTable(page.getByRole('table', { name: 'Calls: Channel' }));
    expect(withDuration.rows.map((r) => r['Avg. answered call, s'])).toEqual(rows.map((r) => number(r.avg_duration_sec!)));
    expect(withDuration.footer['Avg. answered call, s']).toBe(number(total.avg_duration_sec!));
  });

  test('the slice and a filter change the URL, the table and the charts', async () => {
    const page = await open();
    await visit(page, `${base()}/calls?from=${PERIOD.from}&to=${PERIOD.to}`);
    const chart = page.getByRole('img', { name: 'Answered and missed' });
    const chartBefore = await chart.innerHTML();

    await page.getByRole('navigation', { name: 'Show by' }).getByRole('link', { name: 'Campaign' }).click();
    await navigated(page, (url) => url.searchParams.get('by') === 'campaign');
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
    const check = async (q: ReportQuery) => {
      const cli = await callsReport({ ...q, by: 'campaign' });
      const table = await readTable(page.getByRole('table', { name: 'Calls: Campaign' }));
      const expected = cli.main!.slice(0, -1).map((r) => ({ Campaign: r.campaign || '(none)', ...metrics(r) }));
      const keys = Object.keys(expected[0] ?? {});
      expect(table.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])))).toEqual(expected);
      expect(table.footer.Calls).toBe(count(cli.main!.at(-1)!.calls!));
      expect(table.footer['Missed calls cost']).toBe(money(cli.main!.at(-1)!.missed_cost!));
    };
    await check(PERIOD);
    expect(await chart.innerHTML()).not.toBe(chartBefore);

    await page.locator('summary', { hasText: 'Region' }).click();
    const menu = page.locator('details', { has: page.locator('summary', { hasText: 'Region' }) });
    await menu.getByRole('checkbox', { name: 'Kyiv' }).check();
    await menu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('region').join() === 'Kyiv');
    expect(new URL(page.url()).searchParams.get('by')).toBe('campaign');
    await check({ ...PERIOD, filters: { region: ['Kyiv'] } });
  });

  test('a range without calls says so', async () => {
    const page = await open();
    await visit(page, `${base()}/calls?from=2020-01-01&to=2020-01-31`);
    expect(await page.getByText('No calls in this range').count()).toBeGreaterThan(0);
  });

  test('fits a phone: only tables scroll sideways', async () => {
    const page = await open(PHONE);
    await visit(page, `${base()}/calls?from=${PERIOD.from}&to=${PERIOD.to}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const rights = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'calls-phone');
  });
});
