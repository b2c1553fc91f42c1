import { z } from 'zod';
import { LEAD_KINDS, OUTCOMES, TEMPERATURES } from '../domain/pipeline';
import * as f from './fields';
import type { CellParser, ParseContext } from './fields';

// The canonical import formats of ../shared/data-contract.md, one spec per
// kind: its columns (name, required, parser), the SQL type each value is
// staged as, and the natural key. Row validation is a zod schema built from
// the spec, so every row error carries the column it belongs to.

export const IMPORT_KINDS = ['spend', 'sessions', 'tracking_numbers', 'calls', 'leads', 'lead_stages', 'plans'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type SqlType = 'text' | 'bigint' | 'integer' | 'numeric' | 'date' | 'timestamptz';

export interface ColumnSpec {
  name: string;
  required: boolean;
  parse: CellParser;
  sql: SqlType;
  /** Value stored when the cell is empty ('' for text dimensions that are part of a key). */
  empty?: string;
}

export interface KindSpec {
  kind: ImportKind;
  table: string;
  columns: ColumnSpec[];
  /** Columns (after derivation) forming the natural key, workspace_id excluded. */
  key: string[];
  /** Extra columns computed from the parsed row (channel, click ids, ...). */
  derived: { name: string; sql: SqlType }[];
  /** Cross-column rules; return a [column, reason] per problem. */
  check?: (row: Record<string, string | null>) => [string, string][];
  /** Text columns that end up together in one b-tree key (the natural key or a rollup's), whose size PostgreSQL caps. */
  indexedText?: string[];
}

/**
 * UTF-8 bytes the text of one b-tree key may take. PostgreSQL refuses an index
 * entry past 2704 bytes (with a database error that names no row); this
 * leaves room for the entry's other columns and headers.
 */
export const MAX_INDEXED_TEXT_BYTES = 2500;

const col = (name: string, required: boolean, parse: CellParser, sql: SqlType = 'text', empty?: string): ColumnSpec => ({
  name, required, parse, sql, empty,
});

const dim = (name: string, lower = false): ColumnSpec => col(name, false, lower ? f.lowerText() : f.text(), 'text', '');

export const KIND_SPECS: Record<ImportKind, KindSpec> = {
  spend: {
    kind: 'spend',
    table: 'spend',
    columns: [
      col('date', true, f.date(), 'date'),
      col('source', true, f.lowerText()),
      col('medium', true, f.lowerText()),
      col('campaign', true, f.text()),
      dim('ad_group'),
      dim('ad'),
      dim('region'),
      col('impressions', false, f.integer(0, Number.MAX_SAFE_INTEGER), 'bigint'),
      col('clicks', false, f.integer(0, Number.MAX_SAFE_INTEGER), 'bigint'),
      col('cost', true, f.decimal('0'), 'numeric'),
      col('currency', false, f.currency()),
    ],
    key: ['date', 'source', 'medium', 'campaign', 'ad_group', 'ad', 'region'],
    derived: [{ name: 'channel', sql: 'text' }],
    indexedText: ['source', 'medium', 'campaign', 'ad_group', 'ad', 'region'],
    check: (r) => (r.impressions !== null && r.clicks !== null && Number(r.clicks) > Number(r.impressions)
      ? [['clicks', `clicks (${r.clicks}) exceed impressions (${r.impressions})`]]
      : []),
  },
  sessions: {
    kind: 'sessions',
    table: 'sessions',
    columns: [
      col('session_id', true, f.text(200)),
      col('visitor_id', true, f.text(200)),
      col('started_at', true, f.timestamp(), 'timestamptz'),
      dim('source', true),
      dim('medium', true),
      dim('campaign'),
      dim('content'),
      dim('term'),
      col('landing_page', false, f.text(f.MAX_URL)),
      col('referrer', false, f.text(f.MAX_URL)),
      dim('region'),
      dim('device', true),
      col('pageviews', false, f.integer(1), 'integer'),
    ],
    key: ['session_id'],
    derived: [
      { name: 'channel', sql: 'text' },
      { name: 'gclid', sql: 'text' },
      { name: 'yclid', sql: 'text' },
      { name: 'fbclid', sql: 'text' },
    ],
    // daily_traffic's key (monthly_traffic's and campaigns' are parts of it).
    indexedText: ['source', 'medium', 'campaign', 'content', 'region', 'device'],
  },
  tracking_numbers: {
    kind: 'tracking_numbers',
    table: 'tracking_numbers',
    columns: [
      col('number', true, f.phone()),
      col('kind', true, f.oneOf(['static', 'pool'])),
      dim('source', true),
      dim('medium', true),
      dim('campaign'),
      col('valid_from', false, f.date(), 'date', '-infinity'),
      col('valid_to', false, f.date(), 'date', 'infinity'),
    ],
    key: ['number', 'valid_from'],
    derived: [{ name: 'channel', sql: 'text' }],
    indexedText: ['source', 'medium', 'campaign'],
    check: (r) => {
      const problems: [string, string][] = [];
      if (r.kind === 'static') {
        for (const c of ['source', 'medium', 'campaign']) {
          if (!r[c]) problems.push([c, `required for a static number (where it was shown)`]);
        }
      }
      if (r.valid_from && r.valid_to && r.valid_from !== '-infinity' && r.valid_to !== 'infinity' && r.valid_from > r.valid_to) {
        problems.push(['valid_to', `before valid_from (${r.valid_from})`]);
      }
      return problems;
    },
  },
  calls: {
    kind: 'calls',
    table: 'calls',
    columns: [
      col('call_id', true, f.text(200)),
      col('started_at', true, f.timestamp(), 'timestamptz'),
      col('caller_phone', true, f.phone()),
      col('tracking_number', true, f.phone()),
      col('session_id', false, f.text(200)),
      col('duration_sec', false, f.integer(0), 'integer'),
      col('status', true, f.oneOf(['answered', 'missed'])),
      dim('manager'),
      dim('region'),
    ],
    key: ['call_id'],
    derived: [],
  },
  leads: {
    kind: 'leads',
    table: 'leads',
    columns: [
      col('lead_id', true, f.text(200)),
      col('created_at', true, f.timestamp(), 'timestamptz'),
      col('kind', true, f.oneOf(LEAD_KINDS)),
      col('session_id', false, f.text(200)),
      col('visitor_id', false, f.text(200)),
      col('call_id', false, f.text(200)),
      col('phone', false, f.phone()),
      col('email', false, f.email()),
      dim('source', true),
      dim('medium', true),
      dim('campaign'),
      dim('region'),
      dim('manager'),
      dim('product'),
      col('customer_id', false, f.text(200)),
      col('temperature', false, f.oneOf(TEMPERATURES)),
      col('stage', true, f.stage()),
      col('outcome', true, f.oneOf(OUTCOMES)),
      col('loss_reason', false, f.text()),
      col('amount', false, f.decimal('0'), 'numeric'),
      col('closed_at', false, f.timestamp(), 'timestamptz'),
    ],
    key: ['lead_id'],
    derived: [{ name: 'channel', sql: 'text' }],
    indexedText: ['source', 'medium', 'campaign'],
    check: (r) => {
      const problems: [string, string][] = [];
      if (r.outcome === 'open' && r.closed_at) problems.push(['closed_at', 'an open lead has no closing time']);
      return problems;
    },
  },
  lead_stages: {
    kind: 'lead_stages',
    table: 'lead_stages',
    columns: [
      col('lead_id', true, f.text(200)),
      col('stage', true, f.stage()),
      col('entered_at', true, f.timestamp(), 'timestamptz'),
      dim('manager'),
    ],
    key: ['lead_id', 'stage', 'entered_at'],
    derived: [],
  },
  plans: {
    kind: 'plans',
    table: 'plans',
    columns: [
      col('month', true, f.month(), 'date'),
      col('channel', false, f.channel(), 'text', ''),
      dim('region'),
      dim('manager'),
      col('leads', false, f.integer(0), 'integer'),
      col('max_cpl', false, f.decimal('0'), 'numeric'),
      col('budget', false, f.decimal('0'), 'numeric'),
      col('sales', false, f.integer(0), 'integer'),
      col('revenue', false, f.decimal('0'), 'numeric'),
    ],
    key: ['month', 'channel', 'region', 'manager'],
    derived: [],
    indexedText: ['channel', 'region', 'manager'],
  },
};

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** Columns stored in the target table (and the staging table), in order. */
export function storedColumns(spec: KindSpec): { name: string; sql: SqlType }[] {
  return [
    ...spec.columns.filter((c) => c.name !== 'currency').map((c) => ({ name: c.name, sql: c.sql })),
    ...spec.derived,
  ];
}

export type ParsedRow = Record<string, string | null>;

/**
 * The zod schema of one CSV row of a kind: cells in (by lower-cased header
 * name), parsed values out; each issue's path names its column. The cells are
 * checked in one row-level transform rather than one transform per field:
 * the same checks, measured three times faster on the import's hot path.
 */
export function rowSchema(spec: KindSpec, ctx: ParseContext) {
  const cells = z.object(Object.fromEntries(spec.columns.map((c) => [c.name, z.string().optional()])));
  return cells.transform((row, zctx) => {
    const out: ParsedRow = {};
    let valid = true;
    for (const c of spec.columns) {
      const cell = row[c.name] ?? '';
      if (c.required && cell.trim() === '') {
        zctx.issues.push({ code: 'custom', message: 'required value is empty', input: cell, path: [c.name] });
        valid = false;
        continue;
      }
      const r = c.parse(cell, ctx);
      if (!r.ok) {
        zctx.issues.push({ code: 'custom', message: r.reason, input: cell, path: [c.name] });
        valid = false;
        continue;
      }
      out[c.name] = r.value ?? c.empty ?? null;
    }
    if (valid) {
      for (const [column, reason] of spec.check?.(out) ?? []) {
        zctx.issues.push({ code: 'custom', message: reason, input: out[column], path: [column] });
      }
      const tooLong = spec.indexedText && indexedTextProblem(spec.indexedText, out);
      if (tooLong) zctx.issues.push({ code: 'custom', message: tooLong[1], input: out[tooLong[0]], path: [tooLong[0]] });
    }
    return out;
  });
}

/** [the longest column, reason] when the columns' text together is past MAX_INDEXED_TEXT_BYTES. */
function indexedTextProblem(columns: readonly string[], row: ParsedRow): [string, string] | null {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most rows are decided without encoding anything.
  let units = 0;
  for (const c of columns) units += row[c]?.length ?? 0;
  if (units * 3 <= MAX_INDEXED_TEXT_BYTES) return null;
  const bytes = columns.map((c) => [c, utf8Length(row[c] ?? '')] as const);
  const total = bytes.reduce((sum, [, n]) => sum + n, 0);
  if (total <= MAX_INDEXED_TEXT_BYTES) return null;
  const [longest, n] = bytes.reduce((a, b) => (b[1] > a[1] ? b : a));
  return [longest, `${columns.join(', ')} take ${total} bytes together (UTF-8), more than the ${MAX_INDEXED_TEXT_BYTES} they may: shorten ${longest} (${n} bytes)`];
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) n += 1;
    else if (u < 0x800) n += 2;
    else if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Click ids carried in a landing page URL, for offline conversion export. */
export function clickIds(landingPage: string | null): { gclid: string | null; yclid: string | null; fbclid: string | null } {
  const none = { gclid: null, yclid: null, fbclid: null };
  if (!landingPage || !landingPage.includes('clid=')) return none;
  const query = landingPage.slice(landingPage.indexOf('?') + 1).split('#')[0] ?? '';
  // What URLSearchParams(query).get(name) gives, without decoding every pair
  // of every landing page (a tenth of the sessions import's parse time): the
  // pairs are split on '&' as it does, and only a wanted pair is decoded.
  const found: Record<'gclid' | 'yclid' | 'fbclid', string | null | undefined> = { gclid: undefined, yclid: undefined, fbclid: undefined };
  for (const pair of (query.startsWith('?') ? query.slice(1) : query).split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    if (/[%+]/.test(rawName)) return clickIdsOf(new URLSearchParams(query));
    if (rawName !== 'gclid' && rawName !== 'yclid' && rawName !== 'fbclid') continue;
    if (found[rawName] !== undefined) continue;
    const raw = eq === -1 ? '' : pair.slice(eq + 1);
    found[rawName] = /[%+]/.test(raw) ? new URLSearchParams(`v=${raw}`).get('v') : raw;
  }
  return { gclid: clickId(found.gclid), yclid: clickId(found.yclid), fbclid: clickId(found.fbclid) };
}

const clickId = (v: string | null | undefined) => (v && v.length <= 512 ? v : null);

function clickIdsOf(params: URLSearchParams) {
  return { gclid: clickId(params.get('gclid')), yclid: clickId(params.get('yclid')), fbclid: clickId(params.get('fbclid')) };
}
