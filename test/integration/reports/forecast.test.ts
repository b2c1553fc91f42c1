import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import { loadDemo } from '../../../db/demo';
import { forecastParamsSchema } from '../../../app/reports/forecast/params';
import { FORECAST_FIELDS } from '../../../app/reports/forecast/forecast';
import { getForecastHistory } from '../../../db/queries/forecast';
import { forecastReport, getForecasts } from '../../../db/reports/forecast';
import type { Workspace } from '../../../db/schema';

// Hand-made history, Europe/Kyiv (+02:00 in early March 2026):
//   s1 v1 Mar 1 10:00 google/cpc (paid_search)     L3 Mar 1 23:59 local (21:59Z), a call, facebook/paid_social
//   s2 v2 Mar 1 22:30Z = Mar 2 00:30 local, google/organic   L2 Mar 2 08:00 v2 → organic_search; qualified Mar 9, won Apr 20 (after the range)
//   s3 v3 Mar 2 09:00 direct                        L1 Mar 3 10:00 v1 → last non-direct paid_search; qualified Mar 4, won Mar 5, 1000.00
//   s4 v1 Mar 3 09:00 direct
// History Mar 1..10: no lead is 45 days old, so the stage cohort is every
// lead, with outcomes as known at the end of Mar 10 (L2's win is not yet).
const SESSIONS = csv(
  'session_id,visitor_id,started_at,source,medium',
  's1,v1,2026-03-01T10:00:00+02:00,google,cpc',
  's2,v2,2026-03-01T22:30:00Z,google,organic',
  's3,v3,2026-03-02T09:00:00+02:00,,',
  's4,v1,2026-03-03T09:00:00+02:00,,',
);
const LEADS = csv(
  'lead_id,created_at,kind,visitor_id,source,medium,stage,outcome,amount,closed_at',
  'L1,2026-03-03T10:00:00+02:00,form,v1,,,won,won,1000.00,2026-03-05T10:00:00+02:00',
  'L2,2026-03-02T08:00:00+02:00,form,v2,,,won,won,500.00,2026-04-20T10:00:00+02:00',
  'L3,2026-03-01T21:59:00Z,manual,,facebook,paid_social,new,open,,',
);
const STAGES = csv(
  'lead_id,stage,entered_at',
  'L1,qualified,2026-03-04T10:00:00+02:00',
  'L1,won,2026-03-05T10:00:00+02:00',
  'L2,qualified,2026-03-09T10:00:00+02:00',
  'L2,won,2026-04-20T10:00:00+02:00',
);

let t: TestDatabase;
let ws: Workspace;
let demo: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'fc');
  for (const [kind, text] of [['sessions', SESSIONS], ['leads', LEADS], ['lead_stages', STAGES]] as const) {
    expect((await importText(t.db, ws, kind, text)).status).toBe('succeeded');
  }
  ({ workspace: demo } = await loadDemo(t.db, { scale: 'small', seed: 11, endDate: '2026-10-31', slug: 'demo-small' }));
});
afterAll(async () => t.drop());

describe('forecast history query', () => {
  test('sessions and leads per workspace day, the stage cohort as known at the end', async () => {
    const [total] = await getForecastHistory(t.db, ws, { from: '2026-03-01', to: '2026-03-10' });
    expect(total).toEqual({
      slice: 'total',
      from: '2026-03-01',
      to: '2026-03-10',
      days: [
        { day: '2026-03-01', sessions: 1, leads: 1 },
        { day: '2026-03-02', sessions: 2, leads: 1 },
        { day: '2026-03-03', sessions: 1, leads: 1 },
      ],
      cohort: { leads: 3, qualified: 2, sales: 1, revenue: '1000.00', from: '2026-03-01', to: '2026-03-10' },
    });
  });

  test('per channel: traffic by its channel, leads by last non-direct credit', async () => {
    const all = await getForecastHistory(t.db, ws, { from: '2026-03-01', to: '2026-03-10', allChannels: true });
    const bySlice = Object.fromEntries(all.map((s) => [s.slice, { days: s.days, cohort: [s.cohort.leads, s.cohort.qualified, s.cohort.sales, s.cohort.revenue] }]));
    expect(Object.keys(bySlice)).toEqual(['total', 'direct', 'organic_search', 'paid_search', 'paid_social']);
    expect(bySlice.paid_search).toEqual({ days: [{ day: '2026-03-01', sessions: 1, leads: 0 }, { day: '2026-03-03', sessions: 0, leads: 1 }], cohort: [1, 1, 1, '1000.00'] });
    expect(bySlice.organic_search).toEqual({ days: [{ day: '2026-03-02', sessions: 1, leads: 1 }], cohort: [1, 1, 0, '0.00'] });
    expect(bySlice.direct).toEqual({ days: [{ day: '2026-03-02', sessions: 1, leads: 0 }, { day: '2026-03-03', sessions: 1, leads: 0 }], cohort: [0, 0, 0, '0.00'] });
    expect(bySlice.paid_social).toEqual({ days: [{ day: '2026-03-01', sessions: 0, leads: 1 }], cohort: [1, 0, 0, '0.00'] });
    const [one] = await getForecastHistory(t.db, ws, { from: '2026-03-01', to: '2026-03-10', channel: 'paid_search' });
    expect(one).toMatchObject({ slice: 'paid_search', days: bySlice.paid_search!.days });
  });

  test('a later `to` sees the later win', async () => {
    const [total] = await getForecastHistory(t.db, ws, { from: '2026-03-01', to: '2026-04-30' });
    expect(total!.cohort).toMatchObject({ leads: 3, qualified: 2, sales: 2, revenue: '1500.00' });
  });
});

describe('forecast report', () => {
  test('too little history: seasonal naive, said in the notes', async () => {
    const out = await forecastReport(t.db, ws, forecastParamsSchema.parse({ from: '2026-03-01', to: '2026-03-10', horizon: 7, by: 'day' }));
    expect(out.columns).toEqual([...FORECAST_FIELDS]);
    // The last week (Mar 4–10) had nothing: the forecast repeats it.
    expect(out.rows.map((r) => [r.period, r.sessions, r.leads, r.model])).toEqual(
      ['2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15', '2026-03-16', '2026-03-17'].map((d) => [d, 0, 0, 'seasonal_naive']),
    );
    expect(out.notes).toContain('model: seasonal naive (the last week repeated) — fallback: too little history to backtest (10 days, a backtest needs 56)');
  });

  test('on generated data: one row per week, backtest of both models beside it', async () => {
    const params = forecastParamsSchema.parse({ from: '2026-09-02', to: '2026-10-31', horizon: 28, by: 'week' });
    const out = await forecastReport(t.db, demo, params);
    // Forecast Nov 1 (a Sunday) .. Nov 28: the partial week of Oct 26, then three whole weeks and Nov 23–28.
    expect(out.rows.map((r) => r.period)).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    for (const r of out.rows) {
      expect(['seasonal_regression', 'seasonal_naive']).toContain(r.model);
      expect(Number(r.leads_lower95)).toBeLessThanOrEqual(Number(r.leads_upper95));
    }
    const backtest = out.sections![0]!;
    expect(backtest.rows.map((r) => r.model)).toEqual(['seasonal_regression', 'seasonal_naive']);
    expect(backtest.rows.filter((r) => r.chosen === true)).toHaveLength(1);
    expect(out.notes.some((n) => n.startsWith('backtest (rolling origin'))).toBe(true);
  });

  test('every channel at once for the page', async () => {
    const all = await getForecasts(t.db, demo, { from: '2026-09-02', to: '2026-10-31', horizon: 14, by: 'day' });
    expect(all[0]!.slice).toBe('total');
    expect(all.length).toBeGreaterThan(3);
    for (const f of all) if (f.model) expect(f.rows).toHaveLength(14);
  });
});
