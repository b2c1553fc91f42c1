import { describe, expect, test } from 'vitest';
import { dayNumber, isoDay, weekdayOf } from '../../../app/reports/forecast/calendar';
import { computeForecast, FORECAST_FIELDS, MAX_HORIZON_DAYS, type SliceHistory } from '../../../app/reports/forecast/forecast';

// Five weeks ending Sunday 2026-03-29: weekdays 100 sessions and 5 leads,
// weekends 40 sessions and 2 leads, so the rate is 5% on every weekday and
// the weekday multipliers are all 1. 35 days is too little to backtest, so
// the forecast is seasonal naive: the last week repeated.
const TO = '2026-03-29';
function history(days = 35, opts: { sessions?: boolean } = {}): SliceHistory {
  const last = dayNumber(TO);
  const rows = [];
  for (let d = last - days + 1; d <= last; d++) {
    const weekend = weekdayOf(d) >= 5;
    rows.push({ day: isoDay(d), sessions: opts.sessions === false ? 0 : weekend ? 40 : 100, leads: weekend ? 2 : 5 });
  }
  return {
    slice: 'total',
    from: isoDay(last - days + 1),
    to: TO,
    days: rows,
    cohort: { leads: 100, qualified: 60, sales: 20, revenue: '600000.00', from: isoDay(last - days + 1), to: TO },
  };
}

describe('computeForecast', () => {
  test('weekly rows: sessions from the model, leads = sessions × rate, then the stage rates', () => {
    const f = computeForecast(history(), { horizon: 14, by: 'week' });
    expect(f.model).toBe('seasonal_naive');
    expect(f.fallback).toBe('too little history to backtest (35 days, a backtest needs 56)');
    expect(f.range).toEqual({ from: '2026-03-30', to: '2026-04-12' });
    expect(f.conversion!.rate).toBe(0.05);
    expect(f.rows.map((r) => r.period)).toEqual(['2026-03-30', '2026-04-06']);
    for (const r of f.rows) {
      // 5 × 100 + 2 × 40 sessions; 5% of them; 60% qualified, 20% won at 30000.00 each.
      expect(r).toMatchObject({ days: 7, sessions: 580, leads: 29, qualified: 17.4, sales: 5.8, revenue: '174000.00', model: 'seasonal_naive' });
      expect(r.leads_lower95).toBeLessThanOrEqual(r.leads_lower80);
      expect(r.leads_lower80).toBeLessThanOrEqual(r.leads);
      expect(r.leads).toBeLessThanOrEqual(r.leads_upper80);
      expect(r.leads_upper80).toBeLessThanOrEqual(r.leads_upper95);
    }
    expect(f.notes).toContain('intervals: sessions vary by Poisson noise only (no backtest to measure forecast error): they are too narrow');
    expect(f.notes[0]).toBe('model: seasonal naive (the last week repeated) — fallback: too little history to backtest (35 days, a backtest needs 56)');
    expect(Object.keys(f.rows[0]!)).toEqual(expect.arrayContaining([...FORECAST_FIELDS]));
  });

  test('daily rows follow the weekday shape; monthly rows cover only forecast days', () => {
    const daily = computeForecast(history(), { horizon: 7, by: 'day' });
    expect(daily.rows.map((r) => [r.period, r.sessions, r.leads])).toEqual([
      ['2026-03-30', 100, 5], ['2026-03-31', 100, 5], ['2026-04-01', 100, 5], ['2026-04-02', 100, 5],
      ['2026-04-03', 100, 5], ['2026-04-04', 40, 2], ['2026-04-05', 40, 2],
    ]);
    const monthly = computeForecast(history(), { horizon: 40, by: 'month' });
    // March 30–31 (two weekdays), then all of April 2026 (22 weekdays, 8 weekend days), then May 1–8 (6 weekdays, 2 weekend days).
    expect(monthly.rows.map((r) => [r.period, r.days, r.sessions])).toEqual([
      ['2026-03-01', 2, 200],
      ['2026-04-01', 30, 22 * 100 + 8 * 40],
      ['2026-05-01', 8, 6 * 100 + 2 * 40],
    ]);
  });

  test('the same inputs give the same intervals (seeded draws)', () => {
    const a = computeForecast(history(70), { horizon: 28, by: 'week' });
    const b = computeForecast(history(70), { horizon: 28, by: 'week' });
    expect(a.rows).toEqual(b.rows);
  });

  test('a slice without sessions forecasts its leads directly', () => {
    const f = computeForecast(history(35, { sessions: false }), { horizon: 7, by: 'week' });
    expect(f.basis).toBe('leads');
    expect(f.conversion).toBeNull();
    expect(f.rows[0]).toMatchObject({ sessions: 0, leads: 29 });
    expect(f.notes).toContain('this slice has no sessions (leads come by phone from offline media): leads are forecast directly from daily lead counts');
  });

  test('too little history: no rows, and a note', () => {
    const f = computeForecast(history(5), { horizon: 7, by: 'day' });
    expect(f.model).toBeNull();
    expect(f.rows).toEqual([]);
    expect(f.notes).toEqual(['no forecast: 5 days of history with sessions or leads, at least 7 are needed']);
  });

  test.each([0, MAX_HORIZON_DAYS + 1, 1.5])('horizon %s is refused', (horizon) => {
    expect(() => computeForecast(history(), { horizon, by: 'day' })).toThrow(RangeError);
  });
});
