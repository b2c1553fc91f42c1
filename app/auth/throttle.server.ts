import type { Db } from '../../db/client';
import * as q from '../../db/queries/accounts';

// Login throttling. Failures are rows in login_failures, so the limits hold
// across restarts and across several app processes. Per account it stops a
// guess-one-password campaign; per IP it stops one client spraying many accounts.

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
/** Failed logins for one email within the window before it is locked. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failed logins from one IP within the window before it is locked. */
export const MAX_FAILURES_PER_IP = 30;
const KEEP_SECONDS = 24 * 3600;

export type ThrottleVerdict = { throttled: false } | { throttled: true; retryAfterSeconds: number };

export async function checkLoginThrottle(db: Db, key: { email: string; ip: string }): Promise<ThrottleVerdict> {
  const { byEmail, byIp } = await q.countRecentFailures(db, key.email, key.ip, THROTTLE_WINDOW_SECONDS);
  if (byEmail < MAX_FAILURES_PER_ACCOUNT && byIp < MAX_FAILURES_PER_IP) return { throttled: false };
  const waits = await Promise.all([
    byEmail >= MAX_FAILURES_PER_ACCOUNT ? q.secondsUntilBelow(db, 'email', key.email, MAX_FAILURES_PER_ACCOUNT, THROTTLE_WINDOW_SECONDS) : 0,
    byIp >= MAX_FAILURES_PER_IP ? q.secondsUntilBelow(db, 'ip', key.ip, MAX_FAILURES_PER_IP, THROTTLE_WINDOW_SECONDS) : 0,
  ]);
  return { throttled: true, retryAfterSeconds: Math.max(...waits) };
}

export function recordLoginFailure(db: Db, key: { email: string; ip: string }): Promise<void> {
  return q.insertLoginFailure(db, key.email, key.ip, KEEP_SECONDS);
}

/** After a successful login the account starts afresh (the IP's count stays). */
export function clearAccountFailures(db: Db, email: string): Promise<void> {
  return q.clearLoginFailures(db, email);
}
