import { KIND_SPECS, IMPORT_KINDS, type ImportKind } from '../formats';
import { amocrm } from './amocrm';
import { bitrix24 } from './bitrix24';
import { callrail } from './callrail';
import { calltouch } from './calltouch';
import { ga4BigQuery } from './ga4-bigquery';
import { googleAds } from './google-ads';
import { hubspotDeals, hubspotDealStages } from './hubspot';
import { metaAds } from './meta-ads';
import { offlineMedia } from './offline-media';
import { bindHeader, normalizeStatus, type Preset, type PresetContext, type StatusMapEntry, type StatusTarget } from './preset';
import { detectDelimiter, normalizeHeader, splitLine, type Delimiter } from './sniff';
import { vkAds } from './vk-ads';
import { yandexDirect } from './yandex-direct';
import { yandexMetricaLogs } from './yandex-metrica';

// Every preset, in the order the Data page lists them, and auto-detection:
// which preset (or canonical kind) a file's header is.

export const PRESETS: readonly Preset[] = [
  googleAds, metaAds, yandexDirect, vkAds, offlineMedia,
  ga4BigQuery, yandexMetricaLogs,
  callrail, calltouch,
  bitrix24, amocrm, hubspotDeals, hubspotDealStages,
];

const byName = new Map(PRESETS.map((p) => [p.name, p]));

export function getPreset(name: string): Preset | undefined {
  return byName.get(name);
}

export function presetNames(): string[] {
  return PRESETS.map((p) => p.name);
}

/** What the Data page and `leadpath presets` show for each preset. */
export interface PresetSummary {
  name: string;
  label: string;
  kind: ImportKind;
  docs: string;
  expects: readonly string[];
  optional: readonly string[];
  unmapped: readonly string[];
  encodings: readonly string[];
  delimiters: readonly string[];
  hasStatusMap: boolean;
  companion: string | null;
}

export function listPresets(): PresetSummary[] {
  return PRESETS.map((p) => ({
    name: p.name,
    label: p.label,
    kind: p.kind,
    docs: p.docs,
    expects: p.expects,
    optional: p.optional,
    unmapped: p.unmapped,
    encodings: p.encodings,
    delimiters: p.delimiters.map((d) => (d === '\t' ? 'tab' : d)),
    hasStatusMap: Boolean(p.statusMap),
    companion: p.companion ?? null,
  }));
}

/** The preset's default status map overlaid with a workspace's edits, keyed by normalised status. */
export function statusMapFor(preset: Preset, overrides: readonly StatusMapEntry[]): Map<string, StatusTarget> {
  const map = new Map<string, StatusTarget>();
  for (const e of [...(preset.statusMap ?? []), ...overrides]) map.set(normalizeStatus(e.status), { stage: e.stage, outcome: e.outcome });
  return map;
}

export function presetContext(preset: Preset, base: Omit<PresetContext, 'statusMap'>, overrides: readonly StatusMapEntry[]): PresetContext {
  return { ...base, statusMap: statusMapFor(preset, overrides) };
}

/** A format a header can be: a preset, or a canonical kind written as the data contract says. */
export type Candidate =
  | { type: 'preset'; preset: Preset; kind: ImportKind; score: number; headerIndex: number; delimiter: Delimiter; missing: string[] }
  | { type: 'canonical'; kind: ImportKind; score: number; headerIndex: number; delimiter: Delimiter; missing: string[] };

export const candidateName = (c: Candidate) => (c.type === 'preset' ? c.preset.name : `canonical ${c.kind}`);

/** Every preset and canonical kind scored against the first lines of a file, best first. */
export function rankCandidates(lines: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const preset of PRESETS) {
    if (preset.companionOnly) continue;
    const headerIndex = preset.findHeader(lines);
    const at = headerIndex === -1 ? firstNonEmpty(lines) : headerIndex;
    const delimiter = detectDelimiter(lines, at);
    const header = splitLine(lines[at] ?? '', delimiter);
    out.push({ type: 'preset', preset, kind: preset.kind, score: preset.detect(header), headerIndex: at, delimiter, missing: bindHeader(preset, header).missing });
  }
  const at = firstNonEmpty(lines);
  const delimiter = detectDelimiter(lines, at);
  const header = splitLine(lines[at] ?? '', delimiter);
  for (const kind of IMPORT_KINDS) {
    const { score, missing } = canonicalScore(kind, header);
    out.push({ type: 'canonical', kind, score, headerIndex: at, delimiter, missing });
  }
  // Ties: canonical first (its names are exact), then the registry order.
  return out.sort((a, b) => b.score - a.score || (a.type === b.type ? 0 : a.type === 'canonical' ? -1 : 1));
}

/** A canonical header scores like a preset: its required columns, then how many of its cells are the kind's columns. */
export function canonicalScore(kind: ImportKind, header: readonly string[]): { score: number; missing: string[] } {
  const spec = KIND_SPECS[kind];
  const cells = new Set(header.map(normalizeHeader));
  const required = spec.columns.filter((c) => c.required).map((c) => c.name);
  const missing = required.filter((c) => !cells.has(c));
  const known = header.filter((h) => spec.columns.some((c) => c.name === normalizeHeader(h))).length;
  const r = (required.length - missing.length) / required.length;
  const fit = header.length === 0 ? 0 : known / header.length;
  return { score: missing.length === 0 ? 0.8 + 0.2 * fit : 0.7 * r * fit, missing };
}

export interface Detection {
  /** The chosen format, or null when no format has all its required columns. */
  chosen: Candidate | null;
  /** The best three, for the message when nothing fits (or to show what was close). */
  closest: Candidate[];
}

/** Auto-detection: the best candidate with every required column; with a `kind`, only formats of that kind. */
export function detectFormat(lines: readonly string[], kind?: ImportKind): Detection {
  const ranked = rankCandidates(lines).filter((c) => !kind || c.kind === kind);
  const chosen = ranked.find((c) => c.missing.length === 0) ?? null;
  return { chosen, closest: ranked.slice(0, 3) };
}

/** The message for a header nothing recognises: the closest formats and what each misses. */
export function unknownFormatMessage(closest: readonly Candidate[]): string {
  const lines = closest.map((c) => `  ${candidateName(c)} (${c.kind}): missing ${c.missing.map((m) => `"${m}"`).join(', ') || 'nothing'}`);
  return [
    'the header matches no preset and no canonical kind; the closest are:',
    ...lines,
    `(see npx leadpath presets; force one with: npx leadpath import <kind> <file> --preset NAME)`,
  ].join('\n');
}

function firstNonEmpty(lines: readonly string[]): number {
  const i = lines.findIndex((l) => l.trim() !== '');
  return i === -1 ? 0 : i;
}

/** The header line of a file for a preset that was named (not detected): its own finder, else the first line. */
export function headerLineFor(preset: Preset, lines: readonly string[]): number {
  const i = preset.findHeader(lines);
  return i === -1 ? firstNonEmpty(lines) : i;
}

export type { Preset, PresetContext, StatusMapEntry, StatusTarget };
