import type { ImportKind } from '../formats';
import type { OUTCOMES } from '../../domain/pipeline';
import { DELIMITERS, normalizeHeader, splitLine, type Delimiter, type Encoding } from './sniff';

// A preset maps one platform's export onto a canonical kind: which header
// spellings feed which of its fields, how to find the header under title
// rows, and mapRow, a pure function from one record of the export to
// canonical cells. Its output is canonical CSV text, validated by the same
// row schema as a canonical file: a preset can only rename and reformat.

/** One column the preset reads: the spellings the platform uses for it (any UI language). */
export interface PresetField {
  key: string;
  headers: readonly string[];
  required?: boolean;
  /** Canonical columns this field feeds: errors in them name this field's column in the file. */
  feeds?: readonly string[];
}

/** A family of columns (HubSpot's "Date entered …" per stage): each matching header becomes `${key}#${capture}`. */
export interface PresetPattern {
  key: string;
  pattern: RegExp;
  required?: boolean;
  feeds?: readonly string[];
  /** How the pattern reads in messages and on the Data page. */
  label: string;
}

export type Outcome = (typeof OUTCOMES)[number];

export interface StatusTarget {
  stage: string;
  outcome: Outcome;
}

export interface StatusMapEntry extends StatusTarget {
  status: string;
}

export interface PresetContext {
  timeZone: string;
  currency: string;
  /** Pipeline stages of the workspace, in order. */
  stages: readonly string[];
  /** Status (lower-cased, trimmed) → stage and outcome: the preset's defaults overlaid with the workspace's edits. */
  statusMap: ReadonlyMap<string, StatusTarget>;
}

/** A problem with a cell of the export that no canonical column could report (an unknown status). */
export class PresetRowIssue {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly reason: string,
  ) {}
}

export type CanonicalRow = Record<string, string>;
export type MapResult = CanonicalRow | CanonicalRow[] | 'skip' | PresetRowIssue;
export type PresetRecord = Readonly<Record<string, string>>;

export interface Preset {
  name: string;
  label: string;
  kind: ImportKind;
  /** The platform documentation page the mapping follows. */
  docs: string;
  /** The columns it needs, as the platform spells them (first spelling of each required field). */
  expects: readonly string[];
  /** Columns it also reads when present. */
  optional: readonly string[];
  encodings: readonly Encoding[];
  delimiters: readonly Delimiter[];
  fields: readonly PresetField[];
  patterns: readonly PresetPattern[];
  /** Columns of the export it does not map, and why (shown on the Data page). */
  unmapped: readonly string[];
  /** Default status map (CRM presets): editable per workspace. */
  statusMap?: readonly StatusMapEntry[];
  /** Another preset to run over the same file after this one (stage history after the leads). */
  companion?: string;
  /** Not offered by auto-detection (a companion, chosen through its main preset). */
  companionOnly?: boolean;
  /** Index of the header line among the first lines of the file, or -1. */
  findHeader(lines: readonly string[]): number;
  /** 0..1: how well a header matches; 1 only when every required column is there. */
  detect(header: readonly string[]): number;
  /** Lines after the data that are no record (Yandex Direct's "Total rows: 12"). */
  isTrailer?(cells: readonly string[]): boolean;
  mapRow(record: PresetRecord, ctx: PresetContext): MapResult;
}

export type PresetSpec = Omit<Preset, 'expects' | 'optional' | 'findHeader' | 'detect' | 'patterns' | 'unmapped'> &
  Partial<Pick<Preset, 'findHeader' | 'detect' | 'patterns' | 'unmapped'>>;

export function definePreset(spec: PresetSpec): Preset {
  const patterns = spec.patterns ?? [];
  const preset: Preset = {
    ...spec,
    patterns,
    unmapped: spec.unmapped ?? [],
    expects: [
      ...spec.fields.filter((f) => f.required).map((f) => f.headers[0]!),
      ...patterns.filter((p) => p.required).map((p) => p.label),
    ],
    optional: [
      ...spec.fields.filter((f) => !f.required).map((f) => f.headers[0]!),
      ...patterns.filter((p) => !p.required).map((p) => p.label),
    ],
    findHeader: spec.findHeader ?? ((lines) => findHeaderLine(lines, (cells) => matchScore(preset, cells))),
    detect: spec.detect ?? ((header) => matchScore(preset, header)),
  };
  return preset;
}

/** The normalised spellings of each field, computed once per preset. */
const spellings = new WeakMap<Preset, Map<string, string>>();

function spellingIndex(preset: Preset): Map<string, string> {
  let index = spellings.get(preset);
  if (!index) {
    index = new Map();
    for (const f of preset.fields) {
      for (const h of f.headers) {
        const n = normalizeHeader(h);
        if (!index.has(n)) index.set(n, f.key);
      }
    }
    spellings.set(preset, index);
  }
  return index;
}

export interface HeaderBinding {
  /** Column index → record key. */
  columns: { index: number; key: string; header: string }[];
  /** Record key → the header as written in the file. */
  headerOf: Map<string, string>;
  /** Required fields (and patterns) with no column. */
  missing: string[];
  /** Header cells no field reads. */
  ignored: string[];
}

/** Which column of this header feeds which field; the first spelling found wins, a second column for the same field is ignored. */
export function bindHeader(preset: Preset, header: readonly string[]): HeaderBinding {
  const index = spellingIndex(preset);
  const columns: HeaderBinding['columns'] = [];
  const headerOf = new Map<string, string>();
  const ignored: string[] = [];
  const rank = new Map<string, number>();
  header.forEach((cell, i) => {
    const n = normalizeHeader(cell);
    const key = index.get(n);
    if (key) {
      const field = preset.fields.find((f) => f.key === key)!;
      const r = field.headers.findIndex((h) => normalizeHeader(h) === n);
      const prev = rank.get(key);
      if (prev === undefined || r < prev) {
        if (prev !== undefined) {
          const at = columns.findIndex((c) => c.key === key);
          ignored.push(columns[at]!.header);
          columns.splice(at, 1);
        }
        rank.set(key, r);
        columns.push({ index: i, key, header: cell.trim() });
        headerOf.set(key, cell.trim());
      } else ignored.push(cell.trim());
      return;
    }
    for (const p of preset.patterns) {
      const m = p.pattern.exec(cell.trim());
      if (m) {
        const k = `${p.key}#${(m.slice(1).find((x) => x !== undefined) ?? '').trim()}`;
        columns.push({ index: i, key: k, header: cell.trim() });
        headerOf.set(k, cell.trim());
        return;
      }
    }
    if (cell.trim() !== '') ignored.push(cell.trim());
  });
  const missing = [
    ...preset.fields.filter((f) => f.required && !headerOf.has(f.key)).map((f) => f.headers[0]!),
    ...preset.patterns.filter((p) => p.required && ![...headerOf.keys()].some((k) => k.startsWith(`${p.key}#`))).map((p) => p.label),
  ];
  columns.sort((a, b) => a.index - b.index);
  return { columns, headerOf, missing, ignored };
}

/**
 * 0..1. Only a header with every required column scores 0.8 or more; then
 * the optional columns found and the share of the header the preset reads
 * decide between presets that fit.
 */
export function matchScore(preset: Preset, header: readonly string[]): number {
  const b = bindHeader(preset, header);
  const required = preset.fields.filter((f) => f.required).length + preset.patterns.filter((p) => p.required).length;
  const optional = preset.fields.length + preset.patterns.length - required;
  const keys = new Set([...b.headerOf.keys()].map((k) => k.split('#')[0]!));
  const reqFound = preset.fields.filter((f) => f.required && keys.has(f.key)).length + preset.patterns.filter((p) => p.required && keys.has(p.key)).length;
  const optFound = preset.fields.filter((f) => !f.required && keys.has(f.key)).length + preset.patterns.filter((p) => !p.required && keys.has(p.key)).length;
  const r = required === 0 ? 1 : reqFound / required;
  const o = optional === 0 ? 1 : optFound / optional;
  // Among formats that fit, the one that reads more of the file wins.
  const cells = header.filter((h) => h.trim() !== '').length;
  const read = cells === 0 ? 0 : b.columns.length / cells;
  return reqFound === required ? 0.8 + 0.1 * o + 0.1 * read : 0.7 * r + 0.09 * o;
}

/** The first of the first 30 lines whose cells (by any separator) score best, skipping title rows above the header. */
export function findHeaderLine(lines: readonly string[], score: (cells: string[]) => number): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    for (const d of DELIMITERS) {
      const cells = splitLine(lines[i]!, d);
      if (cells.length < 2) continue;
      const s = score(cells);
      if (s > bestScore + 1e-9) {
        best = i;
        bestScore = s;
      }
    }
    if (bestScore >= 0.8) break;
  }
  return best;
}

/** A totals or summary row's label ("Total: Account", «Итого», «Усього»). */
export const isTotalLabel = (text: string): boolean => /^(total|totals|всего|итого|итоги|усього|разом)(?=[\s:.,]|$)/i.test(text.trim());

/** Record value by key ('' when the column is absent). */
export const cell = (r: PresetRecord, key: string): string => (r[key] ?? '').trim();

/** First non-empty value among keys. */
export const firstOf = (r: PresetRecord, ...keys: string[]): string => {
  for (const k of keys) {
    const v = cell(r, k);
    if (v !== '') return v;
  }
  return '';
};

/** Values of a pattern's columns: [capture, value] in column order. */
export function patternValues(r: PresetRecord, key: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(r)) if (k.startsWith(`${key}#`)) out.push([k.slice(key.length + 1), v]);
  return out;
}

/** Looks a status up in the context's map; a PresetRowIssue naming the CLI command that maps it when unknown. */
export function statusTarget(preset: string, field: string, status: string, ctx: PresetContext): StatusTarget | PresetRowIssue {
  const key = normalizeStatus(status);
  const target = ctx.statusMap.get(key);
  if (target) return target;
  return new PresetRowIssue(
    field,
    status,
    `unknown status "${status}": map it with npx leadpath status-map set --preset ${preset} --status "${status}" --stage <${ctx.stages.join('|')}> --outcome <open|won|lost|junk>`,
  );
}

export function normalizeStatus(status: string): string {
  return status.trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}
