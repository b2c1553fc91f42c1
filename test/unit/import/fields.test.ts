import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as f from '../../../app/import/fields';
import { clickIds, KIND_SPECS, rowSchema } from '../../../app/import/formats';
import { copyTextLine } from '../../../db/import/copy-text';

const ctx: f.ParseContext = { phoneCountry: 'UA', currency: 'UAH', stages: ['new', 'contacted', 'won'], channels: ['direct', 'email', 'other'] };
const value = (parser: f.CellParser, raw: string) => {
  const r = parser(raw, ctx);
  return r.ok ? r.value : `ERR ${r.reason}`;
};

describe('cell parsers', () => {
  test.each([
    ['12.50', '12.50'], ['0', '0'], ['', null], ['-0', '0'],
    ['-1', 'ERR must be >= 0'], ['1,5', 'ERR decimal comma: use "." as the decimal separator'],
    ['1e3', 'ERR not a decimal number (digits with an optional "." and up to 6 decimals)'],
    ['1 234.50', 'ERR not a decimal number (digits with an optional "." and up to 6 decimals)'],
  ])('decimal %j → %j', (raw, expected) => expect(value(f.decimal('0'), raw)).toBe(expected));

  test.each([
    ['2026-03-01T09:15:00+02:00', '2026-03-01T09:15:00+02:00'],
    ['2026-03-01 09:15', '2026-03-01T09:15'],
    ['2026-03-01T09:15:00Z', '2026-03-01T09:15:00Z'],
    ['2026-03-01T09:15:00.123+0200', '2026-03-01T09:15:00.123+0200'],
    ['2026-02-29T10:00:00Z', 'ERR no such calendar date'],
    ['2028-02-29T10:00:00Z', '2028-02-29T10:00:00Z'],
    ['2026-03-01T24:00:00Z', 'ERR no such time of day'],
    ['01.03.2026 09:15', 'ERR not an ISO 8601 timestamp (e.g. 2026-03-01T09:15:00+02:00)'],
    ['2026-03-01T09:15:00+15:00', 'ERR bad UTC offset'],
    ['2101-01-01T00:00:00Z', 'ERR year 2101 is out of range (1970–2100)'],
  ])('timestamp %j → %j', (raw, expected) => expect(value(f.timestamp(), raw)).toBe(expected));

  test.each([
    ['2026-03', '2026-03-01'], ['2026-13', 'ERR no such month'], ['03/2026', 'ERR not a month in YYYY-MM form'],
  ])('month %j → %j', (raw, expected) => expect(value(f.month(), raw)).toBe(expected));

  test.each([
    ['+38 (099) 230-57-67', '+380992305767'], ['0992305767', '+380992305767'], ['380992305767', '+380992305767'],
    ['abc', 'ERR not a phone number that can be read as E.164 (country UA)'],
  ])('phone %j → %j', (raw, expected) => expect(value(f.phone(), raw)).toBe(expected));

  test('stages and enums are matched case-insensitively and stored canonically', () => {
    expect(value(f.stage(), 'Contacted')).toBe('contacted');
    expect(value(f.oneOf(['won', 'lost']), 'WON')).toBe('won');
    expect(value(f.email(), ' Ann@Example.com ')).toBe('ann@example.com');
  });
});

describe('row schema', () => {
  const spend = rowSchema(KIND_SPECS.spend, ctx);
  test('reports every problem with its column', () => {
    const r = spend.safeParse({ date: '2026-13-01', source: '', medium: 'cpc', campaign: 'x', cost: '-3', clicks: '5', impressions: '2' });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => [i.path[0], i.message]);
    expect(issues).toEqual([
      ['date', 'no such calendar date'],
      ['source', 'required value is empty'],
      ['cost', 'must be >= 0'],
    ]);
  });
  test('cross-column rules run once cells are valid', () => {
    const r = spend.safeParse({ date: '2026-03-01', source: 'google', medium: 'cpc', campaign: 'x', cost: '3', clicks: '5', impressions: '2' });
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['clicks', 'clicks (5) exceed impressions (2)']]);
  });
  test('key text dimensions default to empty strings', () => {
    const r = spend.parse({ date: '2026-03-01', source: 'Google', medium: 'cpc', campaign: 'x', cost: '3' });
    expect(r).toMatchObject({ source: 'google', ad_group: '', ad: '', region: '', impressions: null });
  });
  test('never throws on arbitrary cell text (fuzz)', () => {
    const schemas = Object.values(KIND_SPECS).map((s) => [s, rowSchema(s, ctx)] as const);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...new Set(Object.values(KIND_SPECS).flatMap((s) => s.columns.map((c) => c.name)))), fc.string({ unit: 'binary' })), (row) => {
        for (const [, schema] of schemas) {
          const r = schema.safeParse(row);
          if (r.success) for (const v of Object.values(r.data)) expect(v === null || typeof v === 'string').toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

test('click ids are read from landing page URLs', () => {
  expect(clickIds('https://x.example/p?utm_source=google&gclid=Cj0KCQ&x=1')).toEqual({ gclid: 'Cj0KCQ', yclid: null, fbclid: null });
  expect(clickIds('/landing?yclid=123#top')).toEqual({ gclid: null, yclid: '123', fbclid: null });
  expect(clickIds('/plain')).toEqual({ gclid: null, yclid: null, fbclid: null });
});

test('COPY text lines escape what PostgreSQL would misread', () => {
  expect(copyTextLine(['a\tb', null, 'back\\slash', 'two\nlines\r'])).toBe('a\\tb\t\\N\tback\\\\slash\ttwo\\nlines\\r\n');
});
