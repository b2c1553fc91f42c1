import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { OUTCOMES } from '../../app/domain/pipeline';
import { getPreset, listPresets, presetNames, statusMapFor } from '../../app/import/presets/index';
import { normalizeStatus } from '../../app/import/presets/preset';
import {
  computeGoogleAdsUpload,
  computeMetricaUpload,
  CONVERSION_PLATFORMS,
  METRICA_IDS,
  type ConversionFile,
} from '../../app/reports/conversions';
import { deleteConversionGoal, getConversionCandidates, getConversionGoals, setConversionGoal } from '../../db/queries/conversions';
import { deleteStatusMapEntry, getStatusMapOverrides, setStatusMapEntry } from '../../db/queries/presets';
import { getPipelineStages } from '../../db/queries/workspaces';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

// Closing the loop (offline conversions out to Google Ads and Yandex Metrica),
// the workspace settings behind it (which stage is which conversion), and the
// presets' own settings (list them; edit a CRM preset's status map).

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

const exportOptionsSchema = z.object({
  platform: z.enum(CONVERSION_PLATFORMS),
  stage: z.string().trim().min(1),
  from: day,
  to: day,
  conversionName: z.string().trim().min(1).max(200).optional(),
  id: z.enum(METRICA_IDS).default('client-id'),
  out: z.string().min(1).optional(),
  workspace: z.string().optional(),
}).refine((o) => o.from <= o.to, { message: 'must not be after --to', path: ['from'] });

const goalSchema = z.object({
  platform: z.enum(CONVERSION_PLATFORMS),
  stage: z.string().trim().min(1),
  name: z.string().trim().min(1).max(200),
  workspace: z.string().optional(),
});

const statusSchema = z.object({
  preset: z.string().min(1),
  status: z.string().trim().min(1).max(200),
  stage: z.string().trim().min(1),
  outcome: z.enum(OUTCOMES),
  workspace: z.string().optional(),
});

export function registerExportCommands(program: Command): void {
  const exp = program.command('export').description('export data to other tools');
  exp
    .command('conversions')
    .description('write leads that reached a stage (qualified, won with value, ...) as an offline conversion upload file')
    .requiredOption('--platform <platform>', `${CONVERSION_PLATFORMS.join(' | ')}`)
    .requiredOption('--stage <stage>', 'pipeline stage that counts as the conversion (e.g. qualified, won)')
    .requiredOption('--from <date>', 'first day of conversions, YYYY-MM-DD (workspace time zone)')
    .requiredOption('--to <date>', 'last day of conversions, YYYY-MM-DD')
    .option('--conversion-name <name>', 'Google Ads conversion action name / Metrica goal id (default: the one set with conversion-goal set)')
    .option('--id <type>', 'Yandex Metrica identifier column: client-id (ClientId) | yclid (Yclid)', 'client-id')
    .option('--out <file>', 'write the file here instead of to standard output')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (raw: Record<string, string | undefined>) => {
      const parsed = exportOptionsSchema.safeParse(raw);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const o = parsed.data;
      const file = await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const stages = await getPipelineStages(db, ws.id);
        const stage = stages.find((s) => s.toLowerCase() === o.stage.toLowerCase());
        if (!stage) throw new CliError(`--stage: unknown stage "${o.stage}" (pipeline: ${stages.join(', ')})`);
        const goal = (await getConversionGoals(db, ws.id)).find((g) => g.platform === o.platform && g.stage === stage);
        const name = o.conversionName ?? goal?.conversionName;
        if (!name) {
          throw new CliError(`no conversion name for ${stage} on ${o.platform}: pass --conversion-name, or set one: npx leadpath conversion-goal set --platform ${o.platform} --stage ${stage} --name "..."`);
        }
        const rows = await getConversionCandidates(db, ws, { stage, from: o.from, to: o.to });
        return o.platform === 'google-ads'
          ? computeGoogleAdsUpload(rows, { conversionName: name, timeZone: ws.time_zone, currency: ws.currency })
          : computeMetricaUpload(rows, { target: name, currency: ws.currency, id: o.id });
      });
      await writeOut(file, o.out);
    });

  const goals = program.command('conversion-goal').description('which pipeline stage is which conversion on an ad platform');
  goals
    .command('set')
    .description('name the conversion a stage is sent as (Google Ads conversion action, Metrica goal id)')
    .requiredOption('--platform <platform>', CONVERSION_PLATFORMS.join(' | '))
    .requiredOption('--stage <stage>', 'pipeline stage')
    .requiredOption('--name <name>', 'conversion name on the platform')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (raw: Record<string, string | undefined>) => {
      const parsed = goalSchema.safeParse(raw);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const o = parsed.data;
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const stages = await getPipelineStages(db, ws.id);
        const stage = stages.find((s) => s.toLowerCase() === o.stage.toLowerCase());
        if (!stage) throw new CliError(`--stage: unknown stage "${o.stage}" (pipeline: ${stages.join(', ')})`);
        await setConversionGoal(db, ws.id, { platform: o.platform, stage, conversionName: o.name });
        console.log(`${o.platform}: leads reaching ${stage} are sent as "${o.name}"`);
      });
    });
  goals
    .command('list')
    .description('list the conversion goals of a workspace')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { workspace?: string }) => {
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const all = await getConversionGoals(db, ws.id);
        if (all.length === 0) console.log('no conversion goals (set one: npx leadpath conversion-goal set ...)');
        for (const g of all) console.log(`${g.platform}\t${g.stage}\t${g.conversionName}`);
      });
    });
  goals
    .command('delete')
    .description('forget a conversion goal')
    .requiredOption('--platform <platform>', CONVERSION_PLATFORMS.join(' | '))
    .requiredOption('--stage <stage>', 'pipeline stage')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { platform: string; stage: string; workspace?: string }) => {
      const platform = z.enum(CONVERSION_PLATFORMS).safeParse(o.platform);
      if (!platform.success) throw new CliError(`--platform: one of ${CONVERSION_PLATFORMS.join(', ')}`);
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        console.log((await deleteConversionGoal(db, ws.id, platform.data, o.stage)) ? 'deleted' : 'no such goal');
      });
    });

  program
    .command('presets')
    .description('list the import presets: the platform exports Leadpath reads, the kind each becomes and the columns each needs')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const all = listPresets();
      if (o.json) {
        console.log(JSON.stringify(all, null, 2));
        return;
      }
      for (const p of all) {
        console.log(`${p.name}\t${p.kind}\t${p.label}`);
        console.log(`    needs: ${p.expects.join(', ')}`);
        if (p.optional.length > 0) console.log(`    reads: ${p.optional.join(', ')}`);
        console.log(`    files: ${p.encodings.join(' / ')}, separated by ${p.delimiters.join(' ')}; docs: ${p.docs}`);
        if (p.companion) console.log(`    then:  ${p.companion} over the same file`);
      }
      console.log('\nimport with: npx leadpath import auto <file>   or   npx leadpath import <kind> <file> --preset NAME');
    });

  const maps = program.command('status-map').description("a CRM preset's map from its statuses to pipeline stages and outcomes");
  maps
    .command('list')
    .description('show the status map a preset uses in a workspace (defaults and edits)')
    .requiredOption('--preset <name>', 'bitrix24 | amocrm | hubspot-deals')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { preset: string; workspace?: string }) => {
      const preset = statusPreset(o.preset);
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const edits = await getStatusMapOverrides(db, ws.id, preset.name);
        const edited = new Set(edits.map((e) => e.status.toLowerCase()));
        for (const e of [...(preset.statusMap ?? []).filter((d) => !edited.has(d.status.toLowerCase())), ...edits]) {
          console.log(`${e.status}\t${e.stage}\t${e.outcome}${edited.has(e.status.toLowerCase()) ? '\t(edited)' : ''}`);
        }
      });
    });
  maps
    .command('set')
    .description('map a status to a stage and outcome (junk and lost statuses keep the status as the reason)')
    .requiredOption('--preset <name>', 'bitrix24 | amocrm | hubspot-deals')
    .requiredOption('--status <status>', 'the status as the CRM writes it (code or name)')
    .requiredOption('--stage <stage>', 'pipeline stage')
    .requiredOption('--outcome <outcome>', OUTCOMES.join(' | '))
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (raw: Record<string, string | undefined>) => {
      const parsed = statusSchema.safeParse(raw);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const o = parsed.data;
      const preset = statusPreset(o.preset);
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const stages = await getPipelineStages(db, ws.id);
        const stage = stages.find((s) => s.toLowerCase() === o.stage.toLowerCase());
        if (!stage) throw new CliError(`--stage: unknown stage "${o.stage}" (pipeline: ${stages.join(', ')})`);
        await setStatusMapEntry(db, ws.id, preset.name, { status: o.status, stage, outcome: o.outcome });
        const now = statusMapFor(preset, await getStatusMapOverrides(db, ws.id, preset.name)).get(normalizeStatus(o.status));
        console.log(`${preset.name}: "${o.status}" → ${now?.stage} (${now?.outcome}); re-import the file to apply it`);
      });
    });
  maps
    .command('delete')
    .description("drop a workspace's edit (the preset's default applies again)")
    .requiredOption('--preset <name>', 'bitrix24 | amocrm | hubspot-deals')
    .requiredOption('--status <status>', 'the status')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (o: { preset: string; status: string; workspace?: string }) => {
      const preset = statusPreset(o.preset);
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        console.log((await deleteStatusMapEntry(db, ws.id, preset.name, o.status)) ? 'deleted' : 'no such edit');
      });
    });
}

function statusPreset(name: string) {
  const preset = getPreset(name);
  if (!preset) throw new CliError(`--preset: unknown preset "${name}" (presets: ${presetNames().join(', ')})`);
  if (!preset.statusMap) throw new CliError(`--preset: ${name} has no status map (presets with one: ${listPresets().filter((p) => p.hasStatusMap).map((p) => p.name).join(', ')})`);
  return preset;
}

async function writeOut(file: ConversionFile, out: string | undefined): Promise<void> {
  if (out) await writeFile(path.resolve(out), file.text, 'utf8');
  else process.stdout.write(file.text);
  const skipped = file.skipped.length > 0 ? `; ${file.skipped.length} lead(s) left out: ${summarise(file.skipped.map((s) => s.reason))}` : '';
  process.stderr.write(`${file.exported} conversion(s) written${out ? ` to ${out}` : ''}${skipped}\n`);
}

function summarise(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).join(', ');
}
