import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';
import type { Workspace } from '../../../db/schema';
import { reportParamsSchema } from '../../../app/reports/params';
import { pathsReport } from '../../../db/reports/paths';

// The hand-made journeys of test/integration/reports/attribution.test.ts
// (workspace zone Europe/Kyiv, +02:00 in March; lookback 90 days). Range: March 2026.
//   L1  v1: paid_search (03-01 10:00), direct (03-03)      Olena  won 1000.00   lead 03-05 10:00
//   L2  v2: direct (03-02 10:00), direct (03-04 10:00)     Ivan   lost          lead 03-04 12:00
//   L3  manual, explicit expo/offline: one explicit touch   Ivan
//   L4  manual, no source: one direct touch                 Ivan
//   L5  form, no visitor: one direct touch                  Olena  junk
//   L6  v6: organic (03-06 10:00), direct (03-07 10:02), its billboard call (10:00, always last)
//                                                           Olena  won 500.00    lead 03-07 10:05
//   L7  call to a pool number, no session: one direct touch Olena
//   L8  v8: only session 100 days before (lookback 90): one direct touch  Ivan  won 300.00
//   L9  v9: no sessions: one direct touch                   Ivan
//   L12 created in April (outside the range)

let t: TestDatabase;
let ws: Workspace;

const MARCH = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31' });

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  const results = [
    await importText(t.db, ws, 'tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31',
      '+380441110002,pool,,,,,',
    )),
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc,brand',
      's2,v1,2026-03-03T10:00:00+02:00,,,',
      's3,v2,2026-03-02T10:00:00+02:00,,,',
      's4,v2,2026-03-04T10:00:00+02:00,,,',
      's6a,v6,2026-03-06T10:00:00+02:00,google,organic,',
      's6b,v6,2026-03-07T10:02:00+02:00,,,',
      's8,v8,2025-11-30T10:00:00+02:00,facebook,paid_social,retarget',
      's10a,v10,2026-03-02T09:00:00+02:00,newsletter,email,march',
      's10b,v10,2026-03-03T09:00:00+02:00,newsletter,email,march',
      's10c,v10,2026-03-04T09:00:00+02:00,google,cpc,brand',
      's11,v11,2026-03-05T09:00:00+02:00,,,',
      's12,v12,2026-03-20T09:00:00+02:00,gdn,display,banners',
      's13,v13,2026-02-20T09:00:00+02:00,google,cpc,brand',
    )),
    await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c1,2026-03-07T10:00:00+02:00,+380501234561,+380441110001,answered',
      'c7,2026-03-08T11:00:00+02:00,+380501234567,+380441110002,answered',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,call_id,source,medium,campaign,manager,stage,outcome,amount,closed_at',
      'L1,2026-03-05T10:00:00+02:00,form,v1,,,,,Olena,won,won,1000.00,2026-03-20T10:00:00+02:00',
      'L2,2026-03-04T12:00:00+02:00,form,v2,,,,,Ivan,contacted,lost,,2026-03-10T10:00:00+02:00',
      'L3,2026-03-06T12:00:00+02:00,manual,,,expo,offline,expo_2026,Ivan,new,open,,',
      'L4,2026-03-06T13:00:00+02:00,manual,,,,,,Ivan,new,open,,',
      'L5,2026-03-06T14:00:00+02:00,form,,,,,,Olena,new,junk,,2026-03-07T10:00:00+02:00',
      'L6,2026-03-07T10:05:00+02:00,call,v6,c1,,,,Olena,won,won,500.00,2026-03-25T10:00:00+02:00',
      'L7,2026-03-08T11:02:00+02:00,call,,c7,,,,Olena,new,open,,',
      'L8,2026-03-10T10:00:00+02:00,form,v8,,,,,Ivan,won,won,300.00,2026-03-28T10:00:00+02:00',
      'L9,2026-03-11T10:00:00+02:00,form,v9,,,,,Ivan,new,open,,',
      'L12,2026-04-02T10:00:00+03:00,form,v12,,,,,Ivan,new,open,,',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
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
