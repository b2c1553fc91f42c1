import { describe, expect, test } from 'vitest';
import { addMonths, monthEnd, monthsOf, quarterStart, shiftYears, todayIn } from '../../app/lib/calendar';
import {
  carriedSearch,
  comparisonRange,
  dashboardSearch,
  parseDashboard,
  presetRange,
  timeBucketFor,
  toSearchParams,
  type RangePreset,
} from '../../app/lib/dashboard-params';

describe('the workspace calendar', () => {
  test.each([
    // 22:30 UTC on Dec 31 is already Jan 1 in Kyiv (UTC+2 in winter), still Dec 31 in New York.
    ['2026-12-31T22:30:00Z', 'Europe/Kyiv', '2027-01-01'],
    ['2026-12-31T22:30:00Z', 'UTC', '2026-12-31'],
    ['2027-01-01T03:00:00Z', 'America/New_York', '2026-12-31'],
    // Summer time: Kyiv is UTC+3, so 21:30 UTC on Mar 31 is Apr 1, the first day of Q2.
    ['2026-03-31T21:30:00Z', 'Europe/Kyiv', '2026-04-01'],
    ['2026-03-31T20:30:00Z', 'Europe/Kyiv', '2026-03-31'],
  ])('at %s it is %s… %s', (instant, zone, day) => {
    expect(todayIn(zone, new Date(instant))).toBe(day);
  });

  test.each([
    ['2026-01-15', '2026-01-31'],
    ['2026-02-10', '2026-02-28'],
    ['2028-02-10', '2028-02-29'],
    ['2026-12-01', '2026-12-31'],
  ])('the month of %s ends on %s', (day, end) => {
    expect(monthEnd(day)).toBe(end);
  });

  test.each([
    ['2026-01-01', '2026-01-01'],
    ['2026-03-31', '2026-01-01'],
    ['2026-04-01', '2026-04-01'],
    ['2026-08-15', '2026-07-01'],
    ['2026-12-31', '2026-10-01'],
  ])('the quarter of %s starts on %s', (day, start) => {
    expect(quarterStart(day)).toBe(start);
  });

  test.each([
    ['2028-02-29', -1, '2027-02-28'],
    ['2028-02-29', -4, '2024-02-29'],
    ['2027-02-28', 1, '2028-02-28'],
    ['2026-03-01', -1, '2025-03-01'],
  ])('%s shifted by %i years is %s', (day, years, expected) => {
    expect(shiftYears(day, years)).toBe(expected);
  });

  test('months of a range and month arithmetic across a year end', () => {
    expect(monthsOf('2026-11-15', '2027-02-01')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
    expect(addMonths('2026-01-31', -2)).toBe('2025-11-01');
  });
});

describe('presets', () => {
  test.each<[RangePreset, string, string, string]>([
    ['last_7', '2026-03-03', '2026-02-25', '2026-03-03'],
    ['last_30', '2026-03-01', '2026-01-31', '2026-03-01'],
    ['last_90', '2026-11-23', '2026-08-26', '2026-11-23'],
    ['this_month', '2026-11-23', '2026-11-01', '2026-11-23'],
    ['this_month', '2026-11-01', '2026-11-01', '2026-11-01'],
    ['last_month', '2026-01-10', '2025-12-01', '2025-12-31'],
    ['last_month', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['last_month', '2028-03-01', '2028-02-01', '2028-02-29'],
    ['this_quarter', '2026-05-20', '2026-04-01', '2026-05-20'],
    ['this_quarter', '2026-01-01', '2026-01-01', '2026-01-01'],
    ['last_quarter', '2026-01-01', '2025-10-01', '2025-12-31'],
    ['last_quarter', '2026-09-30', '2026-04-01', '2026-06-30'],
    ['this_year', '2026-11-23', '2026-01-01', '2026-11-23'],
    ['last_year', '2026-01-01', '2025-01-01', '2025-12-31'],
  ])('%s on %s is %s..%s', (preset, today, from, to) => {
    expect(presetRange(preset as Exclude<RangePreset, 'custom'>, today)).toEqual({ from, to });
  });
});

describe('comparison periods', () => {
  test.each([
    // 30 days → the 30 days before.
    ['previous', '2026-10-25', '2026-11-23', '2026-09-25', '2026-10-24'],
    // One day → the day before, across a month end.
    ['previous', '2026-03-01', '2026-03-01', '2026-02-28', '2026-02-28'],
    // A whole month of 31 days → 31 days before (not "the previous month").
    ['previous', '2026-03-01', '2026-03-31', '2026-01-29', '2026-02-28'],
    ['last_year', '2026-10-25', '2026-11-23', '2025-10-25', '2025-11-23'],
    // Feb 29 has no twin a year earlier: it becomes Feb 28.
    ['last_year', '2028-02-01', '2028-02-29', '2027-02-01', '2027-02-28'],
    ['last_year', '2028-02-29', '2028-03-01', '2027-02-28', '2027-03-01'],
  ] as const)('%s of %s..%s is %s..%s', (mode, from, to, cFrom, cTo) => {
    expect(comparisonRange({ from, to }, mode)).toEqual({ from: cFrom, to: cTo });
  });
});

test.each([
  ['2026-11-01', '2026-11-30', 'day'],
  ['2026-09-01', '2026-11-01', 'day'],
  ['2026-08-01', '2026-11-01', 'week'],
  ['2025-01-01', '2026-12-31', 'week'],
  ['2024-01-01', '2026-12-31', 'month'],
] as const)('a chart over %s..%s counts by %s', (from, to, unit) => {
  expect(timeBucketFor({ from, to })).toBe(unit);
});

describe('parsing the URL', () => {
  const today = '2026-11-23';

  test('no query: the last 30 days to today against the 30 days before, default model', () => {
    const d = parseDashboard('', today);
    expect(d.state).toEqual({
      range: 'last_30', from: '2026-10-25', to: '2026-11-23', compare: 'previous', model: 'last_non_direct',
      cohort: 'lead', by: undefined, filters: {}, today,
    });
    expect(d.params).toEqual({ from: '2026-10-25', to: '2026-11-23', model: 'last_non_direct', cohort: 'lead', filters: {} });
    expect(d.comparison).toMatchObject({ from: '2026-09-25', to: '2026-10-24' });
  });

  test('every field, repeated filter keys, the comparison shares the filters', () => {
    const d = parseDashboard(
      'range=custom&from=2026-01-01&to=2026-03-31&compare=last_year&model=linear&cohort=event&by=campaign' +
        '&channel=paid_search&channel=paid_social&region=Kyiv&source=google',
      today,
    );
    expect(d.params).toEqual({
      from: '2026-01-01', to: '2026-03-31', by: 'campaign', model: 'linear', cohort: 'event',
      filters: { channel: ['paid_search', 'paid_social'], source: ['google'], region: ['Kyiv'] },
    });
    expect(d.comparison).toEqual({ ...d.params, from: '2025-01-01', to: '2025-03-31' });
  });

  test('from/to without a range mean a custom range; ends given backwards are swapped', () => {
    expect(parseDashboard('from=2026-02-01&to=2026-02-10', today).state).toMatchObject({ range: 'custom', from: '2026-02-01', to: '2026-02-10' });
    expect(parseDashboard('from=2026-02-10&to=2026-02-01', today).state).toMatchObject({ range: 'custom', from: '2026-02-01', to: '2026-02-10' });
    expect(parseDashboard('range=custom&from=2026-11-01', today).state).toMatchObject({ from: '2026-11-01', to: today });
    expect(parseDashboard('range=custom&to=2026-02-10', today).state).toMatchObject({ from: '2026-01-12', to: '2026-02-10' });
  });

  test('a preset wins over stale dates in the URL', () => {
    expect(parseDashboard('range=last_7&from=2020-01-01&to=2020-02-01', today).state).toMatchObject({ range: 'last_7', from: '2026-11-17', to: today });
  });

  test('compare=none has no comparison; a comparison before 1970 is dropped', () => {
    expect(parseDashboard('compare=none', today).comparison).toBeNull();
    expect(parseDashboard('from=1970-01-01&to=1970-01-31', today).comparison).toBeNull();
  });

  test.each([
    ['garbage everywhere', 'range=forever&from=yesterday&to=2026-02-30&compare=sideways&model=%00&cohort=1&by=password'],
    ['dates out of bounds', 'from=1969-12-31&to=2101-01-01'],
    ['an array where one value is expected', 'range=last_7&range=custom&model=linear&model=first'],
    ['script in a filter', 'channel=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a huge filter value', `campaign=${'x'.repeat(5000)}`],
    ['percent garbage', 'channel=%E0%A4%A&%%%=1'],
  ])('%s falls back to defaults without throwing', (_name, query) => {
    const d = parseDashboard(query, today);
    expect(d.params.from <= d.params.to).toBe(true);
    expect(['last_30', 'last_7', 'custom']).toContain(d.state.range);
  });

  test('invalid fields fall back one by one, valid ones are kept', () => {
    const d = parseDashboard('range=forever&compare=sideways&model=linear&by=password&channel=email', today);
    expect(d.state).toMatchObject({ range: 'last_30', compare: 'previous', model: 'linear', by: undefined, filters: { channel: ['email'] } });
  });

  test('filter values: trimmed, de-duplicated, empty and over-long ones dropped, at most 50', () => {
    const many = Array.from({ length: 60 }, (_, i) => `region=r${i}`).join('&');
    expect(parseDashboard(`${many}&channel=%20email%20&channel=email&channel=&campaign=${'y'.repeat(201)}`, today).state.filters).toEqual({
      region: Array.from({ length: 50 }, (_, i) => `r${i}`),
      channel: ['email'],
    });
  });
});

describe('back to the URL', () => {
  const today = '2026-11-23';

  test('defaults are left out; a preset keeps no dates; a custom range keeps both', () => {
    expect(toSearchParams(parseDashboard('', today).state).toString()).toBe('');
    expect(toSearchParams(parseDashboard('range=last_7&from=2020-01-01', today).state).toString()).toBe('range=last_7');
    expect(toSearchParams(parseDashboard('from=2026-01-01&to=2026-01-31', today).state).toString()).toBe(
      'range=custom&from=2026-01-01&to=2026-01-31',
    );
  });

  test('round trip: the canonical query parses to the same state', () => {
    const query = 'range=custom&from=2026-01-01&to=2026-03-31&compare=none&model=first&cohort=event&by=ad&channel=a&channel=b&temperature=hot';
    const state = parseDashboard(query, today).state;
    expect(toSearchParams(state).toString()).toBe(query);
    expect(parseDashboard(toSearchParams(state), today).state).toEqual(state);
  });

  test('a drill-down patch and the query carried to another page', () => {
    const state = parseDashboard('range=last_90&by=channel&region=Kyiv', today).state;
    expect(dashboardSearch(state, { by: 'source_medium', filters: { ...state.filters, channel: ['paid_search'] } })).toBe(
      '?range=last_90&by=source_medium&channel=paid_search&region=Kyiv',
    );
    expect(carriedSearch(state)).toBe('?range=last_90&region=Kyiv');
    expect(dashboardSearch(parseDashboard('', today).state)).toBe('');
  });
});
