import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiToken, hashApiToken, LAST_USED_EVERY_MS, revokeApiToken, verifyApiToken } from '../../../app/auth/api-tokens.server';
import { getTokensPage, tokensAction } from '../../../app/models/tokens.server';
import { projectRoot } from '../../../db/paths';
import type { Workspace } from '../../../db/schema';
import { authedRequest, signInAs } from '../../support/auth';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';

// API tokens: the module, the owner's page (loader and action, as the route calls them) and the CLI.

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
const url = 'http://localhost/w/acme/tokens';
const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof Response ? e.status : -1));
const form = (fields: Record<string, string>) => {
  const body = new URLSearchParams(fields);
  return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};

describe('tokens', () => {
  test('a token is random, prefixed by its scope, and stored only as its sha256', async () => {
    const a = await createApiToken(t.db, { workspaceId: acme.id, name: 'site', scope: 'ingest' });
    const b = await createApiToken(t.db, { workspaceId: acme.id, name: 'bi', scope: 'read' });
    expect(a.token).toMatch(/^lp_ingest_[A-Za-z0-9_-]{43}$/);
    expect(b.token).toMatch(/^lp_read_[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', acme.id).orderBy('id').execute();
    expect(rows.map((r) => r.token_hash)).toEqual([hashApiToken(a.token), hashApiToken(b.token)]);
    expect(JSON.stringify(rows)).not.toContain(a.token.slice(10));
  });

  test('verify: the owning workspace and scope; last_used_at written at most once a minute; revoked → null', async () => {
    const { id, token } = await createApiToken(t.db, { workspaceId: globex.id, name: 'site', scope: 'ingest' });
    const t0 = new Date('2026-03-01T10:00:00Z');
    expect(await verifyApiToken(t.db, token, t0)).toEqual({ id, workspaceId: globex.id, scope: 'ingest', name: 'site' });
    const lastUsed = async () => (await t.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at?.toISOString();
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    await verifyApiToken(t.db, token, new Date(t0.getTime() + LAST_USED_EVERY_MS - 1));
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    await verifyApiToken(t.db, token, new Date(t0.getTime() + LAST_USED_EVERY_MS));
    expect(await lastUsed()).toBe('2026-03-01T10:01:00.000Z');
    // A token of globex cannot be revoked from acme; from globex it can, once.
    expect(await revokeApiToken(t.db, acme.id, id)).toBe(false);
    expect(await revokeApiToken(t.db, globex.id, id)).toBe(true);
    expect(await revokeApiToken(t.db, globex.id, id)).toBe(false);
    expect(await verifyApiToken(t.db, token)).toBeNull();
    expect(await verifyApiToken(t.db, token.replace('lp_ingest_', 'lp_read_'))).toBeNull();
  });
});

describe('the Tokens page', () => {
  test('the owner creates a token (shown once), sees it listed without it, and revokes it', async () => {
    const owner = await signInAs(t.db, { workspaceId: acme.id, role: 'owner' });
    const created = await tokensAction(ctx(), 'acme', authedRequest(url, owner.cookie, form({ intent: 'create', name: ' Website ', scope: 'ingest' })));
    if (created.intent !== 'create' || !created.ok) throw new Error(`not created: ${JSON.stringify(created)}`);
    expect([created.name, created.scope]).toEqual(['Website', 'ingest']);
    expect(created.token).toMatch(/^lp_ingest_/);
    const page = await getTokensPage(ctx(), 'acme', authedRequest(url, owner.cookie));
    const row = page.tokens.find((r) => r.name === 'Website')!;
    expect(row).toMatchObject({ scope: 'ingest', createdBy: owner.email, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(page)).not.toContain(created.token);

    const revoked = await tokensAction(ctx(), 'acme', authedRequest(url, owner.cookie, form({ intent: 'revoke', id: String(row.id) })));
    expect(revoked).toEqual({ intent: 'revoke', ok: true, id: row.id });
    expect(await verifyApiToken(t.db, created.token)).toBeNull();
  });

  test('invalid input names the field and creates nothing', async () => {
    const owner = await signInAs(t.db, { workspaceId: acme.id, role: 'owner' });
    const before = (await getTokensPage(ctx(), 'acme', authedRequest(url, owner.cookie))).tokens.length;
    const bad = await tokensAction(ctx(), 'acme', authedRequest(url, owner.cookie, form({ intent: 'create', name: '  ', scope: 'admin' })));
    expect(bad).toEqual({ intent: 'create', ok: false, errors: { name: 'tokens.error.nameRequired', scope: 'tokens.error.scope' }, values: { name: '  ', scope: 'admin' } });
    expect((await getTokensPage(ctx(), 'acme', authedRequest(url, owner.cookie))).tokens.length).toBe(before);
  });

  test('only owners: a marketer gets 403, a user of another workspace 404, nobody signed in a redirect', async () => {
    const marketer = await signInAs(t.db, { workspaceId: acme.id, role: 'marketer' });
    const stranger = await signInAs(t.db, { workspaceId: globex.id, role: 'owner' });
    expect(await statusOf(getTokensPage(ctx(), 'acme', authedRequest(url, marketer.cookie)))).toBe(403);
    expect(await statusOf(tokensAction(ctx(), 'acme', authedRequest(url, marketer.cookie, form({ intent: 'create', name: 'x', scope: 'ingest' }))))).toBe(403);
    expect(await statusOf(getTokensPage(ctx(), 'acme', authedRequest(url, stranger.cookie)))).toBe(404);
    expect(await statusOf(getTokensPage(ctx(), 'acme', new Request(url)))).toBe(302);
  });
});

describe('leadpath token', () => {
  const leadpath = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin/leadpath.mjs'), ...args], { env: { ...process.env, DATABASE_URL: t.url }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test('create prints the token once (alone on stdout), list shows it without the token, revoke ends it', async () => {
    const created = leadpath('token', 'create', '--workspace', 'globex', '--scope', 'read', '--name', 'metabase');
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^lp_read_[A-Za-z0-9_-]{43}$/);
    const verified = await verifyApiToken(t.db, token);
    expect(verified).toMatchObject({ workspaceId: globex.id, scope: 'read', name: 'metabase' });
    const list = leadpath('token', 'list', '--workspace', 'globex');
    expect(list.out).toContain(`${verified!.id}\tmetabase\tread\tcreated `);
    expect(list.out).not.toContain(token);
    expect(leadpath('token', 'revoke', '--workspace', 'globex', '--id', String(verified!.id)).out.trim()).toBe(`revoked token #${verified!.id}`);
    expect(await verifyApiToken(t.db, token)).toBeNull();
    const again = leadpath('token', 'revoke', '--workspace', 'globex', '--id', String(verified!.id));
    expect([again.code, again.err.trim()]).toEqual([1, `error: no active token #${verified!.id} in globex`]);
  }, 120_000);

  test('a bad scope or workspace exits 1 with one clear line', () => {
    const scope = leadpath('token', 'create', '--workspace', 'globex', '--scope', 'admin');
    expect([scope.code, scope.err.trim()]).toEqual([1, 'error: --scope: scope is ingest (send data) or read (reports)']);
    const ws = leadpath('token', 'list', '--workspace', 'nope');
    expect([ws.code, ws.err.trim()]).toEqual([1, 'error: no workspace "nope" (see: npx leadpath workspace list)']);
  }, 120_000);
});
