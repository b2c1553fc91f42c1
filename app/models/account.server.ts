import { data, redirect, type AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import { loadDemo } from '../../db/demo';
import { getInviteByTokenHash } from '../../db/queries/accounts';
import { createWorkspace, getWorkspaceBySlug, listWorkspaces, newWorkspaceSchema } from '../../db/queries/workspaces';
import type { Role } from '../../db/schema';
import {
  AccountError,
  acceptInvite,
  addMembership,
  countUsers,
  createFirstUser,
  createInvite,
  emailSchema,
  findUserByEmail,
  findUserById,
  listInvites,
  listMembers,
  listMemberships,
  removeMembership,
  revokeInvite,
  roleSchema,
  setPassword,
  tokenHash,
  updateMembership,
} from '../auth/accounts.server';
import { requireWorkspaceAccess } from '../auth/guard.server';
import { attemptLogin } from '../auth/login.server';
import { passwordSchema, verifyPassword } from '../auth/passwords.server';
import { ROLES } from '../auth/permissions';
import { endUserSession, getSessionUser, requireUser, startUserSession } from '../auth/session.server';
import { sectionHref } from '../sections';
import { toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

// The account pages: first-run setup, sign-in and sign-out, the account page
// (password, memberships), invitation links and a workspace's users. Each
// action validates its form with zod and answers with field errors (message
// keys) and the values to show again — never the passwords.

/** Field errors keyed by the posted field name; values are message keys. */
export type FieldErrors = Record<string, string>;

export interface FormFailure<V = Record<string, string>> {
  ok: false;
  errors: FieldErrors;
  /** A message about the whole form (wrong password, throttled). */
  formError?: string;
  /** For 'login.throttled': seconds until the next attempt may succeed. */
  retryAfterSeconds?: number;
  values: V;
}

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const CURRENCIES = Intl.supportedValuesOf('currency');

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

// The rules are accounts.server's; the messages translated keys.
const emailField = z.string().transform((value, ctx) => {
  const parsed = emailSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: 'auth.error.email' });
  return z.NEVER;
});
const newPasswordField = z.string().refine((p) => passwordSchema.safeParse(p).success, 'auth.error.passwordLength');
const givenPasswordField = z.string().min(1, 'auth.error.passwordRequired').max(1000, 'auth.error.passwordLength');

/** A new password typed twice, with the form's other fields. */
function passwordPair<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .extend({ password: newPasswordField, confirm: z.string() })
    .refine((v) => (v as { password?: string }).password === (v as { confirm?: string }).confirm, { path: ['confirm'], message: 'auth.error.confirm' });
}

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return out;
}

/**
 * Where to go after signing in: a path on this site, or `fallback`. Resolved
 * against a dummy origin, so '//evil.com', '/\\evil.com', tabs and
 * 'https://…' all leave it and are refused.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || next.length > 2000 || !next.startsWith('/')) return fallback;
  try {
    const base = 'http://leadpath.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

/** The client address for login throttling; the server puts it on the context. */
const clientIp = (context: AppLoadContext) => context.clientIp || 'unknown';

const offerDemo = (context: AppLoadContext) => context.offerDemo !== false;

/** The first workspace a user should land in, or '/' when they have none. */
async function homeOf(context: AppLoadContext, userId: number): Promise<string> {
  const [first] = await listMemberships(context.db, userId);
  return first ? sectionHref(first.slug, '') : '/';
}

// ------------------------------------------------------------------ home

/** `/`: setup on an empty database, else sign-in, else the user's first workspace. */
export async function getHome(request: Request, context: AppLoadContext): Promise<null> {
  if ((await countUsers(context.db)) === 0) throw redirect('/setup');
  const user = await requireUser(request, context);
  const home = await homeOf(context, user.id);
  if (home !== '/') throw redirect(home);
  return null;
}

// ------------------------------------------------------------------ setup

export interface SetupPage {
  offerDemo: boolean;
  /** Workspaces already there (an upgrade from before accounts): the owner gets them all. */
  existingWorkspaces: number;
  timeZones: string[];
  currencies: string[];
}

async function requireNoUsers(context: AppLoadContext): Promise<void> {
  // Once someone owns the install, setup is gone: not a page anyone may reach again.
  if ((await countUsers(context.db)) > 0) throw new Response('Leadpath is already set up.', { status: 404, statusText: 'Not Found' });
}

export async function getSetupPage(context: AppLoadContext): Promise<SetupPage> {
  await requireNoUsers(context);
  const existingWorkspaces = (await listWorkspaces(context.db)).length;
  return { offerDemo: offerDemo(context) && existingWorkspaces === 0, existingWorkspaces, timeZones: TIME_ZONES, currencies: CURRENCIES };
}

type SetupValues = { email: string; demo: boolean; name: string; slug: string; timeZone: string; currency: string };

const workspaceFields = z.object({
  name: z.string().trim().min(1, 'setup.error.name').max(200, 'setup.error.name').pipe(newWorkspaceSchema.shape.name),
  slug: newWorkspaceSchema.shape.slug,
  timeZone: newWorkspaceSchema.shape.timeZone,
  currency: newWorkspaceSchema.shape.currency,
});

export async function setupAction(request: Request, context: AppLoadContext) {
  await requireNoUsers(context);
  const form = await request.formData();
  const page = await getSetupPage(context);
  const values: SetupValues = {
    email: text(form, 'email').trim(),
    demo: page.offerDemo && form.get('demo') === 'on',
    name: text(form, 'name').trim(),
    slug: text(form, 'slug').trim().toLowerCase(),
    timeZone: text(form, 'timeZone'),
    currency: text(form, 'currency').trim().toUpperCase(),
  };
  const needsWorkspace = page.existingWorkspaces === 0 && !values.demo;
  const owner = passwordPair({ email: emailField }).safeParse({ email: values.email, password: text(form, 'password'), confirm: text(form, 'confirm') });
  const workspace = needsWorkspace ? workspaceFields.safeParse(values) : undefined;
  const errors: FieldErrors = {
    ...(owner.success ? {} : fieldErrorsOf(owner.error)),
    ...(workspace && !workspace.success ? fieldErrorsOf(workspace.error) : {}),
  };
  if (workspace?.success && (await getWorkspaceBySlug(context.db, workspace.data.slug))) errors.slug = 'setup.error.slugTaken';
  if (!owner.success || Object.keys(errors).length > 0) return data<FormFailure<SetupValues>>({ ok: false, errors, values }, { status: 400 });

  // The workspace first: loading the demo takes a while, and a failure there
  // must leave no owner without a workspace behind.
  if (values.demo) await loadDemo(context.db);
  else if (workspace?.success) await createWorkspace(context.db, workspace.data);

  let userId: number;
  try {
    ({ id: userId } = await createFirstUser(context.db, { email: owner.data.email, password: owner.data.password }));
  } catch (error) {
    if (error instanceof AccountError && error.code === 'setup_done') {
      return data<FormFailure<SetupValues>>({ ok: false, errors: {}, formError: 'setup.error.done', values }, { status: 409 });
    }
    throw error;
  }
  // Every workspace there is: the one just made, or all of them after an upgrade.
  for (const ws of await listWorkspaces(context.db)) await addMembership(context.db, { workspaceId: ws.id, userId, role: 'owner' });
  const cookie = await startUserSession(context.db, userId, request);
  return redirect(await homeOf(context, userId), { headers: { 'Set-Cookie': cookie } });
}

// ------------------------------------------------------------------ login

export async function getLoginPage(request: Request, context: AppLoadContext): Promise<{ next: string }> {
  if ((await countUsers(context.db)) === 0) throw redirect('/setup');
  const next = safeNext(new URL(request.url).searchParams.get('next'));
  const user = await getSessionUser(request, context);
  if (user) throw redirect(next === '/' ? await homeOf(context, user.id) : next);
  return { next };
}

const loginSchema = z.object({ email: emailField, password: givenPasswordField });

export async function loginAction(request: Request, context: AppLoadContext) {
  const form = await request.formData();
  const values = { email: text(form, 'email').trim() };
  const next = safeNext(text(form, 'next'));
  const parsed = loginSchema.safeParse({ email: values.email, password: text(form, 'password') });
  if (!parsed.success) return data<FormFailure>({ ok: false, errors: fieldErrorsOf(parsed.error), values }, { status: 400 });

  const result = await attemptLogin(context.db, { ...parsed.data, ip: clientIp(context) });
  if (!result.ok) {
    // One message for an unknown email and a wrong password: the page must not tell which emails have accounts.
    if (result.reason === 'throttled') {
      const retryAfterSeconds = result.retryAfterSeconds ?? 60;
      return data<FormFailure>(
        { ok: false, errors: {}, formError: 'login.throttled', retryAfterSeconds, values },
        { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
      );
    }
    return data<FormFailure>({ ok: false, errors: {}, formError: 'login.invalid', values }, { status: 401 });
  }
  const cookie = await startUserSession(context.db, result.userId, request);
  return redirect(next === '/' ? await homeOf(context, result.userId) : next, { headers: { 'Set-Cookie': cookie } });
}

export async function logoutAction(request: Request, context: AppLoadContext) {
  const cookie = await endUserSession(request, context);
  return redirect('/login', { headers: { 'Set-Cookie': cookie } });
}

// ---------------------------------------------------------------- account

export interface MembershipInfo {
  slug: string;
  name: string;
  role: Role;
  managerName: string | null;
}

export interface AccountPage {
  email: string;
  memberships: MembershipInfo[];
}

export async function getAccountPage(request: Request, context: AppLoadContext): Promise<AccountPage> {
  const user = await requireUser(request, context);
  const memberships = await listMemberships(context.db, user.id);
  return { email: user.email, memberships: memberships.map(({ slug, name, role, managerName }) => ({ slug, name, role, managerName })) };
}

export type AccountActionResult = { ok: true } | FormFailure<Record<string, never>>;

export async function accountAction(request: Request, context: AppLoadContext) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const parsed = passwordPair({ current: givenPasswordField }).safeParse({
    current: text(form, 'current'),
    password: text(form, 'password'),
    confirm: text(form, 'confirm'),
  });
  const fail = (errors: FieldErrors, status = 400) => data<AccountActionResult>({ ok: false, errors, values: {} }, { status });
  if (!parsed.success) return fail(fieldErrorsOf(parsed.error));
  const row = await findUserById(context.db, user.id);
  if (!row?.passwordHash || !(await verifyPassword(parsed.data.current, row.passwordHash))) return fail({ current: 'account.error.current' });
  if (parsed.data.current === parsed.data.password) return fail({ password: 'account.error.same' });
  // setPassword ends every session of the user, this one too: a fresh one keeps this browser signed in.
  await setPassword(context.db, user.id, parsed.data.password);
  const cookie = await startUserSession(context.db, user.id, request);
  return data<AccountActionResult>({ ok: true }, { headers: { 'Set-Cookie': cookie } });
}

// ---------------------------------------------------------------- invites

export type InvitePage =
  | { state: 'gone'; reason: 'expired' | 'used' | 'unknown' }
  | {
      state: 'open';
      workspaceName: string;
      email: string;
      role: Role;
      /** new: set a password; existing: sign in with it; join: signed in as the invited email; other: signed in as someone else. */
      mode: 'new' | 'existing' | 'join' | 'other';
      signedInAs: string | null;
    };

const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

type InviteRow = NonNullable<Awaited<ReturnType<typeof getInviteByTokenHash>>>;

async function inviteState(
  context: AppLoadContext,
  token: string | undefined,
): Promise<{ reason: 'expired' | 'used' | 'unknown' } | { invite: InviteRow; token: string }> {
  const parsed = inviteTokenSchema.safeParse(token);
  if (!parsed.success) return { reason: 'unknown' };
  const invite = await getInviteByTokenHash(context.db, tokenHash(parsed.data));
  if (!invite || invite.revokedAt) return { reason: 'unknown' };
  if (invite.acceptedAt) return { reason: 'used' };
  if (invite.expired) return { reason: 'expired' };
  return { invite, token: parsed.data };
}

type OpenedInvite =
  | { gone: 'expired' | 'used' | 'unknown' }
  | {
      gone?: undefined;
      invite: InviteRow;
      token: string;
      user: Awaited<ReturnType<typeof getSessionUser>>;
      mode: 'new' | 'existing' | 'join' | 'other';
    };

async function openInvite(request: Request, context: AppLoadContext, token: string | undefined): Promise<OpenedInvite> {
  const state = await inviteState(context, token);
  if (!('invite' in state)) return { gone: state.reason };
  const user = await getSessionUser(request, context);
  const mode: 'new' | 'existing' | 'join' | 'other' = user
    ? user.email === state.invite.email
      ? 'join'
      : 'other'
    : (await findUserByEmail(context.db, state.invite.email))
      ? 'existing'
      : 'new';
  return { ...state, user, mode };
}

// Unknown (or revoked) links are 404; used and expired ones 410 Gone. A normal
// page with that status, not an error boundary: it says what to do next.
const goneInvite = (reason: 'expired' | 'used' | 'unknown') =>
  data<InvitePage>({ state: 'gone', reason }, { status: reason === 'unknown' ? 404 : 410 });

export async function getInvitePage(request: Request, context: AppLoadContext, token: string | undefined) {
  const opened = await openInvite(request, context, token);
  if (opened.gone) return goneInvite(opened.gone);
  const { invite, user, mode } = opened;
  return data<InvitePage>({
    state: 'open',
    workspaceName: invite.workspaceName,
    email: invite.email,
    role: invite.role,
    mode,
    signedInAs: user?.email ?? null,
  });
}

export async function inviteAction(request: Request, context: AppLoadContext, token: string | undefined) {
  const opened = await openInvite(request, context, token);
  if (opened.gone) return goneInvite(opened.gone);
  const { invite, mode } = opened;
  const form = await request.formData();
  const fail = (errors: FieldErrors, status = 400, formError?: string, retryAfterSeconds?: number) =>
    data<FormFailure>({ ok: false, errors, formError, retryAfterSeconds, values: {} }, { status });

  let userId: number;
  if (mode === 'other') return fail({}, 409, 'invite.otherAccount');
  if (mode === 'join') {
    userId = opened.user!.id;
  } else if (mode === 'existing') {
    const parsed = z.object({ password: givenPasswordField }).safeParse({ password: text(form, 'password') });
    if (!parsed.success) return fail(fieldErrorsOf(parsed.error));
    const result = await attemptLogin(context.db, { email: invite.email, password: parsed.data.password, ip: clientIp(context) });
    if (!result.ok) {
      return result.reason === 'throttled'
        ? fail({}, 429, 'login.throttled', result.retryAfterSeconds ?? 60)
        : fail({}, 401, 'login.invalid');
    }
    userId = result.userId;
  } else {
    const parsed = passwordPair({}).safeParse({ password: text(form, 'password'), confirm: text(form, 'confirm') });
    if (!parsed.success) return fail(fieldErrorsOf(parsed.error));
    try {
      userId = (await acceptInvite(context.db, opened.token, { password: parsed.data.password })).userId;
    } catch (error) {
      if (error instanceof AccountError && error.code === 'email_taken') return fail({}, 409, 'invite.signIn');
      throw error;
    }
    const cookie = await startUserSession(context.db, userId, request);
    return redirect(sectionHref(invite.workspaceSlug, ''), { headers: { 'Set-Cookie': cookie } });
  }
  await acceptInvite(context.db, opened.token, { userId });
  // Signing in through the invitation is a login: a fresh session id.
  const cookie = mode === 'existing' ? await startUserSession(context.db, userId, request) : undefined;
  return redirect(sectionHref(invite.workspaceSlug, ''), cookie ? { headers: { 'Set-Cookie': cookie } } : undefined);
}

// ------------------------------------------------------------------ users

export interface MemberInfo {
  userId: number;
  email: string;
  role: Role;
  managerName: string | null;
  isYou: boolean;
}

export interface PendingInvite {
  id: number;
  email: string;
  role: Role;
  managerName: string | null;
  expiresAt: string;
}

export interface UsersPage {
  workspace: WorkspaceInfo;
  members: MemberInfo[];
  invites: PendingInvite[];
  roles: readonly Role[];
  /** Manager names the workspace's leads carry: suggestions for a sales manager's membership. */
  managerNames: string[];
}

async function listManagerNames(context: AppLoadContext, workspaceId: number): Promise<string[]> {
  const rows = await context.db
    .selectFrom('leads')
    .select('manager')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('manager', 'is not', null)
    .orderBy('manager')
    .limit(500)
    .execute();
  return rows.map((r) => r.manager).filter((m): m is string => !!m);
}

export async function getUsersPage(request: Request, context: AppLoadContext, slug: string | undefined): Promise<UsersPage> {
  const access = await requireWorkspaceAccess(request, context, slug, 'users:manage');
  const wsId = access.workspace.id;
  const [members, invites, managerNames] = await Promise.all([listMembers(context.db, wsId), listInvites(context.db, wsId), listManagerNames(context, wsId)]);
  return {
    workspace: toWorkspaceInfo(access.workspace),
    members: members.map((m) => ({ userId: m.userId, email: m.email, role: m.role, managerName: m.managerName, isYou: m.userId === access.userId })),
    invites: invites
      .filter((i) => i.status === 'pending')
      .map((i) => ({ id: i.id, email: i.email, role: i.role, managerName: i.managerName, expiresAt: i.expiresAt.toISOString() })),
    roles: ROLES,
    managerNames,
  };
}

export type UsersActionResult =
  | { intent: 'invite'; ok: true; email: string; link: string }
  | { intent: 'update' | 'remove' | 'revoke'; ok: true; email?: string }
  | ({ intent: 'invite' | 'update' | 'remove' | 'revoke'; userId?: number } & FormFailure);

const roleField = z.string().refine((r): r is Role => roleSchema.safeParse(r).success, 'users.error.role').transform((r) => r as Role);
const managerNameField = z.string().trim().max(200, 'users.error.managerName');

const membershipForm = z
  .object({ role: roleField, managerName: managerNameField })
  .superRefine((v, ctx) => {
    if (v.role === 'manager' && !v.managerName) ctx.addIssue({ code: 'custom', path: ['managerName'], message: 'users.error.managerName' });
  });

const idField = z.coerce.number().int().positive();

export async function usersAction(request: Request, context: AppLoadContext, slug: string | undefined) {
  const access = await requireWorkspaceAccess(request, context, slug, 'users:manage');
  const db = context.db;
  const wsId = access.workspace.id;
  const form = await request.formData();
  const intent = text(form, 'intent');
  const fail = (i: 'invite' | 'update' | 'remove' | 'revoke', errors: FieldErrors, values: Record<string, string> = {}, userId?: number) =>
    data<UsersActionResult>({ intent: i, ok: false, errors, values, userId }, { status: 400 });
  const lastOwner = (error: unknown) => error instanceof AccountError && error.code === 'last_owner';

  if (intent === 'invite') {
    const values = { email: text(form, 'email').trim(), role: text(form, 'role'), managerName: text(form, 'managerName').trim() };
    const parsed = membershipForm.and(z.object({ email: emailField })).safeParse(values);
    if (!parsed.success) return fail('invite', fieldErrorsOf(parsed.error), values);
    const members = await listMembers(db, wsId);
    if (members.some((m) => m.email === parsed.data.email)) return fail('invite', { email: 'users.error.member' }, values);
    const { token } = await createInvite(db, { workspaceId: wsId, ...parsed.data, createdBy: access.userId });
    // The link is built from the address the owner is using, so it works wherever they reach Leadpath.
    const link = `${new URL(request.url).origin}/invite/${token}`;
    return data<UsersActionResult>({ intent: 'invite', ok: true, email: parsed.data.email, link });
  }

  if (intent === 'update' || intent === 'remove') {
    const userId = idField.safeParse(text(form, 'userId'));
    const member = userId.success ? (await listMembers(db, wsId)).find((m) => m.userId === userId.data) : undefined;
    if (!member) return fail(intent, { form: 'users.error.unknownMember' });
    if (intent === 'remove') {
      try {
        await removeMembership(db, wsId, member.userId);
      } catch (error) {
        if (lastOwner(error)) return fail('remove', { form: 'users.error.lastOwner' }, {}, member.userId);
        throw error;
      }
      return data<UsersActionResult>({ intent: 'remove', ok: true, email: member.email });
    }
    const values = { role: text(form, 'role'), managerName: text(form, 'managerName').trim() };
    const parsed = membershipForm.safeParse(values);
    if (!parsed.success) return fail('update', fieldErrorsOf(parsed.error), values, member.userId);
    try {
      await updateMembership(db, { workspaceId: wsId, userId: member.userId, role: parsed.data.role, managerName: parsed.data.managerName || null });
    } catch (error) {
      if (lastOwner(error)) return fail('update', { role: 'users.error.lastOwner' }, values, member.userId);
      throw error;
    }
    return data<UsersActionResult>({ intent: 'update', ok: true, email: member.email });
  }

  if (intent === 'revoke') {
    const inviteId = idField.safeParse(text(form, 'inviteId'));
    if (!inviteId.success || !(await revokeInvite(db, wsId, inviteId.data))) return fail('revoke', { form: 'users.error.unknownMember' });
    return data<UsersActionResult>({ intent: 'revoke', ok: true });
  }
  throw new Response('Unknown form', { status: 400 });
}
