import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { IMPORT_KINDS, isImportKind } from '../../app/import/formats';
import { loadDemo, yesterdayIn, DEMO_WORKSPACE } from '../../db/demo';
import { ImportFormatError, runImport, type ImportResult } from '../../db/import/run-import';
import { presetNames } from '../../app/import/presets/index';
import { listImports, listRejectedRows } from '../../db/queries/imports';
import { generateSeed } from '../../seeds/generate';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

const seedOptionsSchema = z.object({
  scale: z.enum(['demo', 'small', 'large']),
  seed: z.coerce.number().int().min(0).max(2 ** 31),
  out: z.string().min(1),
  end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
});

export function registerDataCommands(program: Command): void {
  program
    .command('seed')
    .description('generate deterministic demo data as canonical CSV files')
    .option('--scale <scale>', 'demo (a year, ~50k sessions) | small (tests) | large (~5M sessions, 2 years)', 'demo')
    .option('--seed <n>', 'random seed: the same seed gives the same files', '42')
    .option('--out <dir>', 'output folder', 'seed-data')
    .option('--end <date>', 'last day of data, YYYY-MM-DD (default: yesterday in Europe/Kyiv)')
    .action(async (o: Record<string, string | undefined>) => {
      const parsed = seedOptionsSchema.safeParse({ ...o, end: o.end ?? yesterdayIn(DEMO_WORKSPACE.timeZone) });
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const started = Date.now();
      const summary = await generateSeed({ scale: parsed.data.scale, seed: parsed.data.seed, outDir: path.resolve(parsed.data.out), endDate: parsed.data.end });
      for (const [kind, f] of Object.entries(summary.files)) console.log(`${kind}\t${f.rows}\t${f.path}`);
      console.log(`data from ${summary.startDate} to ${summary.endDate}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

  program
    .command('demo')
    .description('create the demo workspace and import generated data into it (what the app does on an empty database)')
    .option('--scale <scale>', 'demo | small | large', 'demo')
    .option('--seed <n>', 'random seed', '42')
    .option('--slug <slug>', 'workspace slug', DEMO_WORKSPACE.slug)
    .option('--end <date>', 'last day of data, YYYY-MM-DD (default: yesterday)')
    .action(async (o: { scale: string; seed: string; slug: string; end?: string }) => {
      const parsed = seedOptionsSchema.pick({ scale: true, seed: true }).safeParse(o);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      await withConnection(async ({ db }) => {
        const { workspace } = await loadDemo(db, { ...parsed.data, slug: o.slug, endDate: o.end, log: (l) => console.log(l) });
        console.log(`demo workspace "${workspace.slug}" is ready`);
      });
    });

  program
    .command('import')
    .description(`import a canonical CSV file or a platform export (see: npx leadpath presets); kinds: auto, ${IMPORT_KINDS.join(', ')}`)
    .argument('<kind>', 'what the file holds, or auto: recognise the preset (or canonical kind) from the header')
    .argument('<file>', 'path of the CSV/TSV file')
    .option('--workspace <slug>', 'target workspace (default: the only one)')
    .option('--preset <name>', `read the file as this platform's export (${presetNames().join(', ')})`)
    .option('--skip-invalid', 'import the valid rows and store the invalid ones as rejects')
    .option('--json', 'print the result as JSON')
    .action(async (kind: string, file: string, o: { workspace?: string; preset?: string; skipInvalid?: boolean; json?: boolean }) => {
      if (kind !== 'auto' && !isImportKind(kind)) throw new CliError(`unknown kind "${kind}" (kinds: auto, ${IMPORT_KINDS.join(', ')})`);
      const result = await withConnection(async ({ db }) => {
        const workspace = await resolveWorkspace(db, o.workspace);
        const tty = process.stderr.isTTY;
        try {
          return await runImport(db, {
            workspace,
            kind,
            file: path.resolve(file),
            preset: o.preset ?? null,
            skipInvalid: o.skipInvalid,
            actor: `cli:${process.env.USER ?? 'unknown'}`,
            onProgress: tty
              ? (p) => process.stderr.write(`\r${p.phase === 'reading' ? `${p.rowsRead.toLocaleString('en')} rows read, ${p.rowsPerSecond.toLocaleString('en')} rows/s` : `writing ${p.rowsRead.toLocaleString('en')} rows…`}   `)
              : undefined,
          });
        } catch (error) {
          if (error instanceof ImportFormatError) throw new CliError(`${path.basename(file)}: ${error.message}`);
          throw error;
        }
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (o.json) console.log(JSON.stringify(result, null, 2));
      else printImportResult(result);
      const all = [result, ...result.companions];
      if (all.some((r) => r.status !== 'succeeded')) {
        throw new CliError(result.status !== 'succeeded' ? 'import failed: nothing was changed' : 'the follow-up import failed: the first import stays');
      }
    });

  program
    .command('imports')
    .description('list recent imports of a workspace')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { workspace?: string; limit: string }) => {
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const rows = await listImports(db, ws.id, Number(o.limit) || 20);
        console.log(['id', 'started', 'kind', 'file', 'status', 'read', 'inserted', 'updated', 'unchanged', 'rejected', 'ms'].join('\t'));
        for (const r of rows) {
          console.log([r.id, r.started_at.toISOString(), r.kind, r.file_name, r.status, r.rows_read, r.rows_inserted, r.rows_updated, r.rows_unchanged, r.rows_rejected, r.duration_ms ?? ''].join('\t'));
        }
      });
    });

  program
    .command('rejects')
    .description('list the rejected rows of an import (line, column, value, reason)')
    .argument('<import-id>', 'id from "leadpath imports"')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .action(async (id: string, o: { workspace?: string }) => {
      const importId = Number(id);
      if (!Number.isInteger(importId) || importId <= 0) throw new CliError(`"${id}" is not an import id`);
      await withConnection(async ({ db }) => {
        const ws = await resolveWorkspace(db, o.workspace);
        const rows = await listRejectedRows(db, ws.id, importId);
        if (rows.length === 0) console.log('no rejected rows');
        for (const r of rows) console.log(`line ${r.line}\t${r.column_name ?? '-'}\t${JSON.stringify(r.value ?? '')}\t${r.reason}`);
      });
    });
}

export function printImportResult(r: ImportResult): void {
  if (r.format) console.log(`read as ${r.format}`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
  for (const e of r.errors) {
    const where = `${e.file}:${e.line}${e.column ? ` column ${e.column}` : ''}`;
    console.log(`${where}: ${e.reason}${e.value !== null ? ` (value: ${JSON.stringify(e.value)})` : ''}`);
  }
  if (r.errorCount > r.errors.length) console.log(`… and ${r.errorCount - r.errors.length} more errors (${r.errorCount} in all; see: npx leadpath rejects ${r.importId})`);
  const rate = r.durationMs > 0 ? Math.round((r.rowsRead / r.durationMs) * 1000) : r.rowsRead;
  if (process.env.LEADPATH_DEBUG) console.log(`phases (ms): ${JSON.stringify(r.phases)}`);
  console.log(
    `${r.status === 'succeeded' ? 'imported' : 'FAILED'} ${r.kind} from ${r.file}${r.preset ? ` (preset ${r.preset})` : ''}: ${r.rowsRead} rows read, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected in ${(r.durationMs / 1000).toFixed(1)} s (${rate.toLocaleString('en')} rows/s) [import ${r.importId}]`,
  );
  for (const c of r.companions) printImportResult(c);
}
