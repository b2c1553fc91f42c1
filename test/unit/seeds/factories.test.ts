import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, test } from 'vitest';
import { KIND_SPECS, rowSchema } from '../../../app/import/formats';
import { CHANNELS } from '../../../app/domain/channels';
import { DEFAULT_PIPELINE } from '../../../app/domain/pipeline';
import {
  CANONICAL_COLUMNS, CsvWriter, csvCell, KINDS, makeCall, makeLead, makeLeadStage, makePlan, makeSession, makeSpend,
  makeTrackingNumber, resetFactorySequence, toCsv, type Kind, type RowOf, type SessionRow,
} from '../../../seeds/factories';

// Header rows exactly as the data contract lists the columns.
const CONTRACT_HEADERS: Record<Kind, string> = {
  spend: 'date,source,medium,campaign,ad_group,ad,region,impressions,clicks,cost,currency',
  sessions: 'session_id,visitor_id,started_at,source,medium,campaign,content,term,landing_page,referrer,region,device,pageviews',
  tracking_numbers: 'number,kind,source,medium,campaign,valid_from,valid_to',
  calls: 'call_id,started_at,caller_phone,tracking_number,session_id,duration_sec,status,manager,region',
  leads:
    'lead_id,created_at,kind,session_id,visitor_id,call_id,phone,email,source,medium,campaign,region,manager,product,customer_id,temperature,stage,outcome,loss_reason,amount,closed_at',
  lead_stages: 'lead_id,stage,entered_at,manager',
  plans: 'month,channel,region,manager,leads,max_cpl,budget,sales,revenue',
};

const ctx = { phoneCountry: 'UA', currency: 'UAH', stages: DEFAULT_PIPELINE, channels: CHANNELS };

beforeEach(() => resetFactorySequence());

describe('CANONICAL_COLUMNS', () => {
  test.each(KINDS)('%s: the contract columns, in the contract order, as the importer reads them', (kind) => {
    expect(CANONICAL_COLUMNS[kind].join(',')).toBe(CONTRACT_HEADERS[kind]);
    expect(CANONICAL_COLUMNS[kind]).toEqual(KIND_SPECS[kind].columns.map((c) => c.name));
    expect(toCsv(kind, [])).toBe(`${CONTRACT_HEADERS[kind]}\n`);
  });
});

describe('factories', () => {
  const samples: { [K in Kind]: () => RowOf[K] } = {
    spend: () => makeSpend(),
    sessions: () => makeSession(),
    tracking_numbers: () => makeTrackingNumber(),
    calls: () => makeCall(),
    leads: () => makeLead(),
    lead_stages: () => makeLeadStage(),
    plans: () => makePlan(),
  };

  test.each(KINDS)('default %s row passes the importer row validation', (kind) => {
    const csv = toCsv(kind, [samples[kind]() as never]);
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    const result = rowSchema(KIND_SPECS[kind], ctx).safeParse(row);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  test('ids are unique across calls and overrides win over defaults', () => {
    const a = makeSession();
    const b = makeSession({ source: 'google', medium: 'cpc', device: undefined });
    expect(a.session_id).not.toBe(b.session_id);
    expect(b.source).toBe('google');
    expect(b.device).toBeUndefined();
    expect(makeLead({ outcome: 'won', amount: '25000.00' })).toMatchObject({ outcome: 'won', amount: '25000.00', kind: 'form' });
  });

  test('resetFactorySequence() restarts the ids', () => {
    const first = makeCall().call_id;
    makeCall();
    resetFactorySequence();
    expect(makeCall().call_id).toBe(first);
  });
});

describe('toCsv', () => {
  test('quotes cells with commas, quotes and line breaks (RFC 4180); empty and undefined are empty cells', () => {
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('вікна ціна, монтаж')).toBe('"вікна ціна, монтаж"');
    expect(csvCell('двері "Страж"')).toBe('"двері ""Страж"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  test('round-trips through a CSV parser', () => {
    const rows: SessionRow[] = [
      makeSession({ term: 'вікна ціна, монтаж', referrer: 'https://x.ua/?a="b"', landing_page: 'https://k.ua/\nnext' }),
      makeSession({ region: undefined, pageviews: undefined }),
    ];
    const parsed = parse(toCsv('sessions', rows), { columns: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ term: 'вікна ціна, монтаж', referrer: 'https://x.ua/?a="b"', landing_page: 'https://k.ua/\nnext' });
    expect(parsed[1]).toMatchObject({ region: '', pageviews: '' });
  });
});

describe('CsvWriter', () => {
  test('writes the same bytes as toCsv and waits for drain when the stream is full', async () => {
    const chunks: Buffer[] = [];
    let drains = 0;
    // A slow consumer with a tiny buffer: write() returns false and the writer must wait.
    const sink = new Writable({
      highWaterMark: 256,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        setImmediate(done);
      },
    });
    sink.on('drain', () => drains++);
    const writer = new CsvWriter('sessions', sink, 512);
    const rows = Array.from({ length: 400 }, (_, i) => makeSession({ term: i % 7 === 0 ? 'a, b' : undefined }));
    for (const row of rows) await writer.write(row);
    expect(await writer.close()).toBe(400);
    expect(writer.rows).toBe(400);
    expect(drains).toBeGreaterThan(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(toCsv('sessions', rows));
  });

  test('an empty file still has its header', async () => {
    const sink = new PassThrough();
    const data: Buffer[] = [];
    sink.on('data', (c: Buffer) => data.push(c));
    const writer = new CsvWriter('plans', sink);
    await writer.close();
    expect(Buffer.concat(data).toString('utf8')).toBe(`${CONTRACT_HEADERS.plans}\n`);
  });

  test('stream errors surface on the next write or close', async () => {
    const sink = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('disk full'));
      },
    });
    const writer = new CsvWriter('calls', sink, 1);
    await expect(
      (async () => {
        for (let i = 0; i < 10; i++) await writer.write(makeCall());
        await writer.close();
      })(),
    ).rejects.toThrow('disk full');
  });
});
