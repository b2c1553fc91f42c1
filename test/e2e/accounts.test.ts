import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/client';
import { authedFetch, createAccount, signIn, type Account } from './support/auth';
import { DESKTOP, launchBrowser, openPage, screenshot, type TestPage } from './support/browser';
import { cli } from './support/demo';
import { openServerDb } from './support/fixtures';
import { startServer, type RunningApp } from './support/server';

// Accounts end to end, in the order a new install lives them: the setup page
// (owner + demo), sign-out and sign-in, invitations for each role and what
// each role then sees, another workspace's user, a password change.
// The tests share one server and run in order: each builds on the last.

let app: RunningApp;
let browser: Browser;
let db: Db;
const opened: TestPage[] = [];
let expectedProblems: RegExp[] = [];

const OWNER: Account = { email: 'owner@accounts.test', password: 'first owner password' };
const NEW_PASSWORD = 'second owner password';
/** The owner's session cookie (`lp_session=…`), renewed by each test that signs in again. */
let ownerCookie = '';
const WS = 'demo';
const DEMO_NAME = 'Demo: Kyiv Windows & Doors';
const base = () => `${app.url}/w/${WS}`;
// Loading the demo workspace through the setup page imports a year of data.
const DEMO_LOAD_MS = 600_000;

beforeAll(async () => {
  app = await startServer({ offerDemo: true });
  db = await openServerDb(app.home);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
  await app?.stop();
});

// No page may log an error; Chromium reports every 4xx response in the
// console, so the tests that provoke one say which statuses they expect.
afterEach(async () => {
  const problems = opened.flatMap((p) => p.problems).filter((p) => !expectedProblems.some((re) => re.test(p)));
  expectedProblems = [];
  await Promise.all(opened.splice(0).map((p) => p.context.close()));
  expect(problems).toEqual([]);
});

const failedStatus = (...statuses: number[]) => new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})`);

async function open(cookie?: string): Promise<{ page: Page; context: BrowserContext }> {
  const testPage = await openPage(browser, DESKTOP, cookie ? { app, cookie } : undefined);
  testPage.page.setDefaultTimeout(20_000);
  opened.push(testPage);
  return testPage;
}

/** Goes to a URL and waits until React has hydrated (forms then submit through Remix). */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

async function sessionCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(app.url)).find((c) => c.name === 'lp_session');
  if (!cookie) throw new Error('no session cookie in this browser');
  return `lp_session=${cookie.value}`;
}

const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

async function signInThroughForm(page: Page, account: Account, password = account.password): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Whether a request with this cookie is signed in: a workspace page answers 200, else it redirects to /login. */
async function isSignedIn(cookie: string): Promise<boolean> {
  const response = await authedFetch(app, cookie, `/w/${WS}`, { redirect: 'manual' });
  if (response.status === 200) return true;
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/w/${WS}`)}`);
  return false;
}

test(
  'the setup page creates the owner, loads the demo and lands on the dashboard; then it is gone',
  async () => {
    const { page, context } = await open();
    await visit(page, app.url);
    await page.waitForURL(`${app.url}/setup`);
    await page.getByRole('heading', { level: 1, name: 'Set up Leadpath' }).waitFor();

    // The demo is offered and chosen by default, so the first-workspace fields are hidden.
    const demo = page.getByRole('checkbox', { name: 'Load the demo workspace' });
    expect(await demo.isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Your first workspace' }).isVisible()).toBe(false);

    // Two different passwords: a field error, nothing created.
    expectedProblems.push(failedStatus(400));
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Repeat the password').fill('something else entirely');
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.getByText('The two passwords differ.').waitFor();
    expect(Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);

    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Repeat the password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.waitForURL(base(), { timeout: DEMO_LOAD_MS });
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Workspace' }).getByRole('option').allTextContents()).toEqual([`${DEMO_NAME} · Owner`]);
    await page.getByText(OWNER.email).first().waitFor();
    await screenshot(page, 'setup-done');

    // The owner is the demo workspace's only member, as owner.
    const members = await db
      .selectFrom('workspace_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .select(['u.email', 'w.slug', 'm.role'])
      .execute();
    expect(members).toEqual([{ email: OWNER.email, slug: WS, role: 'owner' }]);
    ownerCookie = await sessionCookieOf(context);

    // Setup happens once: afterwards it is a 404, even for the owner.
    expectedProblems.push(failedStatus(404));
    const again = await page.goto(`${app.url}/setup`);
    expect(again?.status()).toBe(404);
    const posted = await fetch(`${app.url}/setup`, {
      method: 'POST',
      headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'intruder@accounts.test', password: 'intruder password', confirm: 'intruder password', demo: 'on' }),
    });
    expect(posted.status).toBe(404);
  },
  DEMO_LOAD_MS + 60_000,
);

test('sign out; a wrong password or an unknown email get the same refusal; the right password signs in and goes back', async () => {
  const { page, context } = await open(ownerCookie);
  await visit(page, base());
  await page.locator('summary', { hasText: OWNER.email }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${app.url}/login`);
  // The old session is gone on the server, not just in this browser.
  expect(await isSignedIn(ownerCookie)).toBe(false);

  await visit(page, `${base()}/channels`);
  await page.waitForURL(`${app.url}/login?next=${encodeURIComponent('/w/demo/channels')}`);
  expectedProblems.push(failedStatus(401));
  await signInThroughForm(page, OWNER, 'not the password at all');
  await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
  await signInThroughForm(page, { email: 'nobody@accounts.test', password: OWNER.password });
  await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
  await screenshot(page, 'login-refused');

  await signInThroughForm(page, OWNER);
  await page.waitForURL(`${base()}/channels`);
  await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
  ownerCookie = await sessionCookieOf(context);
  expect(await isSignedIn(ownerCookie)).toBe(true);

  // GET /logout signs nobody out (a link or an image must not).
  const get = await authedFetch(app, ownerCookie, '/logout', { redirect: 'manual' });
  expect(get.status).toBe(302);
  expect(await isSignedIn(ownerCookie)).toBe(true);
  // ?next= only follows local paths.
  const evil = await fetch(`${app.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: OWNER.email, password: OWNER.password, next: '//evil.example/steal' }),
  });
  expect(evil.status).toBe(302);
  expect(evil.headers.get('location')).toBe(`/w/${WS}`);
});

describe('invitations', () => {
  const invited = {
    marketer: { email: 'marketer@accounts.test', password: 'marketer password' },
    manager: { email: 'manager@accounts.test', password: 'manager password' },
    viewer: { email: 'viewer@accounts.test', password: 'viewer password' },
  } satisfies Record<string, Account>;
  const links: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  let managerName = '';

  beforeAll(async () => {
    // The demo manager with the most leads: the invited manager is them.
    const { rows } = await sql<{ manager: string }>`
      select manager from leads where workspace_id = (select id from workspaces where slug = ${WS}) and manager <> ''
       group by manager order by count(*) desc, manager limit 1`.execute(db);
    managerName = rows[0]!.manager;
  });

  test('the owner invites a marketer, a manager (with their CRM name) and a viewer; each link is shown once', async () => {
    const { page } = await open(ownerCookie);
    await visit(page, base());
    await page.locator('summary', { hasText: OWNER.email }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${base()}/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    // A manager without a name is refused: their leads are found by it.
    expectedProblems.push(failedStatus(400));
    const form = page.locator('section', { has: page.getByRole('heading', { name: 'Invite a user' }) });
    await form.getByLabel('Email').fill(invited.manager.email);
    await form.getByLabel('Role').selectOption({ label: 'Sales manager' });
    await form.getByRole('button', { name: 'Create the invitation link' }).click();
    await form.getByText('A sales manager needs the manager name their leads carry.').waitFor();

    for (const role of ['marketer', 'manager', 'viewer'] as const) {
      const label = { marketer: 'Marketer', manager: 'Sales manager', viewer: 'Viewer' }[role];
      await form.getByLabel('Email').fill(invited[role].email);
      await form.getByLabel('Role').selectOption({ label });
      if (role === 'manager') await form.getByLabel('Manager name').fill(managerName);
      await form.getByRole('button', { name: 'Create the invitation link' }).click();
      const link = page.getByRole('textbox', { name: `Invitation link for ${invited[role].email}` });
      await link.waitFor();
      links[role] = await link.inputValue();
      expect(links[role]).toMatch(new RegExp(`^${app.url}/invite/[A-Za-z0-9_-]{43}$`));
    }
    await screenshot(page, 'users-invited');

    const pending = page.getByRole('table', { name: 'Pending invitations' });
    const rows = (await pending.locator('tbody tr').allInnerTexts()).map(norm);
    expect(rows.map((r) => r.split(' ')[0])).toEqual([invited.viewer.email, invited.manager.email, invited.marketer.email]);
    expect(rows[1]).toContain(`Sales manager ${managerName}`);
    // Only hashes are stored: the link's token is nowhere in the database.
    const token = links.viewer!.split('/').at(-1)!;
    const stored = await db.selectFrom('invites').select('token_hash').execute();
    expect(stored.length).toBe(3);
    for (const s of stored) expect(s.token_hash).not.toContain(token);
    // Reloading the page does not show a link again.
    await visit(page, `${base()}/users`);
    expect(await page.getByRole('textbox', { name: /^Invitation link for/ }).count()).toBe(0);
  });

  test('each invitee sets a password in a fresh browser and joins with their role; a used link is gone', async () => {
    for (const role of ['marketer', 'manager', 'viewer'] as const) {
      const { page, context } = await open();
      await visit(page, links[role]!);
      await page.getByRole('heading', { level: 1, name: /^Invitation to / }).waitFor();
      const label = { marketer: 'Marketer', manager: 'Sales manager', viewer: 'Viewer' }[role];
      expect(norm(await page.locator('.auth-summary').innerText())).toMatch(new RegExp(` as ${label}\\.$`));
      await page.getByLabel('Password', { exact: true }).fill(invited[role].password);
      await page.getByLabel('Repeat the password').fill(invited[role].password);
      await page.getByRole('button', { name: 'Create the account and join' }).click();
      // A sales manager's home is their own figures, not the business overview.
      await page.waitForURL(role === 'manager' ? `${base()}/managers` : base());
      await page.getByRole('combobox', { name: 'Workspace' }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Workspace' }).getByRole('option').allTextContents()).toEqual([
        expect.stringMatching(new RegExp(` · ${label}$`)),
      ]);
      // Only an owner manages users and tokens.
      await page.locator('summary', { hasText: invited[role].email }).click();
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'API tokens' }).count()).toBe(0);
      cookies[role] = await sessionCookieOf(context);
    }

    expectedProblems.push(failedStatus(410));
    const { page } = await open();
    const response = await page.goto(links.viewer!);
    expect(response?.status()).toBe(410);
    await page.getByRole('heading', { level: 1, name: 'This invitation cannot be used' }).waitFor();
    await page.getByText('The invitation has been used already.').waitFor();
  });

  test('a marketer can upload a file', async () => {
    const { page } = await open(cookies.marketer);
    await visit(page, `${base()}/data`);
    const file = ['date,source,medium,campaign,cost', '2026-10-30,google,cpc,e2e_marketer_campaign,12.34', ''].join('\n');
    await page.getByLabel('What the file holds').selectOption({ label: 'Ad spend' });
    await page.getByLabel('CSV or TSV file').setInputFiles({ name: 'marketer-spend.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const result = page.getByRole('region', { name: 'Result of marketer-spend.csv' });
    await result.waitFor();
    expect(norm(await result.innerText())).toContain('1 rows read: 1 new');
    const stored = await db.selectFrom('spend').select(sql<string>`sum(cost)::text`.as('cost')).where('campaign', '=', 'e2e_marketer_campaign').executeTakeFirstOrThrow();
    expect(stored.cost).toBe('12.34');
  });

  test('a viewer reads the Data page but gets no upload form, and a posted upload is refused', async () => {
    const { page } = await open(cookies.viewer);
    await visit(page, `${base()}/data`);
    await page.getByRole('heading', { name: 'Upload a file' }).waitFor();
    expect(await page.getByRole('button', { name: 'Upload and import' }).count()).toBe(0);
    expect(await page.getByLabel('CSV or TSV file').count()).toBe(0);

    const body = new FormData();
    body.set('kind', 'spend');
    body.set('file', new Blob(['date,source,medium,campaign,cost\n2026-10-30,google,cpc,e2e_viewer_campaign,1\n']), 'viewer.csv');
    const posted = await authedFetch(app, cookies.viewer!, `/w/${WS}/data/upload`, { method: 'POST', body, redirect: 'manual' });
    expect(posted.status).toBe(403);
    const stored = await db.selectFrom('spend').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign', '=', 'e2e_viewer_campaign').executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
  });

  test('a sales manager sees only their own leads and no spend', async () => {
    const range = 'range=last_90';
    const leadsFound = async (page: Page) => {
      const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Leads found' }) });
      const terms = (await panel.locator('dt').allInnerTexts()).map(norm);
      const values = (await panel.locator('dd').allInnerTexts()).map(norm);
      return values[terms.indexOf('Leads')]!;
    };
    const leadIds = async (page: Page) => (await page.getByRole('table', { name: 'Lead list' }).locator('tbody tr td:first-child').allInnerTexts()).map(norm);

    // The owner's view of the same list, filtered to this manager, is what the manager must get.
    const owner = (await open(ownerCookie)).page;
    await visit(owner, `${base()}/leads?${range}&manager=${encodeURIComponent(managerName)}`);
    const expectedCount = await leadsFound(owner);
    const expectedIds = await leadIds(owner);
    await visit(owner, `${base()}/leads?${range}`);
    const allCount = await leadsFound(owner);
    expect(Number(allCount.replace(/\D/g, ''))).toBeGreaterThan(Number(expectedCount.replace(/\D/g, '')));

    const { page } = await open(cookies.manager);
    await visit(page, `${base()}/leads?${range}`);
    expect(await leadsFound(page)).toBe(expectedCount);
    const ids = await leadIds(page);
    expect(ids).toEqual(expectedIds);
    expect(ids.length).toBeGreaterThan(0);
    const owners = await db
      .selectFrom('leads')
      .select('manager')
      .distinct()
      .where('workspace_id', '=', (eb) => eb.selectFrom('workspaces').select('id').where('slug', '=', WS))
      .where('lead_id', 'in', ids)
      .execute();
    expect(owners).toEqual([{ manager: managerName }]);
    await screenshot(page, 'manager-leads');

    // Another manager's lead is not theirs to open.
    const other = await db
      .selectFrom('leads')
      .select('lead_id')
      .where('workspace_id', '=', (eb) => eb.selectFrom('workspaces').select('id').where('slug', '=', WS))
      .where('manager', '<>', managerName)
      .where('manager', '<>', '')
      .orderBy('lead_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const foreign = await authedFetch(app, cookies.manager!, `/w/${WS}/leads/${encodeURIComponent(other.lead_id)}`);
    expect(foreign.status).toBe(404);

    // Channels: the owner sees spend; the manager's Spend column (if shown at all) holds no figure.
    const spendCells = async (p: Page) => {
      const table = p.getByRole('table', { name: 'Channel ROI' });
      const headers = (await table.locator('thead th').allTextContents()).map((h) => norm(h.replace(/[▲▼]/g, '')));
      const at = headers.indexOf('Spend');
      if (at < 0) return [];
      return (await table.locator(`tbody tr td:nth-child(${at + 1}), tbody tr th:nth-child(${at + 1})`).allInnerTexts()).map(norm);
    };
    await visit(owner, `${base()}/channels?${range}`);
    expect((await spendCells(owner)).some((c) => /\d/.test(c))).toBe(true);
    const response = await page.goto(`${base()}/channels?${range}`);
    if (response?.status() === 200) {
      await page.waitForLoadState('networkidle');
      expect((await spendCells(page)).filter((c) => /\d/.test(c))).toEqual([]);
    } else {
      expectedProblems.push(failedStatus(403));
      expect(response?.status()).toBe(403);
    }
  });

  test('the users page lists every member with their role; the last owner cannot be demoted', async () => {
    const { page } = await open(ownerCookie);
    await visit(page, `${base()}/users`);
    const table = page.getByRole('table', { name: 'Members' });
    const emails = (await table.locator('tbody tr td:first-child').allInnerTexts()).map((t) => norm(t).split(' ')[0]);
    expect(emails).toEqual([invited.manager.email, invited.marketer.email, OWNER.email, invited.viewer.email]);
    expect(await table.getByLabel(`Role of ${invited.manager.email}`).inputValue()).toBe('manager');
    expect(await table.getByLabel(`Manager name of ${invited.manager.email}`).inputValue()).toBe(managerName);
    expect(await table.getByLabel(`Role of ${OWNER.email}`).inputValue()).toBe('owner');

    expectedProblems.push(failedStatus(400));
    const ownerRow = table.locator('tr', { hasText: OWNER.email });
    await ownerRow.getByLabel(`Role of ${OWNER.email}`).selectOption('viewer');
    await ownerRow.getByRole('button', { name: 'Save' }).click();
    await ownerRow.getByText('A workspace needs at least one owner.').waitFor();
    const role = await db
      .selectFrom('workspace_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('m.role')
      .where('u.email', '=', OWNER.email)
      .executeTakeFirstOrThrow();
    expect(role.role).toBe('owner');
  });
});

test('a user of another workspace gets 404 for this workspace, never its data', async () => {
  await cli(app, ['workspace', 'create', '--slug', 'elsewhere', '--name', 'Elsewhere Ltd', '--tz', 'Europe/Warsaw', '--currency', 'PLN']);
  const stranger: Account = { email: 'stranger@accounts.test', password: 'stranger password' };
  await createAccount(app, stranger, ['elsewhere'], 'owner');
  const cookie = await signIn(app, stranger);

  expectedProblems.push(failedStatus(404));
  const { page } = await open(cookie);
  for (const path of ['', '/channels', '/leads', '/users', '/data']) {
    const response = await page.goto(`${base()}${path}`);
    expect(response?.status(), path).toBe(404);
    await page.getByText(`There is no workspace called “${WS}”.`).waitFor();
  }
  // The switcher lists only their own workspace, and refuses to switch to another.
  expect(await page.getByRole('combobox', { name: 'Workspace' }).getByRole('option').allTextContents()).toEqual(['Elsewhere Ltd · Owner']);
  const switched = await authedFetch(app, cookie, `/switch-workspace?workspace=${WS}&section=leads`, { redirect: 'manual' });
  expect(switched.status).toBe(404);
  // Nothing of the workspace leaks into the 404: not even its name.
  const denied = await authedFetch(app, cookie, `/w/${WS}/leads`, { redirect: 'manual' });
  expect(denied.status).toBe(404);
  expect(await denied.text()).not.toContain('Kyiv Windows');
});

test('after a password change other sessions end and only the new password signs in', async () => {
  // A second browser signed in before the change.
  const elsewhere = await signIn(app, OWNER);
  expect(await isSignedIn(elsewhere)).toBe(true);

  const { page, context } = await open(ownerCookie);
  await visit(page, base());
  await page.locator('summary', { hasText: OWNER.email }).click();
  await page.getByRole('link', { name: 'Your account' }).click();
  await page.waitForURL(`${app.url}/account`);
  const memberships = page.getByRole('table', { name: 'Your workspaces' });
  expect(norm(await memberships.locator('tbody').innerText())).toMatch(/ Owner$/);

  expectedProblems.push(failedStatus(400));
  await page.getByLabel('Current password').fill('a wrong current password');
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByLabel('Repeat the password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change the password' }).click();
  await page.getByText('The current password is wrong.').waitFor();

  await page.getByLabel('Current password').fill(OWNER.password);
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByLabel('Repeat the password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change the password' }).click();
  await page.getByRole('status').filter({ hasText: 'The password is changed.' }).waitFor();
  await screenshot(page, 'account');

  // This browser stays signed in (with a new session); the other one is out.
  expect(await isSignedIn(await sessionCookieOf(context))).toBe(true);
  expect(await isSignedIn(elsewhere)).toBe(false);

  const fresh = (await open()).page;
  expectedProblems.push(failedStatus(400, 401));
  await visit(fresh, `${app.url}/login`);
  await signInThroughForm(fresh, OWNER);
  await fresh.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
  await signInThroughForm(fresh, OWNER, NEW_PASSWORD);
  await fresh.waitForURL(base());
});
