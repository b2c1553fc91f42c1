import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AccountError,
  acceptInvite,
  addMembership,
  countUsers,
  createFirstUser,
  createInvite,
  createUser,
  findInvite,
  findUserByEmail,
  listInvites,
  listMembers,
  listMemberships,
  removeMembership,
  revokeInvite,
  setPassword,
  updateMembership,
} from '../../../app/auth/accounts.server';
import { verifyPassword } from '../../../app/auth/passwords.server';
import type { Workspace } from '../../../db/schema';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { signInAs } from '../../support/auth';

let t: TestDatabase;
let acme: Workspace;
let globex: Workspace;
beforeAll(async () => {
  t = await createTestDatabase();
  acme = await makeWorkspace(t.db, 'acme');
  globex = await makeWorkspace(t.db, 'globex');
});
afterAll(async () => t.drop());

async function refusal(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(() => null, (error: unknown) => error);
  expect(e).toBeInstanceOf(AccountError);
  return e as AccountError;
}

describe('users', () => {
  test('the first user is created only while there is none; the email is stored trimmed and lower-case', async () => {
    expect(await countUsers(t.db)).toBe(0);
    const first = await createFirstUser(t.db, { email: '  Owner@Example.COM ', password: 'first owner pw' });
    expect(await countUsers(t.db)).toBe(1);
    const found = await findUserByEmail(t.db, 'OWNER@example.com');
    expect(found?.id).toBe(first.id);
    expect(found?.email).toBe('owner@example.com');
    expect(await verifyPassword('first owner pw', found!.passwordHash!)).toBe(true);
    const again = await refusal(createFirstUser(t.db, { email: 'second@example.com', password: 'second owner pw' }));
    expect(again.code).toBe('setup_done');
    expect(await countUsers(t.db)).toBe(1);
  });

  test('createUser validates email and password, naming the field, and refuses a taken email in any case', async () => {
    const badEmail = await refusal(createUser(t.db, { email: 'not-an-email', password: 'long enough pw' }));
    expect([badEmail.code, badEmail.field, badEmail.message]).toEqual(['invalid', 'email', 'not an email address']);
    const shortPw = await refusal(createUser(t.db, { email: 'a@example.com', password: 'short' }));
    expect([shortPw.field, shortPw.message]).toEqual(['password', 'the password must be 10 to 200 characters long']);
    const taken = await refusal(createUser(t.db, { email: 'OWNER@EXAMPLE.COM', password: 'long enough pw' }));
    expect([taken.code, taken.field]).toEqual(['email_taken', 'email']);
  });

  test('setPassword changes the hash and ends every session of that user', async () => {
    const s = await signInAs(t.db, { workspaceId: acme.id, role: 'viewer', email: 'pw-change@example.com', password: 'old password 1' });
    await signInAs(t.db, { workspaceId: acme.id, role: 'viewer', email: 'pw-change@example.com' });
    const sessions = () => t.db.selectFrom('user_sessions').select('id').where('user_id', '=', s.userId).execute();
    expect(await sessions()).toHaveLength(2);
    await setPassword(t.db, s.userId, 'new password 2');
    expect(await sessions()).toHaveLength(0);
    const row = await findUserByEmail(t.db, 'pw-change@example.com');
    expect(await verifyPassword('new password 2', row!.passwordHash!)).toBe(true);
    expect(await verifyPassword('old password 1', row!.passwordHash!)).toBe(false);
    expect(row!.passwordHash).not.toBeNull();
  });
});

describe('memberships', () => {
  test('one user in two workspaces with different roles; a manager needs a manager name', async () => {
    const { id } = await createUser(t.db, { email: 'agency@example.com', password: 'agency password' });
    await addMembership(t.db, { workspaceId: acme.id, userId: id, role: 'marketer' });
    await addMembership(t.db, { workspaceId: globex.id, userId: id, role: 'manager', managerName: 'Olena' });
    expect(await listMemberships(t.db, id)).toEqual([
      { workspaceId: acme.id, slug: 'acme', name: 'Test acme', role: 'marketer', managerName: null },
      { workspaceId: globex.id, slug: 'globex', name: 'Test globex', role: 'manager', managerName: 'Olena' },
    ]);
    const noName = await refusal(addMembership(t.db, { workspaceId: acme.id, userId: id, role: 'manager' }));
    expect([noName.field, noName.message]).toEqual(['managerName', 'a manager needs the manager name their leads carry']);
    // Changing the role to viewer drops the manager name.
    await updateMembership(t.db, { workspaceId: globex.id, userId: id, role: 'viewer', managerName: 'Olena' });
    expect((await listMemberships(t.db, id))[1]).toMatchObject({ role: 'viewer', managerName: null });
  });

  test('the last owner can be neither removed nor demoted; with a second owner both work', async () => {
    const ws = await makeWorkspace(t.db, 'owners');
    const a = await createUser(t.db, { email: 'owner-a@example.com', password: 'owner a password' });
    const b = await createUser(t.db, { email: 'owner-b@example.com', password: 'owner b password' });
    await addMembership(t.db, { workspaceId: ws.id, userId: a.id, role: 'owner' });
    expect((await refusal(removeMembership(t.db, ws.id, a.id))).code).toBe('last_owner');
    expect((await refusal(updateMembership(t.db, { workspaceId: ws.id, userId: a.id, role: 'viewer' }))).code).toBe('last_owner');
    await addMembership(t.db, { workspaceId: ws.id, userId: b.id, role: 'owner' });
    await updateMembership(t.db, { workspaceId: ws.id, userId: a.id, role: 'viewer' });
    expect(await removeMembership(t.db, ws.id, a.id)).toBe(true);
    expect((await listMembers(t.db, ws.id)).map((m) => [m.email, m.role])).toEqual([['owner-b@example.com', 'owner']]);
  });
});

describe('invites', () => {
  test('an invite is a one-time link: a new account is made with the invited role, then the link is dead', async () => {
    const owner = await signInAs(t.db, { workspaceId: acme.id, role: 'owner' });
    const { token, expiresAt } = await createInvite(t.db, { workspaceId: acme.id, email: 'New.Manager@Example.com', role: 'manager', managerName: 'Petro', createdBy: owner.userId });
    // 7 days on the database clock: within a minute of now + 7 × 86 400 s.
    const sevenDays = Date.now() + 7 * 86_400_000;
    expect(Math.abs(expiresAt.getTime() - sevenDays)).toBeLessThan(60_000);
    const stored = await t.db.selectFrom('invites').select('token_hash').where('email', '=', 'new.manager@example.com').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const invite = await findInvite(t.db, token);
    expect(invite).toMatchObject({ email: 'new.manager@example.com', role: 'manager', managerName: 'Petro', workspaceSlug: 'acme' });

    const short = await refusal(acceptInvite(t.db, token, { password: 'short' }));
    expect(short.field).toBe('password');
    const accepted = await acceptInvite(t.db, token, { password: 'petro password' });
    expect(accepted.workspaceSlug).toBe('acme');
    expect(await listMemberships(t.db, accepted.userId)).toEqual([{ workspaceId: acme.id, slug: 'acme', name: 'Test acme', role: 'manager', managerName: 'Petro' }]);

    expect(await findInvite(t.db, token)).toBeUndefined();
    expect((await refusal(acceptInvite(t.db, token, { password: 'another password' }))).code).toBe('invite_invalid');
    expect((await listInvites(t.db, acme.id)).map((i) => [i.email, i.status])).toContainEqual(['new.manager@example.com', 'accepted']);
  });

  test('a signed-in user accepts with their own account; an existing email without sign-in is refused', async () => {
    const { id } = await createUser(t.db, { email: 'existing@example.com', password: 'existing password' });
    const invite = await createInvite(t.db, { workspaceId: globex.id, email: 'existing@example.com', role: 'viewer', createdBy: null });
    expect((await refusal(acceptInvite(t.db, invite.token, { password: 'some password' }))).code).toBe('email_taken');
    // Still usable after that refusal.
    expect(await acceptInvite(t.db, invite.token, { userId: id })).toEqual({ userId: id, workspaceSlug: 'globex' });
    expect((await listMemberships(t.db, id)).map((m) => [m.slug, m.role])).toEqual([['globex', 'viewer']]);
  });

  test('revoked and expired invites cannot be used; a revoke needs the right workspace', async () => {
    const revoked = await createInvite(t.db, { workspaceId: acme.id, email: 'revoked@example.com', role: 'viewer', createdBy: null });
    expect(await revokeInvite(t.db, globex.id, revoked.id)).toBe(false);
    expect(await revokeInvite(t.db, acme.id, revoked.id)).toBe(true);
    expect(await findInvite(t.db, revoked.token)).toBeUndefined();
    expect((await refusal(acceptInvite(t.db, revoked.token, { password: 'revoked password' }))).code).toBe('invite_invalid');

    const expired = await createInvite(t.db, { workspaceId: acme.id, email: 'expired@example.com', role: 'viewer', createdBy: null });
    await t.db.updateTable('invites').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.id).execute();
    expect(await findInvite(t.db, expired.token)).toBeUndefined();
    expect((await refusal(acceptInvite(t.db, expired.token, { password: 'expired password' }))).code).toBe('invite_invalid');
    const statuses = Object.fromEntries((await listInvites(t.db, acme.id)).map((i) => [i.email, i.status]));
    expect([statuses['revoked@example.com'], statuses['expired@example.com']]).toEqual(['revoked', 'expired']);
    expect(await findUserByEmail(t.db, 'revoked@example.com')).toBeUndefined();
  });

  test('garbage tokens find nothing', async () => {
    expect(await findInvite(t.db, '')).toBeUndefined();
    expect(await findInvite(t.db, "' or 1=1 --")).toBeUndefined();
    expect(await findInvite(t.db, 'A'.repeat(43))).toBeUndefined();
  });
});
