import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { FILE_NAMES, KINDS, type Kind } from '../../../seeds/factories';

export interface SeedFile {
  text: string;
  header: string[];
  /** Raw records after the header, as parsed (for cell counts). */
  records: string[][];
  /** Records keyed by header name. */
  rows: Record<string, string>[];
}

export function readSeed(dir: string): Record<Kind, SeedFile> {
  const out = {} as Record<Kind, SeedFile>;
  for (const kind of KINDS) {
    const text = readFileSync(`${dir}/${FILE_NAMES[kind]}`, 'utf8');
    const all: string[][] = parse(text, { relax_column_count: true });
    const [header = [], ...records] = all;
    const rows = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
    out[kind] = { text, header, records, rows };
  }
  return out;
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Kyiv', timeZoneName: 'longOffset' });

/** '+02:00' / '+03:00': Kyiv's offset at the instant, straight from ICU. */
export function kyivOffsetAt(instant: Date): string {
  const name = offsetFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
