// PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes.
export function copyTextLine(values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    const v = values[i];
    line += v === null || v === undefined ? '\\N' : escapeCopyText(v);
  }
  return line + '\n';
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
function escapeCopyText(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
