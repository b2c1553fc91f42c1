// What a real export is written in, read from its first bytes: the encoding
// (a BOM, else UTF-8 if the sample decodes as UTF-8, else Windows-1251, which
// Russian and Ukrainian Excel and 1C-era tools still write) and the cell
// separator (comma, semicolon or tab). Node's full ICU decodes all of them
// with TextDecoder, so no dependency is needed.

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';
export type Delimiter = ',' | ';' | '\t';

export const SNIFF_BYTES = 64 * 1024;
export const DELIMITERS: readonly Delimiter[] = ['\t', ';', ','];

export interface Sniffed {
  encoding: Encoding;
  /** The sample decoded (BOM dropped), cut at the last whole line when the sample is not the whole file. */
  text: string;
  lines: string[];
}

export function detectEncoding(sample: Uint8Array): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM: ASCII text leaves every other byte zero.
  const n = Math.min(sample.length, 1024);
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i++) {
    if (sample[i] === 0) {
      if (i % 2) zeroOdd++;
      else zeroEven++;
    }
  }
  if (n >= 4 && zeroOdd > n / 4 && zeroEven === 0) return 'utf-16le';
  if (n >= 4 && zeroEven > n / 4 && zeroOdd === 0) return 'utf-16be';
  return isUtf8(sample) ? 'utf-8' : 'windows-1251';
}

/** Whether the bytes are valid UTF-8, ignoring a sequence cut off at the end of the sample. */
export function isUtf8(sample: Uint8Array): boolean {
  let end = sample.length;
  // Step back over a multi-byte sequence the sample boundary may have cut.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    if ((b & 0xc0) === 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) end -= back;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes the first bytes of a file. `complete` says the sample is the whole
 * file; otherwise the text is cut at its last line break so no half line (or
 * half character) is looked at.
 */
export function sniff(sample: Uint8Array, complete: boolean): Sniffed {
  const encoding = detectEncoding(sample);
  let bytes = sample;
  if (encoding.startsWith('utf-16') && bytes.length % 2 === 1) bytes = bytes.subarray(0, bytes.length - 1);
  let text = new TextDecoder(encoding).decode(bytes);
  if (!complete) {
    const nl = text.lastIndexOf('\n');
    if (nl !== -1) text = text.slice(0, nl + 1);
  }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { encoding, text, lines };
}

/** The cells of one line (quotes respected; a quoted cell may not span lines here). */
export function splitLine(line: string, delimiter: string): string[] {
  if (line.indexOf('"') === -1) return line.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * The separator that splits the header line into the most columns, counting a
 * separator only when the lines after the header split into as many cells
 * (title rows and totals are tolerated: the majority of the next lines decides).
 * Ties go to tab, then semicolon, then comma.
 */
export function detectDelimiter(lines: readonly string[], headerIndex = 0): Delimiter {
  const header = lines[headerIndex] ?? '';
  const next = lines.slice(headerIndex + 1, headerIndex + 11).filter((l) => l.trim() !== '');
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const width = splitLine(header, d).length;
    if (width < 2) continue;
    const consistent = next.length === 0 ? 1 : next.filter((l) => splitLine(l, d).length === width).length / next.length;
    const score = width * (consistent >= 0.5 ? 1 : 0.25);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Header cell as compared with the spellings presets list: trimmed, lower-cased, spaces collapsed, ё as е. */
export function normalizeHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}
