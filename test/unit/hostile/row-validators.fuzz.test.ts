import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { LEAD_KINDS, OUTCOMES, TEMPERATURES } from '../../../app/domain/pipeline';
import { MAX_TEXT, MAX_URL, type ParseContext } from '../../../app/import/fields';
import { clickIds, IMPORT_KINDS, KIND_SPECS, rowSchema, type ImportKind } from '../../../app/import/formats';

// Fuzz over the canonical CSV row validators (one zod schema per kind):
// arbitrary cells never throw; a valid row comes out as it went in (apart from
// the documented normalisations); one bad cell in an otherwise valid row is
// an error that names that cell's column.

const ctx: ParseContext = {
  phoneCountry: 'UA',
  currency: 'UAH',
  stages: ['new', 'contacted', 'qualified', 'won'],
  channels: ['direct', 'paid_search', 'offline', 'other'],
};

type ColumnType =
  | { t: 'text'; max: number; lower?: boolean }
  | { t: 'int'; min: number; max: number }
  | { t: 'decimal' | 'date' | 'month' | 'timestamp' | 'phone' | 'email' | 'currency' | 'stage' | 'channel' }
  | { t: 'enum'; values: readonly string[] };

const text = (max = MAX_TEXT): ColumnType => ({ t: 'text', max });
const lower: ColumnType = { t: 'text', max: MAX_TEXT, lower: true };
const id: ColumnType = text(200);
const int = (min = 0, max = 2_147_483_647): ColumnType => ({ t: 'int', min, max });
const T = (t: 'decimal' | 'date' | 'month' | 'timestamp' | 'phone' | 'email' | 'currency' | 'stage' | 'channel'): ColumnType => ({ t });
const oneOf = (values: readonly string[]): ColumnType => ({ t: 'enum', values });

/** What each column of each kind holds (docs/data-contract.md); a column missing here fails the coverage test. */
const TYPES: Record<ImportKind, Record<string, ColumnType>> = {
  spend: {
    date: T('date'), source: lower, medium: lower, campaign: text(), ad_group: text(), ad: text(), region: text(),
    impressions: int(0, Number.MAX_SAFE_INTEGER), clicks: int(0, Number.MAX_SAFE_INTEGER), cost: T('decimal'), currency: T('currency'),
  },
  sessions: {
    session_id: id, visitor_id: id, started_at: T('timestamp'), source: lower, medium: lower, campaign: text(), content: text(),
    term: text(), landing_page: text(MAX_URL), referrer: text(MAX_URL), region: text(), device: lower, pageviews: int(1),
  },
  tracking_numbers: {
    number: T('phone'), kind: oneOf(['static', 'pool']), source: lower, medium: lower, campaign: text(), valid_from: T('date'), valid_to: T('date'),
  },
  calls: {
    call_id: id, started_at: T('timestamp'), caller_phone: T('phone'), tracking_number: T('phone'), session_id: id,
    duration_sec: int(0), status: oneOf(['answered', 'missed']), manager: text(), region: text(),
  },
  leads: {
    lead_id: id, created_at: T('timestamp'), kind: oneOf(LEAD_KINDS), session_id: id, visitor_id: id, call_id: id, phone: T('phone'),
    email: T('email'), source: lower, medium: lower, campaign: text(), region: text(), manager: text(), product: text(), customer_id: id,
    temperature: oneOf(TEMPERATURES), stage: T('stage'), outcome: oneOf(OUTCOMES), loss_reason: text(), amount: T('decimal'), closed_at: T('timestamp'),
  },
  lead_stages: { lead_id: id, stage: T('stage'), entered_at: T('timestamp'), manager: text() },
  plans: {
    month: T('month'), channel: T('channel'), region: text(), manager: text(), leads: int(0), max_cpl: T('decimal'), budget: T('decimal'),
    sales: int(0), revenue: T('decimal'),
  },
};

const HOSTILE_TEXT = [
  `'); drop table leads;--`,
  `" or 1=1 --`,
  '<img src=x onerror=alert(1)><script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  '=HYPERLINK("http://evil.example","x")',
  '+cmd|\' /C calc\'!A0',
  '@SUM(1+1)',
  '-1+1',
  'Київ — «реклама» 🚀',
  'tab\there',
  'two\nlines',
  '\\N',
  '\uFFFD',
];

const pad2 = (n: number) => String(n).padStart(2, '0');
const day = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** A valid cell, written the way the parser stores it (trimmed, lower-cased, E.164), so the output must equal it. */
function validCell(type: ColumnType): fc.Arbitrary<string> {
  switch (type.t) {
    case 'text': {
      const free = fc.string({ maxLength: 60 }).map((s) => s.replaceAll('\u0000', '').trim()).filter((s) => s !== '');
      return fc.oneof(fc.constantFrom(...HOSTILE_TEXT.map((s) => s.trim())), free).map((s) => (type.lower ? s.toLowerCase() : s));
    }
    case 'int':
      return fc.integer({ min: type.min, max: Math.min(type.max, Number.MAX_SAFE_INTEGER) }).map(String);
    case 'decimal':
      return fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.option(digits(1, 6), { nil: undefined })).map(([i, frac]) => (frac ? `${i}.${frac}` : String(i)));
    case 'date':
      return day;
    case 'month':
      return day.map((d) => d.slice(0, 7));
    case 'timestamp':
      return fc
        .tuple(day, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('', 'Z', '+02:00', '-05:30', '+0300', '+14:00'))
        .map(([d, h, m, s, offset]) => `${d}T${pad2(h)}:${pad2(m)}:${pad2(s)}${offset}`);
    case 'phone':
      // Ukrainian mobiles: +380 and an operator code, 9 digits after 380.
      return fc.tuple(fc.constantFrom('50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'), digits(7, 7)).map(([op, rest]) => `+380${op}${rest}`);
    case 'email':
      return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}$/)).map(([user, host]) => `${user}@${host}.example`);
    case 'currency':
      return fc.constant(ctx.currency);
    case 'stage':
      return fc.constantFrom(...ctx.stages);
    case 'channel':
      return fc.constantFrom(...ctx.channels);
    case 'enum':
      return fc.constantFrom(...type.values);
  }
}

/** Cells each type must refuse (for a required column, blank is refused too). */
function invalidCell(type: ColumnType): fc.Arbitrary<string> {
  const always = ['a\u0000b'];
  switch (type.t) {
    case 'text':
      return fc.oneof(fc.constantFrom(...always, 'x'.repeat(type.max + 1)), fc.string({ maxLength: 5 }).map((s) => `${s}\u0000`));
    case 'int':
      return fc.constantFrom(...always, 'abc', '1.5', '1e3', 'NaN', 'Infinity', '-Infinity', '0x10', String(type.min - 1), `${BigInt(Math.min(type.max, Number.MAX_SAFE_INTEGER)) + 1n}`, '١٢', '1 000');
    case 'decimal':
      return fc.constantFrom(...always, 'NaN', 'Infinity', '-Infinity', '-1', '-0.01', '1e5', '1,5', '0x10', '1.1234567', '+5', '1 234.5', '12$', '1'.repeat(16), '.5', '5.');
    case 'date':
      return fc.constantFrom(...always, '0000-01-01', '10000-01-01', '1969-12-31', '2101-01-01', '2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-3-1', '01.03.2026', '2026-03-01T10:00:00Z', 'yesterday');
    case 'month':
      return fc.constantFrom(...always, '0000-01', '10000-01', '2026-13', '2026-00', '2026-3', '03/2026', '2026-03-01');
    case 'timestamp':
      return fc.constantFrom(
        ...always, '0000-01-01T00:00:00Z', '10000-01-01T00:00:00Z', '2026-02-30T10:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z',
        '2026-03-01T10:00:60Z', '2026-03-01T10:00:00+15:00', '2026-03-01T10:00:00+02:99', '2026-03-01', '1700000000', 'NaN', '2026-03-01T10:00:00 Europe/Kyiv',
      );
    case 'phone':
      return fc.constantFrom(...always, '12', 'abc', 'call me', '+'.padEnd(41, '1'), '=HYPERLINK("x")');
    case 'email':
      return fc.constantFrom(...always, 'not-an-email', '@example.com', 'a@', 'a b@example.com', `${'a'.repeat(320)}@x.example`);
    case 'currency':
      return fc.constantFrom(...always, 'USD', 'US', 'UAHX', '980', '₴');
    case 'stage':
      return fc.constantFrom(...always, 'closing', 'won!', 'new;drop');
    case 'channel':
      return fc.constantFrom(...always, 'tv', 'paid-search', '<b>direct</b>');
    case 'enum':
      return fc.constantFrom(...always, 'maybe', `${type.values[0]}x`, 'NULL');
  }
}

/** What the parser stores for a valid cell: only month ('2026-03' → '2026-03-01') changes. */
const stored = (type: ColumnType, cell: string) => (type.t === 'month' ? `${cell}-01` : cell);

/** Makes a valid row satisfy the kind's cross-column rules. */
function fixCrossColumn(kind: ImportKind, row: Record<string, string>): Record<string, string> {
  const r = { ...row };
  if (kind === 'spend' && r.clicks !== undefined && r.impressions !== undefined && BigInt(r.clicks) > BigInt(r.impressions)) {
    [r.clicks, r.impressions] = [r.impressions, r.clicks];
  }
  if (kind === 'tracking_numbers') {
    if (r.kind === 'static') for (const c of ['source', 'medium', 'campaign']) r[c] ??= 'billboard';
    if (r.valid_from !== undefined && r.valid_to !== undefined && r.valid_from > r.valid_to) [r.valid_from, r.valid_to] = [r.valid_to, r.valid_from];
  }
  if (kind === 'leads' && r.outcome === 'open') delete r.closed_at;
  return r;
}

/** A valid row of a kind: every required column, each optional one present or left out. */
function validRow(kind: ImportKind): fc.Arbitrary<Record<string, string>> {
  const spec = KIND_SPECS[kind];
  const cells = Object.fromEntries(
    spec.columns.map((c) => [c.name, c.required ? validCell(TYPES[kind][c.name]!) : fc.option(validCell(TYPES[kind][c.name]!), { nil: undefined })]),
  );
  return fc.record(cells).map((r) => fixCrossColumn(kind, Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>));
}

// A slack bound, not a speed assertion: the machine running the suite may be busy.
const FUZZ_TIMEOUT = 60_000;

const schemas = Object.fromEntries(IMPORT_KINDS.map((k) => [k, rowSchema(KIND_SPECS[k], ctx)])) as Record<ImportKind, ReturnType<typeof rowSchema>>;

test('the fuzz knows the type of every column of every kind', () => {
  for (const kind of IMPORT_KINDS) {
    expect(Object.keys(TYPES[kind]).sort(), kind).toEqual(KIND_SPECS[kind].columns.map((c) => c.name).sort());
  }
});

describe.each(IMPORT_KINDS)('%s rows', (kind) => {
  const spec = KIND_SPECS[kind];
  const schema = schemas[kind];

  test('arbitrary cells (any Unicode, lone surrogates, NUL, huge) never throw; what passes is bounded text', () => {
    const anyCell = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\uFFFD', '\uFEFF', ' ', '\t', '\r', '\n', '"', ',', '-', '9', 'e', '.') }),
      fc.constantFrom(...HOSTILE_TEXT, 'x'.repeat(MAX_URL + 1), 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(400)),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...spec.columns.map((c) => c.name), '__proto__', 'constructor', 'unknown'), anyCell), (row) => {
        const r = schema.safeParse(row);
        if (!r.success) {
          const known = new Set(spec.columns.map((c) => c.name));
          for (const issue of r.error.issues) expect(known.has(String(issue.path[0]))).toBe(true);
          return;
        }
        for (const c of spec.columns) {
          const v = (r.data as Record<string, string | null>)[c.name];
          expect(v === null || typeof v === 'string').toBe(true);
          if (typeof v === 'string') {
            expect(v.includes('\u0000')).toBe(false);
            expect(v.length).toBeLessThanOrEqual(MAX_URL);
          }
        }
      }),
      { numRuns: 200 },
    );
  }, FUZZ_TIMEOUT);

  test('a valid row is accepted and stored unchanged', () => {
    fc.assert(
      fc.property(validRow(kind), (row) => {
        const r = schema.safeParse(row);
        expect(r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (${JSON.stringify(row[String(i.path[0])])})`)).toEqual([]);
        // Each column: the cell as stored, or when left out, the column's empty value ('' for key dimensions, else null).
        const expected = Object.fromEntries(spec.columns.map((c) => [c.name, row[c.name] === undefined ? c.empty ?? null : stored(TYPES[kind][c.name]!, row[c.name]!)]));
        expect(r.data).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  }, FUZZ_TIMEOUT);

  test('one bad cell in a valid row is an error naming its column', () => {
    const arb = fc
      .tuple(validRow(kind), fc.constantFrom(...spec.columns))
      .chain(([row, column]) => {
        const bad = column.required ? fc.oneof(invalidCell(TYPES[kind][column.name]!), fc.constantFrom('', '   ')) : invalidCell(TYPES[kind][column.name]!);
        return bad.map((cell) => ({ row: { ...row, [column.name]: cell }, column: column.name, cell }));
      });
    fc.assert(
      fc.property(arb, ({ row, column, cell }) => {
        const r = schema.safeParse(row);
        expect(r.success, `${column}=${JSON.stringify(cell)} was accepted`).toBe(false);
        const issues = r.error!.issues;
        // Only the bad cell is reported: the rest of the row is valid, and cross-column rules wait for valid cells.
        expect(issues.map((i) => i.path[0])).toEqual([column]);
        expect(issues[0]!.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  }, FUZZ_TIMEOUT);
});

test.each([
  // Exact reasons for the classic hostile values (the messages users see).
  ['spend', 'cost', 'NaN', 'not a decimal number (digits with an optional "." and up to 6 decimals)'],
  ['spend', 'cost', 'Infinity', 'not a decimal number (digits with an optional "." and up to 6 decimals)'],
  ['spend', 'cost', '-0.01', 'must be >= 0'],
  ['spend', 'clicks', '-1', 'must be >= 0'],
  ['spend', 'clicks', '1.5', 'not a whole number'],
  ['spend', 'date', '0000-01-01', 'year 0 is out of range (1970–2100)'],
  ['spend', 'date', '10000-01-01', 'not a date in YYYY-MM-DD form'],
  ['spend', 'date', '2026-02-30', 'no such calendar date'],
  ['spend', 'campaign', 'a\u0000b', 'contains a NUL character'],
  ['spend', 'campaign', 'x'.repeat(MAX_TEXT + 1), `longer than ${MAX_TEXT} characters (${MAX_TEXT + 1})`],
  ['leads', 'created_at', '10000-01-01T00:00:00Z', 'not an ISO 8601 timestamp (e.g. 2026-03-01T09:15:00+02:00)'],
  ['leads', 'created_at', '0000-01-01T00:00:00Z', 'year 0 is out of range (1970–2100)'],
  ['leads', 'outcome', 'maybe', 'unknown value "maybe" (expected one of: open, won, lost, junk)'],
  ['leads', 'temperature', 'boiling', 'unknown value "boiling" (expected one of: cold, warm, hot)'],
  ['leads', 'amount', '-5', 'must be >= 0'],
  ['plans', 'month', '2026-00', 'no such month'],
  ['plans', 'channel', 'tv', 'unknown channel "tv" (channels: direct, paid_search, offline, other)'],
] as const)('%s.%s = %j → %j', (kind, column, cell, reason) => {
  const base = fc.sample(validRow(kind), { numRuns: 1, seed: 42 })[0]!;
  const r = schemas[kind].safeParse({ ...base, [column]: cell });
  expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([[column, reason]]);
});

test('click ids read from any landing page are what URLSearchParams reads (the import’s fast path agrees with the standard)', () => {
  const reference = (landingPage: string) => {
    if (!landingPage.includes('clid=')) return { gclid: null, yclid: null, fbclid: null };
    const params = new URLSearchParams(landingPage.slice(landingPage.indexOf('?') + 1).split('#')[0] ?? '');
    const pick = (k: string) => {
      const v = params.get(k);
      return v && v.length <= 512 ? v : null;
    };
    return { gclid: pick('gclid'), yclid: pick('yclid'), fbclid: pick('fbclid') };
  };
  const part = fc.oneof(
    fc.constantFrom('gclid', 'yclid', 'fbclid', 'gclid%3D', 'g%63lid', 'utm_source', '', '=', '&', '?', '#', '+', '%', '%2', '%ZZ', '%E2%82', '%F0%9F%98%80', 'x'.repeat(513)),
    fc.string({ maxLength: 6 }),
  );
  const url = fc.array(part, { maxLength: 12 }).map((parts) => `https://shop.example/p?${parts.join('')}`);
  const pairs = fc.array(fc.tuple(fc.constantFrom('gclid', 'yclid', 'fbclid', 'utm_source', 'g+clid'), fc.oneof(part, fc.constant(''))), { maxLength: 5 })
    .map((ps) => `/landing?${ps.map(([k, v]) => `${k}=${v}`).join('&')}${ps.length % 2 ? '#frag=gclid=1' : ''}`);
  fc.assert(
    fc.property(fc.oneof(url, pairs), (landing) => {
      expect(clickIds(landing)).toEqual(reference(landing));
    }),
    { numRuns: 1000 },
  );
});
