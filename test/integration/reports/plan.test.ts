import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import { dayNumber, isoDay, weekdayOf } from '../../../app/reports/forecast/calendar';
import { planParamsSchema } from '../../../app/reports/pacing';
import { getPlans, savePlan } from '../../../db/queries/plans';
import { getPlanPacing, planReport } from '../../../db/reports/plan';
import type { Workspace } from '../../../db/schema';

// A hand-made March 2026, Europe/Kyiv. From Mon Feb 2 to Tue Mar 10, every
// weekday has 100 paid-search sessions and 5 leads (each after a session of
// its visitor, so last non-direct is paid_search), and 1000.00 of spend;
// weekends have nothing. Three February leads are won on March 2, 3 and 4
// for 10000.00, 20000.00 and 30000.50. Today is March 11: March 1–10 count,
// 7 of March's 22 weekdays.
//
// 37 days of history is too little to backtest, so the forecast is seasonal
// naive: 100 sessions a weekday, 0 at weekends. The rate is 135 / 2700 = 5%
// on every weekday, so the leads shape is 5 a weekday. No lead is 45 days
// old, so the win rate is over every lead: 3 / 135, at 60000.50 / 3 =
// 20000.17 a deal.
//   leads:   expected 150 × 7/22 = 47.73; actual 35; projected 35 + 15 × 5 = 110 → 0.7333 behind
//   sales:   expected 10 × 7/22 = 3.18; actual 3; projected 3 + 75 × 3/135 = 4.67 → 0.4667 behind
//   revenue: expected 95454.55; actual 60000.50; projected + 75 × 3/135 × 20000.17 = 93334.12 → 0.3111 behind
//   budget:  expected 30000 × 7/22 = 9545.45; actual 7000.00; projected 7000 ÷ 7/22 = 22000.00 → 0.7333 under
//   cpl:     7000 / 35 = 200.00 within 250.00; projected 22000 / 110 = 200.00

const FIRST = dayNumber('2026-02-02');
const LAST = dayNumber('2026-03-10');
const weekdays: number[] = [];
for (let d = FIRST; d <= LAST; d++) if (weekdayOf(d) < 5) weekdays.push(d);

const sessions = ['session_id,visitor_id,started_at,source,medium,campaign'];
const leads = ['lead_id,created_at,kind,visitor_id,stage,outcome,amount,closed_at'];
const spend = ['date,source,medium,campaign,cost'];
const WON: Record<string, [string, string]> = { L1: ['10000.00', '2026-03-02T15:00:00+02:00'], L2: ['20000.00', '2026-03-03T15:00:00+02:00'], L3: ['30000.50', '2026-03-04T15:00:00+02:00'] };
let leadSeq = 0;
for (const d of weekdays) {
  const day = isoDay(d);
  for (let i = 0; i < 100; i++) sessions.push(`s${d}-${i},v${d}-${i},${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00+02:00,google,cpc,brand`);
  for (let i = 0; i < 5; i++) {
    const id = `L${++leadSeq}`;
    const won = WON[id];
    leads.push(`${id},${day}T19:00:00+02:00,form,v${d}-${i},${won ? 'won' : 'new'},${won ? 'won' : 'open'},${won?.[0] ?? ''},${won?.[1] ?? ''}`);
  }
  spend.push(`${day},google,cpc,brand,1000.00`);
}
const PLANS = csv(
  'month,channel,leads,max_cpl,budget,sales,revenue',
  '2026-02,,100,250,20000,3,50000',
  '2026-03,,150,250.00,30000.00,10,300000.00',
  '2026-03,paid_search,150,250.00,30000.00,10,300000.00',
);

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'pace');
  for (const [kind, text] of [['sessions', csv(...sessions)], ['leads', csv(...leads)], ['spend', csv(...spend)], ['plans', PLANS]] as const) {
    expect((await importText(t.db, ws, kind, text)).status).toBe('succeeded');
  }
});
afterAll(async () => t.drop());

const MARCH = [
  { metric: 'leads', plan: 150, actual: 35, progress: 0.2333, expected: 47.73, projected: 110, attainment: 0.7333, status: 'behind' },
  { metric: 'sales', plan: 10, actual: 3, progress: 0.3, expected: 3.18, projected: 4.67, attainment: 0.4667, status: 'behind' },
  { metric: 'revenue', plan: '300000.00', actual: '60000.50', progress: 0.2, expected: '95454.55', projected: '93334.12', attainment: 0.3111, status: 'behind' },
  { metric: 'budget', plan: '30000.00', actual: '7000.00', progress: 0.2333, expected: '9545.45', projected: '22000.00', attainment: 0.7333, status: 'under' },
  { metric: 'cpl', plan: '250.00', actual: '200.00', progress: null, expected: null, projected: '200.00', attainment: 0.8, status: 'within' },
];

describe('plan vs actual', () => {
  test('the whole business on March 11, to the unit', async () => {
    const out = await planReport(t.db, ws, planParamsSchema.parse({ month: '2026-03', today: '2026-03-11' }));
    expect(out.columns).toEqual(['month', 'metric', 'plan', 'actual', 'progress', 'expected', 'projected', 'attainment', 'status']);
    expect(out.rows).toEqual(MARCH.map((r) => ({ month: '2026-03', ...r })));
    expect(out.notes[0]).toBe("2026-03, 10 of 31 days counted (today 2026-03-11 not yet): expected by today on the forecast's daily shape, projected = actual + forecast of the 21 days left");
  });

  test('by channel: paid_search carries every lead and the spend', async () => {
    const r = await getPlanPacing(t.db, ws, planParamsSchema.parse({ month: '2026-03', today: '2026-03-11', by: 'channel' }));
    expect(r.slices.map((s) => [s.key, s.model, s.fallback])).toEqual([['paid_search', 'seasonal_naive', 'too little history to backtest (37 days, a backtest needs 56)']]);
    expect(r.slices[0]!.pacing.rows).toEqual(MARCH);
  });

  test('a past month shows final attainment', async () => {
    const out = await planReport(t.db, ws, planParamsSchema.parse({ month: '2026-02', today: '2026-03-11' }));
    // February: 20 weekdays × 5 leads, 20000.00 spent, no deal closed in February.
    expect(out.rows.map((r) => [r.metric, r.actual, r.projected, r.attainment, r.status])).toEqual([
      ['leads', 100, 100, 1, 'on_track'],
      ['sales', 0, 0, 0, 'behind'],
      ['revenue', '0.00', '0.00', 0, 'behind'],
      ['budget', '20000.00', '20000.00', 1, 'on_track'],
      ['cpl', '200.00', '200.00', 0.8, 'within'],
    ]);
  });

  test('savePlan inserts, then replaces the same month and slice', async () => {
    const row = { month: '2026-04', channel: 'paid_search', region: '', manager: '', leads: 120, max_cpl: '260.00', budget: '31200.00', sales: 8, revenue: '240000.00' };
    await savePlan(t.db, ws, row);
    await savePlan(t.db, ws, { ...row, leads: 130 });
    expect(await getPlans(t.db, ws, '2026-04', 'channel')).toEqual([{ ...row, leads: 130, import_id: null }]);
    expect(await getPlans(t.db, ws, '2026-04')).toEqual([]);
  });
});
