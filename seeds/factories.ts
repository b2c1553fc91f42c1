import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

// Row shapes of the canonical CSV formats (docs: /shared/data-contract.md), as
// they appear in the cells: every value is a string, `undefined` is an empty
// cell. The seed generator and the tests build rows with the same types and
// serialise them with the same writer, so the demo exercises the real import.

export const KINDS = ['spend', 'sessions', 'tracking_numbers', 'calls', 'leads', 'lead_stages', 'plans'] as const;
export type Kind = (typeof KINDS)[number];

type Cell = string | undefined;

export interface SpendRow {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  ad_group?: Cell;
  ad?: Cell;
  region?: Cell;
  impressions?: Cell;
  clicks?: Cell;
  cost: string;
  currency?: Cell;
}

export interface SessionRow {
  session_id: string;
  visitor_id: string;
  started_at: string;
  source?: Cell;
  medium?: Cell;
  campaign?: Cell;
  content?: Cell;
  term?: Cell;
  landing_page?: Cell;
  referrer?: Cell;
  region?: Cell;
  device?: Cell;
  pageviews?: Cell;
}

export interface TrackingNumberRow {
  number: string;
  kind: string;
  source?: Cell;
  medium?: Cell;
  campaign?: Cell;
  valid_from?: Cell;
  valid_to?: Cell;
}

export interface CallRow {
  call_id: string;
  started_at: string;
  caller_phone: string;
  tracking_number: string;
  session_id?: Cell;
  duration_sec?: Cell;
  status: string;
  manager?: Cell;
  region?: Cell;
}

export interface LeadRow {
  lead_id: string;
  created_at: string;
  kind: string;
  session_id?: Cell;
  visitor_id?: Cell;
  call_id?: Cell;
  phone?: Cell;
  email?: Cell;
  source?: Cell;
  medium?: Cell;
  campaign?: Cell;
  region?: Cell;
  manager?: Cell;
  product?: Cell;
  customer_id?: Cell;
  temperature?: Cell;
  stage: string;
  outcome: string;
  loss_reason?: Cell;
  amount?: Cell;
  closed_at?: Cell;
}

export interface LeadStageRow {
  lead_id: string;
  stage: string;
  entered_at: string;
  manager?: Cell;
}

export interface PlanRow {
  month: string;
  channel?: Cell;
  region?: Cell;
  manager?: Cell;
  leads?: Cell;
  max_cpl?: Cell;
  budget?: Cell;
  sales?: Cell;
  revenue?: Cell;
}

export interface RowOf {
  spend: SpendRow;
  sessions: SessionRow;
  tracking_numbers: TrackingNumberRow;
  calls: CallRow;
  leads: LeadRow;
  lead_stages: LeadStageRow;
  plans: PlanRow;
}

/** Column order of each canonical file, exactly as in the data contract. */
export const CANONICAL_COLUMNS: { readonly [K in Kind]: readonly (keyof RowOf[K] & string)[] } = {
  spend: ['date', 'source', 'medium', 'campaign', 'ad_group', 'ad', 'region', 'impressions', 'clicks', 'cost', 'currency'],
  sessions: [
    'session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'content', 'term',
    'landing_page', 'referrer', 'region', 'device', 'pageviews',
  ],
  tracking_numbers: ['number', 'kind', 'source', 'medium', 'campaign', 'valid_from', 'valid_to'],
  calls: ['call_id', 'started_at', 'caller_phone', 'tracking_number', 'session_id', 'duration_sec', 'status', 'manager', 'region'],
  leads: [
    'lead_id', 'created_at', 'kind', 'session_id', 'visitor_id', 'call_id', 'phone', 'email', 'source', 'medium',
    'campaign', 'region', 'manager', 'product', 'customer_id', 'temperature', 'stage', 'outcome', 'loss_reason',
    'amount', 'closed_at',
  ],
  lead_stages: ['lead_id', 'stage', 'entered_at', 'manager'],
  plans: ['month', 'channel', 'region', 'manager', 'leads', 'max_cpl', 'budget', 'sales', 'revenue'],
};

export const FILE_NAMES: { readonly [K in Kind]: string } = {
  spend: 'spend.csv',
  sessions: 'sessions.csv',
  tracking_numbers: 'tracking_numbers.csv',
  calls: 'calls.csv',
  leads: 'leads.csv',
  lead_stages: 'lead_stages.csv',
  plans: 'plans.csv',
};

// ---------------------------------------------------------------------------
// Factories: tiny rows for hand-written fixtures. Ids come from a module-level
// counter (vitest isolates modules per test file); resetFactorySequence() makes
// a test independent of the ones before it.

let sequence = 0;
const nextId = (): number => ++sequence;

export function resetFactorySequence(): void {
  sequence = 0;
}

const DEFAULT_TIME = '2026-03-02T10:15:00+02:00';

export function makeSpend(overrides: Partial<SpendRow> = {}): SpendRow {
  return {
    date: '2026-03-02',
    source: 'google',
    medium: 'cpc',
    campaign: 'brand_kyiv',
    impressions: '1200',
    clicks: '60',
    cost: '300.00',
    ...overrides,
  };
}

export function makeSession(overrides: Partial<SessionRow> = {}): SessionRow {
  const n = nextId();
  return {
    session_id: `s_f${n}`,
    visitor_id: `v_f${n}`,
    started_at: DEFAULT_TIME,
    landing_page: 'https://kyivwindows.com.ua/',
    region: 'Kyiv',
    device: 'desktop',
    pageviews: '3',
    ...overrides,
  };
}

export function makeTrackingNumber(overrides: Partial<TrackingNumberRow> = {}): TrackingNumberRow {
  const n = nextId();
  return {
    number: `+38044334${String(1000 + (n % 9000)).padStart(4, '0')}`,
    kind: 'pool',
    ...overrides,
  };
}

export function makeCall(overrides: Partial<CallRow> = {}): CallRow {
  const n = nextId();
  return {
    call_id: `c_f${n}`,
    started_at: DEFAULT_TIME,
    caller_phone: '+380992305767',
    tracking_number: '+380443341201',
    duration_sec: '95',
    status: 'answered',
    manager: 'Olena Kovalenko',
    region: 'Kyiv',
    ...overrides,
  };
}

export function makeLead(overrides: Partial<LeadRow> = {}): LeadRow {
  const n = nextId();
  return {
    lead_id: `Lf${n}`,
    created_at: DEFAULT_TIME,
    kind: 'form',
    phone: '+380992305767',
    region: 'Kyiv',
    manager: 'Olena Kovalenko',
    product: 'windows',
    customer_id: `cu_f${n}`,
    temperature: 'warm',
    stage: 'new',
    outcome: 'open',
    ...overrides,
  };
}

export function makeLeadStage(overrides: Partial<LeadStageRow> = {}): LeadStageRow {
  return {
    lead_id: 'Lf1',
    stage: 'new',
    entered_at: DEFAULT_TIME,
    ...overrides,
  };
}

export function makePlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    month: '2026-03',
    leads: '150',
    max_cpl: '650.00',
    budget: '60000.00',
    sales: '30',
    revenue: '900000.00',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// CSV serialisation (RFC 4180 quoting, '\n' line ends, UTF-8 without BOM).

const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvHeader(kind: Kind): string {
  return `${CANONICAL_COLUMNS[kind].join(',')}\n`;
}

export function csvLine<K extends Kind>(kind: K, row: RowOf[K]): string {
  const columns = CANONICAL_COLUMNS[kind];
  const record = row as unknown as Record<string, string | undefined>;
  let line = csvCell(record[columns[0]!]);
  for (let i = 1; i < columns.length; i++) line += `,${csvCell(record[columns[i]!])}`;
  return `${line}\n`;
}

/** A whole file in memory: header plus one line per row. For small fixtures. */
export function toCsv<K extends Kind>(kind: K, rows: Iterable<RowOf[K]>): string {
  let out = csvHeader(kind);
  for (const row of rows) out += csvLine(kind, row);
  return out;
}

/**
 * Streams rows of one kind to a writable (normally an fs.WriteStream). Lines
 * are batched into ~64 KiB chunks; when the stream's buffer is full the
 * returned promise waits for 'drain', so memory stays flat however many rows
 * are written. Always `await` write() and close().
 */
export class CsvWriter<K extends Kind> {
  private buffer = '';
  private failure: Error | null = null;
  private closed = false;
  rows = 0;

  constructor(
    readonly kind: K,
    private readonly stream: Writable,
    private readonly chunkSize = 64 * 1024,
  ) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
    this.buffer = csvHeader(kind);
  }

  static open<K extends Kind>(kind: K, path: string): CsvWriter<K> {
    return new CsvWriter(kind, createWriteStream(path, { encoding: 'utf8' }));
  }

  async write(row: RowOf[K]): Promise<void> {
    if (this.closed) throw new Error(`CsvWriter(${this.kind}): write after close`);
    this.buffer += csvLine(this.kind, row);
    this.rows++;
    if (this.buffer.length >= this.chunkSize) await this.flush();
  }

  /** Like write() for many rows; only yields when a chunk is handed to the stream. */
  async writeAll(rows: Iterable<RowOf[K]>): Promise<void> {
    if (this.closed) throw new Error(`CsvWriter(${this.kind}): write after close`);
    for (const row of rows) {
      this.buffer += csvLine(this.kind, row);
      this.rows++;
      if (this.buffer.length >= this.chunkSize) await this.flush();
    }
  }

  /** Flushes buffered lines and ends the stream; resolves once the file is closed. */
  async close(): Promise<number> {
    if (this.closed) return this.rows;
    await this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.stream.once('close', () => (this.failure ? reject(this.failure) : resolve()));
      this.stream.end();
    });
    return this.rows;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (error: Error) => {
          this.stream.off('drain', onDrain);
          reject(error);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
    if (this.failure) throw this.failure;
  }
}
