import type { Db } from '../../db/client';
import { getUserByEmail } from '../../db/queries/accounts';
import { emailSchema } from './accounts.server';
import { hashPassword, verifyPassword } from './passwords.server';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from './throttle.server';

export type LoginResult = { ok: true; userId: number } | { ok: false; reason: 'invalid' | 'throttled'; retryAfterSeconds?: number };

// Verified against when the email has no account (or no password), so an
// unknown email costs the same scrypt work as a known one and the response
// time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('not a real password; timing equaliser'));

/**
 * Checks an email and password, throttled per account and per IP. The
 * answer never says whether the email exists: 'invalid' either way.
 */
export async function attemptLogin(db: Db, input: { email: string; password: string; ip: string }): Promise<LoginResult> {
  const parsed = emailSchema.safeParse(input.email);
  // An unparseable email is still counted (per IP and under what was typed).
  const email = parsed.success ? parsed.data : String(input.email ?? '').trim().toLowerCase().slice(0, 254);
  const key = { email, ip: input.ip.slice(0, 100) };
  const verdict = await checkLoginThrottle(db, key);
  if (verdict.throttled) return { ok: false, reason: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };

  const user = parsed.success ? await getUserByEmail(db, email) : undefined;
  const password = typeof input.password === 'string' ? input.password.slice(0, 1000) : '';
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
  if (user?.passwordHash && matches) {
    await clearAccountFailures(db, email);
    return { ok: true, userId: user.id };
  }
  await recordLoginFailure(db, key);
  return { ok: false, reason: 'invalid' };
}
