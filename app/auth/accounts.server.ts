import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/client';
import * as q from '../../db/queries/accounts';
import type { Role } from '../../db/schema';
import { hashPassword, passwordSchema } from './passwords.server';

// Users, memberships and invites. Every input is validated here with zod, so
// the setup page, the invite page, the users page and the CLI share one set of
// rules; failures are AccountErrors naming the field.

export type { InviteRow, MemberRow, MembershipRow } from '../../db/queries/accounts';

export const emailSchema = z
  .string({ error: 'an email address is required' })
  .trim()
  .toLowerCase()
  .max(254, 'an email address is at most 254 characters')
  .pipe(z.email('not an email address'));

export const roleSchema = z.enum(['owner', 'marketer', 'manager', 'viewer'], { error: 'the role must be owner, marketer, manager or viewer' });

/** A role with its manager name: required for 'manager' (their leads carry it), dropped for the others. */
export const membershipRoleSchema = z
  .object({
    role: roleSchema,
    managerName: z
      .string()
      .trim()
      .max(200, 'a manager name is at most 200 characters')
      .refine((v) => !v.includes('\u0000'), 'a manager name cannot contain a NUL character')
      .nullish(),
  })
  .transform((v, ctx) => {
    if (v.role !== 'manager') return { role: v.role, managerName: null };
    if (!v.managerName) {
      ctx.addIssue({ code: 'custom', path: ['managerName'], message: 'a manager needs the manager name their leads carry' });
      return z.NEVER;
    }
    return { role: v.role, managerName: v.managerName };
  });

export type AccountErrorCode = 'invalid' | 'email_taken' | 'not_found' | 'last_owner' | 'invite_invalid' | 'setup_done';

/** A refusal a page or the CLI shows as it is; `field` names the form field when there is one. */
export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw new AccountError('invalid', issue?.message ?? 'invalid input', field);
}

const INVITE_VALID_SECONDS = 7 * 24 * 3600;

/** sha256 (hex) of a random token: what the database keeps instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// ------------------------------------------------------------------ users

export function countUsers(db: Db): Promise<number> {
  return q.countUserRows(db);
}

export async function findUserByEmail(db: Db, email: string): Promise<q.UserRow | undefined> {
  const parsed = emailSchema.safeParse(email);
  return parsed.success ? q.getUserByEmail(db, parsed.data) : undefined;
}

export function findUserById(db: Db, id: number): Promise<q.UserRow | undefined> {
  return q.getUserById(db, id);
}

/** Every user with their memberships (for `leadpath user list`). */
export async function listUsers(db: Db): Promise<(q.UserRow & { memberships: q.MembershipRow[] })[]> {
  const [users, memberships] = await Promise.all([q.listUserRows(db), q.getAllMemberships(db)]);
  return users.map((u) => ({ ...u, memberships: memberships.filter((m) => m.userId === u.id).map(({ userId: _u, ...m }) => m) }));
}

const newUserSchema = z.object({ email: emailSchema, password: passwordSchema });

export async function createUser(db: Db, input: { email: string; password: string }): Promise<{ id: number }> {
  const { email, password } = parse(newUserSchema, input);
  const hash = await hashPassword(password);
  try {
    return { id: await q.insertUser(db, email, hash) };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AccountError('email_taken', `an account with ${email} already exists`, 'email');
    throw error;
  }
}

/**
 * The setup page's first account: created only while there is no user at
 * all, checked under a lock so two browsers racing through setup cannot both
 * become the first owner.
 */
export async function createFirstUser(db: Db, input: { email: string; password: string }): Promise<{ id: number }> {
  const { email, password } = parse(newUserSchema, input);
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await sql`lock table users in share row exclusive mode`.execute(trx);
    if ((await q.countUserRows(trx)) > 0) throw new AccountError('setup_done', 'setup is already done: sign in instead');
    return { id: await q.insertUser(trx, email, hash) };
  });
}

/** A new password; every session of the user ends (signed-in devices must sign in again). Returns how many ended. */
export async function setPassword(db: Db, userId: number, password: string): Promise<number> {
  const valid = parse(z.object({ password: passwordSchema }), { password }).password;
  const hash = await hashPassword(valid);
  const ended = await q.updatePasswordHash(db, userId, hash);
  if (ended === null) throw new AccountError('not_found', 'no such user');
  return ended;
}

// ------------------------------------------------------------ memberships

export interface MembershipInput {
  workspaceId: number;
  userId: number;
  role: Role;
  managerName?: string | null;
}

/** Adds the user to the workspace, or changes their role there. Never demotes the last owner. */
export async function addMembership(db: Db, input: MembershipInput): Promise<void> {
  const { role, managerName } = parse(membershipRoleSchema, input);
  await db.transaction().execute(async (trx) => {
    const owners = await q.lockOwners(trx, input.workspaceId);
    if (role !== 'owner' && owners.length === 1 && owners[0] === input.userId) {
      throw new AccountError('last_owner', 'the workspace needs at least one owner: make someone else owner first', 'role');
    }
    await q.upsertMembership(trx, { workspaceId: input.workspaceId, userId: input.userId, role, managerName });
  });
}

/** Changes an existing member's role; same rules as addMembership. */
export async function updateMembership(db: Db, input: MembershipInput): Promise<void> {
  const members = await q.getMembersOf(db, input.workspaceId);
  if (!members.some((m) => m.userId === input.userId)) throw new AccountError('not_found', 'not a member of this workspace');
  await addMembership(db, input);
}

export function listMemberships(db: Db, userId: number): Promise<q.MembershipRow[]> {
  return q.getMembershipsOf(db, userId);
}

export function listMembers(db: Db, workspaceId: number): Promise<q.MemberRow[]> {
  return q.getMembersOf(db, workspaceId);
}

/** Removes a member; refuses to remove the last owner. Returns whether a membership was removed. */
export async function removeMembership(db: Db, workspaceId: number, userId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const owners = await q.lockOwners(trx, workspaceId);
    if (owners.length === 1 && owners[0] === userId) {
      throw new AccountError('last_owner', 'the workspace needs at least one owner: make someone else owner first');
    }
    return q.deleteMembership(trx, workspaceId, userId);
  });
}

// ---------------------------------------------------------------- invites

const newInviteSchema = z
  .object({ email: emailSchema, createdBy: z.number().int().nullable() })
  .and(membershipRoleSchema);

/** A one-time link token (shown once; only its hash is stored), valid for 7 days. */
export async function createInvite(
  db: Db,
  input: { workspaceId: number; email: string; role: Role; managerName?: string | null; createdBy: number | null },
): Promise<{ token: string; expiresAt: Date; id: number }> {
  const v = parse(newInviteSchema, input);
  const token = randomBytes(32).toString('base64url');
  const created = await q.insertInvite(db, {
    workspaceId: input.workspaceId,
    email: v.email,
    role: v.role,
    managerName: v.managerName,
    tokenHash: tokenHash(token),
    createdBy: v.createdBy,
    validSeconds: INVITE_VALID_SECONDS,
  });
  return { token, expiresAt: created.expiresAt, id: created.id };
}

const tokenShape = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** The invite behind a link, while it can still be accepted (not used, revoked or expired); else undefined. */
export async function findInvite(db: Db, token: string): Promise<q.InviteRow | undefined> {
  if (!tokenShape.safeParse(token).success) return undefined;
  const invite = await q.getInviteByTokenHash(db, tokenHash(token));
  return invite && isPending(invite) ? invite : undefined;
}

function isPending(i: q.InviteRow): boolean {
  return !i.acceptedAt && !i.revokedAt && !i.expired;
}

/**
 * Uses an invite (once): with `userId` the signed-in user joins the
 * workspace; otherwise a new account is made for the invited email with
 * `password` (refused if that email already has an account: sign in first).
 */
export async function acceptInvite(db: Db, token: string, by: { password?: string; userId?: number }): Promise<{ userId: number; workspaceSlug: string }> {
  const invalid = () => new AccountError('invite_invalid', 'this invite link is not valid: it was used, revoked or has expired');
  if (!tokenShape.safeParse(token).success) throw invalid();
  const password = by.userId === undefined ? parse(z.object({ password: passwordSchema }), { password: by.password }).password : undefined;
  const hash = password === undefined ? undefined : await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    // FOR UPDATE: two tabs submitting the same link cannot both use it.
    const invite = await q.getInviteByTokenHash(trx, tokenHash(token), { forUpdate: true });
    if (!invite || !isPending(invite)) throw invalid();
    let userId: number;
    if (by.userId !== undefined) {
      userId = by.userId;
    } else {
      if (await q.getUserByEmail(trx, invite.email)) {
        throw new AccountError('email_taken', `an account with ${invite.email} already exists: sign in, then open the invite link again`, 'email');
      }
      userId = await q.insertUser(trx, invite.email, hash ?? null);
    }
    const owners = await q.lockOwners(trx, invite.workspaceId);
    // Accepting a lesser role must not demote the workspace's only owner.
    const keepsRole = invite.role !== 'owner' && owners.length === 1 && owners[0] === userId;
    if (!keepsRole) await q.upsertMembership(trx, { workspaceId: invite.workspaceId, userId, role: invite.role, managerName: invite.managerName });
    await q.markInviteAccepted(trx, invite.workspaceId, invite.id, userId);
    return { userId, workspaceSlug: invite.workspaceSlug };
  });
}

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export async function listInvites(db: Db, workspaceId: number): Promise<(q.InviteRow & { status: InviteStatus })[]> {
  const rows = await q.getInvitesOf(db, workspaceId);
  return rows.map((r) => ({ ...r, status: r.acceptedAt ? 'accepted' : r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'pending' }));
}

/** Revokes a pending invite of this workspace; false when there is none (or it was used). */
export function revokeInvite(db: Db, workspaceId: number, inviteId: number): Promise<boolean> {
  return q.markInviteRevoked(db, workspaceId, inviteId);
}
