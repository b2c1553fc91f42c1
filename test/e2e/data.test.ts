import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createFormatter } from '../../app/lib/format';
import type { Db } from '../../db/client';
import { projectRoot } from '../../db/paths';
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, type TestPage } from './support/browser';
import { addSessionCookie, signInOwner } from './support/auth';
import { cli, DEMO, loadDemo, parseCsv, reportCsv } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// The Data section end to end on the small demo (seed 7, data to
// 2026-10-31): uploads with their progress, result and error report, the
// history, a preset recognised from the header, attribution coverage against
// `leadpath report coverage`, offline conversions, the pipeline editor and
// channel rules previewed, then applied to all history.

let app: RunningApp;
/** The e2e owner's session: every page and fetch is signed in. */
let cookie: string;
let browser: Browser;
let db: Db;
const opened: TestPage[] = [];
const base = () => `${app.url}/w/${DEMO.workspace}/data`;
const f = createFormatter('en-US', 'UAH');
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

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

// No page may log an error: hydration mismatches and CSP violations land here.
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

/** Goes to a URL and waits until React has hydrated (forms then submit through the page's scripts). */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const textOf = async (locator: Locator) => norm(await locator.innerText());

/** Picks a file for the upload form and submits it. */
async function upload(page: Page, kindLabel: string, name: string, content: string | Buffer): Promise<void> {
  await page.getByLabel('What the file holds').selectOption({ label: kindLabel });
  await page.getByLabel('CSV or TSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
}

/** Rows of a plain table as text cells. */
async function tableRows(table: Locator): Promise<string[][]> {
  const rows = table.locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).locator('th, td').allInnerTexts()).map(norm));
  return out;
}

describe('Import', () => {
  test('a file with a bad row shows line, column and reason, imports nothing, and the error report downloads', async () => {
    const page = await open();
    await visit(page, base());
    await page.getByRole('heading', { level: 1, name: 'Data' }).waitFor();
    const file = ['date,source,medium,campaign,cost', '2026-10-30,google,cpc,e2e_bad_campaign,100.50', '2026-10-31,google,cpc,e2e_bad_campaign,abc', ''].join('\n');
    await upload(page, 'Ad spend', 'bad-spend.csv', file);

    const result = page.getByRole('region', { name: 'Result of bad-spend.csv' });
    await result.waitFor();
    expect(await textOf(result)).toContain('1 invalid value: nothing was imported.');
    // Line 3 of the file (the header is line 1), column cost, value abc.
    const rejects = result.getByRole('table', { name: 'Rejected rows' });
    const [row] = await tableRows(rejects);
    expect(row!.slice(0, 3)).toEqual(['3', 'cost', 'abc']);
    expect(row![3]).toMatch(/decimal/);

    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('link', { name: 'Download the error report (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^import-\d+-errors\.csv$/);
    const report = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(report).toEqual([{ line: '3', column: 'cost', value: 'abc', reason: row![3] }]);

    // One invalid row and nothing changes: not even the good row is stored.
    const stored = await db.selectFrom('spend').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign', '=', 'e2e_bad_campaign').executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
    await screenshot(page, 'data');
  });

  test('a good file imports, shows its counts and appears in the history', async () => {
    const page = await open();
    await visit(page, base());
    const file = ['date,source,medium,campaign,cost', '2026-10-30,google,cpc,e2e_good_campaign,100.50', '2026-10-31,google,cpc,e2e_good_campaign,200.25', ''].join('\n');
    await upload(page, 'Ad spend', 'good-spend.csv', file);

    const result = page.getByRole('region', { name: 'Result of good-spend.csv' });
    await result.waitFor();
    expect(await textOf(result)).toContain('2 rows read: 2 new, 0 updated, 0 unchanged, 0 set aside.');
    expect(await textOf(result)).toContain('Read as a canonical file');

    // The history is reloaded when the import finishes: the file is its newest row.
    const history = page.getByRole('table', { name: 'Import history' });
    await history.getByRole('link', { name: 'Show the import of good-spend.csv' }).waitFor();
    const [newest] = await tableRows(history);
    expect(newest![1]).toBe('good-spend.csv');
    expect(newest![2]).toBe('Ad spend');
    expect(newest![4]).toBe('Succeeded');

    const stored = await db
      .selectFrom('spend')
      .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string>`sum(cost)::text`.as('cost')])
      .where('campaign', '=', 'e2e_good_campaign')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(2);
    expect(stored.cost).toBe('300.75');

    // The history row opens the import's details.
    await history.getByRole('link', { name: 'Show the import of good-spend.csv' }).click();
    await page.getByRole('heading', { name: 'Import of good-spend.csv' }).waitFor();
    expect(await textOf(page.getByRole('region', { name: 'Import of good-spend.csv' }))).toContain('No row of this file was rejected.');
  });

  test('a platform export is recognised from its header and the preset it was read with is named', async () => {
    const page = await open();
    await visit(page, base());
    const sample = readFileSync(path.join(projectRoot, 'test/fixtures/presets/google-ads.csv'));
    await upload(page, 'Recognise from the header', 'google-ads-campaigns.csv', sample);
    const result = page.getByRole('region', { name: 'Result of google-ads-campaigns.csv' });
    await result.waitFor();
    const text = await textOf(result);
    expect(text).toContain('Succeeded');
    expect(text).toContain('Read with the preset google-ads');
    expect(text).toContain('recognised from the header');
    const history = page.getByRole('table', { name: 'Import history' });
    await history.getByRole('link', { name: 'Show the import of google-ads-campaigns.csv' }).waitFor();
    expect((await tableRows(history))[0]![3]).toBe('google-ads');
  });

  test('without JavaScript the form posts, imports and shows the result', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await addSessionCookie(context, app, cookie);
    const page = await context.newPage();
    try {
      await page.goto(base());
      await page.getByLabel('What the file holds').selectOption({ label: 'Ad spend' });
      const file = ['date,source,medium,campaign,cost', '2026-10-29,google,cpc,e2e_nojs_campaign,10', ''].join('\n');
      await page.getByLabel('CSV or TSV file').setInputFiles({ name: 'nojs-spend.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
      await page.getByRole('button', { name: 'Upload and import' }).click();
      await page.waitForURL(/\?upload=/);
      const result = page.getByRole('region', { name: 'Result of nojs-spend.csv' });
      expect(await textOf(result)).toContain('1 rows read: 1 new');
    } finally {
      await context.close();
    }
  });
});

describe('Coverage', () => {
  test('the coverage table equals `leadpath report coverage` and a reason drills down to its leads', async () => {
    const page = await open();
    await visit(page, `${base()}/coverage?from=${OCTOBER.from}&to=${OCTOBER.to}`);
    const cliRows = await reportCsv(app, 'coverage', OCTOBER);
    const table = page.getByRole('table', { name: 'Coverage by reason' });
    const rows = await tableRows(table);
    const labels: Record<string, string> = {
      known: 'Channel known',
      only_direct: 'Only direct visits',
      unassigned_number: 'Call to an unassigned number',
      manual_no_source: 'Manual lead without a source',
      no_visitor_id: 'No visitor id',
      outside_lookback: 'Visits older than the lookback',
      no_sessions: 'Visitor without visits',
    };
    expect(rows.map((r) => r[0])).toEqual(cliRows.map((r) => labels[r.reason!]));
    for (const [i, r] of cliRows.entries()) {
      const share = (v: string) => (v === '' ? '—' : f.percent(Number(v)));
      expect(rows[i]!.slice(1), r.reason).toEqual([f.count(Number(r.leads)), share(r.share_of_leads!), f.money(r.revenue!), share(r.share_of_revenue!)].map(norm));
    }
    const known = cliRows.find((r) => r.reason === 'known')!;
    expect(await textOf(page.locator('.coverage-headline'))).toBe(
      norm(`The channel is known for ${f.percent(Number(known.share_of_leads))} of leads and ${f.percent(Number(known.share_of_revenue))} of revenue.`),
    );

    // Drill down: the leads of the largest reason other than "known".
    const reason = cliRows.filter((r) => r.reason !== 'known' && Number(r.leads) > 0).sort((a, b) => Number(b.leads) - Number(a.leads))[0]!;
    await table.getByRole('link', { name: labels[reason.reason!] }).click();
    await page.waitForURL((u) => u.searchParams.get('reason') === reason.reason);
    const leads = page.getByRole('table', { name: `Leads: ${labels[reason.reason!]}` });
    await leads.waitFor();
    expect(await leads.locator('tbody tr').count()).toBe(Math.min(200, Number(reason.leads)));
    await screenshot(page, 'data-coverage');
  });
});

describe('Presets and conversions', () => {
  test('the presets say what they expect; a status map edit and a conversion goal are saved; the conversions file downloads', async () => {
    const page = await open();
    await visit(page, `${base()}/presets`);
    const googleAds = page.locator('.preset', { has: page.getByRole('heading', { name: /Google Ads/ }) }).first();
    expect(await textOf(googleAds)).toContain('Needs the columns');

    // Bitrix24: move a status to another stage.
    const bitrix = page.getByRole('group', { name: /Bitrix24/ });
    const firstRow = bitrix.locator('.status-row').first();
    const status = norm(await firstRow.locator('.status-name').innerText());
    await firstRow.getByLabel('Stage').selectOption('proposal');
    await firstRow.getByRole('button', { name: `Save the status ${status}` }).click();
    await bitrix.locator('.status-row.is-edited', { hasText: status }).waitFor();
    const saved = await db.selectFrom('status_maps').select(['stage']).where('preset', '=', 'bitrix24').where('status', '=', status).executeTakeFirstOrThrow();
    expect(saved.stage).toBe('proposal');

    // A conversion goal, then its file for October, equal to `leadpath export conversions`.
    await page.getByLabel('Platform').selectOption({ label: 'Google Ads' });
    await page.getByLabel('Stage that counts').selectOption('qualified');
    await page.getByLabel(/^Conversion name/).fill('Qualified lead');
    await page.getByRole('button', { name: 'Set the conversion' }).click();
    await page.getByText('Google Ads: leads reaching qualified are sent as “Qualified lead”').waitFor();

    await page.getByLabel('From', { exact: true }).fill(OCTOBER.from);
    await page.getByLabel('To', { exact: true }).fill(OCTOBER.to);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const expected = await cli(app, ['export', 'conversions', '--workspace', DEMO.workspace, '--platform', 'google-ads', '--stage', 'qualified', '--from', OCTOBER.from, '--to', OCTOBER.to]);
    expect(text).toBe(expected);
    expect(text.split('\n')[0]).toBe('Parameters:TimeZone=Europe/Kyiv');
    await screenshot(page, 'data-presets');
  });
});

describe('Pipeline', () => {
  test('a duplicate stage name is refused with a field error; a rename is saved and re-derives reach', async () => {
    const page = await open();
    await visit(page, `${base()}/settings`);
    const before = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('stage', '=', 'proposal').executeTakeFirstOrThrow();

    const proposal = page.getByLabel('Name of stage 4');
    expect(await proposal.inputValue()).toBe('proposal');
    await proposal.fill('negotiation');
    await page.getByRole('button', { name: 'Save the pipeline' }).click();
    // Both rows named "negotiation" are marked.
    const error = page.getByText('This name is already in the list.');
    await error.first().waitFor();
    expect(await error.count()).toBe(2);
    expect(await proposal.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name of stage 5').getAttribute('aria-invalid')).toBe('true');

    await proposal.fill('offer');
    await page.getByRole('button', { name: 'Save the pipeline' }).click();
    await page.getByText(/^Saved\. Stage reach re-derived for [\d,]+ leads\.$/).waitFor();
    expect(await page.getByLabel('Name of stage 4').inputValue()).toBe('offer');
    const stages = await db.selectFrom('pipeline_stages').select('name').orderBy('position').execute();
    expect(stages.map((s) => s.name)).toEqual(['new', 'contacted', 'qualified', 'offer', 'negotiation', 'won']);
    const after = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('stage', '=', 'offer').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    // The funnel report follows the new name.
    const funnel = await reportCsv(app, 'funnel', OCTOBER);
    expect(funnel.map((r) => r.stage)).toEqual(['new', 'contacted', 'qualified', 'offer', 'negotiation', 'won']);
  });
});

describe('Channel rules', () => {
  test('a new rule is previewed with the rows it moves, then applied to all history', async () => {
    const page = await open();
    await visit(page, `${base()}/rules`);
    // What the new rule (olx.ua / referral → paid_social) must move, counted here.
    const sessions = await db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', 'olx.ua')
      .where('medium', '=', 'referral')
      .where('channel', '=', 'referral')
      .executeTakeFirstOrThrow();
    const moving = Number(sessions.n);
    expect(moving).toBeGreaterThan(0);

    const rules = await page.locator('.rule-row').count();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const added = rules + 1;
    await page.getByLabel('Channel', { exact: true }).nth(added - 1).fill('paid_social');
    await page.getByLabel('Source is one of', { exact: true }).nth(added - 1).fill('olx.ua');
    await page.getByLabel('Medium is one of', { exact: true }).nth(added - 1).fill('referral');
    // Above the referral rule (the last two defaults are referral and offline).
    await page.getByRole('button', { name: `Move rule ${added} up` }).click();
    await page.getByRole('button', { name: `Move rule ${added - 1} up` }).click();
    expect(await page.getByRole('button', { name: 'Apply to all history' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('status', { name: 'Preview: what would change' });
    await preview.waitFor();
    const line = norm(`${f.count(moving)} sessions move from Referral to Paid social`);
    expect((await preview.locator('li').allInnerTexts()).map(norm)).toContain(line);
    // Nothing changed yet.
    const still = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'olx.ua').where('channel', '=', 'paid_social').executeTakeFirstOrThrow();
    expect(Number(still.n)).toBe(0);
    await screenshot(page, 'data-rules');

    await page.getByRole('button', { name: 'Apply to all history' }).click();
    const applied = page.getByRole('status', { name: 'Applied to all history' });
    await applied.waitFor();
    expect((await applied.locator('li').allInnerTexts()).map(norm)).toContain(line);

    const moved = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'olx.ua').where('channel', '=', 'paid_social').executeTakeFirstOrThrow();
    expect(Number(moved.n)).toBe(moving);
    const saved = await db.selectFrom('channel_rules').select(['position', 'channel', 'source_in', 'medium_in']).orderBy('position').execute();
    expect(saved).toHaveLength(added);
    expect(saved[added - 3]).toEqual({ position: added - 2, channel: 'paid_social', source_in: ['olx.ua'], medium_in: ['referral'] });
    // The reports follow: olx.ua / referral is paid social now.
    const channels = await reportCsv(app, 'channels', { from: '2025-01-01', to: '2026-10-31', by: 'source_medium' });
    expect(channels.find((r) => r.source === 'olx.ua')?.channel).toBe('paid_social');
  });

  test('a rule with a bad channel name is refused with a field error', async () => {
    const page = await open();
    await visit(page, `${base()}/rules`);
    await page.getByLabel('Channel', { exact: true }).first().fill('Paid Social!');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('Lower-case letters, digits and _ only (e.g. paid_social).').waitFor();
    expect(await page.getByLabel('Channel', { exact: true }).first().getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Layout', () => {
  test.each(['', '/coverage', '/rules', '/settings', '/presets'])('%s fits a phone without sideways scrolling', async (tab) => {
    const page = await open(PHONE);
    await visit(page, `${base()}${tab}?from=${OCTOBER.from}&to=${OCTOBER.to}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (tab === '/rules') await screenshot(page, 'data-rules-phone');
    if (tab === '') await screenshot(page, 'data-phone');
  });
});
