// Report rows out as CSV, JSON or a plain text table. JSON is an array of flat
// rows with the report's field names. CSV cells that a spreadsheet would run
// as a formula (starting with =, +, -, @, tab or CR) are prefixed with a
// single quote, the OWASP-recommended defence; numbers are written as numbers.

export type Cell = string | number | boolean | null;
export type FlatRow = Record<string, Cell>;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(columns: readonly string[], rows: readonly FlatRow[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function toJson(columns: readonly string[], rows: readonly FlatRow[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2);
}

export function toTextTable(columns: readonly string[], rows: readonly FlatRow[]): string {
  const text = (v: Cell) => (v === null ? '—' : typeof v === 'number' ? formatNumber(v) : String(v));
  const cells = rows.map((r) => columns.map((c) => text(r[c] ?? null)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const isNumeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number' || /^-?\d+(\.\d+)?$/.test(String(r[c] ?? ''))));
  const line = (vals: string[]) => vals.map((v, i) => (isNumeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line([...columns]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10000) / 10000);
}
