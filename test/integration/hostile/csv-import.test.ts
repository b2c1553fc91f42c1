import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { MAX_RECORD_CHARS } from '../../../db/import/csv-source';
import type { ImportKind } from '../../../app/import/formats';
import type { Workspace } from '../../../db/schema';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';

// Hostile CSV files through the real import path (stream → zod → COPY →
// checks → upsert), for every canonical kind. Each bad file gets exact errors
// (file, line, column, value, reason) and leaves every table and the
// workspace's data_version as they were; hostile text that is valid data is
// stored verbatim.

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'hostile');
  // A little good data of every kind first, so a failed import has rows it could have damaged.
  const seed: [ImportKind, string][] = [
    ['spend', csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,brand,100.00')],
    ['sessions', csv('session_id,visitor_id,started_at,source,medium,campaign', 's0,v0,2026-03-01T10:00:00+02:00,google,cpc,brand')],
    ['tracking_numbers', csv('number,kind,source,medium,campaign', '+380441110001,static,billboard,offline,north')],
    ['calls', csv('call_id,started_at,caller_phone,tracking_number,status', 'c0,2026-03-01T11:00:00+02:00,+380992305767,+380441110001,answered')],
    ['leads', csv('lead_id,created_at,kind,session_id,stage,outcome', 'L0,2026-03-01T10:30:00+02:00,form,s0,new,open')],
    ['lead_stages', csv('lead_id,stage,entered_at', 'L0,new,2026-03-01T10:30:00+02:00')],
    ['plans', csv('month,channel,leads', '2026-03,paid_search,10')],
  ];
  for (const [kind, text] of seed) expect((await importText(t.db, ws, kind, text)).status, kind).toBe('succeeded');
});
afterAll(async () => t.drop());

/** Row counts of every table an import writes (all but its own log), and the workspace's data_version. */
async function snapshot(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE'
       and table_name not in ('import_jobs', 'rejected_rows') and table_name not like 'kysely_%'
     order by 1`.execute(t.db);
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(t.db);
    out[name] = r.rows[0]!.n;
  }
  const v = await t.db.selectFrom('workspaces').select('data_version').where('id', '=', ws.id).executeTakeFirstOrThrow();
  out['workspaces.data_version'] = Number(v.data_version);
  return out;
}

/** Imports a file that must fail: returns its errors after checking that nothing changed. */
async function refused(kind: ImportKind, content: string | Buffer) {
  const before = await snapshot();
  const r = await importText(t.db, ws, kind, content);
  expect(r.status).toBe('failed');
  expect([r.inserted, r.updated]).toEqual([0, 0]);
  expect(await snapshot()).toEqual(before);
  const job = await t.db.selectFrom('import_jobs').select(['status', 'rows_inserted', 'rows_updated']).where('id', '=', r.importId).executeTakeFirstOrThrow();
  expect(job).toEqual({ status: 'failed', rows_inserted: 0, rows_updated: 0 });
  return r.errors;
}

const SPEND_HEADER = 'date,source,medium,campaign,ad_group,ad,region,impressions,clicks,cost,currency';
const spendRow = (campaign: string, cost = '10.00', date = '2026-03-02') => `${date},google,cpc,${campaign},,,,100,10,${cost},`;
const DECIMAL = 'not a decimal number (digits with an optional "." and up to 6 decimals)';
const TIMESTAMP = 'not an ISO 8601 timestamp (e.g. 2026-03-01T09:15:00+02:00)';

describe('wrong types, every kind: the first bad row names its line, column, value and reason; nothing is written', () => {
  test.each([
    ['spend', csv(SPEND_HEADER, spendRow('a'), '2026-03-02,google,cpc,b,,,,many,10,5,'), { line: 3, column: 'impressions', value: 'many', reason: 'not a whole number' }],
    ['spend', csv(SPEND_HEADER, spendRow('a', 'NaN')), { line: 2, column: 'cost', value: 'NaN', reason: DECIMAL }],
    ['spend', csv(SPEND_HEADER, spendRow('a', 'Infinity')), { line: 2, column: 'cost', value: 'Infinity', reason: DECIMAL }],
    ['spend', csv(SPEND_HEADER, spendRow('a', '-Infinity')), { line: 2, column: 'cost', value: '-Infinity', reason: DECIMAL }],
    ['spend', csv(SPEND_HEADER, spendRow('a', '-0.01')), { line: 2, column: 'cost', value: '-0.01', reason: 'must be >= 0' }],
    ['spend', csv(SPEND_HEADER, spendRow('a', '1e6')), { line: 2, column: 'cost', value: '1e6', reason: DECIMAL }],
    ['spend', csv(SPEND_HEADER, spendRow('a', '0x1F')), { line: 2, column: 'cost', value: '0x1F', reason: DECIMAL }],
    ['spend', csv(SPEND_HEADER, '2026-03-02,google,cpc,a,,,,5,10,1,'), { line: 2, column: 'clicks', value: '10', reason: 'clicks (10) exceed impressions (5)' }],
    ['spend', csv(SPEND_HEADER, '2026-03-02,google,cpc,a,,,,9007199254740992,1,1,'), { line: 2, column: 'impressions', value: '9007199254740992', reason: 'must be <= 9007199254740991' }],
    ['sessions', csv('session_id,visitor_id,started_at,pageviews', 's1,v1,2026-03-02T10:00:00Z,0'), { line: 2, column: 'pageviews', value: '0', reason: 'must be >= 1' }],
    ['sessions', csv('session_id,visitor_id,started_at,pageviews', 's1,v1,2026-03-02T10:00:00Z,2147483648'), { line: 2, column: 'pageviews', value: '2147483648', reason: 'must be <= 2147483647' }],
    ['tracking_numbers', csv('number,kind,source,medium,campaign', '+380441110009,mobile,x,offline,y'), { line: 2, column: 'kind', value: 'mobile', reason: 'unknown value "mobile" (expected one of: static, pool)' }],
    ['tracking_numbers', csv('number,kind,source,medium,campaign', '+380441110009,static,,,'), { line: 2, column: 'source', value: '', reason: 'required for a static number (where it was shown)' }],
    ['tracking_numbers', csv('number,kind,valid_from,valid_to', '+380441110009,pool,2026-05-01,2026-04-01'), { line: 2, column: 'valid_to', value: '2026-04-01', reason: 'before valid_from (2026-05-01)' }],
    ['calls', csv('call_id,started_at,caller_phone,tracking_number,status,duration_sec', 'c1,2026-03-02T10:00:00Z,+380992305767,+380441110001,answered,-3'), { line: 2, column: 'duration_sec', value: '-3', reason: 'must be >= 0' }],
    ['calls', csv('call_id,started_at,caller_phone,tracking_number,status', 'c1,2026-03-02T10:00:00Z,+380992305767,+380441110001,busy'), { line: 2, column: 'status', value: 'busy', reason: 'unknown value "busy" (expected one of: answered, missed)' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome,amount', 'L1,2026-03-02T10:00:00Z,form,new,won,NaN'), { line: 2, column: 'amount', value: 'NaN', reason: DECIMAL }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome,amount', 'L1,2026-03-02T10:00:00Z,form,new,won,-100'), { line: 2, column: 'amount', value: '-100', reason: 'must be >= 0' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome', 'L1,2026-03-02T10:00:00Z,fax,new,open'), { line: 2, column: 'kind', value: 'fax', reason: 'unknown value "fax" (expected one of: form, call, chat, email, manual, import)' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome,temperature', 'L1,2026-03-02T10:00:00Z,form,new,open,lukewarm'), { line: 2, column: 'temperature', value: 'lukewarm', reason: 'unknown value "lukewarm" (expected one of: cold, warm, hot)' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome,email', 'L1,2026-03-02T10:00:00Z,form,new,open,<script>@x'), { line: 2, column: 'email', value: '<script>@x', reason: 'not an email address' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome,closed_at', 'L1,2026-03-02T10:00:00Z,form,new,open,2026-03-03T10:00:00Z'), { line: 2, column: 'closed_at', value: '2026-03-03T10:00:00Z', reason: 'an open lead has no closing time' }],
    ['lead_stages', csv('lead_id,stage,entered_at', 'L0,contacted,yesterday'), { line: 2, column: 'entered_at', value: 'yesterday', reason: TIMESTAMP }],
    ['lead_stages', csv('lead_id,stage,entered_at', 'L0,"contacted\'; drop table leads;--",2026-03-02T10:00:00Z'), { line: 2, column: 'stage', value: "contacted'; drop table leads;--", reason: `unknown stage "contacted'; drop table leads;--" (pipeline: new, contacted, qualified, proposal, negotiation, won)` }],
    ['plans', csv('month,channel,leads,budget', '2026-04,,1.5,'), { line: 2, column: 'leads', value: '1.5', reason: 'not a whole number' }],
    ['plans', csv('month,channel,leads,budget', '2026-04,,,Infinity'), { line: 2, column: 'budget', value: 'Infinity', reason: DECIMAL }],
    ['plans', csv('month,channel,leads', '2026-04,tv,1'), { line: 2, column: 'channel', value: 'tv', reason: /^unknown channel "tv" \(channels: / }],
  ] as const)('%s: %j', async (kind, content, expected) => {
    const errors = await refused(kind, content);
    expect(errors[0]).toMatchObject({ file: `${kind}.csv`, ...expected });
  });
});

describe('dates out of range and time zones', () => {
  test.each([
    ['year 0', '0000-03-01', 'year 0 is out of range (1970–2100)'],
    ['year 10000', '10000-03-01', 'not a date in YYYY-MM-DD form'],
    ['Feb 30', '2026-02-30', 'no such calendar date'],
    ['Feb 29 of a common year', '2026-02-29', 'no such calendar date'],
    ['month 13', '2026-13-01', 'no such calendar date'],
    ['a timestamp for a date', '2026-03-01T00:00:00Z', 'not a date in YYYY-MM-DD form'],
  ])('spend date: %s', async (_name, date, reason) => {
    const errors = await refused('spend', csv(SPEND_HEADER, spendRow('a', '1', date)));
    expect(errors).toEqual([{ file: 'spend.csv', line: 2, column: 'date', value: date, reason }]);
  });

  test.each([
    ['year 0', '0000-03-01T10:00:00Z', 'year 0 is out of range (1970–2100)'],
    ['year 10000', '+010000-03-01T10:00:00Z', TIMESTAMP],
    ['Feb 30', '2026-02-30T10:00:00+02:00', 'no such calendar date'],
    ['hour 24', '2026-03-01T24:00:00+02:00', 'no such time of day'],
    ['offset past +14', '2026-03-01T10:00:00+15:00', 'bad UTC offset'],
    ['a zone name instead of an offset', '2026-03-01T10:00:00 Europe/Kyiv', TIMESTAMP],
    ['epoch seconds', '1772352000', TIMESTAMP],
  ])('lead created_at: %s', async (_name, ts, reason) => {
    const errors = await refused('leads', csv('lead_id,created_at,kind,stage,outcome', `L9,${ts},form,new,open`));
    expect(errors).toEqual([{ file: 'leads.csv', line: 2, column: 'created_at', value: ts, reason }]);
  });

  test('a timestamp without an offset is read in the workspace zone (Kyiv, UTC+2 in March, +3 after Mar 29); with one it is that instant', async () => {
    const r = await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'tz-local-winter,2026-03-01T10:00:00,+380992305767,+380441110001,missed',
      'tz-local-summer,2026-07-01 10:00,+380992305767,+380441110001,missed',
      'tz-offset,2026-03-01T10:00:00-05:00,+380992305767,+380441110001,missed',
      'tz-zulu,2026-03-01T10:00:00z,+380992305767,+380441110001,missed',
    ));
    expect(r.status).toBe('succeeded');
    const rows = await t.db.selectFrom('calls').select(['call_id', 'started_at']).where('call_id', 'like', 'tz-%').orderBy('call_id').execute();
    // 10:00 Kyiv winter = 08:00Z; 10:00 Kyiv summer = 07:00Z; 10:00-05:00 = 15:00Z; 10:00Z as is.
    expect(rows.map((x) => [x.call_id, x.started_at.toISOString()])).toEqual([
      ['tz-local-summer', '2026-07-01T07:00:00.000Z'],
      ['tz-local-winter', '2026-03-01T08:00:00.000Z'],
      ['tz-offset', '2026-03-01T15:00:00.000Z'],
      ['tz-zulu', '2026-03-01T10:00:00.000Z'],
    ]);
  });
});

describe('bytes: invalid UTF-8, NUL, BOM, line endings', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

  test.each([
    ['a stray 0xFF', [0xff]],
    ['a truncated 2-byte sequence', [0xd0]],
    ['an overlong "/" (0xC0 0xAF)', [0xc0, 0xaf]],
    ['an encoded surrogate (0xED 0xA0 0x80)', [0xed, 0xa0, 0x80]],
    ['Windows-1251 "Київ"', [0xca, 0xe8, 0xbf, 0xe2]],
  ])('%s in a cell: that line and column, nothing written', async (_name, bad) => {
    const errors = await refused('sessions', bytes('session_id,visitor_id,started_at,campaign\ns1,v1,2026-03-02T10:00:00Z,ok\ns2,v1,2026-03-02T10:00:00Z,x', bad, 'y\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'sessions.csv', line: 3, column: 'campaign', reason: 'invalid UTF-8 byte sequence (save the file as UTF-8)' });
    expect(errors[0]!.value).toMatch(/^x\uFFFD+y$/);
  });

  test('invalid UTF-8 in a key column is reported there too', async () => {
    const errors = await refused('leads', bytes('lead_id,created_at,kind,stage,outcome\nL', [0xff], ',2026-03-02T10:00:00Z,form,new,open\n'));
    expect(errors).toEqual([{ file: 'leads.csv', line: 2, column: 'lead_id', value: 'L\uFFFD', reason: 'invalid UTF-8 byte sequence (save the file as UTF-8)' }]);
  });

  test('a UTF-16 file is refused at its header', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date,source,medium,campaign,cost\n2026-03-02,google,cpc,a,1\n', 'utf16le')]);
    const errors = await refused('spend', utf16);
    expect(errors.every((e) => e.line === 1 && /required column is missing/.test(e.reason))).toBe(true);
    expect(errors.map((e) => e.column)).toEqual(['date', 'source', 'medium', 'campaign', 'cost']);
  });

  test.each([
    ['a text cell', 'campaign', 'a\u0000b', 'contains a NUL character'],
    ['an id', 'session_id', 's\u0000', 'contains a NUL character'],
    ['a number', 'pageviews', '1\u0000', 'not a whole number'],
    ['a timestamp', 'started_at', '2026-03-02T10:00:00Z\u0000', TIMESTAMP],
  ])('a NUL byte in %s is an error there (shown as ␀: PostgreSQL text cannot hold U+0000)', async (_name, column, cell, reason) => {
    const cells: Record<string, string> = { session_id: 'n1', visitor_id: 'v1', started_at: '2026-03-02T10:00:00Z', campaign: 'c', pageviews: '1' };
    cells[column] = cell;
    const header = Object.keys(cells);
    const errors = await refused('sessions', csv(header.join(','), header.map((h) => cells[h]).join(',')));
    expect(errors).toEqual([{ file: 'sessions.csv', line: 2, column, value: cell.replace('\u0000', '\u2400'), reason }]);
  });

  test('a BOM, CRLF, LF and a CRLF inside a quoted cell: read as text, lines counted as an editor does', async () => {
    const content = '\uFEFFsession_id,visitor_id,started_at,campaign\r\nb1,v1,2026-03-02T10:00:00Z,plain\nb2,v1,2026-03-02T10:00:00Z,"two\r\nlines"\r\nb3,v1,2026-03-02T10:00:00Z,"a,""quoted"",cell"\n';
    const r = await importText(t.db, ws, 'sessions', content);
    expect([r.status, r.inserted]).toEqual(['succeeded', 3]);
    const rows = await t.db.selectFrom('sessions').select(['session_id', 'campaign']).where('session_id', 'in', ['b1', 'b2', 'b3']).orderBy('session_id').execute();
    expect(rows).toEqual([
      { session_id: 'b1', campaign: 'plain' },
      { session_id: 'b2', campaign: 'two\r\nlines' },
      { session_id: 'b3', campaign: 'a,"quoted",cell' },
    ]);
    // Header 1, b1 2, b2 3–4 (its quoted line break), b3 5: the bad row is on line 6.
    const errors = await refused('sessions', content.replace('\uFEFF', '') + 'b4,v1,2026-02-30T10:00:00Z,x\r\n');
    expect(errors).toEqual([{ file: 'sessions.csv', line: 6, column: 'started_at', value: '2026-02-30T10:00:00Z', reason: 'no such calendar date' }]);
  });

  test('a BOM before every line but the first is data, not a marker: a stray one is trimmed like other white space', async () => {
    const r = await importText(t.db, ws, 'sessions', csv('\uFEFFsession_id,visitor_id,started_at,campaign', '\uFEFFbom2,v1,2026-03-02T10:00:00Z,c'));
    expect(r.status).toBe('succeeded');
    expect(await t.db.selectFrom('sessions').select('session_id').where('session_id', '=', 'bom2').execute()).toEqual([{ session_id: 'bom2' }]);
  });
});

describe('CSV syntax: unterminated quotes, stray quotes, huge records', () => {
  test.each([
    ['an unterminated quote at the end', csv(SPEND_HEADER, spendRow('ok'), '2026-03-02,google,cpc,"never closed,,,,1,1,1,'), 3, 'CSV syntax error: a quoted cell is never closed'],
    ['a quote inside an unquoted cell', csv(SPEND_HEADER, spendRow('ok'), spendRow('bad"quote')), 3, 'CSV syntax error: a quote inside an unquoted cell (quote the whole cell and double the quotes inside)'],
    ['an unterminated quote swallowing the rest of a long file', csv(SPEND_HEADER, spendRow('"runaway'), ...Array.from({ length: 40_000 }, (_, i) => spendRow(`c${i}-${'y'.repeat(20)}`))), 2, `CSV syntax error: a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`],
  ])('%s', async (_name, content, line, reason) => {
    const errors = await refused('spend', content);
    expect(errors).toEqual([{ file: 'spend.csv', line, column: null, value: null, reason }]);
  });

  test(`a record past MAX_RECORD_CHARS (${MAX_RECORD_CHARS}) is refused, quoted or not`, async () => {
    const huge = 'h'.repeat(MAX_RECORD_CHARS + 1);
    const plain = await refused('spend', csv(SPEND_HEADER, spendRow('ok'), spendRow(huge)));
    expect(plain).toEqual([{ file: 'spend.csv', line: 3, column: null, value: null, reason: `CSV syntax error: a record longer than ${MAX_RECORD_CHARS} characters` }]);
    const quoted = await refused('spend', csv(SPEND_HEADER, spendRow(`"${huge}"`)));
    expect(quoted).toEqual([{ file: 'spend.csv', line: 2, column: null, value: null, reason: `CSV syntax error: a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)` }]);
  });

  test('a field past the column limit but within the record limit is a row error whose stored value is cut to 500 characters', async () => {
    const long = 'L'.repeat(5000);
    const errors = await refused('spend', csv(SPEND_HEADER, spendRow(long)));
    expect(errors).toEqual([{ file: 'spend.csv', line: 2, column: 'campaign', value: 'L'.repeat(500), reason: 'longer than 1000 characters (5000)' }]);
  });

  test('wrong cell counts, an empty file, a header only and a doubled column', async () => {
    expect(await refused('spend', csv(SPEND_HEADER, '2026-03-02,google,cpc'))).toEqual([{ file: 'spend.csv', line: 2, column: null, value: null, reason: 'the row has 3 cells, the header has 11' }]);
    expect(await refused('spend', '')).toEqual([{ file: 'spend.csv', line: 1, column: null, value: null, reason: 'the file is empty: a header row is required' }]);
    expect(await refused('spend', csv('date,source,medium,campaign,cost,cost', '2026-03-02,google,cpc,a,1,2'))).toEqual([{ file: 'spend.csv', line: 1, column: 'cost', value: null, reason: 'column appears twice in the header' }]);
    const headerOnly = await importText(t.db, ws, 'spend', csv(SPEND_HEADER));
    expect([headerOnly.status, headerOnly.rowsRead, headerOnly.inserted]).toEqual(['succeeded', 0, 0]);
  });
});

describe('duplicate ids within a file', () => {
  test.each([
    ['sessions', csv('session_id,visitor_id,started_at', 'd1,v1,2026-03-02T10:00:00Z', 'd2,v1,2026-03-02T11:00:00Z', 'd1,v2,2026-03-02T10:00:00Z'), { line: 4, column: 'session_id', value: 'session_id=d1', reason: 'duplicate key with different values (first at line 2)' }],
    ['calls', csv('call_id,started_at,caller_phone,tracking_number,status', 'd1,2026-03-02T10:00:00Z,+380992305767,+380441110001,answered', 'd1,2026-03-02T10:00:00Z,+380992305767,+380441110001,missed'), { line: 3, column: 'call_id', value: 'call_id=d1', reason: 'duplicate key with different values (first at line 2)' }],
    ['leads', csv('lead_id,created_at,kind,stage,outcome', 'd1,2026-03-02T10:00:00Z,form,new,open', 'd1,2026-03-02T10:00:00Z,form,new,junk'), { line: 3, column: 'lead_id', value: 'lead_id=d1', reason: 'duplicate key with different values (first at line 2)' }],
    ['spend', csv('date,source,medium,campaign,cost', '2026-03-02,google,cpc,dup,1', '2026-03-02,Google,CPC,dup,2'), { line: 3, column: 'date+source+medium+campaign+ad_group+ad+region', value: 'date=2026-03-02, source=google, medium=cpc, campaign=dup, ad_group=, ad=, region=', reason: 'duplicate key with different values (first at line 2)' }],
    ['plans', csv('month,channel,leads', '2026-05,,1', '2026-05,,2'), { line: 3, column: 'month+channel+region+manager', value: 'month=2026-05-01, channel=, region=, manager=', reason: 'duplicate key with different values (first at line 2)' }],
  ] as const)('%s: conflicting duplicates are refused at the later line', async (kind, content, expected) => {
    const errors = await refused(kind, content);
    expect(errors).toEqual([{ file: `${kind}.csv`, ...expected }]);
  });

  test('identical duplicates are imported once, with a warning', async () => {
    const r = await importText(t.db, ws, 'lead_stages', csv('lead_id,stage,entered_at', 'L0,contacted,2026-03-02T10:00:00Z', 'L0,contacted,2026-03-02T10:00:00Z'));
    expect([r.status, r.inserted, r.warnings]).toEqual(['succeeded', 1, ['1 row(s) repeat an earlier row with the same key and values; imported once']]);
  });
});

describe('hostile text that is valid data is stored verbatim', () => {
  const HOSTILE = [
    `'); drop table leads;--`,
    `x' OR '1'='1`,
    `"; select pg_sleep(10); --`,
    '<img src=x onerror=alert(1)><script>alert(1)</script>',
    '"><svg onload=alert(document.cookie)>',
    '=HYPERLINK("http://evil.example","click")',
    '+cmd|\' /C calc\'!A0',
    '@SUM(1+1)*cmd',
    '-1+1',
    '\\N',
    '\\.',
    'tab\tinside',
    '{{constructor.constructor("alert(1)")()}}',
    '${7*7}',
    'Київ «реклама» 🚀 مرحبا',
  ];
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

  test('in campaign names, ids, managers and reasons, every kind keeps the text as given', async () => {
    const before = await snapshot();
    const sessions = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign,landing_page',
      ...HOSTILE.map((h, i) => `${quote(`sx${i}-${h}`)},vx,2026-03-03T10:00:00Z,google,cpc,${quote(h)},${quote(`/p?q=${h}`)}`),
    ));
    expect([sessions.status, sessions.inserted]).toEqual(['succeeded', HOSTILE.length]);
    const leads = await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,session_id,manager,product,stage,outcome,loss_reason',
      ...HOSTILE.map((h, i) => `${quote(`lx${i}-${h}`)},2026-03-03T10:05:00Z,form,${quote(`sx${i}-${h}`)},${quote(h)},${quote(h)},new,lost,${quote(h)}`),
    ));
    expect([leads.status, leads.inserted]).toEqual(['succeeded', HOSTILE.length]);
    const spend = await importText(t.db, ws, 'spend', csv('date,source,medium,campaign,region,cost', ...HOSTILE.map((h) => `2026-03-03,google,cpc,${quote(h)},${quote(h)},1.00`)));
    expect([spend.status, spend.inserted]).toEqual(['succeeded', HOSTILE.length]);

    const storedSessions = await t.db.selectFrom('sessions').select(['session_id', 'campaign', 'landing_page']).where('visitor_id', '=', 'vx').execute();
    expect(new Set(storedSessions.map((s) => JSON.stringify(s)))).toEqual(new Set(HOSTILE.map((h, i) => JSON.stringify({ session_id: `sx${i}-${h}`, campaign: h, landing_page: `/p?q=${h}` }))));
    const storedLeads = await t.db.selectFrom('leads').select(['lead_id', 'manager', 'product', 'loss_reason']).where('lead_id', 'like', 'lx%').execute();
    expect(new Set(storedLeads.map((s) => JSON.stringify(s)))).toEqual(new Set(HOSTILE.map((h, i) => JSON.stringify({ lead_id: `lx${i}-${h}`, manager: h, product: h, loss_reason: h }))));
    const storedSpend = await t.db.selectFrom('spend').select(['campaign', 'region']).where('date', '=', '2026-03-03').execute();
    expect(new Set(storedSpend.map((s) => JSON.stringify(s)))).toEqual(new Set(HOSTILE.map((h) => JSON.stringify({ campaign: h, region: h }))));

    // Nothing ran: the tables are all still there, and grew by exactly these rows.
    const after = await snapshot();
    expect([after.sessions! - before.sessions!, after.leads! - before.leads!, after.spend! - before.spend!]).toEqual([HOSTILE.length, HOSTILE.length, HOSTILE.length]);
    expect(after['workspaces.data_version']).toBe(before['workspaces.data_version']! + 3);
  });

  // Text up to MAX_TEXT characters per key column, in characters that do not compress, can pass PostgreSQL's b-tree
  // entry limit (2704 bytes) in spend_pk, daily_traffic_pk, campaigns_pk and plans_pk: a row error, not a database error.
  let seed = 7;
  const noise = (n: number, ascii = false) => {
    let out = '';
    while (out.length < n) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const r = seed >>> 0;
      out += ascii ? String.fromCharCode(0x21 + ((r >>> 3) % 94)).replace(/[",]/, 'q') : String.fromCodePoint(r % 2 === 0 ? 0x400 + ((r >>> 1) % 0x100) : 0x1f300 + ((r >>> 1) % 0x200));
    }
    return [...out].slice(0, ascii ? n : n / 2).join('');
  };
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

  test.each([
    ['spend', 'date,source,medium,campaign,ad_group,ad,region,cost', ['source', 'medium', 'campaign', 'ad_group', 'ad', 'region'], (c: Record<string, string>) => `2026-03-04,${c.source},${c.medium},${c.campaign},${c.ad_group},${c.ad},${c.region},1`],
    ['sessions', 'session_id,visitor_id,started_at,source,medium,campaign,content,term,region,device', ['source', 'medium', 'campaign', 'content', 'region', 'device'], (c: Record<string, string>) => `kx1,vk1,2026-03-04T10:00:00Z,${c.source},${c.medium},${c.campaign},${c.content},,${c.region},${c.device}`],
    ['plans', 'month,channel,region,manager,leads', ['channel', 'region', 'manager'], (c: Record<string, string>) => `2026-06,,${c.region},${c.manager},1`],
  ] as const)('%s: key text past the index limit, in multi-byte characters, is a row error naming the longest column', async (kind, header, columns, row) => {
    const cells = Object.fromEntries(columns.map((c, i) => [c, c === 'channel' ? '' : noise(1000 - i * 100)]));
    const lower = kind === 'plans' ? cells : Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, ['source', 'medium', 'device'].includes(k) ? v.toLowerCase() : v]));
    const sizes = columns.map((c) => [c, bytes(lower[c]!)] as const);
    const total = sizes.reduce((a, [, n]) => a + n, 0);
    const [longest, longestBytes] = sizes.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(total).toBeGreaterThan(2500);
    const errors = await refused(kind, csv(header, row(cells)));
    expect(errors).toEqual([{
      file: `${kind}.csv`, line: 2, column: longest, value: cells[longest]!.slice(0, 500),
      reason: `${columns.join(', ')} take ${total} bytes together (UTF-8), more than the 2500 they may: shorten ${longest} (${longestBytes} bytes)`,
    }]);
  });

  test('spend key text of exactly 2500 bytes that does not compress is stored; 2501 bytes is refused', async () => {
    // source 'google' (6) + medium 'cpc' (3) + campaign 1000 + ad_group 1000 + ad 491 = 2500 bytes.
    const [campaign, adGroup, ad] = [noise(1000, true), noise(1000, true), noise(491, true)];
    const r = await importText(t.db, ws, 'spend', csv('date,source,medium,campaign,ad_group,ad,cost', `2026-03-05,google,cpc,${campaign},${adGroup},${ad},1`));
    expect([r.status, r.inserted]).toEqual(['succeeded', 1]);
    const stored = await t.db.selectFrom('spend').select(['campaign', 'ad_group', 'ad']).where('date', '=', '2026-03-05').executeTakeFirstOrThrow();
    expect(stored).toEqual({ campaign, ad_group: adGroup, ad });
    const errors = await refused('spend', csv('date,source,medium,campaign,ad_group,ad,cost', `2026-03-05,google,cpc,${campaign},${adGroup},${ad}x,1`));
    expect(errors.map((e) => [e.line, e.column, e.reason])).toEqual([[2, 'campaign', 'source, medium, campaign, ad_group, ad, region take 2501 bytes together (UTF-8), more than the 2500 they may: shorten campaign (1000 bytes)']]);
  });
});

test('one bad row among many good ones in a big file changes nothing (all or nothing)', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `bulk${i},vb${i % 97},2026-03-0${1 + (i % 9)}T10:00:00Z,google,cpc,bulk`);
  rows.splice(4321, 0, 'bulk-bad,vb,2026-03-02T10:00:00Z,google,cpc,"<script>\u0000</script>"');
  const errors = await refused('sessions', csv('session_id,visitor_id,started_at,source,medium,campaign', ...rows));
  // Header on line 1, so the 4322nd row is on line 4323.
  expect(errors).toEqual([{ file: 'sessions.csv', line: 4323, column: 'campaign', value: '<script>\u2400</script>', reason: 'contains a NUL character' }]);
});

test('one visitor with 3000 sessions hopping between channels: imported, not a database error in the derived paths', async () => {
  // Eight channels in a scrambled order (a fixed LCG), so the collapsed path does not compress: thousands of entries.
  const sources = [['google', 'cpc'], ['facebook', 'paid_social'], ['', ''], ['google', 'organic'], ['news', 'referral'], ['mail', 'email'], ['partner', 'cpa'], ['yandex', 'display']];
  let x = 12345;
  const rows = Array.from({ length: 3000 }, (_, i) => {
    x = (x * 1103 + 4721) % 65_521;
    const [source, medium] = sources[x % sources.length]!;
    const t0 = Date.UTC(2026, 3, 1) + i * 3_600_000;
    return `hop${i},vhop,${new Date(t0).toISOString()},${source},${medium}`;
  });
  const r = await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium', ...rows));
  expect([r.status, r.inserted]).toEqual(['succeeded', 3000]);
  const path = await sql<{ n: number }>`select cardinality(path)::int as n from visitor_paths where visitor_id = 'vhop'`.execute(t.db);
  expect(path.rows[0]!.n).toBeGreaterThan(1000);
});
