import type { Locator, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFormatter } from '../../app/lib/format';
import type { Db } from '../../db/client';
import { PHONE, screenshot } from './support/browser';
import { cli, DEMO, type ReportQuery } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startDemoSession } from './support/session';

// The Leads list and one lead's page end to end on the small demo (seed 7,
// data to 2026-10-31). The list's counts equal `leadpath report funnel`
// (the same leads: created in the range, filters on the lead's main touch
// and on the lead); one lead's stages, touches and credits equal its rows.

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const list = () => `${session.app.url}/w/${DEMO.workspace}/leads`;
const f = createFormatter('en-US', 'UAH');
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

const session = startDemoSession();
const { open, visit, navigated } = session;
let db: Db;

beforeAll(async () => {
  db = await openServerDb(session.app.home);
});

afterAll(async () => {
  await db?.destroy();
});

/** The outcomes section of `leadpath report funnel` (leads, won, lost, junk, open). */
async function funnelOutcomes(q: ReportQuery): Promise<Record<string, number>> {
  const args = ['report', 'funnel', '--workspace', DEMO.workspace, '--from', q.from, '--to', q.to, '--format', 'table'];
  if (q.model) args.push('--model', q.model);
  for (const [key, values] of Object.entries(q.filters ?? {})) args.push(`--${key}`, values.join(','));
  const lines = (await cli(session.app, args)).split('\n');
  const at = lines.indexOf('outcomes');
  const header = lines[at + 1]!.trim().split(/\s+/);
  const values = lines[at + 3]!.trim().split(/\s+/);
  return Object.fromEntries(header.map((h, i) => [h, Number(values[i])]));
}

/** The lead table as { column header: cell text } per row. */
async function tableRows(table: Locator): Promise<Record<string, string>[]> {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
  const rows: Record<string, string>[] = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = (await row.locator('td').allInnerTexts()).map(norm);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  }
  return rows;
}

async function found(page: Page): Promise<Record<string, string>> {
  const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Leads found' }) });
  const terms = (await panel.locator('dt').allInnerTexts()).map(norm);
  const values = (await panel.locator('dd').allInnerTexts()).map(norm);
  return Object.fromEntries(terms.map((t, i) => [t, values[i]!]));
}

describe('Lead list', () => {
  test('loads the period’s leads, newest first, 50 a page; the counts equal `leadpath report funnel`', async () => {
    const page = await open();
    await visit(page, `${list()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    const outcomes = await funnelOutcomes(PERIOD);
    expect(outcomes.leads).toBeGreaterThan(50);
    expect(await found(page)).toMatchObject({ Leads: f.count(outcomes.leads!), Sales: f.count(outcomes.won!) });
    const { rows: revenue } = await sql<{ revenue: string }>`
      select coalesce(sum(amount), 0)::text as revenue from leads
       where created_at >= '2026-10-01T00:00:00+03:00' and created_at < '2026-11-01T00:00:00+02:00' and outcome = 'won'`.execute(db);
    expect((await found(page)).Revenue).toBe(norm(f.money(revenue[0]!.revenue)));

    const table = page.getByRole('table', { name: 'Lead list' });
    const rows = await tableRows(table);
    expect(rows.length).toBe(50);
    const newest = await sql<{ lead_id: string }>`
      select lead_id from leads where created_at >= '2026-10-01T00:00:00+03:00' and created_at < '2026-11-01T00:00:00+02:00'
       order by created_at desc, lead_id desc limit 50`.execute(db);
    expect(rows.map((r) => r.Lead)).toEqual(newest.rows.map((r) => r.lead_id));
    expect(norm(await page.getByRole('navigation', { name: 'Pages' }).innerText())).toContain(`1–50 of ${f.count(outcomes.leads!)} leads`);

    // The outcome chart has the funnel's counts.
    const chart = page.getByRole('img', { name: 'Leads by outcome' });
    await chart.focus();
    const tooltip = page.locator('.chart-tooltip');
    for (const outcome of ['open', 'won', 'lost', 'junk'] as const) {
      await page.keyboard.press(outcome === 'open' ? 'Home' : 'ArrowDown');
      expect(norm(await tooltip.innerText())).toContain(`Leads ${f.count(outcomes[outcome]!)}`);
    }
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await screenshot(page, 'leads');
  });

  test('a channel filter changes the URL, the list and the chart, like the funnel’s channel filter', async () => {
    const page = await open();
    await visit(page, `${list()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const chart = page.getByRole('img', { name: 'Leads by outcome' });
    const before = await chart.innerHTML();
    await page.locator('summary', { hasText: 'Channel' }).click();
    const menu = page.locator('details', { has: page.locator('summary', { hasText: 'Channel' }) });
    await menu.getByRole('checkbox', { name: 'Paid search' }).check();
    await menu.getByRole('button', { name: 'Apply' }).click();
    await navigated(page, (url) => url.searchParams.getAll('channel').join() === 'paid_search');
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);

    const outcomes = await funnelOutcomes({ ...PERIOD, filters: { channel: ['paid_search'] } });
    await expect.poll(async () => (await found(page)).Leads).toBe(f.count(outcomes.leads!));
    expect((await found(page)).Sales).toBe(f.count(outcomes.won!));
    const rows = await tableRows(page.getByRole('table', { name: 'Lead list' }));
    expect(rows.length).toBe(Math.min(50, outcomes.leads!));
    expect(new Set(rows.map((r) => r.Channel))).toEqual(new Set(['Paid search']));
    expect(await chart.innerHTML()).not.toBe(before);

    // Another model moves leads between channels, as in the funnel.
    await page.getByRole('combobox', { name: 'Attribution' }).selectOption('first');
    await navigated(page, (url) => url.searchParams.get('model') === 'first');
    const first = await funnelOutcomes({ ...PERIOD, model: 'first', filters: { channel: ['paid_search'] } });
    await expect.poll(async () => (await found(page)).Leads).toBe(f.count(first.leads!));
  });

  test('search, list filters, sorting and pages are server-side and live in the URL', async () => {
    const page = await open();
    const { rows: top } = await sql<{ lead_id: string; phone: string; amount: string }>`
      select lead_id, phone, amount::text as amount from leads
       where created_at >= '2026-10-01T00:00:00+03:00' and created_at < '2026-11-01T00:00:00+02:00' and outcome = 'won' and phone is not null
       order by amount desc, lead_id desc limit 1`.execute(db);
    const lead = top[0]!;
    await visit(page, `${list()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const table = page.getByRole('table', { name: 'Lead list' });

    // Sorting by amount: the largest deal first.
    await table.getByRole('link', { name: 'Amount' }).click();
    await navigated(page, (url) => url.searchParams.get('sort') === 'amount' && url.searchParams.get('dir') === 'desc');
    expect((await tableRows(table))[0]).toMatchObject({ Lead: lead.lead_id, Amount: norm(f.money(lead.amount)) });
    expect(await table.getByRole('columnheader', { name: 'Amount' }).getAttribute('aria-sort')).toBe('descending');

    // Search by the phone's last digits: this lead is among the matches; the sort stays.
    const digits = lead.phone.replace(/\D/g, '').slice(-7);
    await page.getByRole('searchbox', { name: 'Search leads' }).fill(digits);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await navigated(page, (url) => url.searchParams.get('q') === digits);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('amount');
    const { rows: matching } = await sql<{ n: number }>`
      select count(*)::int as n from leads
       where created_at >= '2026-10-01T00:00:00+03:00' and created_at < '2026-11-01T00:00:00+02:00'
         and strpos(regexp_replace(coalesce(phone, ''), '\\D', '', 'g'), ${digits}) > 0`.execute(db);
    const matches = await tableRows(table);
    expect(matches.length).toBe(matching[0]!.n);
    expect(matches[0]!.Lead).toBe(lead.lead_id);

    // An outcome: the select applies at once, the search stays.
    await page.getByRole('link', { name: 'Clear search' }).click();
    await navigated(page, (url) => !url.searchParams.has('q'));
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('won');
    await navigated(page, (url) => url.searchParams.get('outcome') === 'won');
    const outcomes = await funnelOutcomes(PERIOD);
    await expect.poll(async () => (await found(page)).Leads).toBe(f.count(outcomes.won!));
    expect(new Set((await tableRows(table)).map((r) => r.Outcome))).toEqual(new Set(['Won']));

    // Pages: the second page starts at 51, Back returns to the first.
    await page.getByRole('link', { name: 'Clear search' }).click();
    await navigated(page, (url) => !url.searchParams.has('outcome'));
    await page.getByRole('link', { name: /Next/ }).click();
    await navigated(page, (url) => url.searchParams.get('page') === '2');
    const all = outcomes.leads!;
    expect(norm(await page.getByRole('navigation', { name: 'Pages' }).innerText())).toContain(`51–${f.count(Math.min(100, all))} of ${f.count(all)} leads`);
    expect((await tableRows(table)).length).toBe(Math.min(50, all - 50));
    await page.goBack();
    await navigated(page, (url) => !url.searchParams.has('page'));
  });

  test('fits a phone', async () => {
    const page = await open(PHONE);
    await visit(page, `${list()}?from=${PERIOD.from}&to=${PERIOD.to}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'leads-phone');
  });
});

describe('One lead', () => {
  test('its timeline, stage history and per-model credits are its rows; the way back keeps the list’s view', async () => {
    const page = await open();
    // A won lead with visits among its touches and a stage history.
    const { rows: picked } = await sql<{ lead_id: string }>`
      select l.lead_id from leads l
       where l.created_at >= '2026-10-01T00:00:00+03:00' and l.created_at < '2026-11-01T00:00:00+02:00' and l.outcome = 'won'
         and exists (select 1 from lead_touches t where t.workspace_id = l.workspace_id and t.lead_id = l.lead_id and t.kind = 'session' and t.position = 2)
         and exists (select 1 from lead_stages s where s.workspace_id = l.workspace_id and s.lead_id = l.lead_id)
       order by l.lead_id limit 1`.execute(db);
    const leadId = picked[0]!.lead_id;
    await visit(page, `${list()}?from=${PERIOD.from}&to=${PERIOD.to}&q=${leadId}`);
    await page.getByRole('link', { name: leadId, exact: true }).click();
    await navigated(page, (url) => url.pathname.endsWith(`/leads/${leadId}`));
    await page.getByRole('heading', { level: 1, name: `Lead ${leadId}` }).waitFor();

    // Stage history: its lead_stages rows in time order.
    const stages = await db
      .selectFrom('lead_stages')
      .select(['stage', 'manager'])
      .where('lead_id', '=', leadId)
      .orderBy('entered_at')
      .execute();
    const stageRows = await tableRows(page.getByRole('table', { name: 'Stage history' }));
    expect(stageRows.map((r) => r.Stage)).toEqual(stages.map((s) => s.stage));

    // Timeline: every session touch with its channel and landing page, numbered.
    const touches = await sql<{ position: number; landing_page: string | null }>`
      select t.position, s.landing_page from lead_touches t join sessions s on s.workspace_id = t.workspace_id and s.session_id = t.session_id
       where t.lead_id = ${leadId} and t.kind = 'session' order by t.position`.execute(db);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    for (const t of touches.rows) {
      const item = timeline.getByRole('listitem').filter({ hasText: `touch ${t.position}` });
      expect(norm(await item.innerText())).toContain(t.landing_page ?? '—');
    }
    await timeline.getByRole('listitem').filter({ hasText: /^.*Won · / }).waitFor();

    // Credits: each model's stored credit per touch (%), every column summing to 100%.
    // Markov's per path (db/analytics/markov-credits.ts): the lead's rows point at their path's credits.
    const credits = (await sql<{ model: string; position: number; credit: number }>`
      select model, position, credit from lead_credits where lead_id = ${leadId}
      union all
      select 'markov', c.position, m.credits[c.position]
        from lead_credit_facts c join markov_path_credits m on m.workspace_id = c.workspace_id and m.path_id = c.markov_path_id
       where c.model = 'markov' and c.lead_id = ${leadId}`.execute(db)).rows;
    const creditRows = await tableRows(page.getByRole('table', { name: 'Credit by model' }));
    for (const [label, model] of [
      ['First touch', 'first'],
      ['Last non-direct', 'last_non_direct'],
      ['Linear', 'linear'],
      ['Time decay', 'time_decay'],
      ['Markov chain', 'markov'],
    ] as const) {
      const shown = creditRows.map((r) => r[label]);
      const expected = creditRows.map((r) => {
        const c = credits.find((x) => x.model === model && String(x.position) === r['#']);
        return f.percent(c?.credit ?? 0);
      });
      expect(shown, label).toEqual(expected);
      expect(credits.filter((c) => c.model === model).length, `${model} stored`).toBeGreaterThan(0);
    }
    const totals = (await page.getByRole('table', { name: 'Credit by model' }).locator('tfoot td').allInnerTexts()).map(norm);
    expect(totals.filter((v) => v !== '').every((v) => v === '100%')).toBe(true);

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'lead');
    await page.getByRole('navigation', { name: 'Leads' }).getByRole('link', { name: 'Leads' }).click();
    await navigated(page, (url) => url.pathname.endsWith('/leads'));
    expect(new URL(page.url()).searchParams.get('from')).toBe(PERIOD.from);
  });

  test('an unknown lead is a 404 page', async () => {
    const response = await fetch(`${list()}/L-does-not-exist`, { headers: { cookie: session.cookie } });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('There is no lead');
  });

  test('fits a phone', async () => {
    const page = await open(PHONE);
    const { rows } = await sql<{ lead_id: string }>`
      select lead_id from leads where outcome = 'won' and created_at >= '2026-10-01T00:00:00+03:00' order by lead_id limit 1`.execute(db);
    await visit(page, `${list()}/${rows[0]!.lead_id}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'lead-phone');
  });
});
