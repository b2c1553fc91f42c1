import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import { importMarchJourneys } from '../support/march-journeys';
import type { Workspace } from '../../db/schema';
import { ensureMarkovCredits, primaryPosition } from '../../db/analytics/markov-credits';
import { getConvertingPathRows, getLeadPathRows, getNonConvertingPathRows } from '../../db/queries/attribution';
import { computeMarkovAttribution } from '../../app/reports/attribution/markov';
import { computeMarkovTouchCredits } from '../../app/reports/markov-touch-credits';

// ensureMarkovCredits stores Markov credits per touch path
// (markov_path_credits) and one 'markov' row per touch in lead_credit_facts
// pointing at the lead's path. Read through the path, those rows must be what
// db/analytics/rollups.ts would derive from per-lead credits (its
// insertLeadCreditFacts definitions, written out here in SQL) with the credits
// computeMarkovTouchCredits gives each lead, after the first write and after
// an import that moves every removal effect.

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
  await importMarchJourneys(t.db, ws);
});
afterAll(async () => t.drop());

async function storedFacts() {
  return (await sql`
    select c.lead_id, c.position, round(m.credits[c.position]::numeric, 12) as credit, c.channel, c.source, c.medium, c.campaign,
           c.content, c.region, c.manager, c.product, c.temperature, c.created_day, c.qualified_day, c.won_day, c.is_junk, c.is_won,
           round(c.revenue * m.credits[c.position]::numeric, 6) as revenue, c.position = m.primary_position as is_primary
      from lead_credit_facts c
      join markov_path_credits m on m.workspace_id = c.workspace_id and m.path_id = c.markov_path_id
     where c.workspace_id = ${ws.id} and c.model = 'markov' order by c.lead_id, c.position`.execute(t.db)).rows;
}

/** Every lead's credits from the chain over the whole history, as computeMarkovTouchCredits gives them. */
async function leadCredits(): Promise<{ lead_id: string; position: number; credit: number }[]> {
  const paths = [
    ...(await getConvertingPathRows(t.db, ws, null)).map((p) => ({ path: p.path, conversions: p.leads, value: 0, nulls: 0 })),
    ...(await getNonConvertingPathRows(t.db, ws, null)).map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
  ];
  const effects = new Map(computeMarkovAttribution(paths).channels.map((c) => [c.channel, c.removalEffect]));
  return (await getLeadPathRows(t.db, ws, null)).flatMap((lead) =>
    computeMarkovTouchCredits(lead.channels, effects).map((credit, i) => ({ lead_id: lead.leadId, position: i + 1, credit })));
}

async function expectedFacts() {
  return (await sql`
    select c.lead_id, c.position, round(c.credit::numeric, 12) as credit, t.channel, t.source, t.medium, t.campaign, t.content,
           f.region, f.manager, f.product, f.temperature, f.created_day, (f.qualified_at at time zone ${ws.time_zone})::date as qualified_day,
           case when f.outcome = 'won' then (coalesce(f.closed_at, f.created_at) at time zone ${ws.time_zone})::date end as won_day,
           f.outcome = 'junk' as is_junk, f.outcome = 'won' as is_won,
           round(case when f.outcome = 'won' then coalesce(f.amount, 0) * c.credit::numeric end, 6) as revenue,
           row_number() over (partition by c.lead_id order by c.channel_credit desc, c.position desc) = 1 as is_primary
      from (select c.*, t.channel, round((sum(c.credit) over (partition by c.lead_id, t.channel))::numeric, 9) as channel_credit
              from jsonb_to_recordset(${JSON.stringify(await leadCredits())}::jsonb) as c(lead_id text, position int, credit float8)
              join lead_touches t on t.workspace_id = ${ws.id} and t.lead_id = c.lead_id and t.position = c.position) c
      join lead_touches t on t.workspace_id = ${ws.id} and t.lead_id = c.lead_id and t.position = c.position
      join lead_facts f on f.workspace_id = ${ws.id} and f.lead_id = c.lead_id
     order by c.lead_id, c.position`.execute(t.db)).rows;
}

test('markov facts rows, read through their path, equal the rule-based facts definitions over each lead\'s markov credits', async () => {
  expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: true });
  const expected = await expectedFacts();
  // L1..L9 and L12 (L1: 2 touches, L2: 2, L6: 3, the rest 1) = 14 rows at least.
  expect(expected.length).toBeGreaterThanOrEqual(14);
  expect(await storedFacts()).toEqual(expected);

  // A new visitor with an email → paid_search journey and no lead changes the chain (every removal effect moves).
  const versions = async (table: string, where = 'true') =>
    (await sql.raw(`select xmin::text as v from ${table} where workspace_id = ${ws.id} and ${where} order by 1`).execute(t.db)).rows;
  const leadRowsBefore = await versions('lead_credit_facts', `model = 'markov'`);
  const pathRowsBefore = await versions('markov_path_credits');
  expect((await importText(t.db, ws, 'sessions', csv(
    'session_id,visitor_id,started_at,source,medium,campaign',
    'n1,vn,2026-03-10T10:00:00+02:00,newsletter,email,march',
    'n2,vn,2026-03-11T10:00:00+02:00,google,cpc,brand',
  ))).status).toBe('succeeded');
  expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: true });
  expect(await storedFacts()).toEqual(await expectedFacts());
  // Only path rows were rewritten (the multi-channel ones), never a lead's row.
  expect(await versions('lead_credit_facts', `model = 'markov'`)).toEqual(leadRowsBefore);
  expect(await versions('markov_path_credits')).not.toEqual(pathRowsBefore);
});

test('an import that leaves the chain as it was rewrites nothing; one that re-stitches a lead refills its rows', async () => {
  const rowCount = async () => (await sql<{ n: number }>`
    select count(*)::int as n from lead_credit_facts where workspace_id = ${ws.id} and model = 'markov'`.execute(t.db)).rows[0]!.n;
  expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: false });
  const before = await storedFacts();
  // Spend moves no journey: the removal effects stay, every row stays.
  expect((await importText(t.db, ws, 'spend', csv('date,source,medium,campaign,cost,impressions,clicks', '2026-03-03,google,cpc,brand,10.00,100,5'))).status).toBe('succeeded');
  expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: true, rows: 0 });
  expect(await storedFacts()).toEqual(before);
  // L2's stage history is re-read: its rows are deleted with its other credits and written again.
  expect((await importText(t.db, ws, 'lead_stages', csv('lead_id,stage,entered_at', 'L2,contacted,2026-03-05T10:00:00+02:00'))).status).toBe('succeeded');
  const result = await ensureMarkovCredits(t.db, ws);
  expect(result.recomputed).toBe(true);
  expect(await rowCount()).toBe(before.length);
  expect(await storedFacts()).toEqual(await expectedFacts());
});

test('a lead with a long path (3000 touches, past a btree entry\'s size limit) gets its rows', async () => {
  // 3000 quarter-hourly sessions of v20 from 2026-02-01 (ending 2026-03-03, inside the 90-day lookback), sources
  // picked by a small LCG; then lead L20 from v20, won.
  const sources = ['google,cpc,brand', 'newsletter,email,march', 'google,organic,', 'facebook,paid_social,retarget', 'gdn,display,banners'];
  let x = 7;
  const sessions = Array.from({ length: 3000 }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return `lp${i},v20,${new Date(Date.UTC(2026, 1, 1) + i * 900_000).toISOString()},${sources[x % sources.length]}`;
  });
  expect((await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium,campaign', ...sessions))).status).toBe('succeeded');
  expect((await importText(t.db, ws, 'leads', csv(
    'lead_id,created_at,kind,visitor_id,call_id,source,medium,campaign,manager,stage,outcome,amount,closed_at',
    'L20,2026-03-09T10:00:00+02:00,form,v20,,,,,Ivan,won,won,750.00,2026-03-12T10:00:00+02:00',
  ))).status).toBe('succeeded');
  expect(await ensureMarkovCredits(t.db, ws)).toMatchObject({ recomputed: true });
  const facts = (await storedFacts()) as { lead_id: string }[];
  expect(facts.filter((r) => r.lead_id === 'L20')).toHaveLength(3000);
  expect(facts).toEqual(await expectedFacts());
});

test('primary position: largest channel total, ties to the later touch', () => {
  // a 0.3 + 0.3 = 0.6 beats b 0.4: a's latest touch (3).
  expect(primaryPosition(['a', 'b', 'a'], [0.3, 0.4, 0.3])).toBe(3);
  // b 0.5 = a 0.5 (tie): the later touch wins (2).
  expect(primaryPosition(['a', 'b'], [0.5, 0.5])).toBe(2);
  expect(primaryPosition(['a', 'b', 'c'], [0.7, 0.2, 0.1])).toBe(1);
});
