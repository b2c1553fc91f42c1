import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseDashboard, searchToObject } from '../../../app/lib/dashboard-params';
import { csvCell, toCsv } from '../../../app/reports/export';
import { reportParamsSchema } from '../../../app/reports/params';
import { textToList } from '../../../app/components/channel-rule-text';

// Hostile URL queries and CLI/API report parameters, parsed without a
// database: the dashboard never throws and ignores what it cannot use; the
// report schema refuses with an error naming the field.

const TODAY = '2026-03-15';

describe('dashboard URL parsing never throws', () => {
  test('keys that are Object.prototype members are plain keys (they used to crash every page: out[key].push is not a function)', () => {
    const q = new URLSearchParams('toString=1&constructor=2&__proto__=3&hasOwnProperty=4&valueOf=5&campaign=a');
    expect(Object.entries(searchToObject(q))).toEqual([
      ['toString', ['1']], ['constructor', ['2']], ['__proto__', ['3']], ['hasOwnProperty', ['4']], ['valueOf', ['5']], ['campaign', ['a']],
    ]);
    expect(parseDashboard(q, TODAY).state.filters).toEqual({ campaign: ['a'] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('values holding NUL are dropped before anything can send them to PostgreSQL', () => {
    const q = new URLSearchParams('campaign=a%00b&campaign=ok&q=%00&range=last_7%00');
    expect(searchToObject(q)).toEqual(Object.assign(Object.create(null), { campaign: ['ok'] }));
    expect(parseDashboard(q, TODAY).state).toMatchObject({ range: 'last_30', filters: { campaign: ['ok'] } });
  });

  test('any query string at all: a state within bounds, filters of at most 50 values of at most 200 characters', () => {
    const key = fc.oneof(fc.constantFrom('range', 'from', 'to', 'compare', 'model', 'cohort', 'by', 'channel', 'campaign', 'region', 'manager', '__proto__', 'toString'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('custom', '2026-02-30', '0000-01-01', '2100-12-31', '1970-01-01', 'last_year', 'previous', 'markov', 'x'.repeat(201)));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 80 }), (pairs) => {
        const q = new URLSearchParams();
        for (const [k, v] of pairs) q.append(k, v);
        const { state, params } = parseDashboard(q, TODAY);
        expect(state.from <= state.to).toBe(true);
        expect(state.from >= '1970-01-01' && state.to <= '2100-12-31').toBe(true);
        expect([params.from, params.to]).toEqual([state.from, state.to]);
        for (const values of Object.values(state.filters)) {
          expect(values.length).toBeLessThanOrEqual(50);
          for (const v of values) expect(v.length <= 200 && v.trim() === v && v !== '' && !v.includes('\u0000')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('report params (CLI, API): a clear error naming the field', () => {
  const issues = (input: unknown) => {
    const r = reportParamsSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
  };

  test.each([
    ['year 0', { from: '0000-01-01', to: '2026-01-01' }, [['from', 'no such calendar date (1970–2100)']]],
    ['year 10000', { from: '2026-01-01', to: '10000-01-01' }, [['to', 'a date YYYY-MM-DD']]],
    ['Feb 30', { from: '2026-02-30', to: '2026-03-01' }, [['from', 'no such calendar date (1970–2100)']]],
    ['a SQL fragment for a date', { from: "2026-01-01'; drop table leads;--", to: '2026-03-01' }, [['from', 'a date YYYY-MM-DD']]],
    ['a reversed range', { from: '2026-03-02', to: '2026-03-01' }, [['to', 'from must not be after to']]],
    ['an array for a date', { from: ['2026-01-01'], to: '2026-03-01' }, [['from', 'Invalid input: expected string, received array']]],
    ['an unknown breakdown', { from: '2026-01-01', to: '2026-01-02', by: 'campaign; drop' }, [['by', expect.stringMatching(/^Invalid option: expected one of "channel"\|/)]]],
    ['an unknown model', { from: '2026-01-01', to: '2026-01-02', model: '__proto__' }, [['model', expect.stringMatching(/^Invalid option/)]]],
    ['a filter value past 200 characters', { from: '2026-01-01', to: '2026-01-02', filters: { campaign: 'x'.repeat(201) } }, [['filters.campaign.0', 'Too big: expected string to have <=200 characters']]],
    ['51 filter values', { from: '2026-01-01', to: '2026-01-02', filters: { region: Array.from({ length: 51 }, (_, i) => `r${i}`) } }, [['filters.region', 'Too big: expected array to have <=50 items']]],
    ['a number for a filter', { from: '2026-01-01', to: '2026-01-02', filters: { campaign: 5 } }, [['filters.campaign', expect.stringMatching(/^Invalid input/)]]],
  ])('%s', (_name, input, expected) => {
    expect(issues(input)).toEqual(expected);
  });

  test('unknown filter keys are dropped, SQL fragments are values like any other', () => {
    const r = reportParamsSchema.parse({ from: '2026-01-01', to: '2026-01-02', filters: { campaign: "x' or '1'='1", __proto__: ['y'], evil: ['z'] } });
    expect(r.filters).toEqual({ campaign: ["x' or '1'='1"] });
  });
});

describe('CSV cells a spreadsheet would run are defused', () => {
  test.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['@SUM(1+1)', `'@SUM(1+1)`],
    ['-1+1', `'-1+1`],
    ['\t=1', `'\t=1`],
    ['\r=1', `"'\r=1"`],
    ['plain, with a comma', '"plain, with a comma"'],
    [' =1', ' =1'],
  ])('%j → %s', (value, cell) => expect(csvCell(value)).toBe(cell));

  test('numbers and booleans are written as values, null as an empty cell', () => {
    expect([csvCell(-5), csvCell(0.25), csvCell(true), csvCell(null)]).toEqual(['-5', '0.25', 'true', '']);
  });

  test('any text: after the quote prefix nothing starts a formula, and the row keeps its cell count', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('=1', '+1', '-1', '@a', '\t', '\r\n', '"', ',')), { minLength: 1, maxLength: 6 }), (cells) => {
        const columns = cells.map((_, i) => `c${i}`);
        const text = toCsv(columns, [Object.fromEntries(cells.map((v, i) => [`c${i}`, v]))]);
        for (const cell of cells) {
          const written = csvCell(cell);
          const unquoted = written.startsWith('"') ? written.slice(1) : written;
          expect(/^[=+\-@\t\r]/.test(unquoted)).toBe(false);
        }
        expect(text.endsWith('\r\n')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

test('channel rule lists drop NUL (nothing imported can hold it) and keep the rest', () => {
  expect(textToList('google\u0000, Bing ,(empty)')).toEqual(['google', 'bing', '']);
});
