import { sql } from 'kysely';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { channelResolver, FALLBACK_CHANNEL } from '../../app/domain/channels';
import type { ParseContext } from '../../app/import/fields';
import { clickIds, KIND_SPECS, rowSchema, storedColumns, type ImportKind, type KindSpec, type ParsedRow } from '../../app/import/formats';
import {
  detectFormat,
  getPreset,
  headerLineFor,
  presetContext,
  presetNames,
  unknownFormatMessage,
  type Candidate,
} from '../../app/import/presets/index';
import { bindHeader, PresetRowIssue, type CanonicalRow, type HeaderBinding, type Preset, type PresetContext } from '../../app/import/presets/preset';
import { detectDelimiter, normalizeHeader, sniff, SNIFF_BYTES, type Encoding } from '../../app/import/presets/sniff';
import { poolOf, type Db } from '../client';
import type { Workspace } from '../schema';
import { getStatusMapOverrides } from '../queries/presets';
import { getChannelRules, getPipelineStages } from '../queries/workspaces';
import { dbOnClient } from './client-db';
import { copyTextLine } from './copy-text';
import { CsvSyntaxError, decodeStream, dropLines, openCsv, parseCsv, peekBytes, type CsvStream } from './csv-source';
import { afterImport, beforeUpsert } from './after-import';

// One import path for every source: stream the CSV, validate each row with the
// kind's zod schema, COPY valid rows into a temporary staging table, check what
// needs the whole file or the database (duplicate keys, references), then
// upsert into the target table, all in one transaction. With any invalid row
// and no skipInvalid, the transaction is rolled back: nothing changes. The
// first file of a kind in a workspace skips the staging table (copyDirect).

export interface RowError {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportProgress {
  rowsRead: number;
  rowsPerSecond: number;
  phase: 'reading' | 'writing';
}

export interface ImportOptions {
  workspace: Workspace;
  /** What the file holds; 'auto' recognises the preset (or canonical kind) from the header. */
  kind: ImportKind | 'auto';
  /** A file path, or a stream plus the name to report it by. */
  file: string | { stream: Readable; name: string };
  skipInvalid?: boolean;
  actor?: string;
  /** A preset (app/import/presets) to read the file with: a real export instead of a canonical file. */
  preset?: string | null;
  /** Set when this import is a preset's companion (stage history after the deals): the main preset's name. */
  companionOf?: string;
  delimiter?: string;
  onProgress?: (p: ImportProgress) => void;
  /**
   * A transaction the caller owns (BEGIN done, COMMIT/ROLLBACK theirs): the
   * import runs inside it, under a savepoint, and so does everything it
   * writes, the import_jobs record and its rejects included. A failed import
   * rolls back to that savepoint and leaves the caller's transaction usable
   * (its import_jobs row then says 'failed'); a caller's rollback undoes the
   * import and its record together. The transaction's TimeZone and work_mem
   * are restored and the import's temporary tables dropped afterwards, so
   * several imports can run in one transaction.
   */
  transaction?: pg.PoolClient;
}

/** A file whose header no preset and no canonical kind matches (kind 'auto'), or a preset that does not exist. */
export class ImportFormatError extends Error {
  constructor(
    message: string,
    /** The closest formats, best first (empty for an unknown preset name). */
    readonly closest: readonly Candidate[] = [],
    readonly importId: number | null = null,
  ) {
    super(message);
  }
}

export interface ImportResult {
  importId: number;
  kind: ImportKind;
  file: string;
  status: 'succeeded' | 'failed';
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first MAX_REPORTED_ERRORS errors; errorCount has them all. */
  errors: RowError[];
  errorCount: number;
  warnings: string[];
  durationMs: number;
  /** Milliseconds per phase: read (parse, validate, COPY), check, upsert, derive (rollups, stitching), commit. */
  phases: Record<string, number>;
  /** The preset the file was read with (null: a canonical file). */
  preset: string | null;
  /** How the file was read, for people: "Google Ads campaign / ad group report: preset google-ads, spend (recognised from the header); utf-8, ','-separated, header on line 3". Null on the canonical fast path. */
  format: string | null;
  /** Imports run after this one over the same file (HubSpot stage history after the deals). */
  companions: ImportResult[];
}

export const MAX_REPORTED_ERRORS = 100;

/** PostgreSQL text cannot hold U+0000: shown as ␀ (U+2400) in errors, warnings and messages about the file. */
const storable = (s: string) => s.replaceAll('\u0000', '\u2400');
/** Past this many invalid rows the file is refused whole: it is not the file it claims to be. */
export const MAX_STORED_ERRORS = 100_000;
const PROGRESS_EVERY = 50_000;
const ANALYZE_AFTER_ROWS = 50_000;
const COPY_CHUNK_CHARS = 1 << 18;

export async function runImport(pooled: Db, opts: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const outer = opts.transaction;
  // Inside a caller's transaction every query goes through its client.
  const db = outer ? dbOnClient(outer) : pooled;
  const fileName = typeof opts.file === 'string' ? path.basename(opts.file) : opts.file.name;
  const ws = opts.workspace;
  const plan = await planFormat(db, opts, fileName, started);
  const spec = KIND_SPECS[plan.kind];
  const job = await db
    .insertInto('import_jobs')
    .values({
      workspace_id: ws.id,
      kind: plan.kind,
      file_name: fileName,
      preset: plan.preset?.name ?? null,
      actor: opts.actor ?? 'cli',
      status: 'running',
      skip_invalid: opts.skipInvalid ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const importId = job.id;

  const errors: RowError[] = [];
  const warnings: string[] = [];
  const phases: Record<string, number> = {};
  let phaseStart = Date.now();
  const lap = (name: string) => {
    const now = Date.now();
    phases[name] = (phases[name] ?? 0) + (now - phaseStart);
    phaseStart = now;
  };
  const counts = { rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const addError = (line: number, column: string | null, value: string | null, reason: string) => {
    errors.push({
      file: fileName,
      line,
      column: column === null ? null : storable(column),
      value: value === null ? null : storable(value.slice(0, 500)),
      reason: storable(reason),
    });
  };

  const rules = await getChannelRules(db, ws.id);
  const ctx: ParseContext = {
    phoneCountry: ws.phone_country,
    currency: ws.currency,
    stages: await getPipelineStages(db, ws.id),
    channels: [...new Set([...rules.map((r) => r.channel), FALLBACK_CHANNEL])],
  };

  const client = outer ?? (await poolOf(pooled).connect());
  const tx = await beginImportTransaction(client, !outer);
  let committed = false;
  let fatal: string | null = null;
  let presetHeader: string[] | null = null;
  /** Rows COPYed straight into the target table (a first import), or null: staged. */
  let direct: number | null = null;
  try {
    await client.query(`select set_config('TimeZone', $1, true)`, [ws.time_zone]);
    // Sorts and hashes of a large file stay in memory instead of spilling to disk.
    await client.query(`select set_config('work_mem', '128MB', true)`);
    const columns = storedColumns(spec);
    await client.query(
      `create temporary table import_stage (line bigint not null, ${columns.map((c) => `"${c.name}" ${c.sql}`).join(', ')}) on commit drop`,
    );

    const csv = await plan.open();
    if (!csv) {
      fatal = 'the file is empty: a header row is required';
      addError(1, null, null, fatal);
    } else if (plan.preset) {
      presetHeader = csv.header;
      const binding = bindHeader(plan.preset, csv.header);
      if (binding.missing.length > 0) {
        fatal = `preset ${plan.preset.name} needs the column(s) ${binding.missing.map((m) => `"${m}"`).join(', ')}; the header on line ${plan.headerLine} has: ${csv.header.filter((h) => h.trim()).join(', ')}`;
        for (const m of binding.missing) addError(plan.headerLine, m, null, `required column is missing (preset ${plan.preset.name} needs: ${plan.preset.expects.join(', ')})`);
      } else {
        if (binding.ignored.length > 0 && !opts.companionOf) warnings.push(`columns not read by preset ${plan.preset.name}: ${binding.ignored.join(', ')}`);
        const pctx = presetContext(
          plan.preset,
          { timeZone: ws.time_zone, currency: ws.currency, stages: ctx.stages },
          plan.preset.statusMap ? await getStatusMapOverrides(db, ws.id, plan.preset.name) : [],
        );
        let skipped = 0;
        await copyPresetRows(client, spec, ctx, csv, { preset: plan.preset, binding, pctx, encoding: plan.encoding }, {
          onRow: () => counts.rowsRead++,
          onSkip: () => skipped++,
          addError,
          onProgress: opts.onProgress,
          tooMany: () => errors.length > MAX_STORED_ERRORS,
          derive: deriver(spec.kind, channelResolver(rules)),
        });
        if (skipped > 0) warnings.push(`${skipped} row(s) skipped by preset ${plan.preset.name} (totals, summaries, other events)`);
        if (errors.length > MAX_STORED_ERRORS) fatal = `more than ${MAX_STORED_ERRORS} invalid rows`;
        lap('read');
      }
    } else {
      const headerProblems = checkHeader(spec, csv.header);
      for (const p of headerProblems.errors) addError(1, p.column, null, p.reason);
      warnings.push(...headerProblems.warnings);
      if (headerProblems.errors.length > 0) {
        fatal = headerProblems.errors.map((e) => `${e.column}: ${e.reason}`).join('; ');
        const hint = presetHint(csv.header, plan.kind);
        if (hint) {
          fatal += `; ${hint}`;
          warnings.push(hint);
        }
      } else {
        const hooks = {
          onRow: () => counts.rowsRead++,
          addError,
          onProgress: opts.onProgress,
          tooMany: () => errors.length > MAX_STORED_ERRORS,
          derive: deriver(spec.kind, channelResolver(rules)),
        };
        if (typeof opts.file === 'string' && spec.kind !== 'lead_stages' && (await isFirstImport(client, spec, ws.id))) {
          direct = await copyDirect(client, spec, ctx, csv, hooks, ws.id, importId);
          if (direct === null) {
            // A key repeats in the file: read it again through the staging table, which reports or merges repeats.
            errors.length = 0;
            counts.rowsRead = 0;
            await copyRows(client, spec, ctx, (await plan.open())!, hooks);
          }
        } else {
          await copyRows(client, spec, ctx, csv, hooks);
        }
        if (errors.length > MAX_STORED_ERRORS) fatal = `more than ${MAX_STORED_ERRORS} invalid rows`;
        lap('read');
      }
    }

    if (!fatal && direct !== null) {
      if (errors.length > 0 && !opts.skipInvalid) {
        await tx.rollback();
      } else {
        // The derived-table refresh reads the new rows as import_stage: all of the workspace's rows of this kind.
        await client.query('drop table import_stage');
        await client.query(`create temporary view import_stage as select * from ${spec.table} where workspace_id = ${Number(ws.id)}`);
        await client.query(`analyze ${spec.table}`);
        counts.inserted = direct;
        lap('check');
        await afterImport(client, spec.kind, ws, { fresh: true });
        await client.query('drop view import_stage');
        lap('derive');
        if (counts.inserted > 0) await client.query('update workspaces set data_version = data_version + 1 where id = $1', [ws.id]);
        await tx.commit();
        committed = true;
        lap('commit');
      }
    } else if (!fatal) {
      // Fresh statistics so the planner sizes joins and sorts on the staged rows right.
      await client.query('analyze import_stage');
      const { repeated } = await checkStagedRows(client, spec, ws.id, fileName, errors, warnings);
      lap('check');
      const hasErrors = errors.length > 0;
      if (hasErrors && !opts.skipInvalid) {
        await tx.rollback();
      } else {
        if (hasErrors) {
          const badLines = [...new Set(errors.map((e) => e.line))];
          await client.query('delete from import_stage where line = any($1::bigint[])', [badLines]);
        }
        opts.onProgress?.({ rowsRead: counts.rowsRead, rowsPerSecond: 0, phase: 'writing' });
        const fresh = repeated === 0 && (await isFirstImport(client, spec, ws.id));
        if (!fresh) await beforeUpsert(client, spec.kind, ws);
        const up = fresh ? await insertFresh(client, spec, ws.id, importId) : await upsert(client, spec, ws.id, importId);
        counts.inserted = up.inserted;
        counts.updated = up.updated;
        counts.unchanged = up.staged - up.inserted - up.updated;
        lap('upsert');
        await afterImport(client, spec.kind, ws, { fresh });
        lap('derive');
        // Caches are keyed by data_version: an import that changed no row (a replay) keeps them.
        if (counts.inserted + counts.updated > 0) await client.query('update workspaces set data_version = data_version + 1 where id = $1', [ws.id]);
        await tx.commit();
        committed = true;
        lap('commit');
      }
    } else {
      await tx.rollback();
    }
  } catch (error) {
    await tx.rollback().catch(() => {});
    if (error instanceof CsvSyntaxError) {
      fatal = `CSV syntax error: ${error.message}`;
      addError(error.line, null, null, fatal);
    } else {
      // The original error matters more than a failure to record it (a broken connection fails both).
      await finishJob(db, ws.id, importId, 'failed', counts, warnings, String((error as Error).message ?? error), started).catch(() => {});
      throw error;
    }
  } finally {
    if (outer) await tx.restore().catch(() => {});
    else client.release();
  }

  counts.rejected = committed ? new Set(errors.map((e) => e.line)).size : 0;
  const status = committed ? 'succeeded' : 'failed';
  const companion = committed && plan.preset?.companion && presetHeader ? getPreset(plan.preset.companion) : undefined;
  const runCompanion = companion && bindHeader(companion, presetHeader!).missing.length === 0;
  if (runCompanion && typeof opts.file !== 'string') {
    warnings.push(`the file also holds ${companion.label}: import it again with --preset ${companion.name}`);
  }
  await storeRejects(db, ws.id, importId, errors);
  const errorSummary = committed ? null : fatal ?? `${errors.length} invalid row value(s); nothing was imported`;
  if (committed && counts.inserted + counts.updated >= ANALYZE_AFTER_ROWS) {
    // Fresh planner statistics right away: until autovacuum gets to a table that
    // just grew by millions of rows, the first reports run on stale plans.
    // (A direct first import analyzed the table inside its transaction already.)
    if (!outer && direct === null) await sql`analyze ${sql.table(spec.table)}`.execute(db);
  }
  const durationMs = await finishJob(db, ws.id, importId, status, counts, warnings, errorSummary, started);
  const result: ImportResult = {
    importId,
    kind: plan.kind,
    file: fileName,
    status,
    ...counts,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    errorCount: errors.length,
    warnings,
    durationMs,
    phases,
    preset: plan.preset?.name ?? null,
    format: plan.description,
    companions: [],
  };
  if (runCompanion && typeof opts.file === 'string') {
    result.companions.push(await runImport(pooled, { ...opts, kind: companion.kind, preset: companion.name, companionOf: plan.preset!.name }));
  }
  return result;
}

interface ImportTransaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** In a caller's transaction, after commit or rollback: its settings back, the import's temporary tables dropped. */
  restore(): Promise<void>;
}

/** BEGIN on a connection of our own; a savepoint in the caller's transaction. */
async function beginImportTransaction(client: pg.PoolClient, own: boolean): Promise<ImportTransaction> {
  if (own) {
    await client.query('begin');
    return {
      commit: async () => void (await client.query('commit')),
      rollback: async () => void (await client.query('rollback')),
      restore: async () => {},
    };
  }
  const tempTables = `select c.relname from pg_class c where c.relnamespace = pg_my_temp_schema() and c.relkind = 'r'`;
  const before = new Set((await client.query<{ relname: string }>(tempTables)).rows.map((r) => r.relname));
  const settings = await client.query<{ tz: string; work_mem: string }>(
    `select current_setting('TimeZone') as tz, current_setting('work_mem') as work_mem`,
  );
  await client.query('savepoint leadpath_import');
  let open = true;
  return {
    commit: async () => {
      await client.query('release savepoint leadpath_import');
      open = false;
    },
    rollback: async () => {
      if (!open) return;
      await client.query('rollback to savepoint leadpath_import');
      await client.query('release savepoint leadpath_import');
      open = false;
    },
    restore: async () => {
      const { tz, work_mem } = settings.rows[0]!;
      await client.query(`select set_config('TimeZone', $1, true), set_config('work_mem', $2, true)`, [tz, work_mem]);
      const created = (await client.query<{ relname: string }>(tempTables)).rows.map((r) => r.relname).filter((n) => !before.has(n));
      if (created.length > 0) await client.query(`drop table if exists ${created.map((n) => `pg_temp."${n}"`).join(', ')}`);
    },
  };
}

interface FormatPlan {
  kind: ImportKind;
  preset: Preset | null;
  encoding: Encoding;
  /** 1-based line of the header. */
  headerLine: number;
  description: string | null;
  open(): Promise<CsvStream | null>;
}

/**
 * How to read the file. A canonical import with a named kind opens the file
 * straight away (the fast path, untouched by presets). With a preset or kind
 * 'auto', the first 64 KB are sniffed for the encoding, the header line under
 * any title rows and the separator, and, for 'auto', the format.
 */
async function planFormat(db: Db, opts: ImportOptions, fileName: string, started: number): Promise<FormatPlan> {
  const openInput = () => (typeof opts.file === 'string' ? createReadStream(opts.file, { highWaterMark: 1 << 20 }) : opts.file.stream);
  if (opts.kind !== 'auto' && !opts.preset) {
    return { kind: opts.kind, preset: null, encoding: 'utf-8', headerLine: 1, description: null, open: () => openCsv(openInput(), opts.delimiter) };
  }
  let preset: Preset | null = null;
  if (opts.preset) {
    preset = getPreset(opts.preset) ?? null;
    if (!preset) throw new ImportFormatError(`unknown preset "${opts.preset}" (presets: ${presetNames().join(', ')})`);
    if (opts.kind !== 'auto' && preset.kind !== opts.kind) {
      throw new ImportFormatError(`preset ${preset.name} reads ${preset.kind} files, not ${opts.kind}`);
    }
  }
  const peek = await peekBytes(openInput(), SNIFF_BYTES);
  const sniffed = sniff(peek.head, peek.complete);
  let kind: ImportKind;
  let headerIndex: number;
  let delimiter: string;
  let how: string;
  if (preset) {
    kind = preset.kind;
    headerIndex = headerLineFor(preset, sniffed.lines);
    delimiter = opts.delimiter ?? detectDelimiter(sniffed.lines, headerIndex);
    how = opts.companionOf ? `run after ${opts.companionOf} over the same file` : 'chosen with --preset';
  } else {
    const detection = detectFormat(sniffed.lines);
    if (!detection.chosen) {
      const message = unknownFormatMessage(detection.closest);
      const importId = await logFailedAttempt(db, opts, fileName, message, started);
      throw new ImportFormatError(message, detection.closest, importId);
    }
    const chosen = detection.chosen;
    kind = chosen.kind;
    headerIndex = chosen.headerIndex;
    delimiter = opts.delimiter ?? chosen.delimiter;
    preset = chosen.type === 'preset' ? chosen.preset : null;
    how = 'recognised from the header';
  }
  const chosenPreset = preset;
  const what = chosenPreset ? `${chosenPreset.label}: preset ${chosenPreset.name}, ${kind}` : `canonical ${kind}`;
  const separator = delimiter === '\t' ? 'tab' : `'${delimiter}'`;
  return {
    kind,
    preset: chosenPreset,
    encoding: sniffed.encoding,
    headerLine: headerIndex + 1,
    description: `${what} (${how}); ${sniffed.encoding}, ${separator}-separated, header on line ${headerIndex + 1}`,
    open: async () => {
      const text = decodeStream(peek.stream, sniffed.encoding);
      const records = parseCsv(headerIndex > 0 ? dropLines(text, headerIndex) : text, delimiter, { firstLine: headerIndex + 1 })[Symbol.asyncIterator]();
      const first = await records.next();
      if (first.done) return null;
      const header = first.value.cells.map((h) => (chosenPreset ? h.trim() : h.trim().toLowerCase()));
      return { header, records: { [Symbol.asyncIterator]: () => records } };
    },
  };
}

/** An 'auto' import of a file nothing recognises is still logged, as a failed attempt. */
async function logFailedAttempt(db: Db, opts: ImportOptions, fileName: string, message: string, started: number): Promise<number> {
  const job = await db
    .insertInto('import_jobs')
    .values({
      workspace_id: opts.workspace.id,
      kind: opts.kind,
      file_name: fileName,
      preset: null,
      actor: opts.actor ?? 'cli',
      status: 'failed',
      skip_invalid: opts.skipInvalid ?? false,
      finished_at: new Date(),
      duration_ms: Date.now() - started,
      error: storable(message),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return job.id;
}

/** When a canonical import fails on its header: the preset the header looks like, if one fits. */
function presetHint(header: string[], kind: ImportKind): string | null {
  const { chosen } = detectFormat([header.join('\t')], kind);
  if (!chosen || chosen.type !== 'preset') return null;
  return `this looks like a ${chosen.preset.label}: import it with --preset ${chosen.preset.name} (or: npx leadpath import auto <file>)`;
}

function checkHeader(spec: KindSpec, header: string[]) {
  const errors: { column: string; reason: string }[] = [];
  const warnings: string[] = [];
  const known = new Set(spec.columns.map((c) => c.name));
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) errors.push({ column: h, reason: 'column appears twice in the header' });
    seen.add(h);
    if (!known.has(h)) warnings.push(`unknown column "${h}" ignored`);
  }
  for (const c of spec.columns) {
    if (c.required && !seen.has(c.name)) errors.push({ column: c.name, reason: `required column is missing (a ${spec.kind} file needs: ${spec.columns.filter((x) => x.required).map((x) => x.name).join(', ')})` });
  }
  return { errors, warnings };
}

type Deriver = (row: ParsedRow) => (string | null)[];

/** Values of the kind's derived columns, from the parsed row. */
function deriver(kind: ImportKind, channelFor: (source: string, medium: string) => string): Deriver {
  switch (kind) {
    case 'spend':
      return (r) => [channelFor(r.source ?? '', r.medium ?? '')];
    case 'sessions':
      return (r) => {
        const ids = clickIds(r.landing_page ?? null);
        return [channelFor(r.source ?? '', r.medium ?? ''), ids.gclid, ids.yclid, ids.fbclid];
      };
    case 'tracking_numbers':
      return (r) => [r.kind === 'static' ? channelFor(r.source ?? '', r.medium ?? '') : null];
    case 'leads':
      // The explicit origin's channel, used only when a lead has no touch.
      return (r) => [r.source || r.medium ? channelFor(r.source ?? '', r.medium ?? '') : null];
    default:
      return () => [];
  }
}

interface CopyHooks {
  onRow: () => void;
  addError: (line: number, column: string | null, value: string | null, reason: string) => void;
  onProgress?: (p: ImportProgress) => void;
  tooMany: () => boolean;
  derive: Deriver;
}

/**
 * The first import of a kind into a workspace from a file: valid rows are
 * COPYed straight into the target table, so PostgreSQL inserts them and
 * maintains the indexes while this process parses the rest, with no staging
 * table to write, check and insert from. The primary key refuses a key that
 * repeats in the file: then the attempt is rolled back and null returned
 * (the caller reads the file again through the staging table). Returns the
 * rows written.
 */
async function copyDirect(client: pg.PoolClient, spec: KindSpec, ctx: ParseContext, csv: CsvStream, hooks: CopyHooks, workspaceId: number, importId: number): Promise<number | null> {
  await client.query('savepoint leadpath_direct_copy');
  try {
    const rows = await copyRows(client, spec, ctx, csv, hooks, { table: spec.table, workspaceId, importId });
    await client.query('release savepoint leadpath_direct_copy');
    return rows;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await client.query('rollback to savepoint leadpath_direct_copy');
    await client.query('release savepoint leadpath_direct_copy');
    return null;
  }
}

/** COPYs the valid rows into import_stage (line first), or into the target table (`into`); returns the rows written. */
async function copyRows(
  client: pg.PoolClient,
  spec: KindSpec,
  ctx: ParseContext,
  csv: CsvStream,
  hooks: CopyHooks,
  into?: { table: string; workspaceId: number; importId: number },
): Promise<number> {
  const schema = rowSchema(spec, ctx);
  const index = new Map(csv.header.map((h, i) => [h, i]));
  const specColumns = spec.columns.map((c) => ({ name: c.name, at: index.get(c.name) }));
  const stored = spec.columns.filter((c) => c.name !== 'currency').map((c) => c.name);
  const copy = client.query(copyFrom(into
    ? `copy ${into.table} (workspace_id, ${storedColumns(spec).map((c) => `"${c.name}"`).join(', ')}, import_id) from stdin`
    : `copy import_stage from stdin`));
  const first = into ? String(into.workspaceId) : null;
  const last = into ? String(into.importId) : null;
  let written = 0;
  const started = Date.now();
  let rows = 0;
  let chunk = '';

  async function* lines(): AsyncGenerator<string> {
    for await (const rec of csv.records) {
      rows++;
      hooks.onRow();
      if (hooks.onProgress && rows % PROGRESS_EVERY === 0) {
        hooks.onProgress({ rowsRead: rows, rowsPerSecond: Math.round(rows / ((Date.now() - started) / 1000)), phase: 'reading' });
      }
      if (rec.cells.length !== csv.header.length) {
        hooks.addError(rec.line, null, null, `the row has ${rec.cells.length} cells, the header has ${csv.header.length}`);
        continue;
      }
      const input: Record<string, string> = {};
      let badUtf8 = false;
      for (const c of specColumns) {
        if (c.at === undefined) continue;
        const cell = rec.cells[c.at] ?? '';
        if (cell.includes('\uFFFD')) {
          hooks.addError(rec.line, c.name, cell, 'invalid UTF-8 byte sequence (save the file as UTF-8)');
          badUtf8 = true;
        }
        input[c.name] = cell;
      }
      if (badUtf8) continue;
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? '');
          hooks.addError(rec.line, column || null, input[column] ?? null, issue.message);
        }
        if (hooks.tooMany()) return;
        continue;
      }
      const row = parsed.data as ParsedRow;
      const values: (string | null)[] = [first ?? String(rec.line)];
      for (const name of stored) values.push(row[name] ?? null);
      values.push(...hooks.derive(row));
      if (last !== null) values.push(last);
      chunk += copyTextLine(values);
      written++;
      if (chunk.length >= COPY_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }

  await pipeline(lines(), copy as unknown as Writable);
  return written;
}

interface PresetRead {
  preset: Preset;
  binding: HeaderBinding;
  pctx: PresetContext;
  encoding: Encoding;
}

/**
 * copyRows for a real export: each record of the file goes through the
 * preset's mapRow into canonical cells (none, one or several rows), then
 * through the same row schema as a canonical file. Errors name the file's
 * line and its own column ("Стоимость → cost") and show the cell as written.
 */
async function copyPresetRows(
  client: pg.PoolClient,
  spec: KindSpec,
  ctx: ParseContext,
  csv: CsvStream,
  read: PresetRead,
  hooks: {
    onRow: () => void;
    onSkip: () => void;
    addError: (line: number, column: string | null, value: string | null, reason: string) => void;
    onProgress?: (p: ImportProgress) => void;
    tooMany: () => boolean;
    derive: Deriver;
  },
): Promise<void> {
  const { preset, binding, pctx } = read;
  const schema = rowSchema(spec, ctx);
  const stored = spec.columns.filter((c) => c.name !== 'currency').map((c) => c.name);
  const origins = originMap(preset, binding);
  const originOf = (column: string, row: CanonicalRow): { header: string; key: string } | undefined => {
    const from = row['#from'];
    if (from) {
      const pattern = preset.patterns.find((p) => p.key === from.split('#')[0]);
      const header = binding.headerOf.get(from);
      if (pattern?.feeds?.includes(column) && header) return { header, key: from };
    }
    return origins.get(column);
  };
  const columnLabel = (header: string, column: string) => (normalizeHeader(header) === column ? header : `${header} → ${column}`);
  const copy = client.query(copyFrom(`copy import_stage from stdin`));
  const started = Date.now();
  let rows = 0;
  let chunk = '';

  async function* lines(): AsyncGenerator<string> {
    for await (const rec of csv.records) {
      if (preset.isTrailer?.(rec.cells)) {
        hooks.onSkip();
        continue;
      }
      rows++;
      hooks.onRow();
      if (hooks.onProgress && rows % PROGRESS_EVERY === 0) {
        hooks.onProgress({ rowsRead: rows, rowsPerSecond: Math.round(rows / ((Date.now() - started) / 1000)), phase: 'reading' });
      }
      // Exports drop trailing empty cells; only extra non-empty cells are an error.
      if (rec.cells.length > csv.header.length && rec.cells.slice(csv.header.length).some((c) => c.trim() !== '')) {
        hooks.addError(rec.line, null, null, `the row has ${rec.cells.length} cells, the header has ${csv.header.length}`);
        continue;
      }
      const record: Record<string, string> = {};
      let badBytes = false;
      for (const c of binding.columns) {
        const cell = rec.cells[c.index] ?? '';
        if (cell.includes('\uFFFD')) {
          hooks.addError(rec.line, c.header, cell, `invalid ${read.encoding} byte sequence (save the file as UTF-8)`);
          badBytes = true;
        }
        record[c.key] = cell;
      }
      if (badBytes) continue;
      const mapped = preset.mapRow(record, pctx);
      if (mapped === 'skip') {
        hooks.onSkip();
        continue;
      }
      if (mapped instanceof PresetRowIssue) {
        hooks.addError(rec.line, binding.headerOf.get(mapped.field) ?? mapped.field, mapped.value, mapped.reason);
        if (hooks.tooMany()) return;
        continue;
      }
      for (const row of Array.isArray(mapped) ? mapped : [mapped]) {
        const input: Record<string, string> = {};
        for (const c of spec.columns) {
          const v = row[c.name];
          if (v !== undefined) input[c.name] = v;
        }
        const parsed = schema.safeParse(input);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const column = String(issue.path[0] ?? '');
            const origin = column ? originOf(column, row) : undefined;
            hooks.addError(
              rec.line,
              origin ? columnLabel(origin.header, column) : column || null,
              origin ? record[origin.key] ?? input[column] ?? null : input[column] ?? null,
              issue.message,
            );
          }
          if (hooks.tooMany()) return;
          continue;
        }
        const out = parsed.data as ParsedRow;
        const values: (string | null)[] = [String(rec.line)];
        for (const name of stored) values.push(out[name] ?? null);
        values.push(...hooks.derive(out));
        chunk += copyTextLine(values);
      }
      if (chunk.length >= COPY_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }

  await pipeline(lines(), copy as unknown as Writable);
}

/** Canonical column → the file's column that feeds it (the first bound field or pattern that says it feeds it). */
function originMap(preset: Preset, binding: HeaderBinding): Map<string, { header: string; key: string }> {
  const out = new Map<string, { header: string; key: string }>();
  for (const f of preset.fields) {
    const header = binding.headerOf.get(f.key);
    if (!header) continue;
    for (const column of f.feeds ?? [f.key]) if (!out.has(column)) out.set(column, { header, key: f.key });
  }
  for (const p of preset.patterns) {
    const key = [...binding.headerOf.keys()].find((k) => k.startsWith(`${p.key}#`));
    if (!key) continue;
    for (const column of p.feeds ?? []) if (!out.has(column)) out.set(column, { header: binding.headerOf.get(key)!, key });
  }
  return out;
}

async function checkStagedRows(
  client: pg.PoolClient,
  spec: KindSpec,
  workspaceId: number,
  file: string,
  errors: RowError[],
  warnings: string[],
): Promise<{ repeated: number }> {
  const keyCols = spec.key.map((k) => `"${k}"`).join(', ');
  const nonKey = storedColumns(spec).map((c) => c.name).filter((c) => !spec.key.includes(c));
  const dupes = await client.query<{ n: number }>(
    `select (count(*) - count(distinct (${keyCols})))::int as n from import_stage`,
  );
  const repeated = dupes.rows[0]?.n ?? 0;
  let conflicting = 0;
  if (repeated > 0 && nonKey.length > 0) {
    const conflicts = await client.query<{ key: string; lines: string[] }>(
      `select concat_ws(', ', ${spec.key.map((k) => `'${k}=' || coalesce("${k}"::text, '')`).join(', ')}) as key,
              array_agg(line order by line)::text[] as lines
         from import_stage group by ${keyCols}
        having count(distinct row(${nonKey.map((c) => `"${c}"`).join(', ')})) > 1
        limit ${MAX_STORED_ERRORS}`,
    );
    for (const c of conflicts.rows) {
      const [first, ...rest] = c.lines.map(Number);
      conflicting += rest.length;
      for (const line of rest) {
        errors.push({ file, line, column: spec.key.join('+'), value: c.key, reason: `duplicate key with different values (first at line ${first})` });
      }
    }
  }
  const identical = repeated - conflicting;
  if (identical > 0) warnings.push(`${identical} row(s) repeat an earlier row with the same key and values; imported once`);

  if (spec.kind === 'lead_stages') {
    const orphans = await client.query<{ line: number; lead_id: string }>(
      `select s.line, s.lead_id from import_stage s
        where not exists (select 1 from leads l where l.workspace_id = $1 and l.lead_id = s.lead_id)
        order by s.line limit ${MAX_STORED_ERRORS}`,
      [workspaceId],
    );
    for (const o of orphans.rows) {
      errors.push({ file, line: Number(o.line), column: 'lead_id', value: o.lead_id, reason: 'no lead with this lead_id in the workspace (import leads first)' });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { repeated };
}

/**
 * True when the workspace has no row of this kind yet (nothing to upsert
 * against). Checked under a per-workspace-and-table lock so that two first
 * imports of the same kind cannot both take the plain-insert path.
 */
async function isFirstImport(client: pg.PoolClient, spec: KindSpec, workspaceId: number): Promise<boolean> {
  const empty = `select not exists (select 1 from ${spec.table} where workspace_id = $1) as empty`;
  if (!(await client.query<{ empty: boolean }>(empty, [workspaceId])).rows[0]?.empty) return false;
  await client.query(`select pg_advisory_xact_lock(hashtext($1), $2)`, [`leadpath.import.${spec.table}`, workspaceId]);
  return (await client.query<{ empty: boolean }>(empty, [workspaceId])).rows[0]?.empty ?? false;
}

/**
 * The first import of a kind into a workspace, with no key repeated in the
 * file: every staged row is new, so a plain INSERT does what the upsert would
 * (no sort for DISTINCT ON, no conflict checks, no changed-keys table) and
 * import_stage already holds exactly the changed rows.
 */
async function insertFresh(client: pg.PoolClient, spec: KindSpec, workspaceId: number, importId: number) {
  const cols = storedColumns(spec).map((c) => `"${c.name}"`).join(', ');
  const r = await client.query(`insert into ${spec.table} (workspace_id, ${cols}, import_id) select $1, ${cols}, $2 from import_stage`, [workspaceId, importId]);
  const inserted = r.rowCount ?? 0;
  return { staged: inserted, inserted, updated: 0 };
}

async function upsert(client: pg.PoolClient, spec: KindSpec, workspaceId: number, importId: number) {
  const cols = storedColumns(spec).map((c) => c.name);
  const key = spec.key;
  const nonKey = cols.filter((c) => !key.includes(c));
  const q = (c: string) => `"${c}"`;
  const conflict = nonKey.length === 0
    ? 'do nothing'
    : `do update set ${nonKey.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}, import_id = excluded.import_id
       where (${nonKey.map((c) => `t.${q(c)}`).join(', ')}, null::int) is distinct from (${nonKey.map((c) => `excluded.${q(c)}`).join(', ')}, null::int)`;
  // Changed keys are kept so that derived tables are refreshed for the rows
  // that really changed: re-importing an unchanged file does no work after this.
  await client.query(`create temporary table import_changed on commit drop as select ${key.map(q).join(', ')} from import_stage limit 0`);
  const result = await client.query<{ staged: number; inserted: number; updated: number }>(
    `with src as (
       select distinct on (${key.map(q).join(', ')}) * from import_stage order by ${key.map(q).join(', ')}, line desc
     ), up as (
       insert into ${spec.table} as t (workspace_id, ${cols.map(q).join(', ')}, import_id)
       select $1, ${cols.map(q).join(', ')}, $2 from src
       on conflict (workspace_id, ${key.map(q).join(', ')}) ${conflict}
       returning ${key.map((k) => `t.${q(k)}`).join(', ')}, (xmax = 0) as inserted
     ), changed as (
       insert into import_changed select ${key.map(q).join(', ')} from up returning 1
     )
     select (select count(*) from src)::int as staged,
            (count(*) filter (where inserted))::int as inserted,
            (count(*) filter (where not inserted))::int as updated
       from up`,
    [workspaceId, importId],
  );
  await client.query(
    `delete from import_stage s where not exists (select 1 from import_changed c where ${key.map((k) => `c.${q(k)} = s.${q(k)}`).join(' and ')})`,
  );
  const r = result.rows[0];
  return { staged: r?.staged ?? 0, inserted: r?.inserted ?? 0, updated: r?.updated ?? 0 };
}

async function storeRejects(db: Db, workspaceId: number, importId: number, errors: RowError[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < errors.length; i += CHUNK) {
    const part = errors.slice(i, i + CHUNK);
    await db
      .insertInto('rejected_rows')
      .values(part.map((e, j) => ({
        workspace_id: workspaceId,
        import_id: importId,
        seq: i + j + 1,
        line: e.line,
        column_name: e.column,
        value: e.value,
        reason: e.reason,
      })))
      .execute();
  }
}

async function finishJob(
  db: Db,
  workspaceId: number,
  importId: number,
  status: 'succeeded' | 'failed',
  counts: { rowsRead: number; inserted: number; updated: number; unchanged: number; rejected: number },
  warnings: string[],
  error: string | null,
  started: number,
): Promise<number> {
  const durationMs = Date.now() - started;
  await db
    .updateTable('import_jobs')
    .set({
      status,
      finished_at: new Date(),
      duration_ms: durationMs,
      rows_read: counts.rowsRead,
      rows_inserted: counts.inserted,
      rows_updated: counts.updated,
      rows_unchanged: counts.unchanged,
      rows_rejected: counts.rejected,
      warnings: JSON.stringify(warnings.map(storable)),
      error: error === null ? null : storable(error),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', importId)
    .execute();
  return durationMs;
}
