import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { importMarchJourneys } from '../../support/march-journeys';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema } from '../../../app/reports/params';
import { pathsReport } from '../../../db/reports/paths';

// The hand-made journeys of test/support/march-journeys.ts. Range: March 2026.

let t: TestDatabase;
let ws: Workspace;

const MARCH = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31' });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await importMarchJourneys(t.db, ws);
});
afterAll(async () => t.drop());

describe('paths report, March', () => {
  test('top paths: repeats collapsed, most leads first, then revenue', async () => {
    const out = await pathsReport(t.db, ws, MARCH);
    expect(out.columns).toEqual(['path', 'leads', 'share', 'revenue', 'won']);
    // direct: L2 (direct > direct), L4, L5, L7, L8, L9 = 6 of 9 (0.6667), L8 won 300.00.
    // One lead each, by revenue: paid_search > direct 1000.00, organic > direct > offline 500.00, offline 0.
    expect(out.rows).toEqual([
      { path: 'direct', leads: 6, share: 0.6667, revenue: '300.00', won: 1 },
      { path: 'paid_search > direct', leads: 1, share: 0.1111, revenue: '1000.00', won: 1 },
      { path: 'organic_search > direct > offline', leads: 1, share: 0.1111, revenue: '500.00', won: 1 },
      { path: 'offline', leads: 1, share: 0.1111, revenue: '0.00', won: 0 },
    ]);
  });

  test('length, time to lead and assisted sections', async () => {
    const out = await pathsReport(t.db, ws, MARCH);
    const section = (title: string) => out.sections?.find((s) => s.title === title)?.rows ?? [];
    // Touches, repeats counted: 1 — L3, L4, L5, L7, L8, L9; 2 — L1, L2; 3 — L6.
    expect(section('length').slice(0, 4)).toEqual([
      { touches: '1', leads: 6, share: 0.6667 },
      { touches: '2', leads: 2, share: 0.2222 },
      { touches: '3', leads: 1, share: 0.1111 },
      { touches: '4', leads: 0, share: 0 },
    ]);
    // Only L1, L2, L6 have a session or call touch. L1: 03-01 10:00 → 03-05 10:00 = 4 days (3-7);
    // L2: 03-02 10:00 → 03-04 12:00 = 2.08 days (2-3); L6: 03-06 10:00 → 03-07 10:05 = 1.003 days (1-2).
    expect(section('time_to_lead').filter((b) => b.leads !== 0)).toEqual([
      { bucket: '1-2', leads: 1, share: 0.3333 },
      { bucket: '2-3', leads: 1, share: 0.3333 },
      { bucket: '3-7', leads: 1, share: 0.3333 },
    ]);
    expect(out.notes.some((n) => n.includes('6 leads without a session or call touch are left out'))).toBe(true);
    // direct closes L1, L2, L4, L5, L7, L8, L9 (7) and assists L6; offline closes L3 and L6;
    // paid_search assists L1; organic assists L6.
    expect(section('assisted')).toEqual([
      { channel: 'direct', last_touch_leads: 7, assisted_leads: 1, assist_ratio: 0.1429 },
      { channel: 'offline', last_touch_leads: 2, assisted_leads: 0, assist_ratio: 0 },
      { channel: 'organic_search', last_touch_leads: 0, assisted_leads: 1, assist_ratio: null },
      { channel: 'paid_search', last_touch_leads: 0, assisted_leads: 1, assist_ratio: null },
    ]);
  });

  test('lead filters apply; journey filters are ignored with a note', async () => {
    // Olena: L1, L5, L6, L7.
    const out = await pathsReport(t.db, ws, reportParamsSchema.parse({ ...MARCH, filters: { manager: ['Olena'], channel: 'email' } }));
    expect(out.rows.map((r) => [r.path, r.leads])).toEqual([
      ['direct', 2],
      ['paid_search > direct', 1],
      ['organic_search > direct > offline', 1],
    ]);
    expect(out.notes).toContain('filters that do not apply to this report were ignored: channel');
  });

  test('a range without leads', async () => {
    const out = await pathsReport(t.db, ws, reportParamsSchema.parse({ from: '2026-06-01', to: '2026-06-30' }));
    expect(out.rows).toEqual([]);
    expect(out.notes).toContain('no leads in this range');
  });
});
