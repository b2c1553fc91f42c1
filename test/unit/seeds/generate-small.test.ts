import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHANNELS } from '../../../app/domain/channels';
import { DEFAULT_PIPELINE } from '../../../app/domain/pipeline';
import { KIND_SPECS, rowSchema } from '../../../app/import/formats';
import { POOL_NUMBERS, STATIC_LINES } from '../../../seeds/catalog';
import { CANONICAL_COLUMNS, FILE_NAMES, KINDS, type Kind } from '../../../seeds/factories';
import { generateSeed, type SeedSummary } from '../../../seeds/generate';
import { groupBy, kyivOffsetAt, readSeed, type SeedFile } from './read-seed';

// The small scale is what integration tests import, so it gets the strictest
// checks: every row must pass the importer's own row validation.

// 2025-03-02 .. 2025-04-30: spans the switch to summer time on 2025-03-30.
const END = '2025-04-30';
let base: string;
let summary: SeedSummary;
let seed: Record<Kind, SeedFile>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'leadpath-seed-small-'));
  summary = await generateSeed({ scale: 'small', seed: 7, outDir: join(base, 'a'), endDate: END });
  await generateSeed({ scale: 'small', seed: 7, outDir: join(base, 'b'), endDate: END });
  await generateSeed({ scale: 'small', seed: 8, outDir: join(base, 'c'), endDate: END });
  seed = readSeed(join(base, 'a'));
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const rangeStart = Date.parse('2025-03-02T00:00:00+02:00');
const rangeEnd = Date.parse('2025-05-01T00:00:00+03:00');

describe('generateSeed (small)', () => {
  test('summary: range, paths and row counts', () => {
    expect(summary.startDate).toBe('2025-03-02');
    expect(summary.endDate).toBe(END);
    for (const kind of KINDS) {
      expect(summary.files[kind].path).toBe(join(base, 'a', FILE_NAMES[kind]));
      expect(summary.files[kind].rows).toBe(seed[kind].records.length);
    }
    expect(summary.files.sessions.rows).toBeGreaterThan(2_400);
    expect(summary.files.sessions.rows).toBeLessThan(3_600);
    expect(summary.files.leads.rows).toBeGreaterThan(100);
    expect(summary.files.leads.rows).toBeLessThan(220);
    expect(summary.files.calls.rows).toBeGreaterThan(30);
    expect(summary.files.plans.rows).toBeGreaterThan(5);
  });

  test.each(KINDS)('%s: the same seed gives byte-identical files, another seed different ones', async (kind) => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => readFile(join(base, d, FILE_NAMES[kind]))));
    expect(a!.equals(b!)).toBe(true);
    if (kind !== 'tracking_numbers') expect(a!.equals(c!)).toBe(false);
  });

  test.each(KINDS)('%s: contract header, a full row of cells per record, trailing newline', (kind) => {
    const file = seed[kind];
    expect(file.header).toEqual([...CANONICAL_COLUMNS[kind]]);
    for (const record of file.records) expect(record).toHaveLength(CANONICAL_COLUMNS[kind].length);
    expect(file.text.endsWith('\n')).toBe(true);
    expect(file.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  test.each(KINDS)('%s: every row passes the importer row validation', (kind) => {
    const schema = rowSchema(KIND_SPECS[kind], {
      phoneCountry: 'UA',
      currency: 'UAH',
      stages: DEFAULT_PIPELINE,
      channels: CHANNELS,
    });
    const problems: string[] = [];
    for (const [i, row] of seed[kind].rows.entries()) {
      const r = schema.safeParse(row);
      if (!r.success) problems.push(`line ${i + 2}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  test('ids and natural keys are unique', () => {
    const unique = (kind: Kind, key: (r: Record<string, string>) => string) => {
      const keys = seed[kind].rows.map(key);
      expect(new Set(keys).size, kind).toBe(keys.length);
    };
    unique('sessions', (r) => r.session_id!);
    unique('calls', (r) => r.call_id!);
    unique('leads', (r) => r.lead_id!);
    unique('spend', (r) => [r.date, r.source, r.medium, r.campaign, r.ad_group, r.ad, r.region].join('|'));
    unique('lead_stages', (r) => [r.lead_id, r.stage, r.entered_at].join('|'));
    unique('plans', (r) => [r.month, r.channel, r.region, r.manager].join('|'));
    unique('tracking_numbers', (r) => [r.number, r.valid_from].join('|'));
    expect(seed.sessions.rows.every((r) => r.session_id!.startsWith('s_') && r.visitor_id!.startsWith('v_'))).toBe(true);
    expect(seed.calls.rows.every((r) => r.call_id!.startsWith('c_'))).toBe(true);
    expect(seed.leads.rows.every((r) => r.lead_id!.startsWith('L'))).toBe(true);
  });

  test('references resolve: sessions, visitors and calls of leads, sessions of calls, leads of stages', () => {
    const sessions = new Map(seed.sessions.rows.map((s) => [s.session_id!, s]));
    const calls = new Map(seed.calls.rows.map((c) => [c.call_id!, c]));
    const leads = new Set(seed.leads.rows.map((l) => l.lead_id!));
    for (const lead of seed.leads.rows) {
      if (lead.session_id) {
        const s = sessions.get(lead.session_id);
        expect(s, lead.lead_id).toBeDefined();
        expect(lead.visitor_id).toBe(s!.visitor_id);
        expect(Date.parse(lead.created_at!)).toBeGreaterThanOrEqual(Date.parse(s!.started_at!));
      }
      if (lead.call_id) {
        const c = calls.get(lead.call_id);
        expect(c, lead.lead_id).toBeDefined();
        expect(lead.kind).toBe('call');
        expect(Date.parse(lead.created_at!)).toBeGreaterThanOrEqual(Date.parse(c!.started_at!));
      }
      if (lead.kind === 'form' || lead.kind === 'chat') expect(lead.session_id).not.toBe('');
      if (lead.kind === 'call') expect(lead.call_id).not.toBe('');
    }
    for (const call of seed.calls.rows) {
      if (!call.session_id) continue;
      const s = sessions.get(call.session_id);
      expect(s, call.call_id).toBeDefined();
      const delay = Date.parse(call.started_at!) - Date.parse(s!.started_at!);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(3_600_000);
    }
    for (const stage of seed.lead_stages.rows) expect(leads.has(stage.lead_id!)).toBe(true);
  });

  test('stage history: starts with new at creation, strictly increasing in time and pipeline order, ends at the lead stage', () => {
    const history = groupBy(seed.lead_stages.rows, (r) => r.lead_id!);
    for (const lead of seed.leads.rows) {
      const entries = history.get(lead.lead_id!) ?? [];
      expect(entries[0]).toMatchObject({ stage: 'new', entered_at: lead.created_at });
      for (let i = 1; i < entries.length; i++) {
        expect(Date.parse(entries[i]!.entered_at!)).toBeGreaterThan(Date.parse(entries[i - 1]!.entered_at!));
        expect(DEFAULT_PIPELINE.indexOf(entries[i]!.stage as never)).toBeGreaterThan(
          DEFAULT_PIPELINE.indexOf(entries[i - 1]!.stage as never),
        );
      }
      expect(lead.stage).toBe(entries.at(-1)!.stage);
    }
  });

  test('outcomes carry what they need: won has amount and closed_at, lost/junk a reason, open nothing', () => {
    const history = groupBy(seed.lead_stages.rows, (r) => r.lead_id!);
    const outcomes = new Set<string>();
    for (const lead of seed.leads.rows) {
      outcomes.add(lead.outcome!);
      const closed = Date.parse(lead.closed_at!);
      switch (lead.outcome) {
        case 'won': {
          expect(lead.stage).toBe('won');
          expect(Number(lead.amount)).toBeGreaterThanOrEqual(8_000);
          expect(Number(lead.amount)).toBeLessThanOrEqual(120_000);
          expect(lead.closed_at).toBe(history.get(lead.lead_id!)!.at(-1)!.entered_at);
          break;
        }
        case 'lost':
        case 'junk':
          expect(lead.loss_reason).not.toBe('');
          expect(lead.amount).toBe('');
          expect(closed).toBeGreaterThanOrEqual(Date.parse(history.get(lead.lead_id!)!.at(-1)!.entered_at!));
          break;
        case 'open':
          expect(lead.closed_at).toBe('');
          expect(lead.amount).toBe('');
          expect(lead.loss_reason).toBe('');
          break;
        default:
          throw new Error(`unexpected outcome ${lead.outcome}`);
      }
      if (lead.closed_at) expect(closed).toBeLessThan(rangeEnd);
    }
    expect([...outcomes].sort()).toEqual(['junk', 'lost', 'open', 'won']);
  });

  test('calls to static numbers have no session; pool calls mostly do', () => {
    const staticNumbers = new Set(STATIC_LINES.map((l) => l.number));
    const pool = new Set(POOL_NUMBERS);
    const staticCalls = seed.calls.rows.filter((c) => staticNumbers.has(c.tracking_number!));
    const poolCalls = seed.calls.rows.filter((c) => pool.has(c.tracking_number!));
    expect(staticCalls.length).toBeGreaterThan(0);
    expect(staticCalls.every((c) => c.session_id === '')).toBe(true);
    expect(poolCalls.filter((c) => c.session_id !== '').length).toBeGreaterThan(poolCalls.length / 3);
    expect(staticCalls.length + poolCalls.length).toBe(seed.calls.rows.length);
    for (const c of seed.calls.rows) {
      if (c.status === 'answered') expect(c.manager).not.toBe('');
      else expect([c.manager, c.duration_sec]).toEqual(['', '0']);
    }
  });

  test('tracking numbers: a pool of 8 and static numbers with their source', () => {
    const rows = seed.tracking_numbers.rows;
    expect(rows.filter((r) => r.kind === 'pool')).toHaveLength(8);
    const statics = rows.filter((r) => r.kind === 'static');
    expect(statics.map((r) => r.source)).toEqual(expect.arrayContaining(['billboard_north', 'billboard_south', 'google']));
    expect(statics.every((r) => r.source && r.medium && r.campaign)).toBe(true);
  });

  test('every timestamp carries the Kyiv offset in force at that instant, inside the range', () => {
    const stamps: string[] = [
      ...seed.sessions.rows.map((r) => r.started_at!),
      ...seed.calls.rows.map((r) => r.started_at!),
      ...seed.leads.rows.flatMap((r) => [r.created_at!, r.closed_at!].filter(Boolean)),
      ...seed.lead_stages.rows.map((r) => r.entered_at!),
    ];
    for (const s of stamps) {
      expect(s).toMatch(TIMESTAMP);
      const t = Date.parse(s);
      expect(s.slice(-6)).toBe(kyivOffsetAt(new Date(t)));
      expect(t).toBeGreaterThanOrEqual(rangeStart);
      expect(t).toBeLessThan(rangeEnd);
    }
    const winter = seed.sessions.rows.find((r) => r.started_at!.startsWith('2025-03-10T'));
    const summer = seed.sessions.rows.find((r) => r.started_at!.startsWith('2025-04-15T'));
    expect(winter!.started_at!.endsWith('+02:00')).toBe(true);
    expect(summer!.started_at!.endsWith('+03:00')).toBe(true);
  });

  test('rows are written in time order', () => {
    const times = (kind: Kind, col: string) => seed[kind].rows.map((r) => Date.parse(r[col]!));
    const sorted = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);
    expect(sorted(times('sessions', 'started_at'))).toBe(true);
    expect(seed.spend.rows.every((r, i, all) => i === 0 || r.date! >= all[i - 1]!.date!)).toBe(true);
  });

  test('spend: paid clicks cover the paid sessions; unpaid channels have no spend', () => {
    const clicks = new Map<string, number>();
    for (const r of seed.spend.rows) {
      expect(Number(r.impressions || r.clicks || 0)).toBeGreaterThanOrEqual(Number(r.clicks || 0));
      clicks.set(r.campaign!, (clicks.get(r.campaign!) ?? 0) + Number(r.clicks || 0));
    }
    const sessions = new Map<string, number>();
    for (const s of seed.sessions.rows) if (s.campaign) sessions.set(s.campaign, (sessions.get(s.campaign) ?? 0) + 1);
    for (const [campaign, n] of clicks) {
      if (n < 80) continue;
      const ratio = (sessions.get(campaign) ?? 0) / n;
      expect(ratio, campaign).toBeGreaterThan(0.8);
      expect(ratio, campaign).toBeLessThanOrEqual(1);
    }
    const paidSources = new Set(seed.spend.rows.map((r) => `${r.source}/${r.medium}`));
    for (const unpaid of ['email/email', 'google/organic', 'olx.ua/referral', '/']) expect(paidSources.has(unpaid)).toBe(false);
    expect(paidSources.has('billboard_north/offline')).toBe(true);
    expect(seed.spend.rows.every((r) => r.currency === 'UAH' && /^\d+\.\d{2}$/.test(r.cost!))).toBe(true);
  });

  test('caller phones come in several real-world formats', () => {
    const formats = new Set(
      seed.calls.rows.map((c) => {
        const p = c.caller_phone!;
        return p.startsWith('+38 (') ? 'pretty' : p.startsWith('+380') ? 'e164' : p.startsWith('380') ? 'intl' : p.startsWith('0') ? 'national' : p;
      }),
    );
    expect([...formats].sort()).toEqual(['e164', 'intl', 'national', 'pretty']);
  });

  test('plans cover every full month and the month of endDate', () => {
    const months = new Set(seed.plans.rows.filter((r) => !r.channel && !r.manager && !r.region).map((r) => r.month));
    expect([...months].sort()).toEqual(['2025-04']);
    expect(seed.plans.rows.some((r) => r.channel === 'paid_search' && r.budget && r.max_cpl)).toBe(true);
  });
});
