import type { Command } from 'commander';
import { z } from 'zod';
import {
  AccountError,
  addMembership,
  createUser,
  emailSchema,
  findUserByEmail,
  listMembers,
  listMemberships,
  listUsers,
  membershipRoleSchema,
  setPassword,
} from '../../app/auth/accounts.server';
import { passwordSchema } from '../../app/auth/passwords.server';
import { workspaceSlugSchema } from '../../app/models/workspace.server';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

// Accounts from the command line: automation (provisioning users) and
// recovery (an owner who forgot their password). Passwords can come from
// stdin so they stay out of `ps` and shell history.

const passwordSourceSchema = z
  .object({ password: z.string().optional(), passwordStdin: z.boolean().optional() })
  .refine((o) => !(o.password !== undefined && o.passwordStdin), { message: 'give --password or --password-stdin, not both', path: ['password'] });

const createSchema = z
  .object({
    email: emailSchema,
    workspace: workspaceSlugSchema,
    role: z.string(),
    managerName: z.string().optional(),
  })
  .and(passwordSourceSchema);

const resetSchema = z.object({ email: emailSchema }).and(passwordSourceSchema);

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the password in (e.g. printf %s "$PW" | npx leadpath …)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // `echo pw |` adds a newline that is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The password from --password or stdin, validated; undefined when neither was given. */
async function passwordFrom(o: { password?: string; passwordStdin?: boolean }): Promise<string | undefined> {
  const raw = o.passwordStdin ? await readStdin() : o.password;
  if (raw === undefined) return undefined;
  const parsed = passwordSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${o.passwordStdin ? '--password-stdin' : '--password'}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function accountErrorToCli(error: unknown): never {
  if (error instanceof AccountError) {
    const flag = error.field ? `--${error.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
    throw new CliError(`${flag}${error.message}`);
  }
  throw error;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('create users, give them a role in a workspace, reset passwords');

  user
    .command('create')
    .description('create a user with a role in a workspace; for an existing user, add or change their role there (the password stays)')
    .requiredOption('--email <email>', 'the sign-in email')
    .option('--password <password>', 'password for a new user (10-200 characters; visible in `ps`: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .requiredOption('--role <role>', 'owner | marketer | manager | viewer')
    .requiredOption('--workspace <slug>', 'the workspace')
    .option('--manager-name <name>', 'for --role manager: the manager name their leads and calls carry')
    .action(async (o: { email: string; password?: string; passwordStdin?: boolean; role: string; workspace: string; managerName?: string }) => {
      const parsed = createSchema.safeParse(o);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const role = membershipRoleSchema.safeParse({ role: o.role, managerName: o.managerName });
      if (!role.success) throw new CliError(formatZodError(role.error));
      const password = await passwordFrom(o);
      const { email } = parsed.data;
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, parsed.data.workspace);
        const existing = await findUserByEmail(db, email);
        if (!existing && password === undefined) throw new CliError('--password: a new user needs a password (--password or --password-stdin)');
        const userId = existing?.id ?? (await createUser(db, { email, password: password! }).catch(accountErrorToCli)).id;
        const before = existing ? (await listMemberships(db, userId)).find((m) => m.workspaceId === ws.id) : undefined;
        await addMembership(db, { workspaceId: ws.id, userId, role: role.data.role, managerName: role.data.managerName }).catch(accountErrorToCli);
        const as = role.data.role === 'manager' ? `manager "${role.data.managerName}"` : role.data.role;
        if (!existing) console.log(`created user ${email} as ${as} in ${ws.slug}`);
        else if (!before) console.log(`added ${email} to ${ws.slug} as ${as}`);
        else console.log(`${email} in ${ws.slug}: ${before.role === 'manager' ? `manager "${before.managerName}"` : before.role} → ${as}`);
        if (existing && password !== undefined) console.log('the existing password was kept (to change it: npx leadpath user reset-password)');
      });
    });

  user
    .command('reset-password')
    .description("set a user's password and sign them out everywhere")
    .requiredOption('--email <email>', 'the sign-in email')
    .option('--password <password>', 'the new password (visible in `ps`: prefer --password-stdin)')
    .option('--password-stdin', 'read the new password from standard input')
    .action(async (o: { email: string; password?: string; passwordStdin?: boolean }) => {
      const parsed = resetSchema.safeParse(o);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const password = await passwordFrom(o);
      if (password === undefined) throw new CliError('--password: give the new password (--password or --password-stdin)');
      await withConnection(async ({ db }) => {
        const found = await findUserByEmail(db, parsed.data.email);
        if (!found) throw new CliError(`--email: no user ${parsed.data.email} (see: npx leadpath user list)`);
        const ended = await setPassword(db, found.id, password).catch(accountErrorToCli);
        console.log(`password of ${found.email} reset; ${ended} session(s) ended`);
      });
    });

  user
    .command('list')
    .description('list users (with --workspace: its members and their roles)')
    .option('--workspace <slug>', 'only the members of this workspace')
    .action(async (o: { workspace?: string }) => {
      await withConnection(async ({ db }) => {
        if (o.workspace) {
          const ws = await resolveWorkspace(db, o.workspace);
          const members = await listMembers(db, ws.id);
          if (members.length === 0) console.log(`no members in ${ws.slug}`);
          for (const m of members) console.log([m.email, m.role, m.managerName ?? '', m.lastLoginAt?.toISOString() ?? 'never signed in'].join('\t'));
          return;
        }
        const users = await listUsers(db);
        if (users.length === 0) console.log('no users');
        for (const u of users) {
          const where = u.memberships.map((m) => `${m.slug}:${m.role}`).join(',') || '(no workspace)';
          console.log([u.email, where, u.lastLoginAt?.toISOString() ?? 'never signed in'].join('\t'));
        }
      });
    });
}
