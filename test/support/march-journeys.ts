import { expect } from 'vitest';
import type { Db } from '../../db/client';
import type { Workspace } from '../../db/schema';
import { csv, importText } from './import';

// Hand-made March journeys (a subset of those in test/integration/reports/attribution.test.ts),
// shared by the coverage and paths report tests
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

/** Imports the journeys above through the real import path. */
export async function importMarchJourneys(db: Db, ws: Workspace): Promise<void> {
  const results = [
    await importText(db, ws, 'tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31',
      '+380441110002,pool,,,,,',
    )),
    await importText(db, ws, 'sessions', csv(
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
    await importText(db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status',
      'c1,2026-03-07T10:00:00+02:00,+380501234561,+380441110001,answered',
      'c7,2026-03-08T11:00:00+02:00,+380501234567,+380441110002,answered',
    )),
    await importText(db, ws, 'leads', csv(
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
}
