import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import { computeFunnel, type FunnelBreakdown } from '../../../app/reports/funnel';
import { reportParamsSchema, type ReportParamsInput } from '../../../app/reports/params';
import { getFunnelRows, splitMedianGroupings } from '../../../db/queries/funnel';
import { funnelReport } from '../../../db/reports/funnel';
import type { Workspace } from '../../../db/schema';

// Pipeline: new(1) contacted(2) qualified(3) proposal(4) negotiation(5) won(6).
// Six leads in March 2026 (Europe/Kyiv, +02:00 until 29 March), one in
// February that the March range leaves out:
//   L1 Kyiv  Anna   google/cpc       new → contacted (+10 min) → proposal (+24 h), lost (price)
//                                     qualified skipped: reached, not entered
//   L2 Kyiv  Anna   —                won with no history at all: reaches every stage, 10 days to close
//   L3 Lviv  Bohdan —                junk from new (spam)
//   L4 Lviv  Bohdan facebook/paid_social  every stage, won after 5 days 1 hour
//   L5 Kyiv  Bohdan —                new → contacted (+15 min) → qualified (+12 h), open
//   L6 Lviv  Anna   —                new → contacted (+4 h), lost, no reason
//   L0 February: outside the range.
// reached_position: L1 4, L2 6, L3 1, L4 6, L5 3, L6 2.
const LEADS = csv(
  'lead_id,created_at,kind,source,medium,region,manager,stage,outcome,loss_reason,amount,closed_at',
  'L0,2026-02-28T23:59:00+02:00,form,,,Kyiv,Anna,new,open,,,',
  'L1,2026-03-02T10:00:00+02:00,manual,google,cpc,Kyiv,Anna,proposal,lost,price,,2026-03-04T10:00:00+02:00',
  'L2,2026-03-05T12:00:00+02:00,form,,,Kyiv,Anna,won,won,,1000.00,2026-03-15T12:00:00+02:00',
  'L3,2026-03-10T09:00:00+02:00,form,,,Lviv,Bohdan,new,junk,spam,,2026-03-10T10:00:00+02:00',
  'L4,2026-03-12T08:00:00+02:00,manual,facebook,paid_social,Lviv,Bohdan,won,won,,3000.50,2026-03-17T09:00:00+02:00',
  'L5,2026-03-20T10:00:00+02:00,form,,,Kyiv,Bohdan,qualified,open,,,',
  'L6,2026-03-25T10:00:00+02:00,form,,,Lviv,Anna,contacted,lost,,,2026-03-26T10:00:00+02:00',
);
const STAGES = csv(
  'lead_id,stage,entered_at',
  'L0,new,2026-02-28T23:59:00+02:00',
  'L1,new,2026-03-02T10:00:00+02:00',
  'L1,contacted,2026-03-02T10:10:00+02:00',
  'L1,proposal,2026-03-03T10:10:00+02:00',
  'L3,new,2026-03-10T09:00:00+02:00',
  'L4,new,2026-03-12T08:00:00+02:00',
  'L4,contacted,2026-03-12T09:00:00+02:00',
  'L4,qualified,2026-03-13T09:00:00+02:00',
  'L4,proposal,2026-03-14T09:00:00+02:00',
  'L4,negotiation,2026-03-16T09:00:00+02:00',
  'L4,won,2026-03-17T09:00:00+02:00',
  'L5,new,2026-03-20T10:00:00+02:00',
  'L5,contacted,2026-03-20T10:15:00+02:00',
  'L5,qualified,2026-03-20T22:15:00+02:00',
  'L6,new,2026-03-25T10:00:00+02:00',
  'L6,contacted,2026-03-25T14:00:00+02:00',
);

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'funnel');
  expect((await importText(t.db, ws, 'leads', LEADS)).status).toBe('succeeded');
  expect((await importText(t.db, ws, 'lead_stages', STAGES)).status).toBe('succeeded');
});
afterAll(async () => t.drop());

const params = (over: Partial<ReportParamsInput> = {}) => reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', ...over });

async function funnelOf(workspace: Workspace, by: FunnelBreakdown | null, over: Partial<ReportParamsInput> = {}) {
  return computeFunnel(await getFunnelRows(t.db, workspace, params(over), by), { by });
}

/** [stage, entered, reached, skipped, step_conversion, conversion_from_first, median_hours_to_next] */
const stageTuples = (rows: { group: string; stage: string; entered: number; reached: number; skipped: number; step_conversion: number | null; conversion_from_first: number | null; median_hours_to_next: number | null }[], group = '') =>
  rows.filter((r) => r.group === group).map((r) => [r.stage, r.entered, r.reached, r.skipped, r.step_conversion, r.conversion_from_first, r.median_hours_to_next]);

// All six March leads (no breakdown):
// entered: new L1 L3 L4 L5 L6 = 5; contacted L1 L4 L5 L6 = 4; qualified L4 L5 = 2;
//          proposal L1 L4 = 2; negotiation L4 = 1; won L4 = 1.
// reached (reached_position >= stage): 6, 5 (not L3), 4 (L1 L2 L4 L5), 3 (L1 L2 L4), 2 (L2 L4), 2.
// skipped = reached − entered: 1 (L2), 1 (L2), 2 (L1 skipped it, L2), 1, 1, 1.
// step: 5/6 = 0.8333, 4/5 = 0.8, 3/4 = 0.75, 2/3 = 0.6667, 2/2 = 1, last null.
// from first: 6/6, 5/6, 4/6, 3/6, 2/6, 2/6.
// hours to the next stage (first entry into any later stage):
//   new: L1 1/6 h, L4 1 h, L5 0.25 h, L6 4 h (L3 never moved on) → median (0.25 + 1) / 2 = 0.625 → 0.63
//   contacted: L1 24 h (to proposal, skipping qualified), L4 24 h, L5 12 h → 24
//   qualified: L4 24 h → 24; proposal: L4 48 h → 48; negotiation: L4 24 h → 24; won: null.
const ALL_STAGES = [
  ['new', 5, 6, 1, 0.8333, 1, 0.63],
  ['contacted', 4, 5, 1, 0.8, 0.8333, 24],
  ['qualified', 2, 4, 2, 0.75, 0.6667, 24],
  ['proposal', 2, 3, 1, 0.6667, 0.5, 48],
  ['negotiation', 1, 2, 1, 1, 0.3333, 24],
  ['won', 1, 2, 1, null, 0.3333, null],
];

describe('funnel of all leads', () => {
  test('stage reach counts skipped stages and history-less wins as passed', async () => {
    const f = await funnelOf(ws, null);
    expect(f.groups).toEqual(['']);
    expect(stageTuples(f.stages)).toEqual(ALL_STAGES);
  });

  test('without step medians (a comparison period\'s key figures): the same counts, outcomes and speed, no medians', async () => {
    const full = await getFunnelRows(t.db, ws, params(), null);
    const lean = await getFunnelRows(t.db, ws, params(), null, { stepMedians: false });
    // ALL_STAGES's counts; every median_hours_to_next null (0.625, 24, 24, 48, 24 with them).
    expect(lean.stages.map((s) => [s.stage, s.entered, s.reached, s.median_hours_to_next])).toEqual(
      ALL_STAGES.map(([stage, entered, reached]) => [stage, entered, reached, null]),
    );
    expect(full.stages.map((s) => s.median_hours_to_next)).toEqual([0.625, 24, 24, 48, 24, null]);
    expect(lean.outcomes).toEqual(full.outcomes);
    expect(lean.speed).toEqual(full.speed);
    expect(lean.reasons).toEqual(full.reasons);
  });

  test('outcomes: win rate leaves junk out, sales cycle median', async () => {
    const f = await funnelOf(ws, null);
    // won L2 L4, lost L1 L6, junk L3, open L5. win_rate = 2 / (2 + 2) = 0.5 (with junk it would be 2/5);
    // junk_rate = 1/6. Sales cycle: L2 10 days, L4 5 days 1 h = 5.0417 → median (10 + 5.0417) / 2 = 7.52.
    expect(f.outcomes).toEqual([
      { group: '', leads: 6, won: 2, lost: 2, junk: 1, open: 1, win_rate: 0.5, junk_rate: 0.1667, median_sales_cycle_days: 7.52 },
    ]);
  });

  test('loss and junk reasons ranked with their share of the outcome', async () => {
    const f = await funnelOf(ws, null);
    // lost: L1 price, L6 none → 1/2 each; junk: L3 spam → 1/1.
    expect(f.reasons).toEqual([
      { outcome: 'lost', reason: '(not given)', leads: 1, share: 0.5 },
      { outcome: 'lost', reason: 'price', leads: 1, share: 0.5 },
      { outcome: 'junk', reason: 'spam', leads: 1, share: 1 },
    ]);
  });

  test('speed to first contact per manager', async () => {
    const f = await funnelOf(ws, null);
    // Anna: L1 1/6 h (within 15 min), L2 won without history (contacted, no time), L6 4 h
    //   → contacted 3, median (1/6 + 4) / 2 = 2.0833 → 2.08, within 15 min 1/2.
    // Bohdan: L3 junk from new (not contacted), L4 1 h, L5 exactly 15 min (counts as within)
    //   → contacted 2, median (0.25 + 1) / 2 = 0.63, within 1/2.
    // All: times 1/6, 4, 1, 0.25 → median 0.625 → 0.63, within 2/4.
    expect(f.speed).toEqual([
      { manager: 'Anna', leads: 3, contacted: 3, median_hours_to_contact: 2.08, contacted_within_15m_share: 0.5 },
      { manager: 'Bohdan', leads: 3, contacted: 2, median_hours_to_contact: 0.63, contacted_within_15m_share: 0.5 },
      { manager: 'total', leads: 6, contacted: 5, median_hours_to_contact: 0.63, contacted_within_15m_share: 0.5 },
    ]);
  });

  test('an empty range gives no rows, not zeros', async () => {
    const f = await funnelOf(ws, null, { from: '2026-05-01', to: '2026-05-31' });
    expect([f.groups, f.stages, f.outcomes, f.reasons, f.speed]).toEqual([[], [], [], [], []]);
  });
});

describe('breakdowns', () => {
  test('by region through the report runner: each region side by side, then the total', async () => {
    const out = await funnelReport(t.db, ws, params({ by: 'region' }));
    expect(out.columns[0]).toBe('group');
    const rows = out.rows as unknown as Parameters<typeof stageTuples>[0];
    // Kyiv: L1 (4), L2 (6), L5 (3). entered new L1 L5, contacted L1 L5, qualified L5, proposal L1.
    //   reached 3 3 3 2 1 1; skipped 1 1 2 1 1 1; step 1, 1, 2/3, 1/2, 1; from first 1 1 1 2/3 1/3 1/3.
    //   hours: new L1 1/6, L5 0.25 → 0.2083 → 0.21; contacted L1 24, L5 12 → 18; later stages: nobody moved on.
    expect(stageTuples(rows, 'Kyiv')).toEqual([
      ['new', 2, 3, 1, 1, 1, 0.21],
      ['contacted', 2, 3, 1, 1, 1, 18],
      ['qualified', 1, 3, 2, 0.6667, 1, null],
      ['proposal', 1, 2, 1, 0.5, 0.6667, null],
      ['negotiation', 0, 1, 1, 1, 0.3333, null],
      ['won', 0, 1, 1, null, 0.3333, null],
    ]);
    // Lviv: L3 (1), L4 (6), L6 (2); nothing skipped. reached 3 2 1 1 1 1.
    //   hours: new L4 1, L6 4 → 2.5; then L4 alone: 24, 24, 48, 24.
    expect(stageTuples(rows, 'Lviv')).toEqual([
      ['new', 3, 3, 0, 0.6667, 1, 2.5],
      ['contacted', 2, 2, 0, 0.5, 0.6667, 24],
      ['qualified', 1, 1, 0, 1, 0.3333, 24],
      ['proposal', 1, 1, 0, 1, 0.3333, 48],
      ['negotiation', 1, 1, 0, 1, 0.3333, 24],
      ['won', 1, 1, 0, null, 0.3333, null],
    ]);
    expect(stageTuples(rows, 'total')).toEqual(ALL_STAGES);
    expect([...new Set(rows.map((r) => r.group))]).toEqual(['Kyiv', 'Lviv', 'total']);
    const outcomes = out.sections?.find((s) => s.title === 'outcomes')?.rows;
    // Kyiv: won L2, lost L1, open L5 → 1/2; cycle 10 days. Lviv: won L4, lost L6, junk L3 → 1/2, junk 1/3; cycle 5.04.
    expect(outcomes).toEqual([
      { group: 'Kyiv', leads: 3, won: 1, lost: 1, junk: 0, open: 1, win_rate: 0.5, junk_rate: 0, median_sales_cycle_days: 10 },
      { group: 'Lviv', leads: 3, won: 1, lost: 1, junk: 1, open: 0, win_rate: 0.5, junk_rate: 0.3333, median_sales_cycle_days: 5.04 },
      { group: 'total', leads: 6, won: 2, lost: 2, junk: 1, open: 1, win_rate: 0.5, junk_rate: 0.1667, median_sales_cycle_days: 7.52 },
    ]);
  });

  test('by channel uses the lead\'s credited channel; a channel filter picks the same leads', async () => {
    // Last non-direct: L1 its explicit google/cpc (paid_search), L4 facebook/paid_social, the rest direct.
    const f = await funnelOf(ws, 'channel');
    expect(f.outcomes.map((o) => [o.group, o.leads, o.won])).toEqual([
      ['direct', 4, 1],
      ['paid_search', 1, 0],
      ['paid_social', 1, 1],
      ['total', 6, 2],
    ]);
    const filtered = await funnelOf(ws, null, { filters: { channel: 'paid_social' } });
    expect(filtered.outcomes.map((o) => [o.leads, o.won])).toEqual([[1, 1]]);
    // L4 alone: every stage entered and reached, nothing skipped.
    expect(stageTuples(filtered.stages).map((r) => r.slice(1, 4))).toEqual(Array(6).fill([1, 1, 0]));
  });

  test('lead filters and a manager breakdown', async () => {
    const f = await funnelOf(ws, 'manager', { filters: { region: 'Lviv' } });
    // Lviv: Anna L6; Bohdan L3, L4.
    expect(f.outcomes.map((o) => [o.group, o.leads, o.won, o.lost, o.junk])).toEqual([
      ['Bohdan', 2, 1, 0, 1],
      ['Anna', 1, 0, 1, 0],
      ['total', 3, 1, 1, 1],
    ]);
  });
});

describe('primary channel under a fractional model', () => {
  // One visitor, sessions google/cpc → facebook/paid_social → google/cpc, then a lead.
  // linear: paid_search 2/3, paid_social 1/3 → paid_search. position (40/20/40):
  // paid_search 0.8. A second visitor with two sessions cpc → paid_social: linear 1/2 each,
  // a tie → the last touch, paid_social.
  test('largest credit wins, ties go to the last touch', async () => {
    const w = await makeWorkspace(t.db, 'fractional');
    expect((await importText(t.db, w, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium',
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc',
      's2,v1,2026-03-02T10:00:00+02:00,facebook,paid_social',
      's3,v1,2026-03-03T10:00:00+02:00,google,cpc',
      's4,v2,2026-03-01T10:00:00+02:00,google,cpc',
      's5,v2,2026-03-02T10:00:00+02:00,facebook,paid_social',
    ))).status).toBe('succeeded');
    expect((await importText(t.db, w, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,stage,outcome',
      'A,2026-03-03T11:00:00+02:00,form,v1,new,open',
      'B,2026-03-02T11:00:00+02:00,form,v2,new,open',
    ))).status).toBe('succeeded');
    const groups = async (model: 'linear' | 'position' | 'first') =>
      (await funnelOf(w, 'channel', { model })).outcomes.map((o) => [o.group, o.leads]);
    expect(await groups('linear')).toEqual([['paid_search', 1], ['paid_social', 1], ['total', 2]]);
    // position: A paid_search 0.8; B 0.5/0.5 → last touch paid_social.
    expect(await groups('position')).toEqual([['paid_search', 1], ['paid_social', 1], ['total', 2]]);
    // first: both leads started on google/cpc.
    expect(await groups('first')).toEqual([['paid_search', 2], ['total', 2]]);
  });
});

describe('time zone', () => {
  // 2026-03-31T23:30+03:00 = 20:30Z is March in Kyiv and in UTC; 2026-04-01T01:30+03:00 =
  // 2026-03-31T22:30Z is April in Kyiv but March in UTC. (A +03:00 zone is ahead of UTC, so
  // no instant is March in Kyiv but April in UTC.)
  const BOUNDARY = csv(
    'lead_id,created_at,kind,stage,outcome',
    'M,2026-03-31T23:30:00+03:00,form,new,open',
    'A,2026-04-01T01:30:00+03:00,form,new,open',
  );

  test.each([
    { zone: 'Europe/Kyiv', slug: 'kyiv', months: [['2026-03-01', 1], ['2026-04-01', 1]], march: 1 },
    { zone: 'UTC', slug: 'utc', months: [['2026-03-01', 2]], march: 2 },
  ])('days and months are the workspace\'s ($zone)', async ({ zone, slug, months, march }) => {
    const w = await makeWorkspace(t.db, slug, { timeZone: zone });
    expect((await importText(t.db, w, 'leads', BOUNDARY)).status).toBe('succeeded');
    const byMonth = await funnelOf(w, 'month', { from: '2026-03-01', to: '2026-04-30' });
    expect(byMonth.outcomes.filter((o) => o.group !== 'total').map((o) => [o.group, o.leads])).toEqual(months);
    const inMarch = await funnelOf(w, null);
    expect(inMarch.outcomes[0]?.leads).toBe(march);
  });
});

describe('long unfiltered ranges (medians as per-group and all-leads groupings)', () => {
  // 2026-03-01 .. 2026-09-30 is 31 + 30 + 31 + 30 + 31 + 31 + 30 = 214 days (>= 183, no filter): the split
  // plan. It holds the same six leads as March (L0 is February; nothing after March), so every row must be
  // March's own, medians included.
  const LONG = { from: '2026-03-01', to: '2026-09-30' } as const;
  /** Raw rows in a fixed order: the two plans need not return them in the same order. */
  const ordered = <T extends object>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  test('the long range takes the split plan, March the grouping-sets one', () => {
    expect(splitMedianGroupings(params(LONG))).toBe(true);
    expect(splitMedianGroupings(params())).toBe(false);
    // A filter keeps a long range on grouping sets (the medians' indexes hold no filter column).
    expect(splitMedianGroupings(params({ ...LONG, filters: { region: 'Kyiv' } }))).toBe(false);
  });

  test.each([
    { by: undefined },
    { by: 'region' },
    { by: 'manager' },
    { by: 'channel' },
    { by: 'temperature' },
    { by: 'month' },
  ] as const)('by $by: the same report and raw rows as March', async ({ by }) => {
    const short = await funnelReport(t.db, ws, params({ by }));
    const long = await funnelReport(t.db, ws, params({ ...LONG, by }));
    // Not vacuous: March's all-leads funnel is ALL_STAGES, medians 0.63 24 24 48 24 (see above).
    const all = (short.rows as unknown as Parameters<typeof stageTuples>[0]).filter((r) => r.group === (by ? 'total' : ''));
    expect(all.map((r) => r.median_hours_to_next)).toEqual([0.63, 24, 24, 48, 24, null]);
    expect(long).toEqual(short);

    // Unrounded, before the report orders and rounds them (medians 0.625 and 2.0833…, not 0.63 and 2.08).
    const breakdown = by ?? null;
    const rawShort = await getFunnelRows(t.db, ws, params({ by }), breakdown);
    const rawLong = await getFunnelRows(t.db, ws, params({ ...LONG, by }), breakdown);
    expect(rawShort.stages.length).toBeGreaterThan(0);
    expect(ordered(rawLong.stages)).toEqual(ordered(rawShort.stages));
    expect(ordered(rawLong.outcomes)).toEqual(ordered(rawShort.outcomes));
    expect(ordered(rawLong.reasons)).toEqual(ordered(rawShort.reasons));
    expect(ordered(rawLong.speed)).toEqual(ordered(rawShort.speed));
  });

  test('by region over the long range: per-region medians as worked out for March', async () => {
    const f = await funnelOf(ws, 'region', LONG);
    // Kyiv new: L1 1/6 h, L5 0.25 h → (1/6 + 1/4) / 2 = 5/24 h = 0.2083 → 0.21; contacted: L1 24, L5 12 → 18.
    // Lviv new: L4 1, L6 4 → 2.5; then L4 alone 24, 24, 48, 24. Total: ALL_STAGES.
    expect(['Kyiv', 'Lviv'].map((g) => stageTuples(f.stages, g).map((r) => r[6]))).toEqual([
      [0.21, 18, null, null, null, null],
      [2.5, 24, 24, 48, 24, null],
    ]);
    expect(stageTuples(f.stages, 'total')).toEqual(ALL_STAGES);
    // Speed: Anna 1/6 and 4 → 2.08; Bohdan 1 and 0.25 → 0.63; all 1/6, 4, 1, 0.25 → 0.63.
    expect(f.speed.map((s) => [s.manager, s.contacted, s.median_hours_to_contact])).toEqual([
      ['Anna', 3, 2.08], ['Bohdan', 2, 0.63], ['total', 5, 0.63],
    ]);
  });
});
