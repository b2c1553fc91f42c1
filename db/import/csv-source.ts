import { parse, type CsvError } from 'csv-parse';
import type { Readable } from 'node:stream';

// Streams CSV records with their line numbers. The header is read first and
// lower-cased; cells are strings ('' when empty). Decoding is UTF-8 (a BOM is
// dropped); bytes that are not UTF-8 become U+FFFD, which the caller reports.

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

export async function openCsv(input: Readable, delimiter = ','): Promise<CsvStream | null> {
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: 1_000_000,
    }),
  );
  input.on('error', (e) => parser.destroy(e));
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const first = await next(iterator);
  if (first.done) return null;
  const header = first.value.record.map((h) => h.trim().toLowerCase());
  async function* records(): AsyncGenerator<CsvRecord> {
    for (;;) {
      const r = await next(iterator);
      if (r.done) return;
      yield { line: r.value.info.lines, cells: r.value.record };
    }
  }
  return { header, records: records() };
}

async function next<T>(it: AsyncIterator<T>): Promise<IteratorResult<T>> {
  try {
    return await it.next();
  } catch (error) {
    const e = error as CsvError & { lines?: number };
    if (e && typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw new CsvSyntaxError(e.lines ?? 0, e.message);
    }
    throw error;
  }
}
