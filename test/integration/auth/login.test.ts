import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser } from '../../../app/auth/accounts.server';
import { attemptLogin } from '../../../app/auth/login.server';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP, THROTTLE_WINDOW_SECONDS } from '../../../app/auth/throttle.server';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let t: TestDatabase;
let userId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await createUser(t.db, { email: 'olena@example.com', password: 'the right password' })).id;
});
afterAll(async () => t.drop());

const failuresOf = (email: string) => t.db.selectFrom('login_failures').select('id').where('email', '=', email).execute();

describe('attemptLogin', () => {
  test('the right password signs in (any email case); a wrong one and an unknown email both say only "invalid"', async () => {
    expect(await attemptLogin(t.db, { email: ' Olena@Example.com', password: 'the right password', ip: '10.0.0.1' })).toEqual({ ok: true, userId });
    expect(await attemptLogin(t.db, { email: 'olena@example.com', password: 'the wrong password', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await attemptLogin(t.db, { email: 'nobody@example.com', password: 'the right password', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await attemptLogin(t.db, { email: 'not an email', password: 'x', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' });
  });

  test(`after ${MAX_FAILURES_PER_ACCOUNT} failures in 15 minutes the account is throttled — even with the right password, from another IP`, async () => {
    await createUser(t.db, { email: 'target@example.com', password: 'target password' });
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(await attemptLogin(t.db, { email: 'target@example.com', password: `guess ${i}`, ip: `10.1.0.${i}` })).toEqual({ ok: false, reason: 'invalid' });
    }
    const blocked = await attemptLogin(t.db, { email: 'target@example.com', password: 'target password', ip: '10.9.9.9' });
    expect(blocked.ok).toBe(false);
    expect(blocked.ok === false && blocked.reason).toBe('throttled');
    // The oldest of the 5 failures is seconds old: it leaves the 900 s window in (0, 900] s.
    const wait = blocked.ok === false ? blocked.retryAfterSeconds ?? 0 : 0;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(THROTTLE_WINDOW_SECONDS);
    // A throttled attempt is not itself counted (nothing to learn from it).
    expect(await failuresOf('target@example.com')).toHaveLength(MAX_FAILURES_PER_ACCOUNT);

    // Once the failures are older than the window, the right password works again and clears the count.
    await t.db.updateTable('login_failures').set({ failed_at: new Date(Date.now() - (THROTTLE_WINDOW_SECONDS + 60) * 1000) }).where('email', '=', 'target@example.com').execute();
    expect((await attemptLogin(t.db, { email: 'target@example.com', password: 'target password', ip: '10.9.9.9' })).ok).toBe(true);
    expect(await failuresOf('target@example.com')).toHaveLength(0);
  });

  test(`after ${MAX_FAILURES_PER_IP} failures from one IP (spread over many accounts) that IP is throttled, other IPs are not`, async () => {
    await createUser(t.db, { email: 'sprayed@example.com', password: 'sprayed password' });
    // Bulk-insert the failures (the count is what matters, not 30 scrypt runs).
    await t.db.insertInto('login_failures').values(Array.from({ length: MAX_FAILURES_PER_IP }, (_, i) => ({ email: `victim${i}@example.com`, ip: '203.0.113.7' }))).execute();
    const blocked = await attemptLogin(t.db, { email: 'sprayed@example.com', password: 'sprayed password', ip: '203.0.113.7' });
    expect(blocked.ok === false && blocked.reason).toBe('throttled');
    expect(await attemptLogin(t.db, { email: 'sprayed@example.com', password: 'sprayed password', ip: '203.0.113.8' })).toMatchObject({ ok: true });
  });

  test('the throttle lives in the database: a second connection pool sees the same count', async () => {
    await createUser(t.db, { email: 'shared@example.com', password: 'shared password' });
    await t.db.insertInto('login_failures').values(Array.from({ length: MAX_FAILURES_PER_ACCOUNT }, () => ({ email: 'shared@example.com', ip: '10.2.0.1' }))).execute();
    const { createDb } = await import('../../../db/client');
    const other = createDb(t.url, { max: 1 });
    try {
      const r = await attemptLogin(other, { email: 'shared@example.com', password: 'shared password', ip: '10.2.0.2' });
      expect(r.ok === false && r.reason).toBe('throttled');
    } finally {
      await other.destroy();
    }
  });
});
