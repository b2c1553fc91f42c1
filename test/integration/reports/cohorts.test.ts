import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema, type ReportParamsInput } from '../../../app/reports/params';
import { cohortsReport } from '../../../db/reports/cohorts';

// Hand-made cohorts, workspace Europe/Kyiv. Range 2026-03-01..2026-04-30, so
// asOf = 2026-04-30 24:00 local (21:00 UTC); March is 61 days = 8 weeks old,
// April 30 days = 4 weeks.
//
// lead  created (UTC)   qualified (age)         won (age)                      amount   last non-direct
// M1    03-02 10:00     03-04 10:00 (2 d, wk 0) 03-12 10:00 (10 d, wk 1)       1000.00  paid_search (vm1)
// M2    03-05 10:00     03-20 10:00 (15 d, wk 2) 04-02 10:00 (28 d: wk 4)       2500.50  paid_search (vm2)
// M3    03-10 10:00     —                        lost                                    direct
// M4    03-15 10:00     05-10 (after asOf)       open                                    direct
// M5    03-20 10:00     03-25 10:00 (5 d, wk 0)  05-05 (after asOf)             900.00   direct
// A1    03-31 21:30 = 04-01 00:30 local → April
//                       04-03 10:00 (2.5 d, wk 0) 04-20 10:00 (19.5 d, wk 2)   400.00   direct
// A2    04-25 10:00     —                        open                                    direct
// Z1    05-02 10:00 (after the range: no cohort)
//
// Spend: March google/cpc 800.00 + facebook/paid_social 200.00 = 1000.00 (and
// 500.00 on 02-28, before the range); April none.

let t: TestDatabase;
let ws: Workspace;

const params = (p: Partial<ReportParamsInput> = {}) => reportParamsSchema.parse({ from: '2026-03-01', to: '2026-04-30', ...p });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  const results = [
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      'sm1,vm1,2026-03-02T09:00:00Z,google,cpc,brand',
      'sm2,vm2,2026-03-05T09:00:00Z,google,cpc,brand',
    )),
    await importText(t.db, ws, 'spend', csv(
      'date,source,medium,campaign,cost',
      '2026-02-28,google,cpc,brand,500.00',
      '2026-03-10,google,cpc,brand,800.00',
      '2026-03-11,facebook,paid_social,retarget,200.00',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,manager,stage,outcome,amount,closed_at',
      'M1,2026-03-02T10:00:00Z,form,vm1,Olena,won,won,1000.00,2026-03-12T10:00:00Z',
      'M2,2026-03-05T10:00:00Z,form,vm2,Ivan,won,won,2500.50,2026-04-02T10:00:00Z',
      'M3,2026-03-10T10:00:00Z,call,,Ivan,contacted,lost,,2026-03-20T10:00:00Z',
      'M4,2026-03-15T10:00:00Z,call,,Ivan,qualified,open,,',
      'M5,2026-03-20T10:00:00Z,call,,Ivan,won,won,900.00,2026-05-05T10:00:00Z',
      'A1,2026-03-31T21:30:00Z,call,,Ivan,won,won,400.00,2026-04-20T10:00:00Z',
      'A2,2026-04-25T10:00:00Z,call,,Ivan,new,open,,',
      'Z1,2026-05-02T10:00:00Z,call,,Ivan,new,open,,',
    )),
    await importText(t.db, ws, 'lead_stages', csv(
      'lead_id,stage,entered_at',
      'M1,qualified,2026-03-04T10:00:00Z',
      'M1,won,2026-03-12T10:00:00Z',
      'M2,qualified,2026-03-20T10:00:00Z',
      'M2,won,2026-04-02T10:00:00Z',
      'M3,contacted,2026-03-11T10:00:00Z',
      'M4,qualified,2026-05-10T10:00:00Z',
      'M5,qualified,2026-03-25T10:00:00Z',
      'M5,won,2026-05-05T10:00:00Z',
      'A1,qualified,2026-04-03T10:00:00Z',
      'A1,won,2026-04-20T10:00:00Z',
    )),
  ];
  expect(results.map((r) => r.status)).toEqual(results.map(() => 'succeeded'));
});
afterAll(async () => t.drop());

describe('cohorts report', () => {
  test('March: cumulative outcomes at weeks 0, 1, 2 and 4', async () => {
    const out = await cohortsReport(t.db, ws, params());
    expect(out.columns).toEqual(['cohort', 'week', 'leads', 'qualified', 'sales', 'revenue', 'spend', 'cpql', 'cac', 'romi']);
    const march = out.rows.filter((r) => r.cohort === '2026-03');
    // 5 leads (M1..M5); spend 1000.00.
    // wk 0: qualified M1, M5 → CPQL 1000 / 2 = 500; no sale; ROMI (0 − 1000) / 1000 = −1
    // wk 1: + M1 won 1000.00 → CAC 1000; ROMI 0
    // wk 2: + M2 qualified → 3, CPQL 333.33
    // wk 4: + M2 won at exactly 28 days → 2 sales, 3500.50; CAC 500; ROMI 2500.50 / 1000 = 2.5005
    // M4's qualification and M5's sale come after asOf: never counted.
    expect(march.filter((r) => [0, 1, 2, 3, 4].includes(Number(r.week)))).toEqual([
      { cohort: '2026-03', week: 0, leads: 5, qualified: 2, sales: 0, revenue: '0.00', spend: '1000.00', cpql: '500.00', cac: null, romi: -1 },
      { cohort: '2026-03', week: 1, leads: 5, qualified: 2, sales: 1, revenue: '1000.00', spend: '1000.00', cpql: '500.00', cac: '1000.00', romi: 0 },
      { cohort: '2026-03', week: 2, leads: 5, qualified: 3, sales: 1, revenue: '1000.00', spend: '1000.00', cpql: '333.33', cac: '1000.00', romi: 0 },
      { cohort: '2026-03', week: 3, leads: 5, qualified: 3, sales: 1, revenue: '1000.00', spend: '1000.00', cpql: '333.33', cac: '1000.00', romi: 0 },
      { cohort: '2026-03', week: 4, leads: 5, qualified: 3, sales: 2, revenue: '3500.50', spend: '1000.00', cpql: '333.33', cac: '500.00', romi: 2.5005 },
    ]);
    // 8 weeks old: weeks 0..8, nothing later.
    expect(march.map((r) => r.week)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(march.at(-1)).toMatchObject({ qualified: 3, sales: 2, revenue: '3500.50' });
  });

  test('April: the local month decides the cohort; weeks beyond its age are absent; no spend → ROMI null', async () => {
    const out = await cohortsReport(t.db, ws, params());
    const april = out.rows.filter((r) => r.cohort === '2026-04');
    expect(april.map((r) => r.week)).toEqual([0, 1, 2, 3, 4]);
    // A1 (00:30 on April 1 local) and A2; Z1 (May) is no cohort at all.
    expect(april[0]).toEqual({ cohort: '2026-04', week: 0, leads: 2, qualified: 1, sales: 0, revenue: '0.00', spend: '0.00', cpql: '0.00', cac: null, romi: null });
    expect(april[2]).toEqual({ cohort: '2026-04', week: 2, leads: 2, qualified: 1, sales: 1, revenue: '400.00', spend: '0.00', cpql: '0.00', cac: '0.00', romi: null });
    expect(out.rows.map((r) => r.cohort)).not.toContain('2026-05');
  });

  test('summary: latest values, age and maturity', async () => {
    const out = await cohortsReport(t.db, ws, params());
    expect(out.sections?.[0]?.title).toBe('summary');
    expect(out.sections?.[0]?.rows).toEqual([
      { cohort: '2026-03', age_weeks: 8, mature: false, leads: 5, qualified: 3, sales: 2, revenue: '3500.50', spend: '1000.00', cpql: '333.33', cac: '500.00', romi: 2.5005 },
      { cohort: '2026-04', age_weeks: 4, mature: false, leads: 2, qualified: 1, sales: 1, revenue: '400.00', spend: '0.00', cpql: '0.00', cac: '0.00', romi: null },
    ]);
    // From February: Feb is (Apr 30 + 1 − Feb 1) = 89 days = 12 weeks old → mature; its
    // 500.00 of spend and no leads: CPQL/CAC null, ROMI (0 − 500) / 500 = −1.
    const wider = await cohortsReport(t.db, ws, params({ from: '2026-02-01' }));
    expect(wider.sections?.[0]?.rows[0]).toEqual({
      cohort: '2026-02', age_weeks: 12, mature: true, leads: 0, qualified: 0, sales: 0, revenue: '0.00', spend: '500.00', cpql: null, cac: null, romi: -1,
    });
  });

  test('a channel filter uses the lead\'s last non-direct touch and slices spend too', async () => {
    const out = await cohortsReport(t.db, ws, params({ filters: { channel: 'paid_search' } }));
    const summary = out.sections?.[0]?.rows ?? [];
    // M1, M2 only; spend google/cpc 800.00: CPQL = CAC = 800 / 2 = 400;
    // ROMI (3500.50 − 800) / 800 = 3.375625 → 3.3756.
    expect(summary[0]).toEqual({ cohort: '2026-03', age_weeks: 8, mature: false, leads: 2, qualified: 2, sales: 2, revenue: '3500.50', spend: '800.00', cpql: '400.00', cac: '400.00', romi: 3.3756 });
    expect(summary[1]).toMatchObject({ cohort: '2026-04', leads: 0, spend: '0.00' });
  });

  test('a manager filter leaves spend out', async () => {
    const out = await cohortsReport(t.db, ws, params({ filters: { manager: 'Olena' } }));
    expect(out.sections?.[0]?.rows[0]).toEqual({
      cohort: '2026-03', age_weeks: 8, mature: false, leads: 1, qualified: 1, sales: 1, revenue: '1000.00', spend: null, cpql: null, cac: null, romi: null,
    });
    expect(out.notes.some((n) => n.includes('spend, cpql, cac and romi are not shown'))).toBe(true);
  });
});
