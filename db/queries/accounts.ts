import { sql } from 'kysely';
import type { Db } from '../client';
import type { Role } from '../schema';

// Users, memberships, sessions, invites and login failures. Validation and
// hashing live in app/auth/*.server.ts; these take clean values.

export interface UserRow {
  id: number;
  email: string;
  passwordHash: string | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface MembershipRow {
  workspaceId: number;
  slug: string;
  name: string;
  role: Role;
  managerName: string | null;
}

export interface MemberRow {
  userId: number;
  email: string;
  role: Role;
  managerName: string | null;
  lastLoginAt: Date | null;
}

export async function countUserRows(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash as passwordHash', 'created_at as createdAt', 'last_login_at as lastLoginAt'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function getUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash as passwordHash', 'created_at as createdAt', 'last_login_at as lastLoginAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertUser(db: Db, email: string, passwordHash: string | null): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email, password_hash: passwordHash, password_changed_at: passwordHash ? sql`now()` : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listUserRows(db: Db): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash as passwordHash', 'created_at as createdAt', 'last_login_at as lastLoginAt'])
    .orderBy('email')
    .execute();
}

/** Sets the hash and ends every session of the user, in one transaction; null when there is no such user, else the sessions ended. */
export async function updatePasswordHash(db: Db, userId: number, passwordHash: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: sql`now()` })
      .where('id', '=', userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return null;
    const ended = await trx.deleteFrom('user_sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(ended.numDeletedRows);
  });
}

export async function touchLastLogin(db: Db, userId: number): Promise<void> {
  await db.updateTable('users').set({ last_login_at: sql`now()` }).where('id', '=', userId).execute();
}

// ------------------------------------------------------------ memberships

export async function upsertMembership(db: Db, m: { workspaceId: number; userId: number; role: Role; managerName: string | null }): Promise<void> {
  await db
    .insertInto('workspace_members')
    .values({ workspace_id: m.workspaceId, user_id: m.userId, role: m.role, manager_name: m.managerName })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role: m.role, manager_name: m.managerName }))
    .execute();
}

export async function getMembershipsOf(db: Db, userId: number): Promise<MembershipRow[]> {
  return db
    .selectFrom('workspace_members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['w.id as workspaceId', 'w.slug', 'w.name', 'm.role', 'm.manager_name as managerName'])
    .where('m.user_id', '=', userId)
    .orderBy('w.name')
    .orderBy('w.slug')
    .execute();
}

/** Every membership of every user, for listing accounts. */
export async function getAllMemberships(db: Db): Promise<(MembershipRow & { userId: number })[]> {
  return db
    .selectFrom('workspace_members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['m.user_id as userId', 'w.id as workspaceId', 'w.slug', 'w.name', 'm.role', 'm.manager_name as managerName'])
    .orderBy('w.slug')
    .execute();
}

export async function getMembersOf(db: Db, workspaceId: number): Promise<MemberRow[]> {
  return db
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'm.role', 'm.manager_name as managerName', 'u.last_login_at as lastLoginAt'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('u.email')
    .execute();
}

/** Locks the workspace's owner rows (FOR UPDATE) and counts them; call inside a transaction. */
export async function lockOwners(db: Db, workspaceId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('workspace_members')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();
  return rows.map((r) => r.user_id);
}

export async function deleteMembership(db: Db, workspaceId: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('workspace_members').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The membership of a user in the workspace with this slug, with the workspace row. */
export async function getAccessRow(db: Db, userId: number, slug: string) {
  return db
    .selectFrom('workspaces as w')
    .innerJoin('workspace_members as m', (j) => j.onRef('m.workspace_id', '=', 'w.id').on('m.user_id', '=', userId))
    .selectAll('w')
    .select(['m.role as member_role', 'm.manager_name as member_manager_name'])
    .where('w.slug', '=', slug)
    .executeTakeFirst();
}

// --------------------------------------------------------------- sessions

export async function insertSession(db: Db, s: { idHash: string; userId: number; maxAgeSeconds: number }): Promise<void> {
  await db
    .insertInto('user_sessions')
    .values({ id: s.idHash, user_id: s.userId, expires_at: sql<Date>`now() + make_interval(secs => ${s.maxAgeSeconds})` })
    .execute();
}

/** The live session's user (absolute and idle expiry both checked in SQL, on the database clock). */
export async function getLiveSession(db: Db, idHash: string, idleSeconds: number) {
  return db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id as userId', 'u.email', 's.last_seen_at as lastSeenAt', sql<boolean>`s.last_seen_at < now() - interval '1 hour'`.as('stale')])
    .where('s.id', '=', idHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string): Promise<void> {
  await db.updateTable('user_sessions').set({ last_seen_at: sql`now()` }).where('id', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('id', '=', idHash).execute();
}

export async function deleteSessionsOf(db: Db, userId: number): Promise<number> {
  const r = await db.deleteFrom('user_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, idleSeconds: number): Promise<void> {
  await db
    .deleteFrom('user_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)]))
    .execute();
}

// ---------------------------------------------------------------- invites

export interface InviteRow {
  id: number;
  workspaceId: number;
  workspaceSlug: string;
  workspaceName: string;
  email: string;
  role: Role;
  managerName: string | null;
  createdBy: number | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  /** Computed on the database clock. */
  expired: boolean;
}

function inviteQuery(db: Db) {
  return db
    .selectFrom('invites as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .select([
      'i.id',
      'i.workspace_id as workspaceId',
      'w.slug as workspaceSlug',
      'w.name as workspaceName',
      'i.email',
      'i.role',
      'i.manager_name as managerName',
      'i.created_by as createdBy',
      'i.created_at as createdAt',
      'i.expires_at as expiresAt',
      'i.accepted_at as acceptedAt',
      'i.revoked_at as revokedAt',
      sql<boolean>`i.expires_at <= now()`.as('expired'),
    ]);
}

export async function insertInvite(
  db: Db,
  i: { workspaceId: number; email: string; role: Role; managerName: string | null; tokenHash: string; createdBy: number | null; validSeconds: number },
): Promise<{ id: number; expiresAt: Date }> {
  return db
    .insertInto('invites')
    .values({
      workspace_id: i.workspaceId,
      email: i.email,
      role: i.role,
      manager_name: i.managerName,
      token_hash: i.tokenHash,
      created_by: i.createdBy,
      expires_at: sql<Date>`now() + make_interval(secs => ${i.validSeconds})`,
    })
    .returning(['id', 'expires_at as expiresAt'])
    .executeTakeFirstOrThrow();
}

export async function getInviteByTokenHash(db: Db, tokenHash: string, opts: { forUpdate?: boolean } = {}): Promise<InviteRow | undefined> {
  let q = inviteQuery(db).where('i.token_hash', '=', tokenHash);
  if (opts.forUpdate) q = q.forUpdate('i');
  return q.executeTakeFirst();
}

export async function getInvitesOf(db: Db, workspaceId: number): Promise<InviteRow[]> {
  return inviteQuery(db).where('i.workspace_id', '=', workspaceId).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').execute();
}

export async function markInviteAccepted(db: Db, workspaceId: number, id: number, userId: number): Promise<void> {
  await db.updateTable('invites').set({ accepted_at: sql`now()`, accepted_by: userId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function markInviteRevoked(db: Db, workspaceId: number, id: number): Promise<boolean> {
  const r = await db
    .updateTable('invites')
    .set({ revoked_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// --------------------------------------------------------- login failures

export async function countRecentFailures(db: Db, email: string, ip: string, windowSeconds: number) {
  const since = sql<Date>`now() - make_interval(secs => ${windowSeconds})`;
  // For each key: how many failures in the window and when the oldest of them leaves it.
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('login_failures').select((e) => e.fn.countAll<number>().as('n')).where('email', '=', email).where('failed_at', '>', since).as('byEmail'),
      eb.selectFrom('login_failures').select((e) => e.fn.countAll<number>().as('n')).where('ip', '=', ip).where('failed_at', '>', since).as('byIp'),
    ])
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.byEmail ?? 0), byIp: Number(row.byIp ?? 0) };
}

/**
 * Seconds until the key has fewer than `limit` failures in the window: the
 * limit-th newest failure must age out of it.
 */
export async function secondsUntilBelow(db: Db, column: 'email' | 'ip', value: string, limit: number, windowSeconds: number): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select(sql<number>`ceil(extract(epoch from (failed_at + make_interval(secs => ${windowSeconds}) - now())))::int`.as('s'))
    .where(column, '=', value)
    .orderBy('failed_at', 'desc')
    .offset(limit - 1)
    .limit(1)
    .executeTakeFirst();
  return Math.max(1, Number(row?.s ?? 1));
}

export async function insertLoginFailure(db: Db, email: string, ip: string, keepSeconds: number): Promise<void> {
  await db.insertInto('login_failures').values({ email, ip }).execute();
  // Old rows are worthless; pruning here keeps the table small without a job.
  await db.deleteFrom('login_failures').where('failed_at', '<', sql<Date>`now() - make_interval(secs => ${keepSeconds})`).execute();
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('email', '=', email).execute();
}
