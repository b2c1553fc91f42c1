import type { Command } from 'commander';
import { createApiToken, listApiTokens, newTokenSchema, revokeApiToken } from '../../app/auth/api-tokens.server';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

// API tokens for /api/v1 from the command line (the owner's Tokens page does
// the same): created tokens are printed once and stored only as a hash.

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens for /api/v1 (ingest: send data; read: reports)');
  token
    .command('create')
    .description('create a token and print it once (it cannot be shown again)')
    .requiredOption('--workspace <slug>', 'workspace the token writes to (or reads)')
    .requiredOption('--scope <scope>', 'ingest | read')
    .option('--name <name>', 'where it is used, e.g. "website"', 'cli')
    .action(async (o: { workspace: string; scope: string; name: string }) => {
      const parsed = newTokenSchema.safeParse({ name: o.name, scope: o.scope });
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const created = await createApiToken(db, { workspaceId: ws.id, name: parsed.data.name, scope: parsed.data.scope });
        console.error(`created ${created.scope} token #${created.id} "${created.name}" for ${ws.slug}; store it now, it is not shown again:`);
        console.log(created.token);
      });
    });
  token
    .command('list')
    .description('list the tokens of a workspace (never the tokens themselves)')
    .requiredOption('--workspace <slug>', 'workspace')
    .action(async (o: { workspace: string }) => {
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const rows = await listApiTokens(db, ws.id);
        if (rows.length === 0) console.log('no tokens');
        for (const t of rows) {
          const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : 'never used';
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
          console.log([t.id, t.name, t.scope, `created ${t.createdAt.toISOString()}`, used, state].join('\t'));
        }
      });
    });
  token
    .command('revoke')
    .description('revoke a token: requests with it get 401 from now on')
    .requiredOption('--workspace <slug>', 'workspace')
    .requiredOption('--id <id>', 'token id (see token list)')
    .action(async (o: { workspace: string; id: string }) => {
      if (!/^\d{1,9}$/.test(o.id)) throw new CliError('--id: a token id (a whole number, see: leadpath token list)');
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        if (!(await revokeApiToken(db, ws.id, Number(o.id)))) throw new CliError(`no active token #${o.id} in ${ws.slug}`);
        console.log(`revoked token #${o.id}`);
      });
    });
}
