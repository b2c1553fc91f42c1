import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fieldPath } from '../../../app/api/errors';
import { tokenFromHeader } from '../../../app/api/auth-header';
import { amountSchema, callSchema, instantSchema, leadUpdateSchema, segmentBatchSchema, segmentEventSchema } from '../../../app/api/schemas';

// The API's zod schemas under fuzz: arbitrary JSON never makes them throw,
// whatever they accept has the promised shape, valid events built from a
// model are accepted, and a valid event with one field broken is refused
// with that field's path.

const validInstant = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const id = fc.oneof(fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim() !== '' && !s.includes('\u0000')), fc.nat());
const validEvent = fc.record(
  {
    type: fc.constantFrom('page', 'track', 'identify'),
    messageId: id,
    anonymousId: id,
    timestamp: validInstant,
    event: fc.constantFrom('Signed Up', 'Lead Created'),
    properties: fc.record({ url: fc.webUrl(), amount: fc.constantFrom('10', '12500.50', 0, 99.5), lead_id: id }, { requiredKeys: [] }),
    context: fc.record({ campaign: fc.record({ source: fc.string({ maxLength: 20 }).filter((s) => !s.includes('\u0000')) }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['type', 'anonymousId', 'event'] },
);

function assertAcceptedShape(value: unknown): void {
  const e = value as Record<string, unknown>;
  expect(['page', 'track', 'identify', 'screen', 'group', 'alias']).toContain(e.type);
  const visitor = e.anonymousId ?? e.userId;
  expect(typeof visitor).toBe('string');
  expect((visitor as string).length).toBeGreaterThan(0);
  expect((visitor as string).length).toBeLessThanOrEqual(200);
  for (const key of ['timestamp', 'originalTimestamp', 'sentAt']) {
    if (e[key] == null) continue;
    const year = new Date(e[key] as string).getUTCFullYear();
    expect(year).toBeGreaterThanOrEqual(1969); // 1970-01-01T00:30+01:00 is 1969 in UTC
    expect(year).toBeLessThanOrEqual(2101);
  }
  if (e.type === 'track') expect(typeof e.event).toBe('string');
}

describe('fuzz', () => {
  test('arbitrary JSON never throws; anything accepted has the promised shape', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const schema of [segmentEventSchema, segmentBatchSchema, callSchema, leadUpdateSchema]) {
          expect(() => schema.safeParse(value)).not.toThrow();
        }
        const r = segmentEventSchema.safeParse(value);
        if (r.success) assertAcceptedShape(r.data);
      }),
      { numRuns: 2000 },
    );
  });

  test('webhook items: near-valid ones never throw; accepted ones have their ids, enums and instants', () => {
    const call = { call_id: 'c1', started_at: '2026-03-01T10:00:00Z', caller_phone: '+380671234567', tracking_number: '+380441112233', duration_sec: 60, status: 'answered' };
    const lead = { lead_id: 'l1', created_at: '2026-03-01T10:00:00Z', outcome: 'won', amount: '10.5', stages: [{ stage: 'won', entered_at: '2026-03-02T10:00:00Z' }] };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(call)), fc.constantFrom(...Object.keys(lead)), fc.jsonValue(), (callKey, leadKey, junk) => {
        const c = callSchema.safeParse({ ...call, [callKey]: junk });
        if (c.success) {
          expect(c.data.call_id.length).toBeGreaterThan(0);
          expect(['answered', 'missed']).toContain(c.data.status);
          expect(instantSchema.safeParse(c.data.started_at).success).toBe(true);
          if (c.data.duration_sec != null) expect(Number.isInteger(c.data.duration_sec) && c.data.duration_sec >= 0).toBe(true);
        }
        const l = leadUpdateSchema.safeParse({ ...lead, [leadKey]: junk });
        if (l.success) {
          expect(l.data.lead_id.length).toBeGreaterThan(0);
          if (l.data.amount != null) expect(l.data.amount).toMatch(/^\d{1,15}(\.\d{1,6})?$/);
          if (l.data.outcome !== undefined) expect(['open', 'won', 'lost', 'junk']).toContain(l.data.outcome);
          for (const st of l.data.stages ?? []) expect(instantSchema.safeParse(st.entered_at).success).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('near-valid events (valid ones with random fields replaced) never throw; accepted ones keep the shape', () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom('type', 'messageId', 'anonymousId', 'timestamp', 'event', 'properties', 'context'), fc.jsonValue(), (event, key, junk) => {
        const r = segmentEventSchema.safeParse({ ...event, [key]: junk });
        if (r.success) assertAcceptedShape(r.data);
      }),
      { numRuns: 2000 },
    );
  });

  test('valid events are accepted, ids as strings', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        const r = segmentEventSchema.safeParse(event);
        expect(r.error?.issues ?? []).toEqual([]);
        expect(r.data!.anonymousId).toBe(String(event.anonymousId).trim());
      }),
      { numRuns: 500 },
    );
  });

  test('breaking one field is refused with that field named', () => {
    const broken: [string, unknown, string][] = [
      ['timestamp', 'yesterday', 'timestamp'],
      ['timestamp', '2026-03-01T10:00:00', 'timestamp'], // no offset
      ['timestamp', '2026-02-30T10:00:00Z', 'timestamp'],
      ['timestamp', '10000-01-01T00:00:00Z', 'timestamp'],
      ['anonymousId', '', 'anonymousId'],
      ['anonymousId', 'x'.repeat(201), 'anonymousId'],
      ['anonymousId', { id: 1 }, 'anonymousId'],
      ['messageId', 1.5, 'messageId'],
      ['type', 'purchase', 'type'],
      ['context', 'ctx', 'context'],
    ];
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...broken), (event, [key, value, path]) => {
        const r = segmentEventSchema.safeParse({ ...event, [key]: value });
        expect(r.success).toBe(false);
        expect(r.error!.issues.map((i) => fieldPath('', i.path))).toContain(path);
      }),
      { numRuns: 300 },
    );
  });
});

describe('examples', () => {
  test.each([
    ['2026-03-01T09:15:00.000Z', true],
    ['2026-03-01T09:15:00+02:00', true],
    ['2026-03-01T09:15:00.123456+0200', true],
    ['2026-03-01T09:15Z', true],
    ['2026-03-01 09:15:00Z', false],
    ['2026-03-01T24:00:00Z', false],
    ['1969-12-31T23:59:59Z', false],
    ['2026-03-01T09:15:00+15:00', false],
  ])('instant %s → %s', (value, ok) => {
    expect(instantSchema.safeParse(value).success).toBe(ok);
  });

  test.each([
    ['12500.50', '12500.50'],
    [99.5, '99.5'],
    [0, '0'],
    ['1,5', null],
    [-1, null],
    ['1e3', null],
    [Number.POSITIVE_INFINITY, null],
  ])('amount %s → %s', (value, expected) => {
    const r = amountSchema.safeParse(value);
    expect(r.success ? r.data : null).toBe(expected);
  });

  test('a Lead Created event checks its properties; other track events do not', () => {
    const base = { type: 'track', anonymousId: 'v', messageId: 'm' };
    const r = segmentEventSchema.safeParse({ ...base, event: 'Lead Created', properties: { amount: 'lots', temperature: 'boiling' } });
    expect(r.error!.issues.map((i) => fieldPath('batch[3]', i.path))).toEqual(['batch[3].properties.amount', 'batch[3].properties.temperature']);
    expect(segmentEventSchema.safeParse({ ...base, event: 'Signed Up', properties: { amount: 'lots' } }).success).toBe(true);
  });

  test('a call needs its id, time, numbers and status', () => {
    const r = callSchema.safeParse({ call_id: 'c1', started_at: '2026-03-01T10:00:00Z', caller_phone: '+380671234567', tracking_number: 380441112233, duration_sec: -1, status: 'busy' });
    expect(r.error!.issues.map((i) => fieldPath('', i.path))).toEqual(['duration_sec', 'status']);
  });

  test.each([
    ['Bearer lp_ingest_abc', 'lp_ingest_abc'],
    ['bearer   lp_read_x', 'lp_read_x'],
    [`Basic ${Buffer.from('lp_ingest_abc:').toString('base64')}`, 'lp_ingest_abc'],
    [`Basic ${Buffer.from('lp_ingest_abc').toString('base64')}`, 'lp_ingest_abc'],
    ['Token abc', ''],
    ['', null],
    [null, null],
  ])('Authorization %s → %s', (header, token) => {
    expect(tokenFromHeader(header)).toBe(token);
  });
});
