import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createFormatter } from '../../app/lib/format';
import { PHONE, screenshot } from './support/browser';
import { cli, DEMO, parseCsv, reportCsv, type ReportQuery } from './support/demo';
import { startDemoSession } from './support/session';

// Paths & attribution end to end on the small demo (seed 7, data to
// 2026-10-31): every figure on the page equals `leadpath report attribution`
// or `leadpath report paths` for the same range and filters.

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const base = () => `${session.app.url}/w/${DEMO.workspace}/attribution`;
const f = createFormatter('en-US', 'UAH');
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

const session = startDemoSession();
const { open, visit, navigated } = session;

// ---------- The CLI's text output, sections included ----------

interface CliReport {
  rows: Record<string, string>[];
  sections: Record<string, Record<string, string>[]>;
  notes: string[];
}

/** `leadpath report <name> --format table`, every section parsed (fixed-width columns, extents from the dashes). */
async function reportTables(name: string, q: ReportQuery): Promise<CliReport> {
  const args = ['report', name, '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', 'table'];
  for (const [key, values] of Object.entries(q.filters ?? {})) args.push(`--${key}`, values.join(','));
  const lines = (await cli(session.app, args)).split('\n');
  const notes = lines.filter((l) => l.startsWith('note: ')).map((l) => l.slice(6));
  const blocks: string[][] = [];
  let block: string[] = [];
  for (const line of lines.filter((l) => !l.startsWith('note: '))) {
    if (line.trim() === '') {
      if (block.length > 0) blocks.push(block);
      block = [];
    } else block.push(line);
  }
  if (block.length > 0) blocks.push(block);
  const parse = (header: string, dashes: string, body: string[]) => {
    const spans = [...dashes.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
    const cells = (line: string) => spans.map(([s, e]) => line.slice(s, e).trim());
    const names = cells(header);
    return body.map((l) => Object.fromEntries(cells(l).map((v, i) => [names[i]!, v])));
  };
  const [main, ...rest] = blocks;
  const sections: CliReport['sections'] = {};
  for (const b of rest) sections[b[0]!] = parse(b[1]!, b[2]!, b.slice(3));
  return { rows: parse(main![0]!, main![1]!, main!.slice(2)), sections, notes };
}

/** Clicks the Export CSV button of the panel headed `heading` and parses the file. */
async function exportPanel(page: Page, heading: string): Promise<Record<string, string>[]> {
  const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: heading, exact: true }) });
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  return parseCsv(readFileSync((await download.path())!, 'utf8'));
}

function expectRowsEqual(exported: Record<string, string>[], cli: Record<string, string>[], key: string) {
  expect(exported.length, 'rows').toBe(cli.length);
  const byKey = new Map(cli.map((r) => [r[key], r]));
  for (const row of exported) {
    const expected = byKey.get(row[key]);
    expect(expected, row[key]).toBeDefined();
    for (const [column, value] of Object.entries(row)) expect(value, `${row[key]} ${column}`).toBe(expected![column] === '—' ? '' : expected![column]);
  }
}

/** Walks a chart with the keyboard and returns every tooltip as text. */
async function tooltips(page: Page, chart: Locator): Promise<string[]> {
  await chart.scrollIntoViewIfNeeded();
  await chart.focus();
  await page.keyboard.press('Home');
  const tooltip = page.locator('.chart-tooltip');
  const seen: string[] = [];
  for (let i = 0; i < 500; i++) {
    const text = norm(await tooltip.innerText());
    if (seen.at(-1) === text) break;
    seen.push(text);
    await page.keyboard.press('ArrowRight');
  }
  return seen;
}

const leadsNote = (notes: string[]) => Number(/^(\d+) leads created in the range/.exec(notes[0]!)![1]);

describe('Paths & attribution', () => {
  test('loads with the demo data; every panel equals `leadpath report attribution` and `report paths`', async () => {
    const page = await open();
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Paths & attribution' }).waitFor();
    const [attribution, paths, attributionCsv, pathsCsv] = await Promise.all([
      reportTables('attribution', PERIOD),
      reportTables('paths', PERIOD),
      reportCsv(session.app, 'attribution', PERIOD),
      reportCsv(session.app, 'paths', PERIOD),
    ]);
    const leads = leadsNote(paths.notes);
    expect(leads).toBeGreaterThan(0);

    // Key figures.
    const stats = page.getByRole('region', { name: 'Journeys in the period' });
    const stat = async (label: string) => norm(await stats.getByRole('listitem').filter({ hasText: new RegExp(`^${label}`) }).innerText());
    expect(await stat('Leads')).toContain(f.count(leads));
    const won = /, (\d+) won \(revenue ([\d.]+)\)/.exec(paths.notes[0]!)!;
    expect(await stat('Sales')).toContain(`${f.count(Number(won[1]))} ${norm(f.money(won[2]!))}`);
    const journeys = Number(/and (\d+) visitors without a lead/.exec(attribution.notes[0]!)![1]);
    expect(await stat('Journeys without a lead')).toContain(f.count(journeys));

    // The model comparison: the exported rows equal the CLI's, cell by cell; the totals row on screen too.
    expectRowsEqual(await exportPanel(page, 'Model comparison'), attributionCsv, 'channel');
    const table = page.getByRole('table', { name: 'Model comparison' });
    const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
    const totals = (await table.locator('tfoot tr').first().locator('th, td').allInnerTexts()).map(norm);
    const cliTotals = attribution.rows.at(-1)!;
    expect(cliTotals.channel).toBe('total');
    for (const [label, model] of [
      ['First touch', 'first'],
      ['Last non-direct', 'last_non_direct'],
      ['Markov chain', 'markov'],
      ['Shapley', 'shapley'],
    ] as const) {
      expect(totals[headers.indexOf(label)], label).toBe(f.number(Number(cliTotals[model])));
    }
    // Credited revenue.
    expectRowsEqual(await exportPanel(page, 'Revenue credited by model'), attribution.sections.revenue!.filter((r) => r.channel !== 'total'), 'channel');

    // Top paths and assisted conversions.
    expectRowsEqual(await exportPanel(page, 'Top converting paths'), pathsCsv, 'path');
    expectRowsEqual(await exportPanel(page, 'Assisted conversions'), paths.sections.assisted!, 'channel');

    // Histograms: one tooltip per bucket, in order, with the CLI's leads and share.
    for (const [title, section, key] of [
      ['Path length', 'length', 'touches'],
      ['Time to lead', 'time_to_lead', 'bucket'],
    ] as const) {
      const shown = await tooltips(page, page.getByRole('img', { name: title }));
      const expected = paths.sections[section]!.map((r) => `Leads ${f.count(Number(r.leads))} Share ${f.percent(r.share === '—' ? null : Number(r.share))}`);
      expect(shown.map((s) => s.replace(/^.*?Leads/, 'Leads')), title).toEqual(expected);
      expect(shown[0], title).toContain(section === 'length' ? `${paths.sections[section]![0]![key]} touches` : '0–1 days');
    }

    // The flow diagram: its first-touch nodes hold every lead once.
    const flow = await tooltips(page, page.getByRole('img', { name: 'How journeys start' }));
    const firstStep = flow.filter((s) => s.startsWith('Touch 1 · '));
    expect(firstStep.length).toBeGreaterThan(1);
    const sum = firstStep.reduce((acc, s) => acc + Number(/Leads ([\d,]+) \(/.exec(s)![1]!.replace(/,/g, '')), 0);
    expect(sum).toBe(leads);
    // The biggest first step equals the paths' definition: leads whose collapsed path starts there.
    const startsWith = (channel: string) => pathsCsv.filter((r) => r.path === channel).reduce((a, r) => a + Number(r.leads), 0);
    const paidSearch = firstStep.find((s) => s.startsWith('Touch 1 · Paid search'))!;
    expect(Number(/Lead after this touch (\d+)/.exec(paidSearch)![1])).toBe(startsWith('paid_search'));

    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await screenshot(page, 'attribution');
  });

  test('a region filter changes the URL, the paths and the flow diagram; the comparison keeps every journey and says so', async () => {
    const page = await open();
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const flow = page.getByRole('img', { name: 'How journeys start' });
    // Server-rendered text carries React's <!-- --> separators, client-rendered text does not.
    const drawing = async () => (await flow.innerHTML()).replace(/<!--.*?-->/g, '');
    const flowBefore = await drawing();
    const comparisonBefore = await exportPanel(page, 'Model comparison');

    await page.locator('summary', { hasText: 'Region' }).click();
    const regionMenu = page.locator('details', { has: page.locator('summary', { hasText: 'Region' }) });
    await regionMenu.getByRole('checkbox', { name: 'Kyiv' }).check();
    await regionMenu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('region').join() === 'Kyiv');
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);

    const kyiv = { ...PERIOD, filters: { region: ['Kyiv'] } };
    const [paths, pathsCsv] = await Promise.all([reportTables('paths', kyiv), reportCsv(session.app, 'paths', kyiv)]);
    await expect.poll(drawing).not.toBe(flowBefore);
    expectRowsEqual(await exportPanel(page, 'Top converting paths'), pathsCsv, 'path');
    const stats = page.getByRole('region', { name: 'Journeys in the period' });
    expect(norm(await stats.getByRole('listitem').filter({ hasText: /^Leads/ }).innerText())).toContain(f.count(leadsNote(paths.notes)));
    expect(await exportPanel(page, 'Model comparison')).toEqual(comparisonBefore);
    await page.getByText('these filters apply only to the paths below: Region').waitFor();

    await page.goBack();
    await navigated(page, (url) => !url.searchParams.has('region'));
    await expect.poll(drawing).toBe(flowBefore);
  });

  test('the shift view shows each model against last non-direct; Markov’s is the report’s shift', async () => {
    const page = await open();
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const cli = await reportCsv(session.app, 'attribution', PERIOD);
    await page.getByRole('radio', { name: 'Shift against last non-direct' }).check();
    const table = page.getByRole('table', { name: 'Model comparison' });
    const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
    const first = cli[0]!;
    const row = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map(norm);
    const signed = (n: number) => (n > 0 ? `+${f.number(n)}` : f.number(n));
    expect(row[headers.indexOf('Markov chain')]).toBe(signed(Number(first.shift_vs_last_non_direct)));
    const linearShift = Math.round((Number(first.linear) - Number(first.last_non_direct)) * 1e4) / 1e4;
    expect(row[headers.indexOf('Linear')]).toBe(signed(linearShift));
    expect(row[headers.indexOf('Last non-direct')]).toBe('—');
  });

  test('a range without leads says so in every panel', async () => {
    const page = await open();
    await visit(page, `${base()}?from=2020-01-01&to=2020-01-31`);
    await page.getByRole('heading', { level: 1, name: 'Paths & attribution' }).waitFor();
    expect(await page.getByText('No leads in this range').count()).toBeGreaterThanOrEqual(6);
  });

  test('fits a phone: only tables scroll sideways, charts fit the screen', async () => {
    const page = await open(PHONE);
    await visit(page, `${base()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const rights = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    expect(rights.length).toBeGreaterThanOrEqual(4);
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'attribution-phone');
  });
});
