import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';
import type { Workspace } from '../../db/schema';

let t: TestDatabase;
let ws: Workspace;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db);
});
afterAll(async () => t.drop());

const SPEND = csv(
  'date,source,medium,campaign,ad_group,ad,region,impressions,clicks,cost,currency',
  '2026-03-01,google,cpc,brand_kyiv,brand,ad1,Kyiv,1000,50,1234.56,UAH',
  '2026-03-01,Google,CPC,brand_kyiv,brand,ad2,Kyiv,800,20,100.10,',
  '2026-03-02,facebook,paid_social,fb_retargeting,,,,,,99.99,',
);

async function tableCounts() {
  const r = await sql<Record<string, number>>`
    select (select count(*) from spend)::int as spend, (select count(*) from sessions)::int as sessions,
           (select count(*) from leads)::int as leads, (select count(*) from calls)::int as calls,
           (select count(*) from lead_stages)::int as lead_stages, (select count(*) from plans)::int as plans,
           (select count(*) from tracking_numbers)::int as tracking_numbers, (select count(*) from visitors)::int as visitors`.execute(t.db);
  return r.rows[0];
}

describe('spend', () => {
  test('imports rows exactly, lower-cases UTM values and derives the channel', async () => {
    const r = await importText(t.db, ws, 'spend', SPEND);
    expect(r.status).toBe('succeeded');
    expect([r.rowsRead, r.inserted, r.updated, r.unchanged]).toEqual([3, 3, 0, 0]);
    const rows = await t.db.selectFrom('spend').selectAll().where('workspace_id', '=', ws.id).orderBy('ad').execute();
    expect(rows.map((x) => [x.date, x.source, x.medium, x.ad, x.cost, x.channel])).toEqual([
      ['2026-03-02', 'facebook', 'paid_social', '', '99.99', 'paid_social'],
      ['2026-03-01', 'google', 'cpc', 'ad1', '1234.56', 'paid_search'],
      ['2026-03-01', 'google', 'cpc', 'ad2', '100.10', 'paid_search'],
    ]);
    const total = await sql<{ total: string }>`select sum(cost)::text as total from spend where workspace_id = ${ws.id}`.execute(t.db);
    expect(total.rows[0]?.total).toBe('1434.65');
  });

  test('re-importing the same file changes nothing', async () => {
    const before = await t.db.selectFrom('spend').selectAll().orderBy('ad').execute();
    const r = await importText(t.db, ws, 'spend', SPEND);
    expect([r.status, r.inserted, r.updated, r.unchanged]).toEqual(['succeeded', 0, 0, 3]);
    const after = await t.db.selectFrom('spend').selectAll().orderBy('ad').execute();
    expect(after).toEqual(before);
  });

  test('a newer row with the same key updates the old one', async () => {
    const r = await importText(t.db, ws, 'spend', csv(
      'date,source,medium,campaign,ad_group,ad,region,cost',
      '2026-03-02,facebook,paid_social,fb_retargeting,,,,120.00',
    ));
    expect([r.inserted, r.updated]).toEqual([0, 1]);
    const row = await t.db.selectFrom('spend').select(['cost', 'import_id']).where('campaign', '=', 'fb_retargeting').executeTakeFirstOrThrow();
    expect(row).toEqual({ cost: '120.00', import_id: r.importId });
  });
});

describe('bad input changes nothing and names line, column, value and reason', () => {
  test.each([
    ['missing required column', 'spend', csv('date,source,medium,cost', '2026-03-01,google,cpc,10'), { line: 1, column: 'campaign', reason: /required column is missing/ }],
    ['bad date', 'spend', csv('date,source,medium,campaign,cost', '2026-02-30,google,cpc,x,10'), { line: 2, column: 'date', value: '2026-02-30', reason: /no such calendar date/ }],
    ['negative cost', 'spend', csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,x,1', '2026-03-01,google,cpc,y,-5'), { line: 3, column: 'cost', value: '-5', reason: /must be >= 0/ }],
    ['decimal comma', 'spend', csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,x,"12,50"'), { line: 2, column: 'cost', reason: /decimal comma/ }],
    ['foreign currency', 'spend', csv('date,source,medium,campaign,cost,currency', '2026-03-01,google,cpc,x,10,USD'), { line: 2, column: 'currency', reason: /differs from the workspace currency UAH/ }],
    ['unknown outcome', 'leads', csv('lead_id,created_at,kind,stage,outcome', 'L1,2026-03-01T10:00:00+02:00,form,new,maybe'), { line: 2, column: 'outcome', value: 'maybe', reason: /unknown value "maybe"/ }],
    ['unknown stage', 'leads', csv('lead_id,created_at,kind,stage,outcome', 'L1,2026-03-01T10:00:00+02:00,form,closing,open'), { line: 2, column: 'stage', reason: /unknown stage "closing"/ }],
    ['year out of range', 'sessions', csv('session_id,visitor_id,started_at', 's1,v1,2026-03-01T10:00:00Z', 's2,v1,1900-03-01T10:00:00Z'), { line: 3, column: 'started_at', reason: /out of range/ }],
    ['wrong cell count', 'sessions', csv('session_id,visitor_id,started_at', 's1,v1'), { line: 2, column: null, reason: /2 cells, the header has 3/ }],
    ['unparseable phone', 'calls', csv('call_id,started_at,caller_phone,tracking_number,status', 'c1,2026-03-01T10:00:00Z,12,+380441234567,answered'), { line: 2, column: 'caller_phone', value: '12', reason: /phone number/ }],
    ['unknown lead in stage history', 'lead_stages', csv('lead_id,stage,entered_at', 'NOPE,new,2026-03-01T10:00:00Z'), { line: 2, column: 'lead_id', value: 'NOPE', reason: /no lead with this lead_id/ }],
    ['unclosed quote', 'spend', csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,"x,10'), { column: null, reason: /CSV syntax error/ }],
  ] as const)('%s', async (_name, kind, content, expected) => {
    const before = await tableCounts();
    const r = await importText(t.db, ws, kind, content);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject({ file: `${kind}.csv`, ...expected });
    expect(await tableCounts()).toEqual(before);
  });

  test('duplicate ids with conflicting values are an error naming both lines', async () => {
    const r = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source',
      'dup1,v1,2026-03-01T10:00:00Z,google',
      'ok1,v1,2026-03-01T11:00:00Z,',
      'dup1,v1,2026-03-01T10:00:00Z,yandex',
    ));
    expect(r.status).toBe('failed');
    expect(r.errors).toEqual([{ file: 'sessions.csv', line: 4, column: 'session_id', value: 'session_id=dup1', reason: 'duplicate key with different values (first at line 2)' }]);
    expect(await t.db.selectFrom('sessions').select('session_id').execute()).toEqual([]);
  });

  test('identical duplicate rows are imported once with a warning', async () => {
    const r = await importText(t.db, ws, 'plans', csv('month,channel,leads', '2026-03,paid_search,100', '2026-03,paid_search,100'));
    expect([r.status, r.inserted]).toEqual(['succeeded', 1]);
    expect(r.warnings).toContain('1 row(s) repeat an earlier row with the same key and values; imported once');
  });

  test('invalid UTF-8 is reported at its line and column', async () => {
    const bytes = Buffer.concat([
      Buffer.from('session_id,visitor_id,started_at,campaign\ns1,v1,2026-03-01T10:00:00Z,ok\ns2,v1,2026-03-01T10:00:00Z,bad'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ]);
    const r = await importText(t.db, ws, 'sessions', bytes);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject({ line: 3, column: 'campaign', reason: /invalid UTF-8/ });
  });

  test('every error is kept and the job records the failure', async () => {
    const lines = ['date,source,medium,campaign,cost'];
    for (let i = 0; i < 150; i++) lines.push(`2026-03-01,google,cpc,c${i},-1`);
    const r = await importText(t.db, ws, 'spend', csv(...lines));
    expect([r.status, r.errorCount, r.errors.length]).toEqual(['failed', 150, 100]);
    const job = await t.db.selectFrom('import_jobs').selectAll().where('id', '=', r.importId).executeTakeFirstOrThrow();
    expect([job.status, job.rows_read, job.rows_inserted, job.error]).toEqual(['failed', 150, 0, '150 invalid row value(s); nothing was imported']);
    const stored = await t.db.selectFrom('rejected_rows').select(({ fn }) => fn.countAll<number>().as('n')).where('import_id', '=', r.importId).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(150);
  });
});

describe('values are stored verbatim and safely', () => {
  test('a formula string and HTML are data, stored as given', async () => {
    const r = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign',
      's-formula,v9,2026-03-05T12:00:00Z,google,cpc,"=HYPERLINK(""http://evil.example"",""x"")"',
      's-html,v9,2026-03-05T12:30:00Z,google,cpc,<script>alert(1)</script>',
    ));
    expect(r.status).toBe('succeeded');
    const rows = await t.db.selectFrom('sessions').select(['session_id', 'campaign']).where('visitor_id', '=', 'v9').orderBy('session_id').execute();
    expect(rows).toEqual([
      { session_id: 's-formula', campaign: '=HYPERLINK("http://evil.example","x")' },
      { session_id: 's-html', campaign: '<script>alert(1)</script>' },
    ]);
  });

  test('timestamps without offset are read in the workspace time zone', async () => {
    await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at',
      'tz-winter,v10,2026-01-15T09:00:00',
      'tz-summer,v10,2026-07-15 09:00',
      'tz-utc,v10,2026-07-15T09:00:00Z',
    ));
    const rows = await t.db.selectFrom('sessions').select(['session_id', 'started_at']).where('visitor_id', '=', 'v10').orderBy('session_id').execute();
    expect(rows.map((x) => [x.session_id, x.started_at.toISOString()])).toEqual([
      ['tz-summer', '2026-07-15T06:00:00.000Z'],
      ['tz-utc', '2026-07-15T09:00:00.000Z'],
      ['tz-winter', '2026-01-15T07:00:00.000Z'],
    ]);
  });
});

describe('--skip-invalid', () => {
  test('valid rows land, rejects are stored with their reasons', async () => {
    const r = await importText(t.db, ws, 'calls', csv(
      'call_id,started_at,caller_phone,tracking_number,status,duration_sec',
      'call-1,2026-03-01T10:00:00+02:00,+38 (099) 230-57-67,0441234567,answered,120',
      'call-2,2026-03-01T11:00:00+02:00,0992305767,0441234567,busy,0',
      'call-3,2026-03-01T12:00:00+02:00,380992305767,0441234567,missed,',
    ), { skipInvalid: true });
    expect([r.status, r.inserted, r.rejected]).toEqual(['succeeded', 2, 1]);
    const calls = await t.db.selectFrom('calls').select(['call_id', 'caller_phone', 'tracking_number']).orderBy('call_id').execute();
    expect(calls).toEqual([
      { call_id: 'call-1', caller_phone: '+380992305767', tracking_number: '+380441234567' },
      { call_id: 'call-3', caller_phone: '+380992305767', tracking_number: '+380441234567' },
    ]);
    const rejects = await t.db.selectFrom('rejected_rows').select(['line', 'column_name', 'value', 'reason']).where('import_id', '=', r.importId).execute();
    expect(rejects).toEqual([{ line: 3, column_name: 'status', value: 'busy', reason: 'unknown value "busy" (expected one of: answered, missed)' }]);
  });
});

describe('each kind with good data', () => {
  test('tracking numbers, leads, stage history and plans', async () => {
    expect((await importText(t.db, ws, 'tracking_numbers', csv(
      'number,kind,source,medium,campaign,valid_from,valid_to',
      '+380441110001,static,billboard_north,offline,north_2026,2026-01-01,2026-12-31',
      '+380441110002,pool,,,,,',
    ))).status).toBe('succeeded');
    const numbers = await t.db.selectFrom('tracking_numbers').select(['number', 'kind', 'channel', 'valid_from', 'valid_to']).orderBy('number').execute();
    expect(numbers).toEqual([
      { number: '+380441110001', kind: 'static', channel: 'offline', valid_from: '2026-01-01', valid_to: '2026-12-31' },
      { number: '+380441110002', kind: 'pool', channel: null, valid_from: '-infinity', valid_to: 'infinity' },
    ]);

    const leads = await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,phone,email,source,medium,campaign,manager,temperature,stage,outcome,loss_reason,amount,closed_at,customer_id',
      'L1,2026-03-01T10:00:00+02:00,form,0992305767,Ann@Example.COM,,,,Olena,hot,won,won,,45000.50,2026-03-20T10:00:00+02:00,C1',
      'L2,2026-03-02T10:00:00+02:00,manual,,,expo,offline,expo_2026,Ivan,cold,contacted,lost,price,,2026-03-10T10:00:00+02:00,',
    ));
    expect([leads.status, leads.inserted]).toEqual(['succeeded', 2]);
    const stored = await t.db.selectFrom('leads').select(['lead_id', 'phone', 'email', 'channel', 'amount', 'outcome']).orderBy('lead_id').execute();
    expect(stored).toEqual([
      { lead_id: 'L1', phone: '+380992305767', email: 'ann@example.com', channel: null, amount: '45000.50', outcome: 'won' },
      { lead_id: 'L2', phone: null, email: null, channel: 'offline', amount: null, outcome: 'lost' },
    ]);

    const stages = await importText(t.db, ws, 'lead_stages', csv(
      'lead_id,stage,entered_at,manager',
      'L1,new,2026-03-01T10:00:00+02:00,',
      'L1,Contacted,2026-03-01T10:10:00+02:00,Olena',
      'L1,won,2026-03-20T10:00:00+02:00,Olena',
    ));
    expect([stages.status, stages.inserted]).toEqual(['succeeded', 3]);
    expect((await t.db.selectFrom('lead_stages').select('stage').where('lead_id', '=', 'L1').orderBy('entered_at').execute()).map((s) => s.stage))
      .toEqual(['new', 'contacted', 'won']);

    const plans = await importText(t.db, ws, 'plans', csv(
      'month,channel,region,manager,leads,max_cpl,budget,sales,revenue',
      '2026-04,,,,400,600,240000,40,2000000',
      '2026-04,email,,,20,,,,',
    ));
    expect(plans.status).toBe('succeeded');
    const bad = await importText(t.db, ws, 'plans', csv('month,channel,leads', '2026-04,google,5'));
    expect(bad.errors[0]).toMatchObject({ column: 'channel', reason: /unknown channel "google"/ });
  });

  test('sessions fill visitors and the campaign registry, and keep click ids', async () => {
    const r = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign,landing_page,pageviews',
      'sv1,vis-a,2026-04-01T10:00:00+03:00,google,cpc,generic,https://shop.example/?utm_source=google&gclid=ABC123,3',
      'sv2,vis-a,2026-04-03T10:00:00+03:00,,,,/,1',
    ));
    expect(r.status).toBe('succeeded');
    const v = await t.db.selectFrom('visitors').selectAll().where('visitor_id', '=', 'vis-a').executeTakeFirstOrThrow();
    expect([v.first_seen_at.toISOString(), v.last_seen_at.toISOString()]).toEqual(['2026-04-01T07:00:00.000Z', '2026-04-03T07:00:00.000Z']);
    const s = await t.db.selectFrom('sessions').select(['channel', 'gclid']).where('session_id', 'in', ['sv1', 'sv2']).orderBy('session_id').execute();
    expect(s).toEqual([{ channel: 'paid_search', gclid: 'ABC123' }, { channel: 'direct', gclid: null }]);
    const c = await t.db.selectFrom('campaigns').selectAll().where('campaign', '=', 'generic').executeTakeFirstOrThrow();
    expect([c.channel, c.first_seen, c.last_seen]).toEqual(['paid_search', '2026-04-01', '2026-04-01']);
  });
});

test('workspaces are isolated: the same ids in another workspace are other rows', async () => {
  const other = await makeWorkspace(t.db, 'other');
  const r = await importText(t.db, other, 'spend', SPEND);
  expect(r.inserted).toBe(3);
  const perWs = await sql<{ workspace_id: number; n: number }>`select workspace_id, count(*)::int as n from spend group by 1 order by 1`.execute(t.db);
  expect(perWs.rows).toEqual([{ workspace_id: ws.id, n: 3 }, { workspace_id: other.id, n: 3 }]);
});
