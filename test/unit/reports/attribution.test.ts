import { describe, expect, test } from 'vitest';
import {
  ATTRIBUTION_BOOTSTRAP_SEED,
  ATTRIBUTION_COLUMNS,
  computeAttributionInput,
  computeAttributionReport,
  type AttributionReport,
} from '../../../app/reports/attribution-report';
import { DAY_MS } from '../../../app/reports/attribution/types';
import {
  computeConvertingPaths,
  computeNonConvertingPaths,
  toLeadJourney,
  type LeadPathRow,
  type NonConvertingPathRow,
} from '../../../app/reports/journeys';
import { LruCache } from '../../../app/reports/lru-cache';
import { computeMarkovTouchCredits } from '../../../app/reports/markov-touch-credits';
import { createPrng } from '../../../seeds/prng';

const LEAD_AT = Date.UTC(2026, 2, 10, 12);
const HALF_LIFE_MS = 7 * DAY_MS;

/** A lead whose touches are `daysBefore` the lead, in order. */
function lead(
  id: string,
  touches: [channel: string, daysBefore: number][],
  extra: Partial<Pick<LeadPathRow, 'explicitChannel' | 'isWon' | 'amount' | 'knownTouches'>> = {},
): LeadPathRow {
  return {
    leadId: id,
    leadAt: LEAD_AT,
    channels: touches.map(([channel]) => channel),
    touchedAt: touches.map(([, days]) => LEAD_AT - days * DAY_MS),
    explicitChannel: extra.explicitChannel ?? null,
    isWon: extra.isWon ?? false,
    amount: extra.amount ?? null,
    knownTouches: extra.knownTouches ?? touches.length,
  };
}

interface LeadInput {
  readonly leads: readonly LeadPathRow[];
  readonly nonConverting: readonly NonConvertingPathRow[];
}

/** The report on the input its queries would return for these lead rows (computeAttributionInput). */
function run({ leads, nonConverting }: LeadInput, seed = ATTRIBUTION_BOOTSTRAP_SEED): AttributionReport {
  const input = computeAttributionInput(leads, nonConverting, { halfLifeMs: HALF_LIFE_MS });
  return computeAttributionReport(input, { rng: createPrng(seed) });
}

const rowsByChannel = (report: AttributionReport) => new Map(report.rows.map((r) => [r.channel, r]));

describe('a tiny chain whose removal effects are derived by hand', () => {
  // Journeys (a = paid_search, b = email):
  //   leads: L1 a (won 10.00), L2 a > b (won 30.00; a 7 days before the lead, b at the lead)
  //   visitors without a lead: a (1), a > b (1), b (2)
  // Chain weights: start→a 2+2 = 4, start→b 2; a→b 2, a→conv 1, a→null 1; b→conv 1, b→null 1+2 = 3.
  // P: start a 2/3, b 1/3; a: b 1/2, conv 1/4, null 1/4; b: conv 1/4, null 3/4.
  // x_b = 1/4, x_a = 1/4 + 1/2 · 1/4 = 3/8; P = 2/3 · 3/8 + 1/3 · 1/4 = 1/3.
  // Without a: P = 1/3 · 1/4 = 1/12 → RE_a = 1 − (1/12)/(1/3) = 3/4.
  // Without b: x_a = 1/4, P = 2/3 · 1/4 = 1/6 → RE_b = 1 − (1/6)/(1/3) = 1/2.
  // Markov credits: 2 × (3/4)/(5/4) = 1.2 to a, 2 × (1/2)/(5/4) = 0.8 to b.
  // Markov revenue (path-restricted): L1 10 all to a; L2 30 split 0.6 : 0.4 → a 18, b 12 → a 28, b 12.
  const input: LeadInput = {
    leads: [
      lead('L1', [['paid_search', 0]], { isWon: true, amount: '10.00' }),
      lead('L2', [['paid_search', 7], ['email', 0]], { isWon: true, amount: '30.00' }),
    ],
    nonConverting: [
      { path: ['paid_search'], journeys: 1 },
      { path: ['paid_search', 'email'], journeys: 1 },
      { path: ['email'], journeys: 2 },
    ],
  };
  const report = run(input);
  const rows = rowsByChannel(report);

  test('counts: 2 leads, 4 visitors without a lead, 6 journeys', () => {
    expect([report.leads, report.nonConvertingJourneys, report.journeys, report.wonLeads]).toEqual([2, 4, 6, 2]);
    expect(report.totalRevenue).toBe('40.00');
    expect(report.removalEffects.map((r) => [r.channel, +r.removalEffect.toFixed(12)])).toEqual([
      ['paid_search', 0.75],
      ['email', 0.5],
    ]);
  });

  // first: L1 a, L2 a → a 2. last / last non-direct: L1 a, L2 b → 1 / 1.
  // linear: L1 a 1, L2 ½ ½ → a 1.5, b 0.5; position: two touches 50/50 → the same.
  // time decay (half-life 7 days): L2 weights a 2^(−7/7) = ½, b 1 → a 1/3, b 2/3 → a 1.3333, b 0.6667.
  // shapley: L1 {a} → a 1; L2 {a, b} → ½ each → a 1.5, b 0.5.
  // shift = markov − last non-direct: a 1.2 − 1 = 0.2, b 0.8 − 1 = −0.2.
  test.each([
    { channel: 'paid_search', first: 2, last: 1, last_non_direct: 1, linear: 1.5, time_decay: 1.3333, position: 1.5, markov: 1.2, shapley: 1.5, shift_vs_last_non_direct: 0.2 },
    { channel: 'email', first: 0, last: 1, last_non_direct: 1, linear: 0.5, time_decay: 0.6667, position: 0.5, markov: 0.8, shapley: 0.5, shift_vs_last_non_direct: -0.2 },
  ])('$channel credits', ({ channel, ...expected }) => {
    expect(rows.get(channel)).toMatchObject(expected);
  });

  test('rows follow the Markov credit and carry every column', () => {
    expect(report.rows.map((r) => r.channel)).toEqual(['paid_search', 'email']);
    expect(Object.keys(report.rows[0]!).sort()).toEqual([...ATTRIBUTION_COLUMNS].sort());
  });

  test('every model sums to the number of leads', () => {
    for (const total of Object.values(report.totals)) expect(total).toBeCloseTo(2, 12);
  });

  // Revenue: first a 40; last / lnd a 10, b 30; linear and position a 10 + 15, b 15;
  // time decay a 10 + 30/3 = 20, b 20; shapley a 10 + 15, b 15; markov a 28, b 12.
  test.each([
    { channel: 'paid_search', first: '40.00', last: '10.00', last_non_direct: '10.00', linear: '25.00', time_decay: '20.00', position: '25.00', markov: '28.00', shapley: '25.00' },
    { channel: 'email', first: '0.00', last: '30.00', last_non_direct: '30.00', linear: '15.00', time_decay: '20.00', position: '15.00', markov: '12.00', shapley: '15.00' },
  ])('$channel revenue', ({ channel, ...expected }) => {
    expect(report.revenue.find((r) => r.channel === channel)).toEqual({ channel, ...expected });
  });

  test('the bootstrap interval brackets the point estimate, and a seed gives the same report', () => {
    const a = rows.get('paid_search')!;
    expect(a.markov_low).toBeLessThanOrEqual(a.markov_high);
    expect(run(input)).toEqual(report);
  });
});

describe('journeys the stitcher gives special shapes', () => {
  test('all-direct paths: every model, Markov included, gives direct all leads', () => {
    // Leads direct > direct and direct; visitors direct (3). One state: RE_direct = 1.
    const report = run({
      leads: [lead('L1', [['direct', 2], ['direct', 1]]), lead('L2', [['direct', 0]])],
      nonConverting: [{ path: ['direct'], journeys: 3 }],
    });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      channel: 'direct', first: 2, last: 2, last_non_direct: 2, linear: 2, time_decay: 2, position: 2, markov: 2, shapley: 2,
      shift_vs_last_non_direct: 0,
    });
    // Resamples draw 5 journeys, 2 of them leads on average; the 90% interval holds 2.
    expect(report.rows[0]!.disagrees).toBe(false);
  });

  test.each([
    // A lead without touches from its explicit source has one 'explicit' touch of that channel.
    { name: 'explicit source', leads: [lead('L1', [['offline', 0]], { explicitChannel: 'offline', knownTouches: 0 })], credits: { offline: 1 } },
    // Nothing known: one 'direct' touch, and last non-direct has nowhere else to go.
    { name: 'nothing known', leads: [lead('L1', [['direct', 0]], { knownTouches: 0 })], credits: { direct: 1 } },
  ])('a lead with no touches ($name) credits one channel under every model', ({ leads, credits }) => {
    const report = run({ leads, nonConverting: [] });
    const [channel, credit] = Object.entries(credits)[0]!;
    expect(report.rows.map((r) => r.channel)).toEqual([channel]);
    for (const model of ['first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position', 'markov', 'shapley'] as const) {
      expect(report.rows[0]![model]).toBe(credit);
    }
  });

  test('direct touches with an explicit source: last non-direct falls back to the explicit channel', () => {
    const report = run({ leads: [lead('L1', [['direct', 3], ['direct', 0]], { explicitChannel: 'offline' })], nonConverting: [] });
    const rows = rowsByChannel(report);
    expect(rows.get('direct')).toMatchObject({ first: 1, last: 1, last_non_direct: 0, markov: 1 });
    expect(rows.get('offline')).toMatchObject({ first: 0, last: 0, last_non_direct: 1, markov: 0, shift_vs_last_non_direct: -1 });
  });

  test('a static-number call lead: the billboard call is the last touch', () => {
    // organic 3 days before, a direct visit, then the call to the billboard number (stitched last).
    const report = run({
      leads: [lead('L1', [['organic_search', 3], ['direct', 0.01], ['offline', 0.02]], { isWon: true, amount: '900.00' })],
      nonConverting: [],
    });
    const rows = rowsByChannel(report);
    // first organic; last and last non-direct offline; linear 1/3 each; position 0.4 / 0.2 / 0.4.
    expect(rows.get('organic_search')).toMatchObject({ first: 1, last: 0, last_non_direct: 0, linear: 0.3333, position: 0.4 });
    expect(rows.get('offline')).toMatchObject({ first: 0, last: 1, last_non_direct: 1, linear: 0.3333, position: 0.4 });
    expect(rows.get('direct')).toMatchObject({ first: 0, last: 0, last_non_direct: 0, linear: 0.3333, position: 0.2 });
    expect(report.revenue.find((r) => r.channel === 'offline')).toMatchObject({ last: '900.00', position: '360.00' });
  });

  test('a visitor without a lead changes Markov, never the rule-based models', () => {
    const leads = [lead('L1', [['email', 1], ['paid_search', 0]]), lead('L2', [['paid_search', 0]])];
    const without = rowsByChannel(run({ leads, nonConverting: [] }));
    const withVisitor = rowsByChannel(run({ leads, nonConverting: [{ path: ['paid_search'], journeys: 4 }] }));
    for (const channel of ['email', 'paid_search']) {
      const { markov: _a, markov_low: _b, markov_high: _c, shift_vs_last_non_direct: _d, disagrees: _e, shapley_low: _f, shapley_high: _g, ...rest } = without.get(channel)!;
      expect(withVisitor.get(channel)).toMatchObject(rest);
    }
    // Without visitors: start→email 1, start→paid_search 1, email→paid_search 1,
    // paid_search→conversion 2: P = 1. Removing email loses the journeys that start
    // there: P = 1/2, RE_email = 1/2; removing paid_search loses all, RE = 1.
    // → email 2 × (1/2)/(3/2) = 0.6667, paid_search 1.3333.
    expect([without.get('email')?.markov, without.get('paid_search')?.markov]).toEqual([0.6667, 1.3333]);
    // With 4 paid_search-only visitors: start→paid_search 5, paid_search→conv 2, →null 4,
    // x_paid_search = 1/3 = x_email, P = 1/3. Without email P = 5/6 · 1/3 = 5/18,
    // RE_email = 1 − (5/18)/(1/3) = 1/6; RE_paid_search = 1.
    // → email 2 × (1/6)/(7/6) = 2/7 = 0.2857, paid_search 12/7 = 1.7143.
    expect([withVisitor.get('email')?.markov, withVisitor.get('paid_search')?.markov]).toEqual([0.2857, 1.7143]);
  });

  test('no leads at all: no rows, zero totals', () => {
    const report = run({ leads: [], nonConverting: [{ path: ['direct'], journeys: 2 }] });
    expect(report.leads).toBe(0);
    expect(report.totalRevenue).toBe('0.00');
    expect(report.rows.every((r) => r.markov === 0 && r.first === 0)).toBe(true);
  });
});

describe('computeMarkovTouchCredits', () => {
  const effects = new Map([['a', 0.75], ['b', 0.5]]);
  test.each([
    // shares a 0.75/1.25 = 0.6, b 0.4; a's 0.6 over its two touches.
    { path: ['a', 'b', 'a'], expected: [0.3, 0.4, 0.3] },
    { path: ['b'], expected: [1] },
    { path: ['a', 'a'], expected: [0.5, 0.5] },
    // unknown x has RE 0.
    { path: ['x', 'b'], expected: [0, 1] },
    // all zero: even over distinct channels (x ½, y ½), then over x's two touches.
    { path: ['x', 'x', 'y'], expected: [0.25, 0.25, 0.5] },
  ])('$path → $expected', ({ path, expected }) => {
    const credits = computeMarkovTouchCredits(path, effects);
    expect(credits.map((c) => +c.toFixed(12))).toEqual(expected);
    expect(credits.reduce((s, c) => s + c, 0)).toBeCloseTo(1, 12);
  });

  test('an empty path is a bug upstream', () => {
    expect(() => computeMarkovTouchCredits([], effects)).toThrow(RangeError);
  });
});

describe('journeys from rows', () => {
  test('a lead row becomes a lead journey; revenue only when won', () => {
    const row = lead('L1', [['email', 1]], { amount: '5.00', isWon: false, explicitChannel: null });
    expect(toLeadJourney(row)).toEqual({ touches: [{ channel: 'email', at: LEAD_AT - DAY_MS }], leadAt: LEAD_AT, revenue: null, fallbackChannel: 'direct' });
    expect(toLeadJourney({ ...row, isWon: true }).revenue).toBe('5.00');
    expect(() => toLeadJourney({ ...row, touchedAt: [] })).toThrow(RangeError);
  });

  test('visitor paths are collapsed and merged, most visitors first', () => {
    // email > email > paid_search (2) and email > paid_search (1) are one path of 3 visitors.
    expect(computeNonConvertingPaths([
      { path: ['direct'], journeys: 3 },
      { path: ['email', 'email', 'paid_search'], journeys: 2 },
      { path: ['direct', 'direct'], journeys: 1 },
      { path: ['email', 'paid_search'], journeys: 1 },
      { path: ['paid_search', 'email', 'paid_search'], journeys: 1 },
    ])).toEqual([
      { path: ['direct'], journeys: 4 },
      { path: ['email', 'paid_search'], journeys: 3 },
      { path: ['paid_search', 'email', 'paid_search'], journeys: 1 },
    ]);
  });

  test('lead rows grouped by collapsed path, most leads first, with exact won revenue', () => {
    // paid_search > paid_search > email and paid_search > email are one path of 2 leads.
    expect(computeConvertingPaths([
      lead('L1', [['direct', 0]]),
      lead('L2', [['paid_search', 3], ['paid_search', 2], ['email', 0]], { isWon: true, amount: '10.10' }),
      lead('L3', [['paid_search', 1], ['email', 0]], { isWon: true, amount: '0.20' }),
      lead('L4', [['email', 0]], { isWon: false, amount: '99.00' }),
    ])).toEqual([
      { path: ['paid_search', 'email'], leads: 2, wonLeads: 2, revenue: '10.30' },
      { path: ['direct'], leads: 1, wonLeads: 0, revenue: '0' },
      { path: ['email'], leads: 1, wonLeads: 0, revenue: '0' },
    ]);
  });
});

describe('LruCache', () => {
  test('keeps the most recently used entries', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
    expect(cache.delete('a')).toBe(true);
    expect(cache.size).toBe(1);
  });

  test('capacity must be positive', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
