import { describe, expect, test } from 'vitest';
import { addDecimal, compareDecimal, divideDecimal, ratio, subtractDecimal } from '../../../app/reports/decimal';
import { computeMetrics, type MetricInputs } from '../../../app/reports/metrics';
import { computeChannelsReport, type ChannelRawRow } from '../../../app/reports/channels';

describe('exact decimals', () => {
  test('sums never drift like floats', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floats.
    expect(addDecimal('0.1', '0.2')).toBe('0.30');
    expect(addDecimal(...Array.from({ length: 1000 }, () => '0.01'))).toBe('10.00');
    expect(addDecimal('99999999999.99', '0.01')).toBe('100000000000.00');
    expect(addDecimal(null, undefined, '5')).toBe('5.00');
    expect(subtractDecimal('10.00', '10.01')).toBe('-0.01');
  });
  test.each([
    ['100.00', 3, 2, '33.33'],
    ['200.00', 3, 2, '66.67'],
    ['1.00', 8, 2, '0.13'], // 0.125 rounds half away from zero
    ['-1.00', 8, 2, '-0.13'],
    ['1234.56', '0.5', 2, '2469.12'],
    ['10', 0, 2, null],
    [null, 3, 2, null],
    ['5', '0.000', 2, null],
  ] as const)('%s / %s at %i decimals = %s', (a, b, scale, expected) => {
    expect(divideDecimal(a, b, scale)).toBe(expected);
  });
  test('compare and ratios', () => {
    expect(compareDecimal('10.5', '10.50')).toBe(0);
    expect(compareDecimal('9.99', '10')).toBe(-1);
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(5, 0)).toBeNull();
  });
});

const base: MetricInputs = {
  spend: '1000.00', impressions: 20000, clicks: 400, sessions: 380, leads: 20, junk: 4, qualified: 10, sales: 4, revenue: '9000.00',
};

describe('metric definitions (app/reports/metrics.ts)', () => {
  test('every ratio of a typical slice', () => {
    expect(computeMetrics(base)).toEqual({
      ...base,
      ctr: 0.02, // 400 / 20000
      cpc: '2.50', // 1000 / 400
      cr: 0.0526, // 20 / 380
      cpl: '50.00', // 1000 / 20, junk included
      junk_share: 0.2, // 4 / 20
      cpql: '100.00', // 1000 / 10
      cac: '250.00', // 1000 / 4
      romi: 8, // (9000 − 1000) / 1000
      roas: 9, // 9000 / 1000
      avg_deal: '2250.00', // 9000 / 4
    });
  });

  test('a zero-spend channel has CPL 0 and no ROMI (division by zero is empty)', () => {
    const m = computeMetrics({ ...base, spend: '0.00', impressions: 0, clicks: 0 });
    expect([m.cpl, m.cpql, m.cac, m.cpc, m.ctr, m.romi, m.roas]).toEqual(['0.00', '0.00', '0.00', null, null, null, null]);
  });

  test('no leads: CPL, CR shares and per-sale figures are empty, never 0 or Infinity', () => {
    const m = computeMetrics({ ...base, leads: 0, junk: 0, qualified: 0, sales: 0, revenue: '0.00' });
    expect([m.cpl, m.junk_share, m.cpql, m.cac, m.avg_deal, m.romi]).toEqual([null, null, null, null, null, -1]);
  });

  test('fractional credits (linear model) divide exactly', () => {
    // 1000 / 33.3333 (credits rounded to 4 decimals first) = 30.0000300…
    expect(computeMetrics({ ...base, leads: 100 / 3 }).cpl).toBe('30.00');
    expect(computeMetrics({ ...base, leads: 100 / 3 }).leads).toBe(33.3333);
  });

  test('lead-only slices (manager) leave spend-derived metrics empty', () => {
    const m = computeMetrics({ ...base, spend: null, impressions: null, clicks: null, sessions: null });
    expect([m.cpl, m.cpc, m.romi, m.roas, m.cr]).toEqual([null, null, null, null, null]);
    expect(m.avg_deal).toBe('2250.00');
  });
});

describe('channels report (app/reports/channels.ts)', () => {
  const row = (channel: string, r: Partial<ChannelRawRow>): ChannelRawRow => ({
    channel, spend: null, impressions: null, clicks: null, sessions: null, leads: 0, junk: 0, qualified: 0, sales: 0, revenue: '0.00', leadOnly: false, ...r,
  });
  test('rows sort by spend, then leads; totals come from summed inputs, not averaged ratios', () => {
    const report = computeChannelsReport([
      row('organic_search', { sessions: 100, leads: 10, revenue: '500.00', sales: 1 }),
      row('paid_search', { spend: '300.00', clicks: 100, impressions: 1000, sessions: 90, leads: 3, sales: 1, revenue: '900.00' }),
      row('paid_social', { spend: '700.00', clicks: 50, impressions: 5000, sessions: 40, leads: 2 }),
    ], { by: 'channel' });
    expect(report.rows.map((r) => [r.channel, r.cpl])).toEqual([['paid_social', '350.00'], ['paid_search', '100.00'], ['organic_search', '0.00']]);
    // Totals: spend 1000, leads 15 → CPL 66.67 (not the mean of the row CPLs).
    expect([report.totals.spend, report.totals.leads, report.totals.cpl, report.totals.revenue, report.totals.romi]).toEqual(['1000.00', 15, '66.67', '1400.00', 0.4]);
  });
  test('time slices sort by period', () => {
    const report = computeChannelsReport([row('x', { month: '2026-02-01' } as never), row('x', { month: '2026-01-01' } as never)], { by: 'month' });
    expect(report.rows.map((r) => r.month)).toEqual(['2026-01-01', '2026-02-01']);
  });
});
