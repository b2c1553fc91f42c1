import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

// Streams CSV records (RFC 4180: quoted cells may hold the delimiter, "" and
// line breaks) with the line number each record starts on. Our own parser,
// not csv-parse: measured 35k rows/s there against well over 500k rows/s here
// on the sessions file, and the import must approach COPY speed. Decoding is
// UTF-8 with a BOM dropped; invalid bytes become U+FFFD, which the caller
// reports. Blank lines are skipped. The header is lower-cased and trimmed.

export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvStream {
  header: string[];
  records: AsyncIterable<CsvRecord>;
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** Longest record we accept (a runaway quote would otherwise swallow the file). */
export const MAX_RECORD_CHARS = 1_000_000;

export async function openCsv(input: Readable, delimiter = ','): Promise<CsvStream | null> {
  const iterator = parseCsv(input, delimiter)[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return null;
  const header = first.value.cells.map((h) => h.trim().toLowerCase());
  const records: AsyncIterable<CsvRecord> = { [Symbol.asyncIterator]: () => iterator };
  return { header, records };
}

export async function* parseCsv(input: AsyncIterable<Buffer | string>, delimiter = ',', opts: { firstLine?: number } = {}): AsyncGenerator<CsvRecord> {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`bad delimiter ${JSON.stringify(delimiter)}`);
  }
  const decoder = new StringDecoder('utf8');
  let buf = ''; // text not consumed yet
  let line = opts.firstLine ?? 1; // line number of buf[0]
  let first = true;
  // State of a record being read through the slow (quote-aware) path.
  let inRecord = false;
  let quoted = false;
  let cells: string[] = [];
  let cell = '';
  let startLine = 1;

  function* drain(final: boolean): Generator<CsvRecord> {
    const n = buf.length;
    let i = 0;
    outer: while (i < n) {
      if (!inRecord) {
        // Fast path: a whole line without quotes.
        const nl = buf.indexOf('\n', i);
        if (nl === -1 && !final) {
          // Refuse a runaway line before holding it whole in memory.
          if (n - i > MAX_RECORD_CHARS) throw new CsvSyntaxError(line, `a record longer than ${MAX_RECORD_CHARS} characters`);
          break;
        }
        const end = nl === -1 ? n : nl;
        const lineEnd = end > i && buf.charCodeAt(end - 1) === 13 ? end - 1 : end;
        const raw = buf.slice(i, lineEnd);
        if (raw.indexOf('"') === -1) {
          if (raw.length > MAX_RECORD_CHARS) throw new CsvSyntaxError(line, `a record longer than ${MAX_RECORD_CHARS} characters`);
          if (raw.trim() !== '') yield { line, cells: raw.split(delimiter) };
          line++;
          i = nl === -1 ? n : nl + 1;
          continue;
        }
        inRecord = true;
        quoted = false;
        cells = [];
        cell = '';
        startLine = line;
      }
      // Slow path, character by character, until the record ends or the text runs out.
      while (i < n) {
        const c = buf[i]!;
        if (quoted) {
          if (c === '"') {
            if (i + 1 >= n && !final) break outer; // is it "" or the closing quote? wait for more
            if (buf[i + 1] === '"') {
              cell += '"';
              i += 2;
            } else {
              quoted = false;
              i++;
            }
          } else {
            if (c === '\n') line++;
            cell += c;
            i++;
          }
        } else if (c === '"') {
          if (cell.trim() !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted cell (quote the whole cell and double the quotes inside)');
          cell = '';
          quoted = true;
          i++;
        } else if (c === delimiter) {
          cells.push(cell);
          cell = '';
          i++;
        } else if (c === '\r' && i + 1 < n && buf[i + 1] !== '\n') {
          // A lone CR is data, as on the fast path (only \n and \r\n end a record).
          cell += c;
          i++;
        } else if (c === '\n' || c === '\r') {
          if (c === '\r' && i + 1 >= n && !final) break outer; // \r\n split across chunks
          i += c === '\r' && buf[i + 1] === '\n' ? 2 : 1;
          cells.push(cell);
          yield { line: startLine, cells };
          line++;
          inRecord = false;
          continue outer;
        } else {
          cell += c;
          i++;
        }
        if (cell.length > MAX_RECORD_CHARS) {
          throw new CsvSyntaxError(startLine, `a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`);
        }
      }
    }
    buf = buf.slice(i);
  }

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    buf += text;
    yield* drain(false);
  }
  buf += decoder.end();
  yield* drain(true);
  if (inRecord) {
    if (quoted) throw new CsvSyntaxError(startLine, 'a quoted cell is never closed');
    cells.push(cell);
    yield { line: startLine, cells };
  }
}

// Real exports (presets): the first bytes are read to sniff the encoding and
// find the header under title rows, then the whole stream is decoded with
// that encoding and the title rows are dropped, keeping line numbers true.

/** The first `bytes` of a stream, and the whole stream again (those bytes first). */
export async function peekBytes(input: AsyncIterable<Buffer | string>, bytes: number): Promise<{ head: Buffer; complete: boolean; stream: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let size = 0;
  let complete = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    taken.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(taken);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (complete) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    }
  }
  return { head: head.subarray(0, bytes), complete, stream: replay() };
}

/** Decodes a byte stream (a BOM is dropped); bytes that are invalid in the encoding become U+FFFD. */
export async function* decodeStream(input: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of input) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The text after its first `count` lines (title rows above a header). */
export async function* dropLines(input: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  let left = count;
  for await (let text of input) {
    while (left > 0) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        text = '';
        break;
      }
      text = text.slice(nl + 1);
      left--;
    }
    if (left === 0 && text) yield text;
  }
}
