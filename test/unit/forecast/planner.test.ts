import { describe, expect, test } from 'vitest';
import { dayNumber, isoDay } from '../../../app/reports/forecast/calendar';
import {
  buildPlannerChannel,
  computeReverseFunnel,
  computeWhatIf,
  fitResponseCurve,
  planRowsOfScenario,
  spendForUnits,
  unitsForSpend,
  type PlannerChannel,
  type PlannerHistory,
} from '../../../app/reports/planner';

const saturating = (spend: number) => 400 * (1 - Math.exp(-spend / 2000));

describe('response curves', () => {
  test('a saturating curve is recovered from exact weekly points (to 0.1%)', () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ spend: 500 + i * 250, units: saturating(500 + i * 250) }));
    const c = fitResponseCurve(points, 'sessions')!;
    expect(c.curve).toBe('saturating');
    expect(c.a! / 400).toBeCloseTo(1, 3);
    expect(c.b! / 2000).toBeCloseTo(1, 3);
    expect(c.weeks).toBe(20);
  });

  test.each([
    ['fewer than 8 weeks with spend', Array.from({ length: 7 }, (_, i) => ({ spend: 1000 + i * 300, units: 100 + i }))],
    ['spend that hardly varies (CV < 0.1)', Array.from({ length: 10 }, (_, i) => ({ spend: 1000 + (i % 2) * 50, units: 100 + i }))],
  ])('%s: constant cost per session', (_label, points) => {
    const c = fitResponseCurve(points, 'sessions')!;
    const spend = points.reduce((s, p) => s + p.spend, 0);
    const units = points.reduce((s, p) => s + p.units, 0);
    expect(c).toEqual({ curve: 'constant', unit: 'sessions', a: null, b: null, costPerUnit: spend / units, weeks: points.length });
  });

  test('no spend: no curve', () => {
    expect(fitResponseCurve([{ spend: 0, units: 10 }], 'sessions')).toBeNull();
  });

  test('spend and units invert each other; beyond saturation is unreachable', () => {
    const c = { curve: 'saturating' as const, unit: 'sessions' as const, a: 400, b: 2000, costPerUnit: null, weeks: 10 };
    expect(spendForUnits(c, unitsForSpend(c, 3000))).toBeCloseTo(3000, 9);
    expect(spendForUnits(c, 400)).toBeNull();
  });
});

// A paid channel with a known curve and rates, an unpaid one, built by hand.
const paid: PlannerChannel = { channel: 'paid_search', curve: { curve: 'saturating', unit: 'sessions', a: 400, b: 2000, costPerUnit: null, weeks: 30 }, conversion: 0.05, qualifiedRate: 0.6, winRate: 0.2, avgDeal: 30000, leadsPerDay: 2 };
const social: PlannerChannel = { channel: 'paid_social', curve: { curve: 'constant', unit: 'sessions', a: null, b: null, costPerUnit: 10, weeks: 5 }, conversion: 0.04, qualifiedRate: 0.5, winRate: 0.1, avgDeal: 20000, leadsPerDay: 1 };
const organic: PlannerChannel = { channel: 'organic_search', curve: null, conversion: 0.03, qualifiedRate: 0.6, winRate: 0.2, avgDeal: 30000, leadsPerDay: 3 };

describe('what-if', () => {
  test('budget → sessions → leads → qualified, sales, revenue, CPL, ROMI (April: 30 days)', () => {
    const r = computeWhatIf([paid, social, organic], '2026-04', [{ channel: 'paid_search', budget: '12000.00' }, { channel: 'paid_social', budget: '3000' }]);
    // paid_search: weekly spend 12000·7/30 = 2800 → 400(1 − e^(−1.4)) sessions a week, × 30/7 a month.
    const sessions = (400 * (1 - Math.exp(-1.4)) * 30) / 7;
    const leads = sessions * 0.05;
    expect(r.rows[0]).toEqual({
      channel: 'paid_search', curve: 'saturating', budget: '12000.00',
      sessions: Math.round(sessions * 100) / 100, leads: Math.round(leads * 100) / 100,
      qualified: Math.round(leads * 0.6 * 100) / 100, sales: Math.round(leads * 0.2 * 100) / 100,
      revenue: (leads * 0.2 * 30000).toFixed(2), cpl: (12000 / leads).toFixed(2),
      romi: Math.round(((leads * 0.2 * 30000 - 12000) / 12000) * 10000) / 10000, note: null,
    });
    // paid_social: constant 10 per session → 300 sessions, 12 leads, 1.2 sales, 24000.00.
    expect(r.rows[1]).toMatchObject({ curve: 'constant', budget: '3000.00', sessions: 300, leads: 12, sales: 1.2, revenue: '24000.00', cpl: '250.00', romi: 7 });
    expect(r.total.budget).toBe('15000.00');
  });

  test('sessions instead of a budget: the budget is read off the curve', () => {
    const r = computeWhatIf([paid], '2026-04', [{ channel: 'paid_search', sessions: 600 }]);
    const weekly = -2000 * Math.log(1 - (600 * 7) / 30 / 400);
    expect(r.rows[0]!.budget).toBe(((weekly * 30) / 7).toFixed(2));
    expect(r.rows[0]!.leads).toBe(30);
  });
});

describe('reverse funnel', () => {
  test('round-trips with the what-if: leads, sales and revenue targets give back the budget', () => {
    const month = '2026-04';
    const w = computeWhatIf([paid], month, [{ channel: 'paid_search', budget: '12000.00' }]).rows[0]!;
    const exactLeads = ((400 * (1 - Math.exp(-1.4)) * 30) / 7) * 0.05;
    for (const target of [
      { metric: 'leads' as const, value: exactLeads },
      { metric: 'sales' as const, value: exactLeads * 0.2 },
      { metric: 'revenue' as const, value: exactLeads * 0.2 * 30000 },
    ]) {
      const r = computeReverseFunnel([paid], { winRate: 0.2, avgDeal: 30000 }, month, { ...target, channel: 'paid_search' });
      expect(r.budget).toBe(w.budget);
      expect(r.requiredLeads).toBe(w.leads);
    }
  });

  test('revenue target for a channel, step by step with the rates used', () => {
    const r = computeReverseFunnel([paid], { winRate: 0.2, avgDeal: 30000 }, '2026-04', { metric: 'revenue', value: 600000, channel: 'paid_search' });
    // 600000 / 30000 = 20 sales; / 0.2 = 100 leads; / 0.05 = 2000 sessions a month = 466.67 a week: over a = 400.
    expect(r.steps.map((s) => [s.step, s.input, s.rate, s.output])).toEqual([
      ['revenue → sales', 600000, 30000, 20],
      ['sales → leads', 20, 0.2, 100],
      ['leads → sessions', 100, 0.05, 2000],
      ['sessions → budget', 2000, null, null],
    ]);
    expect(r.budget).toBeNull();
    expect(r.channels[0]!.note).toBe('not reachable: the curve saturates at 1714 sessions a month');
  });

  test('whole business: unpaid channels at their run rate, paid channels share the gap', () => {
    // 400 leads in April (30 days): organic brings 3 × 30 = 90; the gap of 310 splits 2:1
    // between paid_search and paid_social (their run rates).
    const r = computeReverseFunnel([paid, social, organic], { winRate: 0.2, avgDeal: 30000 }, '2026-04', { metric: 'leads', value: 400 });
    expect(r.requiredLeads).toBe(400);
    const search = r.channels.find((c) => c.channel === 'paid_search')!;
    const soc = r.channels.find((c) => c.channel === 'paid_social')!;
    expect(r.channels.find((c) => c.channel === 'organic_search')).toMatchObject({ leads: 90, budget: null });
    expect(search.leads).toBe(206.67);
    expect(soc.leads).toBe(103.33);
    // paid_social: 103.33 / 0.04 = 2583.33 sessions at 10 each.
    expect(soc.budget).toBe(((310 / 3 / 0.04) * 10).toFixed(2));
    // paid_search: 206.67 / 0.05 = 4133 sessions a month is beyond its 1714: the plan is not reachable.
    expect(search.budget).toBeNull();
    expect(r.budget).toBeNull();
  });

  test('whole business within reach: the budget is the sum of the channels', () => {
    const r = computeReverseFunnel([paid, social, organic], { winRate: 0.2, avgDeal: 30000 }, '2026-04', { metric: 'leads', value: 120 });
    // Gap 30: paid_search 20 leads → 400 sessions → weekly 93.33 → −2000·ln(1 − 93.33/400) a week.
    const search = ((-2000 * Math.log(1 - (400 * 7) / 30 / 400)) * 30) / 7;
    const social10 = (10 / 0.04) * 10;
    expect(Number(r.budget)).toBeCloseTo(search + social10, 2);
  });
});

describe('planner inputs from daily history', () => {
  test('weekly points, conversion, stage rates and run rate', () => {
    // Four whole weeks (Mon 2026-03-02 .. Sun 2026-03-29) with spend 100 a day and 20 sessions, 1 lead a day.
    const days = Array.from({ length: 28 }, (_, i) => ({ day: isoDay(dayNumber('2026-03-02') + i), spend: 100, sessions: 20, leads: 1 }));
    const h: PlannerHistory = { channel: 'paid_search', from: '2026-03-01', to: '2026-03-29', days, cohort: { leads: 28, qualified: 14, sales: 7, revenue: '70000.00', from: '2026-03-01', to: '2026-03-29' } };
    const c = buildPlannerChannel(h);
    expect(c.curve).toEqual({ curve: 'constant', unit: 'sessions', a: null, b: null, costPerUnit: 5, weeks: 4 });
    expect(c.conversion).toBe(0.05);
    expect([c.qualifiedRate, c.winRate, c.avgDeal]).toEqual([0.5, 0.25, 10000]);
    expect(c.leadsPerDay).toBe(28 / 29);
  });
});

describe('saving a scenario as the plan', () => {
  test('one row for the business and one per channel', () => {
    const w = computeWhatIf([social], '2026-04', [{ channel: 'paid_social', budget: '3000' }]);
    expect(planRowsOfScenario(w)).toEqual([
      { month: '2026-04', channel: '', region: '', manager: '', leads: 12, max_cpl: '250.00', budget: '3000.00', sales: 1, revenue: '24000.00' },
      { month: '2026-04', channel: 'paid_social', region: '', manager: '', leads: 12, max_cpl: '250.00', budget: '3000.00', sales: 1, revenue: '24000.00' },
    ]);
  });
});
