import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import { requireWorkspaceAccess } from '../auth/guard.server';
import { createApiToken, listApiTokens, newTokenSchema, revokeApiToken, type TokenScope } from '../auth/api-tokens.server';
import { toWorkspaceInfo, type WorkspaceInfo } from './workspace.server';

// The owner's API tokens page: list, create (the token is shown once, in the
// action's answer, and never stored in clear), revoke.

export interface TokenListRow {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokensPage {
  workspace: WorkspaceInfo;
  tokens: TokenListRow[];
}

export type TokensActionResult =
  | { intent: 'create'; ok: true; token: string; name: string; scope: TokenScope }
  | { intent: 'create'; ok: false; errors: Partial<Record<'name' | 'scope', string>>; values: { name: string; scope: string } }
  | { intent: 'revoke'; ok: boolean; id: number };

export async function getTokensPage(context: AppLoadContext, slug: string | undefined, request: Request): Promise<TokensPage> {
  const access = await requireWorkspaceAccess(request, context, slug, 'tokens:manage');
  const rows = await listApiTokens(context.db, access.workspace.id);
  return {
    workspace: toWorkspaceInfo(access.workspace),
    tokens: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
    })),
  };
}

const revokeSchema = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export async function tokensAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<TokensActionResult> {
  const access = await requireWorkspaceAccess(request, context, slug, 'tokens:manage');
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'create') {
    const values = { name: String(form.get('name') ?? ''), scope: String(form.get('scope') ?? '') };
    const parsed = newTokenSchema.safeParse(values);
    if (!parsed.success) {
      const errors: Partial<Record<'name' | 'scope', string>> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] === 'scope' ? 'scope' : 'name';
        errors[key] ??= key === 'scope' ? 'tokens.error.scope' : values.name.trim() === '' ? 'tokens.error.nameRequired' : 'tokens.error.nameTooLong';
      }
      return { intent: 'create', ok: false, errors, values };
    }
    const created = await createApiToken(context.db, { workspaceId: access.workspace.id, ...parsed.data, createdBy: access.userId });
    return { intent: 'create', ok: true, token: created.token, name: created.name, scope: created.scope };
  }
  if (intent === 'revoke') {
    const parsed = revokeSchema.safeParse({ id: form.get('id') });
    if (!parsed.success) throw new Response('Bad token id', { status: 400 });
    const ok = await revokeApiToken(context.db, access.workspace.id, parsed.data.id);
    return { intent: 'revoke', ok, id: parsed.data.id };
  }
  throw new Response('Unknown form', { status: 400 });
}
