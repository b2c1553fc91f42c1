import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureMarkovCredits } from '../../db/analytics/markov-credits';
import { getLeadList, getLeadTimelineRows, type LeadListParams, type LeadScope } from '../../db/queries/leads';
import type { Workspace } from '../../db/schema';
import { computeLeadTimeline } from '../../app/reports/lead-timeline';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';

// The Leads page's queries on hand-made leads (Europe/Kyiv, +02:00 in March; lookback 90 days):
//   L1  v1: google/cpc 03-01 10:00 (touch 1), direct 03-03 10:00 (touch 2), a visit 03-06 after the lead;
//       a missed call from its phone 03-04; form 03-05 10:00; Olena; won 1000.00 on 03-20 10:00
//   L2  v2: google/organic 03-02 10:00; form 03-04 12:00; Ivan; lost 03-10
//   L3  manual, explicit expo/offline; 03-06 12:00; Ivan; open
//   L4  call c1 to the billboard number 03-07 10:00; lead 03-07 10:05; Olena; open
//   L5  created in April (outside the range)

let t: TestDatabase;
let ws: Workspace;

const OWNER: LeadScope = { allContacts: true, manager: null };
const NO_CONTACTS: LeadScope = { allContacts: false, manager: null };
const IVAN: LeadScope = { allContacts: false, manager: 'Ivan' };
const OLENA: LeadScope = { allContacts: false, manager: 'Olena' };

const MARCH: LeadListParams = {
  from: '2026-03-01',
  to: '2026-03-31',
  model: 'last_non_direct',
  filters: {},
  search: '',
  outcomes: [],
  stages: [],
  kinds: [],
  sort: 'created_at',
  dir: 'desc',
  page: 1,
  pageSize: 50,
};

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
      'session_id,visitor_id,started_at,source,medium,campaign,landing_page,device,pageviews',
      's1,v1,2026-03-01T10:00:00+02:00,google,cpc,brand,/windows?utm_source=google,desktop,3',
      's2,v1,2026-03-03T10:00:00+02:00,,,,/,mobile,1',
      's3,v1,2026-03-06T10:00:00+02:00,,,,/thanks,mobile,2',
      's4,v2,2026-03-02T10:00:00+02:00,google,organic,,/blog,desktop,4',
    )),
    await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status,duration_sec,manager',
      'c1,2026-03-07T10:00:00+02:00,+380501234561,+380441110001,answered,95,Olena',
      'c2,2026-03-04T09:00:00+02:00,+380501112233,+380441110002,missed,,',
    )),
    await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,visitor_id,call_id,phone,email,source,medium,campaign,manager,region,stage,outcome,amount,closed_at',
      'L1,2026-03-05T10:00:00+02:00,form,v1,,+380501112233,ann@example.com,,,,Olena,Kyiv,won,won,1000.00,2026-03-20T10:00:00+02:00',
      'L2,2026-03-04T12:00:00+02:00,form,v2,,+380671234567,,,,,Ivan,Lviv,contacted,lost,,2026-03-10T10:00:00+02:00',
      'L3,2026-03-06T12:00:00+02:00,manual,,,,bob@example.com,expo,offline,expo_2026,Ivan,Kyiv,new,open,,',
      'L4,2026-03-07T10:05:00+02:00,call,,c1,+380501234561,,,,,Olena,Kyiv,new,open,,',
      'L5,2026-04-02T10:00:00+03:00,form,,,,,,,,Ivan,Kyiv,new,open,,',
    )),
    await importText(t.db, ws, 'lead_stages', csv(
      'lead_id,stage,entered_at,manager',
      'L1,new,2026-03-05T10:00:00+02:00,',
      'L1,contacted,2026-03-05T11:00:00+02:00,Olena',
      'L1,qualified,2026-03-06T10:00:00+02:00,Olena',
      'L1,won,2026-03-20T10:00:00+02:00,Olena',
      'L2,new,2026-03-04T12:00:00+02:00,',
      'L2,contacted,2026-03-04T12:30:00+02:00,Ivan',
    )),
  ];
  for (const r of results) expect(r.status, JSON.stringify(r.errors)).toBe('succeeded');
});
afterAll(async () => t.drop());

const ids = (rows: { leadId: string }[]) => rows.map((r) => r.leadId);

describe('lead list', () => {
  test('the range, newest first, with each lead’s main channel and the totals of the whole list', async () => {
    const list = await getLeadList(t.db, ws, MARCH, OWNER);
    expect(ids(list.rows)).toEqual(['L4', 'L3', 'L1', 'L2']);
    expect(list.total).toBe(4);
    expect(list.byOutcome).toEqual({ open: 2, won: 1, lost: 1, junk: 0 });
    expect(list.wonRevenue).toBe('1000.00');
    // Last non-direct: L1's paid click beats its later direct visit; L3 its explicit source; L4 the billboard.
    expect(Object.fromEntries(list.rows.map((r) => [r.leadId, r.channel]))).toEqual({
      L1: 'paid_search',
      L2: 'organic_search',
      L3: 'offline',
      L4: 'offline',
    });
    const l1 = list.rows.find((r) => r.leadId === 'L1')!;
    expect(l1).toMatchObject({ path: 'paid_search > direct', touches: 2, amount: '1000.00', phone: '+380501112233', email: 'ann@example.com' });
  });

  test('pages: the totals stay, the rows move on, a page past the end is empty', async () => {
    const second = await getLeadList(t.db, ws, { ...MARCH, pageSize: 3, page: 2 }, OWNER);
    expect(ids(second.rows)).toEqual(['L2']);
    expect(second.total).toBe(4);
    const past = await getLeadList(t.db, ws, { ...MARCH, pageSize: 3, page: 3 }, OWNER);
    expect(past.rows).toEqual([]);
    expect(past.total).toBe(4);
  });

  test.each([
    ['amount', 'desc', ['L1', 'L4', 'L3', 'L2']], // empty amounts last, then by lead id in the same direction
    ['channel', 'asc', ['L3', 'L4', 'L2', 'L1']], // offline, offline, organic_search, paid_search; ties by lead id
    ['stage', 'asc', ['L3', 'L4', 'L2', 'L1']], // pipeline order: new (L3, L4), contacted (L2), won (L1)
    ['lead_id', 'asc', ['L1', 'L2', 'L3', 'L4']],
  ] as const)('sorted by %s %s', async (sort, dir, expected) => {
    const list = await getLeadList(t.db, ws, { ...MARCH, sort, dir }, OWNER);
    expect(ids(list.rows)).toEqual(expected);
  });

  test('filters: dashboard filters on the main touch and the lead, list filters on outcome, stage and kind', async () => {
    const get = async (p: Partial<LeadListParams>) => ids((await getLeadList(t.db, ws, { ...MARCH, ...p, sort: 'lead_id', dir: 'asc' }, OWNER)).rows);
    expect(await get({ filters: { channel: ['offline'] } })).toEqual(['L3', 'L4']);
    expect(await get({ filters: { channel: ['offline'], manager: ['Olena'] } })).toEqual(['L4']);
    expect(await get({ filters: { region: ['Lviv'] } })).toEqual(['L2']);
    expect(await get({ outcomes: ['won', 'lost'] })).toEqual(['L1', 'L2']);
    expect(await get({ stages: ['new'] })).toEqual(['L3', 'L4']);
    expect(await get({ kinds: ['manual', 'call'] })).toEqual(['L3', 'L4']);
    // First touch: L1 is paid search under every model that looks at the first touch.
    expect(await get({ model: 'first', filters: { channel: ['paid_search'] } })).toEqual(['L1']);
    expect(await get({ model: 'last', filters: { channel: ['direct'] } })).toEqual(['L1']);
  });

  test('search: ids, managers, campaigns; phones and emails only where the asker may see them', async () => {
    const search = async (q: string, scope = OWNER) => ids((await getLeadList(t.db, ws, { ...MARCH, search: q, sort: 'lead_id', dir: 'asc' }, scope)).rows);
    expect(await search('l3')).toEqual(['L3']);
    expect(await search('OLENA')).toEqual(['L1', 'L4']);
    expect(await search('expo_2026')).toEqual(['L3']);
    expect(await search('kyiv olena')).toEqual(['L1', 'L4']);
    expect(await search('050 111 22 33')).toEqual([]); // words must each match
    expect(await search('0501112233')).toEqual(['L1']);
    expect(await search('ann@example')).toEqual(['L1']);
    expect(await search('0501112233', NO_CONTACTS)).toEqual([]);
    expect(await search('ann@example', NO_CONTACTS)).toEqual([]);
    expect(await search('bob@', IVAN)).toEqual(['L3']);
    expect(await search('%')).toEqual([]); // no LIKE wildcards
  });

  test('a manager lists only their own leads, with their contacts; without the permission nobody’s contacts leave the database', async () => {
    const ivan = await getLeadList(t.db, ws, { ...MARCH, sort: 'lead_id', dir: 'asc' }, IVAN);
    expect(ids(ivan.rows)).toEqual(['L2', 'L3']);
    expect(ivan.total).toBe(2);
    expect(ivan.rows.map((r) => [r.phone, r.email])).toEqual([
      ['+380671234567', null],
      [null, 'bob@example.com'],
    ]);
    const hidden = await getLeadList(t.db, ws, MARCH, NO_CONTACTS);
    expect(hidden.total).toBe(4);
    expect(hidden.rows.every((r) => r.phone === null && r.email === null)).toBe(true);
  });
});

describe('one lead', () => {
  test('another manager’s lead, and an unknown one, are not found', async () => {
    expect(await getLeadTimelineRows(t.db, ws, 'L1', IVAN)).toBeNull();
    expect(await getLeadTimelineRows(t.db, ws, 'L404', OWNER)).toBeNull();
    const own = await getLeadTimelineRows(t.db, ws, 'L1', OLENA);
    expect(own?.lead).toMatchObject({ leadId: 'L1', phone: '+380501112233', contactsVisible: true });
    const hidden = await getLeadTimelineRows(t.db, ws, 'L1', NO_CONTACTS);
    expect(hidden?.lead).toMatchObject({ phone: null, email: null, contactsVisible: false });
    expect(hidden?.calls.map((c) => c.callerPhone)).toEqual([null]);
  });

  test('timeline: visits with channel and landing page, the call from its phone, stages with durations, the outcome', async () => {
    const raw = (await getLeadTimelineRows(t.db, ws, 'L1', OWNER))!;
    const timeline = computeLeadTimeline(raw, { now: new Date('2026-04-01T00:00:00Z') });
    const brief = timeline.events.map((e) => {
      switch (e.type) {
        case 'session':
          return `session ${e.sessionId} ${e.channel} ${e.landingPage} touch=${e.touchPosition} after=${e.isAfterLead}`;
        case 'call':
          return `call ${e.callId} ${e.status} touch=${e.touchPosition}`;
        case 'created':
          return `created ${e.kind}`;
        case 'stage':
          return `stage ${e.stage} ${e.durationMs === null ? '-' : e.durationMs / 3_600_000}h`;
        case 'closed':
          return `closed ${e.outcome} ${e.amount}`;
      }
    });
    expect(brief).toEqual([
      'session s1 paid_search /windows?utm_source=google touch=1 after=false',
      'session s2 direct / touch=2 after=false',
      'call c2 missed touch=null',
      'created form',
      'stage new 1h',
      'stage contacted 23h',
      'session s3 direct /thanks touch=null after=true',
      'stage qualified 336h',
      // Entered when the lead closed: no time in it.
      'stage won -h',
      'closed won 1000.00',
    ]);
    expect(timeline.outcome.cycleMs).toBe(15 * 86_400_000);
    expect(timeline.timeToLeadMs).toBe(4 * 86_400_000);
  });

  test('credits: every stored model per touch, Markov once computed, each summing to one lead', async () => {
    const before = computeLeadTimeline((await getLeadTimelineRows(t.db, ws, 'L1', OWNER))!, { now: new Date('2026-04-01T00:00:00Z') });
    expect(before.missingModels).toEqual(['markov']);
    await ensureMarkovCredits(t.db, ws);
    const { touchCredits, byChannel, models, modelTotals, missingModels } = computeLeadTimeline(
      (await getLeadTimelineRows(t.db, ws, 'L1', OWNER))!,
      { now: new Date('2026-04-01T00:00:00Z') },
    );
    expect(missingModels).toEqual([]);
    expect(models).toEqual(['first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position', 'markov']);
    // Time decay, half-life 7 days: touches 4 and 2 days before the lead weigh 2^(-4/7) and 2^(-2/7).
    const w1 = 2 ** (-4 / 7);
    const w2 = 2 ** (-2 / 7);
    const [first, second] = touchCredits;
    expect(touchCredits.map((r) => [r.position, r.channel, r.kind])).toEqual([
      [1, 'paid_search', 'session'],
      [2, 'direct', 'session'],
    ]);
    expect(first!.credits).toMatchObject({ first: 1, last: 0, last_non_direct: 1, linear: 0.5, position: 0.5 });
    expect(second!.credits).toMatchObject({ first: 0, last: 1, last_non_direct: 0, linear: 0.5, position: 0.5 });
    expect(first!.credits.time_decay).toBeCloseTo(w1 / (w1 + w2), 9);
    expect(first!.credits.markov! + second!.credits.markov!).toBeCloseTo(1, 9);
    for (const m of models) expect(modelTotals[m], m).toBeCloseTo(1, 9);
    expect(byChannel.map((c) => c.channel).sort()).toEqual(['direct', 'paid_search']);
  });

  test('a lead from a billboard call: the call is its touch; a manual lead keeps its own source', async () => {
    const l4 = computeLeadTimeline((await getLeadTimelineRows(t.db, ws, 'L4', OWNER))!, { now: new Date('2026-04-01T00:00:00Z') });
    const call = l4.events.find((e) => e.type === 'call');
    expect(call).toMatchObject({ callId: 'c1', touchPosition: 1, channel: 'offline', isLeadCall: true, durationSec: 95 });
    const l3 = computeLeadTimeline((await getLeadTimelineRows(t.db, ws, 'L3', OWNER))!, { now: new Date('2026-04-01T00:00:00Z') });
    expect(l3.touchCredits.map((r) => [r.kind, r.channel, r.campaign, r.credits.first])).toEqual([['explicit', 'offline', 'expo_2026', 1]]);
    expect(l3.events.map((e) => e.type)).toEqual(['created']);
  });
});
