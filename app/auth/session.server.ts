import { createHash, randomBytes } from 'node:crypto';
import { redirect, type AppLoadContext } from '@remix-run/node';
import type { Db } from '../../db/client';
import * as q from '../../db/queries/accounts';

// Sessions: the cookie holds a random 32-byte id; the database keeps only its
// sha256, so a copy of user_sessions cannot be replayed as cookies.
// Expiry is checked in SQL on the database clock: 30 days absolute, 7 days idle.

export const SESSION_COOKIE = 'lp_session';
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;
export const SESSION_IDLE_SECONDS = 7 * 24 * 3600;

export interface SessionUser {
  id: number;
  email: string;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The session id the request carries, if it is shaped like one of ours. */
export function readSessionId(request: Request): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // 32 random bytes in base64url: 43 characters; anything else is not ours.
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return null;
}

/** HTTPS as the browser sees it: the request URL, or X-Forwarded-Proto when a trusted proxy terminates TLS. */
export function isSecureRequest(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  if (process.env.LEADPATH_TRUST_PROXY === '1') {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    return proto === 'https';
  }
  return false;
}

function serializeCookie(value: string, maxAge: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');
}

// The root, layout and page loaders of one navigation share a Request: look
// the session up once for all of them.
const lookups = new WeakMap<Request, Promise<SessionUser | null>>();

async function lookUp(db: Db, request: Request): Promise<SessionUser | null> {
  const id = readSessionId(request);
  if (!id) return null;
  const idHash = hashId(id);
  const session = await q.getLiveSession(db, idHash, SESSION_IDLE_SECONDS);
  if (!session) return null;
  // Idle expiry needs last_seen_at, but not a write per request: once an hour is enough.
  if (session.stale) await q.touchSession(db, idHash);
  return { id: session.userId, email: session.email };
}

export function getSessionUser(request: Request, context: Pick<AppLoadContext, 'db'>): Promise<SessionUser | null> {
  let found = lookups.get(request);
  if (!found) {
    found = lookUp(context.db, request);
    lookups.set(request, found);
  }
  return found;
}

/** Where the login page should send the user back to: a same-site path only. */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

export function loginRedirectPath(request: Request): string {
  const url = new URL(request.url);
  // A data request (/page.data?_routes=…) is not somewhere to come back to; its page is.
  const path = url.pathname.replace(/\.data$/, '').replace(/^\/_root$/, '/') || '/';
  url.searchParams.delete('_data');
  url.searchParams.delete('_routes');
  const search = url.searchParams.toString();
  return `/login?next=${encodeURIComponent(path + (search ? `?${search}` : ''))}`;
}

/** The signed-in user, or a thrown redirect to /login?next=<this page>. */
export async function requireUser(request: Request, context: Pick<AppLoadContext, 'db'>): Promise<SessionUser> {
  const user = await getSessionUser(request, context);
  if (!user) throw redirect(loginRedirectPath(request));
  return user;
}

/**
 * A new session for the user; returns the Set-Cookie header. The session the
 * request carried (if any) ends: a fresh id on every login, so an id planted
 * before login is worthless after it.
 */
export async function startUserSession(db: Db, userId: number, request: Request): Promise<string> {
  const old = readSessionId(request);
  if (old) await q.deleteSession(db, hashId(old));
  const id = randomBytes(32).toString('base64url');
  await q.insertSession(db, { idHash: hashId(id), userId, maxAgeSeconds: SESSION_MAX_AGE_SECONDS });
  await q.touchLastLogin(db, userId);
  // Expired rows of anyone are dead weight; a login is a fine moment to sweep.
  await q.deleteExpiredSessions(db, SESSION_IDLE_SECONDS);
  return serializeCookie(id, SESSION_MAX_AGE_SECONDS, isSecureRequest(request));
}

/** Ends the request's session; returns the Set-Cookie header that clears the cookie. */
export async function endUserSession(request: Request, context: Pick<AppLoadContext, 'db'>): Promise<string> {
  const id = readSessionId(request);
  if (id) await q.deleteSession(context.db, hashId(id));
  lookups.delete(request);
  return serializeCookie('', 0, isSecureRequest(request));
}

/** Ends every session of a user (password reset, removal). */
export function endAllSessionsOf(db: Db, userId: number): Promise<number> {
  return q.deleteSessionsOf(db, userId);
}
