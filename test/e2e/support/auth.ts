import type { BrowserContext } from 'playwright-core';
import { cli } from './demo';
import type { RunningApp } from './server';

// Signing in for the browser tests. Every server starts with no users (the
// setup page's state); a test makes its accounts with the CLI
// (`leadpath user create`, as an operator would) and signs in through the
// real login form's POST, so the session cookie is the one a browser gets.

export interface Account {
  email: string;
  password: string;
}

/** The owner every page test signs in as. */
export const E2E_OWNER: Account = { email: 'owner@e2e.test', password: 'e2e owner password' };

/** `leadpath user create`: the account (made on first use) gets the role in each workspace. */
export async function createAccount(app: RunningApp, account: Account, workspaces: string[], role = 'owner', managerName?: string): Promise<void> {
  for (const workspace of workspaces) {
    const args = ['user', 'create', '--email', account.email, '--password', account.password, '--role', role, '--workspace', workspace];
    if (managerName) args.push('--manager-name', managerName);
    await cli(app, args);
  }
}

/** POST /login as the login form does (with this site's Origin); returns the `lp_session=…` cookie. */
export async function signIn(app: RunningApp, account: Account = E2E_OWNER): Promise<string> {
  const response = await fetch(`${app.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: account.email, password: account.password, next: '/' }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('lp_session=') && c.length > 'lp_session='.length);
  if (response.status !== 302 || !cookie) throw new Error(`signing in as ${account.email} failed: HTTP ${response.status}`);
  return cookie;
}

/** The e2e owner made owner of these workspaces and signed in: the cookie. */
export async function signInOwner(app: RunningApp, workspaces: string[]): Promise<string> {
  await createAccount(app, E2E_OWNER, workspaces);
  return signIn(app, E2E_OWNER);
}

/** Puts a session cookie (`lp_session=…`) into a browser context, as if it had signed in. */
export async function addSessionCookie(context: BrowserContext, app: RunningApp, cookie: string): Promise<void> {
  const [name, ...value] = cookie.split('=');
  await context.addCookies([{ name: name!, value: value.join('='), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
}

/** fetch() as a signed-in browser: the cookie, and for mutating requests this site's Origin. */
export function authedFetch(app: RunningApp, cookie: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  if (init.method && init.method !== 'GET' && !headers.has('origin')) headers.set('origin', app.url);
  return fetch(path.startsWith('http') ? path : `${app.url}${path}`, { ...init, headers });
}
