import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/client';

// Workspace API tokens for /api/v1 (issue 6). A token is 32 random bytes
// (base64url) behind a prefix naming its scope, so a leaked one is easy to
// recognise in logs and secret scanners; only its sha256 is stored, so the
// database never holds a usable token. Each token belongs to one workspace:
// the API writes only there, whatever the request says.

export const TOKEN_SCOPES = ['ingest', 'read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const TOKEN_RE = /^lp_(ingest|read)_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per token: a busy sender must not turn every request into a write. */
export const LAST_USED_EVERY_MS = 60_000;

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'name the token (where it is used, e.g. "website")').max(100, 'at most 100 characters'),
  scope: z.enum(TOKEN_SCOPES, { error: 'scope is ingest (send data) or read (reports)' }),
});

export interface ApiTokenRow {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface VerifiedToken {
  id: number;
  workspaceId: number;
  scope: TokenScope;
  name: string;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isApiTokenShape(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** Creates a token; the returned `token` is the only time it exists in clear. */
export async function createApiToken(
  db: Db,
  input: { workspaceId: number; name: string; scope: TokenScope; createdBy?: number | null },
): Promise<{ id: number; token: string; name: string; scope: TokenScope }> {
  const { name, scope } = newTokenSchema.parse({ name: input.name, scope: input.scope });
  const token = `lp_${scope}_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ workspace_id: input.workspaceId, name, scope, token_hash: hashApiToken(token), created_by: input.createdBy ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, name, scope };
}

/**
 * The live token a request presents, or null (malformed, unknown or revoked:
 * the caller answers 401 alike). Marks it used, at most once a minute.
 */
export async function verifyApiToken(db: Db, token: string, now = new Date()): Promise<VerifiedToken | null> {
  if (!isApiTokenShape(token)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'workspace_id', 'scope', 'name', 'last_used_at', 'revoked_at'])
    .where('token_hash', '=', hashApiToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_EVERY_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', row.id)
      // Another process may have just written it: the condition keeps it one write a minute.
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', new Date(now.getTime() - LAST_USED_EVERY_MS))]))
      .execute();
  }
  return { id: row.id, workspaceId: row.workspace_id, scope: row.scope, name: row.name };
}

export async function listApiTokens(db: Db, workspaceId: number): Promise<ApiTokenRow[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', 'u.id', 't.created_by')
    .select(['t.id', 't.name', 't.scope', 't.created_at', 't.last_used_at', 't.revoked_at', 'u.email'])
    .where('t.workspace_id', '=', workspaceId)
    .orderBy(sql`t.revoked_at is not null`)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: r.created_at,
    createdBy: r.email,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes a token of this workspace; false when there is none with that id (or it was revoked already). */
export async function revokeApiToken(db: Db, workspaceId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
