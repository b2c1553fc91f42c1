import type { Command } from 'commander';
import { migrateToLatest } from '../../db/migrate';
import { createWorkspace, listWorkspaces, newWorkspaceSchema } from '../../db/queries/workspaces';
import { rebuildWorkspace } from '../../db/analytics/rebuild';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

export function registerWorkspaceCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      await withConnection(async ({ db }) => {
        const results = await migrateToLatest(db);
        console.log(results.length === 0 ? 'database is up to date' : results.map((r) => `applied ${r.migrationName}`).join('\n'));
      });
    });

  const ws = program.command('workspace').description('create and list workspaces');
  ws.command('create')
    .description('create a workspace with the default channel rules and pipeline')
    .requiredOption('--slug <slug>', 'short id used in URLs and --workspace (a-z, 0-9, -)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--tz <zone>', 'IANA time zone for days, weeks and months (e.g. Europe/Kyiv)')
    .requiredOption('--currency <code>', 'ISO 4217 currency of spend and revenue (e.g. UAH)')
    .option('--phone-country <cc>', 'ISO 3166 country for reading national phone numbers (default: from --tz)')
    .action(async (o: { slug: string; name: string; tz: string; currency: string; phoneCountry?: string }) => {
      const input = { slug: o.slug, name: o.name, timeZone: o.tz, currency: o.currency, phoneCountry: o.phoneCountry };
      const parsed = newWorkspaceSchema.safeParse(input);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error, { timeZone: '--tz', phoneCountry: '--phone-country' }));
      await withConnection(async ({ db }) => {
        const created = await createWorkspace(db, input);
        console.log(`created workspace ${created.slug} (${created.name}, ${created.time_zone}, ${created.currency})`);
      });
    });
  ws.command('list')
    .description('list workspaces')
    .action(async () => {
      await withConnection(async ({ db }) => {
        const all = await listWorkspaces(db);
        if (all.length === 0) console.log('no workspaces');
        for (const w of all) console.log(`${w.slug}\t${w.name}\t${w.time_zone}\t${w.currency}`);
      });
    });
}

export function registerRebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description('re-derive channels from the rules and rebuild every derived table (rollups, touches, credits) from the raw rows')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { workspace?: string }) => {
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const started = Date.now();
        const { leads } = await rebuildWorkspace(db, ws);
        console.log(`rebuilt ${ws.slug}: ${leads} leads re-stitched in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    });
}
