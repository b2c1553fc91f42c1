// ChannelAttribution's PathData example and the library's outputs on it,
// read in place from the shared fixture folder (never copied into the repo).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { AggregatedPath } from '../../../app/reports/attribution/types';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const PATHDATA_DIR = path.resolve(repoRoot, '../shared/fixtures/attribution-pathdata');

export function readFixtureCsv(name: string): Record<string, string>[] {
  return parse(readFileSync(path.join(PATHDATA_DIR, name)), { columns: true }) as Record<string, string>[];
}

export interface PathDataRow {
  readonly path: string[];
  readonly conversions: number;
  /** As written in the file, for exact money sums. */
  readonly value: string;
  readonly nulls: number;
}

export function loadPathData(): PathDataRow[] {
  return readFixtureCsv('paths.csv').map((row) => ({
    path: (row.path ?? '').split('>').map((channel) => channel.trim()),
    conversions: Number(row.total_conversions),
    value: row.total_conversion_value ?? '0',
    nulls: Number(row.total_null),
  }));
}

export function toAggregatedPaths(rows: readonly PathDataRow[]): AggregatedPath[] {
  return rows.map((row) => ({ ...row, value: Number(row.value) }));
}

/** channel → column → number, for a reference output file. */
export function readReference(name: string): Map<string, Record<string, number>> {
  return new Map(
    readFixtureCsv(name).map((row) => [
      row.channel_name ?? '',
      Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, Number(cell)])),
    ]),
  );
}

export function expectRelativelyClose(actual: number, expected: number, relative: number): void {
  const tolerance = relative * Math.max(Math.abs(expected), Number.MIN_VALUE);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`expected ${actual} to be within ${relative} (relative) of ${expected}`);
  }
}
