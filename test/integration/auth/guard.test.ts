import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppLoadContext } from '@remix-run/node';
import { listAccessibleWorkspaces, requireWorkspaceAccess } from '../../../app/auth/guard.server';
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

const ctx = () => ({ db: t.db, cspNonce: 'n' }) as AppLoadContext;
const req = (cookie?: string) => new Request('http://localhost/w/acme/channels', { headers: cookie ? { cookie } : {} });
const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof Response ? e.status : -1));
async function thrownBy(p: Promise<unknown>): Promise<Response> {
  const e = await p.then(() => null, (error: unknown) => error);
  if (!(e instanceof Response)) throw new Error('expected a thrown Response');
  return e;
}

describe('requireWorkspaceAccess', () => {
  test('no session: a redirect to login', async () => {
    const thrown = await thrownBy(requireWorkspaceAccess(req(), ctx(), 'acme', 'reports:view'));
    expect([thrown.status, thrown.headers.get('location')]).toEqual([302, `/login?next=${encodeURIComponent('/w/acme/channels')}`]);
  });

  test('a member gets their real role, user id and manager name', async () => {
    const m = await signInAs(t.db, { workspaceId: acme.id, role: 'manager', managerName: 'Olena' });
    const access = await requireWorkspaceAccess(req(m.cookie), ctx(), 'acme', 'reports:view');
    expect([access.workspace.slug, access.userId, access.role, access.managerName]).toEqual(['acme', m.userId, 'manager', 'Olena']);
    expect(access.can('spend:view')).toBe(false);
  });

  test('a user of another workspace gets the same 404 as for a workspace that does not exist', async () => {
    const other = await signInAs(t.db, { workspaceId: globex.id, role: 'owner' });
    const notMine = await thrownBy(requireWorkspaceAccess(req(other.cookie), ctx(), 'acme', 'reports:view'));
    const missing = await thrownBy(requireWorkspaceAccess(req(other.cookie), ctx(), 'nope', 'reports:view'));
    expect([notMine.status, missing.status]).toEqual([404, 404]);
    expect(await notMine.text()).toBe('There is no workspace called “acme”.');
    expect(await missing.text()).toBe('There is no workspace called “nope”.');
    expect(await statusOf(requireWorkspaceAccess(req(other.cookie), ctx(), 'Bad Slug!', 'reports:view'))).toBe(404);
  });

  test.each([
    ['owner', 'users:manage', 200],
    ['marketer', 'users:manage', 403],
    ['marketer', 'data:import', 200],
    ['viewer', 'data:import', 403],
    ['viewer', 'spend:view', 200],
    ['manager', 'spend:view', 403],
    ['manager', 'reports:view', 200],
  ] as const)('%s asking for %s → %i', async (role, permission, status) => {
    const u = await signInAs(t.db, { workspaceId: acme.id, role });
    expect(await statusOf(requireWorkspaceAccess(req(u.cookie), ctx(), 'acme', permission))).toBe(status);
  });
});

test('listAccessibleWorkspaces lists the user’s workspaces with their role, and none when signed out', async () => {
  const agency = await signInAs(t.db, { workspaceId: acme.id, role: 'marketer', email: 'agency@example.com' });
  await signInAs(t.db, { workspaceId: globex.id, role: 'viewer', email: 'agency@example.com' });
  expect(await listAccessibleWorkspaces(req(agency.cookie), ctx())).toEqual([
    { slug: 'acme', name: 'Test acme', role: 'marketer' },
    { slug: 'globex', name: 'Test globex', role: 'viewer' },
  ]);
  expect(await listAccessibleWorkspaces(req(), ctx())).toEqual([]);
});
