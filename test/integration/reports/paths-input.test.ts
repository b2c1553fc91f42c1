import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { importMarchJourneys } from '../../support/march-journeys';
import type { Workspace } from '../../../db/schema';
import { getLeadPathRows } from '../../../db/queries/attribution';
import { getPathsInput } from '../../../db/queries/paths';
import { groupLeadPaths, type PathsInput } from '../../../app/reports/paths-report';

// The paths query groups leads in SQL (touch arrays, time-to-lead buckets over
// lead_facts.first_touch_days); grouping the per-lead rows of the same leads
// (read from leads and lead_touches) in TypeScript must give the same input.

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await importMarchJourneys(t.db, ws);
});
afterAll(async () => t.drop());

const sorted = (input: PathsInput) => ({
  ...input,
  paths: [...input.paths].map((p) => ({ ...p, channels: [...p.channels] })).sort((a, b) => (a.channels.join('|') < b.channels.join('|') ? -1 : 1)),
});

test.each([
  ['March, no filter', { from: '2026-03-01', to: '2026-03-31' }, {}],
  ['March, one manager', { from: '2026-03-01', to: '2026-03-31' }, { manager: ['Olena'] }],
  ['one week', { from: '2026-03-03', to: '2026-03-09' }, {}],
])('%s: SQL grouping = grouping the lead rows', async (_name, range, filters) => {
  const sql = await getPathsInput(t.db, ws, { ...range, filters });
  const rows = await getLeadPathRows(t.db, ws, range, filters);
  expect(rows.length).toBeGreaterThan(0);
  expect(sorted(sql)).toEqual(sorted(groupLeadPaths(rows)));
  // Known touches of L1, L2, L6 fall in the 1-2, 2-3 and 3-7 day buckets (test/integration/reports/paths.test.ts).
  if (_name === 'March, no filter') expect(sql.timeToLead).toEqual([0, 1, 1, 1, 0, 0, 0, 0, 0]);
});
