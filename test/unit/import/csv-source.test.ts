import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { CsvSyntaxError, parseCsv } from '../../../db/import/csv-source';

async function parse(chunks: (string | Buffer)[], delimiter = ',') {
  const out: { line: number; cells: string[] }[] = [];
  for await (const r of parseCsv((async function* () { yield* chunks; })(), delimiter)) out.push(r);
  return out;
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) || cell.trim() !== cell ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('CSV parser', () => {
  test.each([
    ['plain', 'a,b\n1,2\n', [[1, ['a', 'b']], [2, ['1', '2']]]],
    ['CRLF and no final newline', 'a,b\r\n1,2', [[1, ['a', 'b']], [2, ['1', '2']]]],
    ['quoted delimiter, doubled quotes', 'a\n"x, ""y"""\n', [[1, ['a']], [2, ['x, "y"']]]],
    ['line break inside quotes keeps the starting line', 'a,b\n"one\ntwo",3\nz,4\n', [[1, ['a', 'b']], [2, ['one\ntwo', '3']], [4, ['z', '4']]]],
    ['blank lines are skipped but counted', 'a\n\n1\n\n', [[1, ['a']], [3, ['1']]]],
    ['empty cells', ',,\n', [[1, ['', '', '']]]],
    ['BOM dropped', '\uFEFFa,b\n', [[1, ['a', 'b']]]],
    // A lone CR is data on both paths (the second line goes through the quote-aware one).
    ['a lone CR stays in the cell', 'a,b\rc\n"x",y\rz\n', [[1, ['a', 'b\rc']], [2, ['x', 'y\rz']]]],
  ] as const)('%s', async (_name, text, expected) => {
    expect((await parse([text])).map((r) => [r.line, r.cells])).toEqual(expected);
  });

  test('semicolon delimiter', async () => {
    expect((await parse(['a;b\n"1;2";3\n'], ';')).map((r) => r.cells)).toEqual([['a', 'b'], ['1;2', '3']]);
  });

  test('a UTF-8 character split across chunks is decoded whole', async () => {
    const bytes = Buffer.from('name\nКиїв\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const rows = await parse([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(rows.map((r) => r.cells[0])).toEqual(['name', 'Київ']);
    }
  });

  test.each([
    ['unclosed quote', 'a\n"never closed\n', 2, /never closed/],
    ['quote inside an unquoted cell', 'a\nab"c\n', 2, /quote inside an unquoted cell/],
  ])('%s is a syntax error at its line', async (_n, text, line, message) => {
    const error = await parse([text]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(line);
    expect((error as CsvSyntaxError).message).toMatch(message);
  });

  test('a line with no line break is refused once past MAX_RECORD_CHARS, before the whole file is held', async () => {
    const chunk = 'x'.repeat(400_000);
    let served = 0;
    async function* endless() {
      for (;;) {
        served++;
        yield chunk;
      }
    }
    const error = await (async () => {
      for await (const _ of parseCsv(endless())) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    // 1,000,000 characters are passed within the third 400,000-character chunk.
    expect(served).toBe(3);
  });

  test('any grid survives quoting and any chunking (property)', async () => {
    const cellArb = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'ї', 'x') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellArb, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (grid, cutsRaw) => {
          const rows = grid.filter((r) => r.some((c) => c.trim() !== ''));
          const text = rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\n';
          const cuts = [...new Set(cutsRaw.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let at = 0;
          for (const c of cuts) { chunks.push(text.slice(at, c)); at = c; }
          chunks.push(text.slice(at));
          const parsed = await parse(chunks);
          expect(parsed.map((r) => r.cells)).toEqual(rows);
        },
      ),
      { numRuns: 400 },
    );
  });
});
