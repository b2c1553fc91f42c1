import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dayNumber, isoDay, periodsOf, type PeriodUnit } from '../../../app/reports/forecast/calendar';
import { computeForecast } from '../../../app/reports/forecast/forecast';
import { generateSeed } from '../../../seeds/generate';
import { readSeed } from '../seeds/read-seed';

// Do the 80% and 95% lead intervals hold about their share of held-out
// points? Measured on the demo generator itself (the whole business:
// sessions and leads per Kyiv day): seeds 1–4, a year of data each, ending
// in four different seasons; forecasts made at four cutoffs (17, 13, 9 and
// 5 weeks before the end) for the next 4 weeks (daily, weekly) or 13 weeks
// (monthly), scored on the periods that end inside the data.
//
// Measured: daily 80% → 0.824 of 448 points inside, 95% → 0.946; weekly
// 0.906 and 0.938 of 64; monthly 0.810 and 0.952 of 42. The bands allow for
// the sampling error of a few dozen correlated points.

const RUNS = [
  { seed: 1, end: '2026-06-28' },
  { seed: 2, end: '2026-09-27' },
  { seed: 3, end: '2026-12-27' },
  { seed: 4, end: '2027-03-28' },
];
const CUTOFF_WEEKS = [17, 13, 9, 5];

interface Series {
  days: { day: string; sessions: number; leads: number }[];
  from: string;
  end: string;
}
const series: Series[] = [];
let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'leadpath-forecast-coverage-'));
  for (const { seed, end } of RUNS) {
    const dir = join(base, String(seed));
    const summary = await generateSeed({ scale: 'demo', seed, outDir: dir, endDate: end });
    const files = readSeed(dir);
    const byDay = new Map<string, { day: string; sessions: number; leads: number }>();
    const at = (day: string) => {
      let d = byDay.get(day);
      if (!d) {
        d = { day, sessions: 0, leads: 0 };
        byDay.set(day, d);
      }
      return d;
    };
    // Timestamps carry Kyiv's offset, so their first ten characters are the Kyiv day.
    for (const s of files.sessions.rows) at(s.started_at!.slice(0, 10)).sessions++;
    for (const l of files.leads.rows) at(l.created_at!.slice(0, 10)).leads++;
    series.push({ days: [...byDay.values()], from: summary.startDate, end });
  }
}, 120_000);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

function coverage(unit: PeriodUnit, horizon: number) {
  let points = 0;
  let in80 = 0;
  let in95 = 0;
  for (const s of series) {
    for (const weeks of CUTOFF_WEEKS) {
      const to = dayNumber(s.end) - 7 * weeks;
      const history = s.days.filter((d) => dayNumber(d.day) <= to);
      const actual = new Map(s.days.map((d) => [d.day, d.leads]));
      const f = computeForecast(
        { slice: 'total', from: s.from, to: isoDay(to), days: history, cohort: { leads: 0, qualified: 0, sales: 0, revenue: '0', from: s.from, to: isoDay(to) } },
        { horizon, by: unit },
      );
      const periods = periodsOf(to + 1, to + horizon, unit);
      expect(f.rows).toHaveLength(periods.length);
      periods.forEach((p, i) => {
        if (p.to > dayNumber(s.end)) return;
        let leads = 0;
        for (let d = p.from; d <= p.to; d++) leads += actual.get(isoDay(d)) ?? 0;
        const row = f.rows[i]!;
        points++;
        if (leads >= row.leads_lower80 && leads <= row.leads_upper80) in80++;
        if (leads >= row.leads_lower95 && leads <= row.leads_upper95) in95++;
      });
    }
  }
  return { points, share80: in80 / points, share95: in95 / points };
}

describe('lead intervals on held-out demo data', () => {
  test.each([
    // unit, horizon, points, 80% band, 95% at least
    ['day', 28, 448, [0.75, 0.92], 0.9],
    ['week', 28, 64, [0.7, 0.95], 0.88],
    ['month', 91, 42, [0.68, 0.95], 0.88],
  ] as const)('%s: about 80%% and 95%% of held-out periods inside', (unit, horizon, points, band80, min95) => {
    const c = coverage(unit, horizon);
    expect(c.points).toBe(points);
    expect(c.share80).toBeGreaterThanOrEqual(band80[0]);
    expect(c.share80).toBeLessThanOrEqual(band80[1]);
    expect(c.share95).toBeGreaterThanOrEqual(min95);
    expect(c.share95).toBeLessThanOrEqual(1);
  });
});
