import { describe, expect, test } from 'vitest';
import { COVERAGE_REASONS, computeCoverageReport, isCoverageReason } from '../../../app/reports/coverage';

describe('computeCoverageReport', () => {
  // 10 leads, revenue 1250.50: known 6 (1000.00), only_direct 2 (0), no_visitor_id 1 (250.50),
  // outside_lookback 1 (0).
  const report = computeCoverageReport([
    { coverage: 'known', leads: 6, revenue: '1000.00' },
    { coverage: 'only_direct', leads: 2, revenue: '0' },
    { coverage: 'no_visitor_id', leads: 1, revenue: '250.50' },
    { coverage: 'outside_lookback', leads: 1, revenue: '0' },
  ]);

  test.each([
    // 6/10; 1000/1250.5 = 0.79968 → 0.7997
    { reason: 'known', leads: 6, share_of_leads: 0.6, revenue: '1000.00', share_of_revenue: 0.7997 },
    { reason: 'only_direct', leads: 2, share_of_leads: 0.2, revenue: '0.00', share_of_revenue: 0 },
    { reason: 'unassigned_number', leads: 0, share_of_leads: 0, revenue: '0.00', share_of_revenue: 0 },
    { reason: 'manual_no_source', leads: 0, share_of_leads: 0, revenue: '0.00', share_of_revenue: 0 },
    // 1/10; 250.5/1250.5 = 0.20032 → 0.2003
    { reason: 'no_visitor_id', leads: 1, share_of_leads: 0.1, revenue: '250.50', share_of_revenue: 0.2003 },
    { reason: 'outside_lookback', leads: 1, share_of_leads: 0.1, revenue: '0.00', share_of_revenue: 0 },
    { reason: 'no_sessions', leads: 0, share_of_leads: 0, revenue: '0.00', share_of_revenue: 0 },
  ])('$reason', (expected) => {
    expect(report.rows.find((r) => r.reason === expected.reason)).toEqual(expected);
  });

  test('every reason has a row, in order, and the totals hold everything', () => {
    expect(report.rows.map((r) => r.reason)).toEqual([...COVERAGE_REASONS]);
    expect(report.totals).toEqual({ reason: 'total', leads: 10, share_of_leads: 1, revenue: '1250.50', share_of_revenue: 1 });
  });
});

describe('zero denominators', () => {
  test('no leads: every share is null', () => {
    const report = computeCoverageReport([]);
    expect(report.rows).toHaveLength(COVERAGE_REASONS.length);
    expect(report.rows.every((r) => r.leads === 0 && r.share_of_leads === null && r.share_of_revenue === null)).toBe(true);
    expect(report.totals).toEqual({ reason: 'total', leads: 0, share_of_leads: null, revenue: '0.00', share_of_revenue: null });
  });

  test('leads but no revenue: lead shares, revenue shares null', () => {
    const report = computeCoverageReport([{ coverage: 'only_direct', leads: 4, revenue: '0' }]);
    expect(report.rows.find((r) => r.reason === 'only_direct')).toEqual({
      reason: 'only_direct', leads: 4, share_of_leads: 1, revenue: '0.00', share_of_revenue: null,
    });
  });
});

test('an unknown reason is still shown after the known ones; repeated rows add up', () => {
  const report = computeCoverageReport([
    { coverage: 'known', leads: 1, revenue: '10.10' },
    { coverage: 'known', leads: 1, revenue: '0.20' },
    { coverage: 'future_reason', leads: 2, revenue: '0' },
  ]);
  expect(report.rows.at(-1)).toEqual({ reason: 'future_reason', leads: 2, share_of_leads: 0.5, revenue: '0.00', share_of_revenue: 0 });
  expect(report.rows[0]).toEqual({ reason: 'known', leads: 2, share_of_leads: 0.5, revenue: '10.30', share_of_revenue: 1 });
});

test.each([
  ['known', true],
  ['no_sessions', true],
  ['total', false],
  ['', false],
])('isCoverageReason(%j) = %s', (value, expected) => {
  expect(isCoverageReason(value)).toBe(expected);
});
