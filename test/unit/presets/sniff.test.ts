import { describe, expect, test } from 'vitest';
import { detectDelimiter, detectEncoding, isUtf8, normalizeHeader, sniff, splitLine } from '../../../app/import/presets/sniff';
import { decodeStream, dropLines, parseCsv, peekBytes } from '../../../db/import/csv-source';

/** Windows-1251 bytes of ASCII + Cyrillic text (А..я, Ё, ё), enough for these tests. */
function encode1251(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    if (c === 0x401) return 0xa8;
    if (c === 0x451) return 0xb8;
    throw new Error(`no cp1251 byte for ${ch}`);
  }));
}

describe('encoding', () => {
  test.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Дата;Кампания\n', 'utf8')]), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from('Дата;Кампания\n', 'utf8'), 'utf-8'],
    ['plain ASCII', Buffer.from('date,cost\n2026-11-01,1\n'), 'utf-8'],
    ['Windows-1251', encode1251('Дата;Кампания;Расход\n01.11.2026;окна;12,5\n'), 'windows-1251'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Day\tCost\n', 'utf16le')]), 'utf-16le'],
    ['UTF-16LE without BOM', Buffer.from('Day\tCampaign\tCost\n2026-11-01\tbrand\t12.50\n', 'utf16le'), 'utf-16le'],
  ] as const)('%s', (_name, bytes, expected) => {
    expect(detectEncoding(bytes)).toBe(expected);
  });

  test('a multi-byte character cut by the end of the sample is still UTF-8', () => {
    const bytes = Buffer.from('Кампания', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) expect(isUtf8(bytes.subarray(0, cut))).toBe(true);
    expect(isUtf8(encode1251('Кампания'))).toBe(false);
  });

  test('the sample is decoded, the BOM dropped and cut at its last whole line', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a;b\r\n1;2\r\n3;', 'utf8')]);
    expect(sniff(bytes, false).lines).toEqual(['a;b', '1;2']);
    expect(sniff(bytes, true).lines).toEqual(['a;b', '1;2', '3;']);
    expect(sniff(encode1251('Стадия;ID\nВ работе;1\n'), true)).toMatchObject({ encoding: 'windows-1251', lines: ['Стадия;ID', 'В работе;1'] });
  });
});

describe('separator', () => {
  test.each([
    ['comma', ['date,campaign,cost', '2026-11-01,a,"1,5"', '2026-11-02,b,2'], 0, ','],
    ['semicolon with decimal commas', ['Дата;Кампания;Расход', '01.11.2026;a;1,5', '02.11.2026;b;2,25'], 0, ';'],
    ['tab', ['Date\tCampaignName\tCost', '2026-11-01\tx, y\t1.5'], 0, '\t'],
    ['header under title rows', ['Campaign report', '"November 1, 2026 - November 3, 2026"', 'Day,Campaign,Cost', '2026-11-01,a,"1,204.50"'], 2, ','],
    ['a comma inside a semicolon header', ['Дата;Кампания;Потрачено, ₽', '01.11.2026;a;1,5'], 0, ';'],
  ] as const)('%s', (_name, lines, header, expected) => {
    expect(detectDelimiter(lines, header)).toBe(expected);
  });

  test('splitLine respects quotes', () => {
    expect(splitLine('a,"b, c","d ""e"""', ',')).toEqual(['a', 'b, c', 'd "e"']);
    expect(splitLine('Date entered "Closed Won (Sales Pipeline)",x', ',')).toEqual(['Date entered "Closed Won (Sales Pipeline)"', 'x']);
  });

  test('header cells compare without case, spacing, BOM or ё', () => {
    expect(normalizeHeader('\uFEFF  Стадія  ')).toBe('стадія');
    expect(normalizeHeader('Отчёт  по  дням')).toBe('отчет по дням');
  });
});

describe('reading a real export as a stream', () => {
  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  const chunks = (bytes: Buffer, size: number) => (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })();

  test('peekBytes returns the head and replays the whole stream', async () => {
    const bytes = Buffer.from('0123456789abcdef');
    const peek = await peekBytes(chunks(bytes, 3), 5);
    expect([peek.head.toString(), peek.complete]).toEqual(['01234', false]);
    expect(Buffer.concat(await collect(peek.stream)).toString()).toBe('0123456789abcdef');
    const small = await peekBytes(chunks(Buffer.from('ab'), 1), 5);
    expect([small.head.toString(), small.complete, Buffer.concat(await collect(small.stream)).toString()]).toEqual(['ab', true, 'ab']);
  });

  test.each([1, 2, 3, 7])('Windows-1251 and UTF-16 decode whole across %i-byte chunks', async (size) => {
    expect((await collect(decodeStream(chunks(encode1251('Стадия;Дата\nВ работе;01.11.2026\n'), size), 'windows-1251'))).join('')).toBe('Стадия;Дата\nВ работе;01.11.2026\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('День\tВартість\n', 'utf16le')]);
    expect((await collect(decodeStream(chunks(utf16, size), 'utf-16le'))).join('')).toBe('День\tВартість\n');
  });

  test('title rows are dropped and line numbers stay those of the file', async () => {
    const text = 'Campaign report\n"November 1, 2026 - November 3, 2026"\nDay,Cost\n2026-11-01,"1,204.50"\n';
    const pieces = (async function* () {
      for (let i = 0; i < text.length; i += 4) yield text.slice(i, i + 4);
    })();
    const records = await collect(parseCsv(dropLines(pieces, 2), ',', { firstLine: 3 }));
    expect(records).toEqual([{ line: 3, cells: ['Day', 'Cost'] }, { line: 4, cells: ['2026-11-01', '1,204.50'] }]);
  });
});
