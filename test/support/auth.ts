import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { getUserByEmail, insertUser } from '../../db/queries/accounts';
import type { Role } from '../../db/schema';
import { addMembership } from '../../app/auth/accounts.server';
import { hashPassword } from '../../app/auth/passwords.server';
import { startUserSession } from '../../app/auth/session.server';

export interface SignedIn {
  userId: number;
  email: string;
  /** A ready `Cookie:` header value: `lp_session=…`. */
  cookie: string;
}

/**
 * A user with this role in the workspace (created, or an existing one by
 * email given a membership there) and a live session for them. Without a
 * `password` the account has none (saves a scrypt hash per call); pass one
 * when the test signs in through the login form.
 */
export async function signInAs(
  db: Db,
  opts: { workspaceId: number; role: Role; managerName?: string | null; email?: string; password?: string },
): Promise<SignedIn> {
  const email = (opts.email ?? `${opts.role}-${randomBytes(4).toString('hex')}@test.example`).trim().toLowerCase();
  const existing = await getUserByEmail(db, email);
  const userId = existing?.id ?? (await insertUser(db, email, opts.password ? await hashPassword(opts.password) : null));
  await addMembership(db, { workspaceId: opts.workspaceId, userId, role: opts.role, managerName: opts.managerName ?? (opts.role === 'manager' ? 'Test Manager' : null) });
  const setCookie = await startUserSession(db, userId, new Request('http://localhost/login', { method: 'POST' }));
  return { userId, email, cookie: cookieOf(setCookie) };
}

/** `lp_session=…` out of a Set-Cookie header. */
export function cookieOf(setCookie: string): string {
  const pair = setCookie.split(';')[0];
  if (!pair?.startsWith('lp_session=')) throw new Error(`not a session cookie: ${setCookie}`);
  return pair;
}

/** A GET/POST Request carrying the session cookie (and, for POSTs, the app's own Origin). */
export function authedRequest(url: string, cookie: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  if (init.method && init.method !== 'GET' && !headers.has('origin')) headers.set('origin', new URL(url).origin);
  return new Request(url, { ...init, headers });
}
