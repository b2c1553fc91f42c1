import { afterAll, beforeAll, expect, test } from 'vitest';
import { getFilterOptions } from '../../db/queries/filter-options';
import { getPlanRows } from '../../db/queries/overview';
import type { Workspace } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';

// The filter bar offers what the data holds: touch values from spend, traffic
// and lead touches (an explicit source no spend row has), lead values from
// leads; empty values are not offered; another workspace's values never show.

const SPEND = csv(
  'date,source,medium,campaign,region,cost',
  '2026-03-01,google,cpc,brand,Kyiv,100.00',
  '2026-03-02,facebook,paid_social,retarget,,50.00',
);
const SESSIONS = csv(
  'session_id,visitor_id,started_at,source,medium,campaign,region',
  's1,v1,2026-03-01T10:00:00+02:00,google,cpc,brand,Lviv',
  's2,v2,2026-03-02T10:00:00+02:00,,,,',
);
const LEADS = csv(
  'lead_id,created_at,kind,session_id,source,medium,campaign,region,manager,product,temperature,stage,outcome',
  'l1,2026-03-01T10:05:00+02:00,form,s1,,,,Odesa,Anna,windows,hot,new,open',
  'l2,2026-03-03T10:00:00+02:00,manual,,expo,offline,autumn_fair,,Bohdan,,,new,open',
);
const PLANS = csv(
  'month,channel,region,manager,leads,max_cpl,budget',
  '2026-02,,,,10,,',
  '2026-03,,,,20,400,1000',
  '2026-03,paid_search,,,5,300,500',
  '2026-04,,,,30,,',
);

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'options');
  for (const [kind, content] of [['sessions', SESSIONS], ['leads', LEADS], ['spend', SPEND], ['plans', PLANS]] as const) {
    expect((await importText(t.db, ws, kind, content)).status).toBe('succeeded');
  }
  // Another workspace whose values must not leak into the first one's options.
  const other = await makeWorkspace(t.db, 'other');
  await importText(t.db, other, 'spend', csv('date,source,medium,campaign,cost', '2026-03-01,yandex,cpc,secret,1.00'));
});
afterAll(async () => t.drop());

test('every filter offers the distinct values of this workspace, sorted', async () => {
  expect(await getFilterOptions(t.db, ws)).toEqual({
    channel: ['direct', 'offline', 'paid_search', 'paid_social'],
    source: ['expo', 'facebook', 'google'],
    medium: ['cpc', 'offline', 'paid_social'],
    campaign: ['autumn_fair', 'brand', 'retarget'],
    region: ['Kyiv', 'Lviv', 'Odesa'],
    manager: ['Anna', 'Bohdan'],
    product: ['windows'],
    temperature: ['hot'],
  });
});

test('plan rows of the months asked for, whole business and slices', async () => {
  const rows = await getPlanRows(t.db, ws.id, '2026-03-01', '2026-03-01');
  // numeric keeps the scale it was given in.
  expect(rows).toEqual([
    { month: '2026-03-01', channel: '', region: '', manager: '', leads: 20, max_cpl: '400', budget: '1000', sales: null, revenue: null },
    { month: '2026-03-01', channel: 'paid_search', region: '', manager: '', leads: 5, max_cpl: '300', budget: '500', sales: null, revenue: null },
  ]);
  expect((await getPlanRows(t.db, ws.id, '2026-02-01', '2026-04-01')).map((r) => r.month)).toEqual([
    '2026-02-01', '2026-03-01', '2026-03-01', '2026-04-01',
  ]);
});
