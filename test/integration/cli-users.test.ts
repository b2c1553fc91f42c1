import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attemptLogin } from '../../app/auth/login.server';
import { getSessionUser } from '../../app/auth/session.server';
import { projectRoot } from '../../db/paths';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { makeWorkspace } from '../support/import';
import { signInAs } from '../support/auth';

// `leadpath user …` as users run it: bin/leadpath.mjs in a child process
// against this file's database (DATABASE_URL).

let t: TestDatabase;

function leadpath(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin/leadpath.mjs'), ...args], {
    env: { ...process.env, DATABASE_URL: t.url },
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await makeWorkspace(t.db, 'acme');
  await makeWorkspace(t.db, 'globex');
});
afterAll(async () => t.drop());

const login = (email: string, password: string) => attemptLogin(t.db, { email, password, ip: '127.0.0.1' });

test('user create: a new owner (password from stdin, trailing newline dropped) who can then log in', () => {
  const r = leadpath(['user', 'create', '--email', 'Owner@Acme.example', '--password-stdin', '--role', 'owner', '--workspace', 'acme'], 'owner password 1\n');
  expect([r.code, r.out.trim(), r.err]).toEqual([0, 'created user owner@acme.example as owner in acme', '']);
}, 120_000);

test('the created owner logs in with that password', async () => {
  expect(await login('owner@acme.example', 'owner password 1')).toMatchObject({ ok: true });
});

test('user create: an existing user gets a second workspace, then a changed role; the password is kept', async () => {
  const added = leadpath(['user', 'create', '--email', 'owner@acme.example', '--password', 'ignored password', '--role', 'manager', '--manager-name', 'Olena Koval', '--workspace', 'globex']);
  expect(added.code).toBe(0);
  expect(added.out).toBe('added owner@acme.example to globex as manager "Olena Koval"\nthe existing password was kept (to change it: npx leadpath user reset-password)\n');
  const changed = leadpath(['user', 'create', '--email', 'owner@acme.example', '--role', 'viewer', '--workspace', 'globex']);
  expect([changed.code, changed.out.trim()]).toEqual([0, 'owner@acme.example in globex: manager "Olena Koval" → viewer']);
  expect(await login('owner@acme.example', 'owner password 1')).toMatchObject({ ok: true });

  const list = leadpath(['user', 'list']);
  expect(list.code).toBe(0);
  // attemptLogin checks the password; last_login_at is set when a session starts (none here).
  expect(list.out).toBe('owner@acme.example\tacme:owner,globex:viewer\tnever signed in\n');
  const members = leadpath(['user', 'list', '--workspace', 'globex']);
  expect(members.out).toBe('owner@acme.example\tviewer\t\tnever signed in\n');
}, 120_000);

test.each([
  [['--email', 'nope', '--password', 'long enough pw', '--role', 'owner', '--workspace', 'acme'], '--email: not an email address'],
  [['--email', 'a@acme.example', '--password', 'short', '--role', 'owner', '--workspace', 'acme'], '--password: the password must be 10 to 200 characters long'],
  [['--email', 'a@acme.example', '--password', 'long enough pw', '--role', 'admin', '--workspace', 'acme'], '--role: the role must be owner, marketer, manager or viewer'],
  [['--email', 'a@acme.example', '--password', 'long enough pw', '--role', 'manager', '--workspace', 'acme'], '--manager-name: a manager needs the manager name their leads carry'],
  [['--email', 'a@acme.example', '--password', 'long enough pw', '--role', 'viewer', '--workspace', 'nowhere'], 'no workspace "nowhere"'],
  [['--email', 'a@acme.example', '--role', 'viewer', '--workspace', 'acme'], '--password: a new user needs a password'],
  [['--email', 'a@acme.example', '--password', 'long enough pw', '--password-stdin', '--role', 'viewer', '--workspace', 'acme'], '--password: give --password or --password-stdin, not both'],
])('user create %j exits 1: %s', (args, message) => {
  const r = leadpath(['user', 'create', ...args]);
  expect(r.code).toBe(1);
  expect(r.err).toContain(`error: ${message}`);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}, 120_000);

test('a refused create wrote nothing', async () => {
  const r = await t.db.selectFrom('users').select('email').where('email', '=', 'a@acme.example').execute();
  expect(r).toEqual([]);
});

test('the last owner cannot be demoted from the CLI', () => {
  const r = leadpath(['user', 'create', '--email', 'owner@acme.example', '--role', 'viewer', '--workspace', 'acme']);
  expect([r.code, r.err.trim()]).toEqual([1, 'error: --role: the workspace needs at least one owner: make someone else owner first']);
}, 120_000);

test('user reset-password: sets the password and ends the user’s sessions', async () => {
  const acme = await t.db.selectFrom('workspaces').selectAll().where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const s = await signInAs(t.db, { workspaceId: acme.id, role: 'marketer', email: 'marketer@acme.example' });
  const r = leadpath(['user', 'reset-password', '--email', 'MARKETER@acme.example', '--password-stdin'], 'brand new password\n');
  expect([r.code, r.out.trim()]).toEqual([0, 'password of marketer@acme.example reset; 1 session(s) ended']);
  expect(await getSessionUser(new Request('http://localhost/', { headers: { cookie: s.cookie } }), { db: t.db })).toBeNull();
  expect(await login('marketer@acme.example', 'brand new password')).toMatchObject({ ok: true });

  const unknown = leadpath(['user', 'reset-password', '--email', 'ghost@acme.example', '--password', 'whatever pw 1']);
  expect([unknown.code, unknown.err.trim()]).toEqual([1, 'error: --email: no user ghost@acme.example (see: npx leadpath user list)']);
  const short = leadpath(['user', 'reset-password', '--email', 'marketer@acme.example', '--password-stdin'], 'short\n');
  expect([short.code, short.err.trim()]).toEqual([1, 'error: --password-stdin: the password must be 10 to 200 characters long']);
}, 120_000);
