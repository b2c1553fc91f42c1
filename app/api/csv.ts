// Canonical CSV text for runImport: every cell quoted, so any value survives;
// each row's starting line is kept, so an import error (which names a line)
// maps back to the part of the request the row came from.

export interface CsvRows<Origin> {
  text: string;
  /** The origin of the record starting on each line. */
  origins: Map<number, Origin>;
}

const cell = (v: string | null | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;

export function toCsv<Origin>(columns: readonly string[], rows: readonly { cells: Record<string, string | null | undefined>; origin: Origin }[]): CsvRows<Origin> {
  let text = columns.join(',') + '\n';
  let line = 2;
  const origins = new Map<number, Origin>();
  for (const row of rows) {
    const record = columns.map((c) => cell(row.cells[c])).join(',') + '\n';
    origins.set(line, row.origin);
    line += (record.match(/\n/g) ?? []).length;
    text += record;
  }
  return { text, origins };
}
