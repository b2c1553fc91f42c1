import { Analytics } from '@segment/analytics-node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiToken, revokeApiToken } from '../../../app/auth/api-tokens.server';
import { reportParamsSchema } from '../../../app/reports/params';
import { REPORTS } from '../../../db/reports/index';
import type { Workspace } from '../../../db/schema';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { startApiServer, type ApiServer } from './api-server';

// /api/v1 over real HTTP with the real @segment/analytics-node client, on a
// real PostgreSQL: what a site's server-side tracking does, then the reports.

let t: TestDatabase;
let api: ApiServer;
let acme: Workspace;
let other: Workspace;
const tokens = { ingest: '', read: '', revoked: '', other: '', ingestId: 0 };

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await makeWorkspace(t.db, 'acme');
  other = await makeWorkspace(t.db, 'other');
  const ingest = await createApiToken(t.db, { workspaceId: acme.id, name: 'website', scope: 'ingest' });
  tokens.ingest = ingest.token;
  tokens.ingestId = ingest.id;
  tokens.read = (await createApiToken(t.db, { workspaceId: acme.id, name: 'dashboards', scope: 'read' })).token;
  const revoked = await createApiToken(t.db, { workspaceId: acme.id, name: 'old', scope: 'ingest' });
  await revokeApiToken(t.db, acme.id, revoked.id);
  tokens.revoked = revoked.token;
  tokens.other = (await createApiToken(t.db, { workspaceId: other.id, name: 'other site', scope: 'ingest' })).token;
  api = await startApiServer(t.db);
});
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

async function counts(ws: Workspace = acme) {
  const n = async (table: 'api_events' | 'sessions' | 'leads' | 'lead_stages' | 'calls' | 'import_jobs' | 'daily_traffic') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where workspace_id = ${ws.id}`.execute(t.db)).rows[0]!.n);
  const version = await t.db.selectFrom('workspaces').select('data_version').where('id', '=', ws.id).executeTakeFirstOrThrow();
  return {
    events: await n('api_events'),
    sessions: await n('sessions'),
    leads: await n('leads'),
    stages: await n('lead_stages'),
    calls: await n('calls'),
    jobs: await n('import_jobs'),
    dataVersion: Number(version.data_version),
  };
}

/** An answer's JSON: the result fields, or `error` on a refusal. */
type ApiBody = Record<string, unknown> & { error: { code: string; message: string; field?: string; details: { field: string }[] } };

async function post(path: string, body: unknown, token: string | null = tokens.ingest, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as ApiBody };
}

async function report(name: string, params: Record<string, unknown>) {
  const out = await REPORTS[name]!(t.db, acme, reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', ...params }));
  return out.rows;
}

const page = (messageId: string, visitor: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
  type: 'page', messageId, anonymousId: visitor, timestamp, ...extra,
});

describe('the Segment client', () => {
  const sentBodies: { body: string; auth: string }[] = [];

  test('delivers pages, an identify and a Lead Created that show in the channel and path reports', async () => {
    const analytics = new Analytics({ writeKey: tokens.ingest, host: api.url, path: '/api/v1/batch', flushAt: 20, flushInterval: 60_000, maxRetries: 0 });
    const failures: string[] = [];
    analytics.on('error', (e) => failures.push(String((e as { reason?: unknown }).reason ?? e.code)));
    analytics.on('http_request', (r) => sentBodies.push({ body: r.body, auth: r.headers.Authorization ?? '' }));
    const at = (iso: string) => new Date(iso);
    // v1: Google Ads landing, an internal page 10 min later (same session), a Facebook ad 2 h later, then the form.
    analytics.page({ anonymousId: 'v1', name: 'Windows', timestamp: at('2026-03-02T09:00:00Z'), properties: { url: 'https://shop.example/windows?utm_source=Google&utm_medium=cpc&utm_campaign=brand' } });
    analytics.page({ anonymousId: 'v1', timestamp: at('2026-03-02T09:10:00Z'), properties: { url: 'https://shop.example/windows/oak', referrer: 'https://shop.example/windows' } });
    analytics.page({ anonymousId: 'v1', timestamp: at('2026-03-02T11:00:00Z'), properties: { url: 'https://shop.example/' }, context: { campaign: { source: 'facebook', medium: 'paid_social', name: 'spring' } } });
    analytics.track({ anonymousId: 'v1', event: 'Lead Created', timestamp: at('2026-03-02T11:05:00Z'), properties: { lead_id: 'L-100', email: 'Ann@Example.com', amount: '25000.00' } });
    // v2: from Google search (referrer only), a second page 20 min later; identifies with an email and phone.
    analytics.page({ anonymousId: 'v2', timestamp: at('2026-03-02T10:00:00Z'), properties: { url: 'https://shop.example/', referrer: 'https://www.google.com/' } });
    analytics.page({ anonymousId: 'v2', timestamp: at('2026-03-02T10:20:00Z'), properties: { url: 'https://shop.example/doors', referrer: 'https://shop.example/' } });
    analytics.identify({ anonymousId: 'v2', timestamp: at('2026-03-02T10:21:00Z'), traits: { email: 'Bob@Example.com', phone: '+380 67 123 45 67' } });
    await analytics.closeAndFlush();
    expect(failures).toEqual([]);
    expect(sentBodies).toHaveLength(1);
    expect(sentBodies[0]!.auth).toMatch(/^Basic /);

    // 7 events; sessions: v1 google/cpc (2 pages), v1 facebook/paid_social (1), v2 google/organic (2).
    expect(await counts()).toMatchObject({ events: 7, sessions: 3, leads: 1 });
    const sessions = await t.db.selectFrom('sessions').select(['visitor_id', 'source', 'medium', 'campaign', 'channel', 'pageviews', 'landing_page'])
      .where('workspace_id', '=', acme.id).orderBy('started_at').execute();
    expect(sessions).toEqual([
      { visitor_id: 'v1', source: 'google', medium: 'cpc', campaign: 'brand', channel: 'paid_search', pageviews: 2, landing_page: 'https://shop.example/windows?utm_source=Google&utm_medium=cpc&utm_campaign=brand' },
      { visitor_id: 'v2', source: 'google', medium: 'organic', campaign: '', channel: 'organic_search', pageviews: 2, landing_page: 'https://shop.example/' },
      { visitor_id: 'v1', source: 'facebook', medium: 'paid_social', campaign: 'spring', channel: 'paid_social', pageviews: 1, landing_page: 'https://shop.example/' },
    ]);
    const lead = await t.db.selectFrom('leads').selectAll().where('workspace_id', '=', acme.id).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ lead_id: 'L-100', visitor_id: 'v1', email: 'ann@example.com', stage: 'new', outcome: 'open', amount: '25000.00', kind: 'form' });
    expect(lead.created_at.toISOString()).toBe('2026-03-02T11:05:00.000Z');
    const jobs = await t.db.selectFrom('import_jobs').select(['kind', 'actor', 'status', 'rows_inserted']).where('workspace_id', '=', acme.id).orderBy('id').execute();
    expect(jobs).toEqual([
      { kind: 'sessions', actor: `api:${tokens.ingestId}`, status: 'succeeded', rows_inserted: 3 },
      { kind: 'leads', actor: `api:${tokens.ingestId}`, status: 'succeeded', rows_inserted: 1 },
    ]);

    // Channels (last non-direct): one session each; the lead's last non-direct touch is the Facebook session.
    const channels = await report('channels', { by: 'channel' });
    const byChannel = Object.fromEntries(channels.map((r) => [r.channel, { sessions: r.sessions, leads: r.leads }]));
    expect(byChannel).toEqual({
      organic_search: { sessions: 1, leads: 0 },
      paid_search: { sessions: 1, leads: 0 },
      paid_social: { sessions: 1, leads: 1 },
    });
    // Paths: the lead's journey is Google Ads then Facebook.
    const paths = await report('paths', {});
    expect(paths.filter((r) => Number(r.leads) > 0).map((r) => [r.path, r.leads])).toEqual([['paid_search > paid_social', 1]]);
  });

  test('replaying the same batch changes nothing: row counts and data_version stay', async () => {
    const before = await counts();
    const res = await fetch(`${api.url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: sentBodies[0]!.auth },
      body: sentBodies[0]!.body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, duplicates: 7, sessions: { written: 0, removed: 0 }, leads: 0 });
    expect(await counts()).toEqual(before);
  });
});

test('out-of-order delivery gives the sessions of in-order delivery (a late event merges two sessions)', async () => {
  const src = { properties: { url: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand' } };
  // Pages 25 min apart: one session; without the middle one, two. Kyiv is UTC+2: the first page is on
  // 2026-03-05 (23:40 local), the last on 2026-03-06 (00:30 local).
  const e = (v: string, n: number, ts: string) => page(`${v}-e${n}`, v, ts, src);
  const t1 = '2026-03-05T21:40:00Z', t2 = '2026-03-05T22:05:00Z', t3 = '2026-03-05T22:30:00Z';
  const first = await post('/api/v1/batch', { batch: [e('v3', 3, t3), e('v3', 1, t1)] });
  expect(first.json).toMatchObject({ accepted: 2, sessions: { written: 2, removed: 0 } });
  const late = await post('/api/v1/page', e('v3', 2, t2));
  expect(late.json).toMatchObject({ accepted: 1, sessions: { written: 1, removed: 1 } });
  await post('/api/v1/batch', { batch: [e('v4', 1, t1), e('v4', 2, t2), e('v4', 3, t3)] });

  const rows = await t.db.selectFrom('sessions').select(['visitor_id', 'started_at', 'pageviews', 'source', 'medium', 'campaign'])
    .where('workspace_id', '=', acme.id).where('visitor_id', 'in', ['v3', 'v4']).orderBy('visitor_id').execute();
  const shape = (v: string) => rows.filter((r) => r.visitor_id === v).map((r) => ({ ...r, visitor_id: undefined, started_at: r.started_at.toISOString() }));
  expect(shape('v3')).toEqual([{ visitor_id: undefined, started_at: t1.replace('Z', '.000Z'), pageviews: 3, source: 'google', medium: 'cpc', campaign: 'brand' }]);
  expect(shape('v3')).toEqual(shape('v4'));
  // The merged-away session (v3's, started 00:30 local on the 6th) left the daily rollup too:
  // the 5th has v3's and v4's sessions, 1 + 1 = 2; the 6th has none.
  const traffic = await sql<{ day: string; n: string }>`
    select day::text, sum(sessions) as n from daily_traffic where workspace_id = ${acme.id} and day in ('2026-03-05', '2026-03-06') group by day`.execute(t.db);
  expect(traffic.rows.map((r) => [r.day, Number(r.n)])).toEqual([['2026-03-05', 2]]);
});

test('analytics.js from a browser: text/plain, the writeKey in the body, Segment’s short paths', async () => {
  const send = (path: string, body: unknown) =>
    fetch(`${api.url}/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()] as const);
  const ev = (id: string) => ({ ...page(id, 'v5', '2026-03-07T10:00:00Z'), writeKey: tokens.ingest });
  // One page per request to /p, a batch to /b with the key on each event.
  expect(await send('p', ev('ajs-1'))).toEqual([200, expect.objectContaining({ accepted: 1 })]);
  expect(await send('b', { batch: [ev('ajs-2'), ev('ajs-3')], sentAt: '2026-03-07T10:00:01Z' })).toEqual([200, expect.objectContaining({ accepted: 2 })]);
  // Keys that differ within a batch, or none, authenticate nothing.
  expect((await send('b', { batch: [ev('ajs-4'), { ...ev('ajs-5'), writeKey: tokens.other }] }))[0]).toBe(401);
  expect((await send('batch', { batch: [page('ajs-6', 'v5', '2026-03-07T10:00:00Z')] }))[0]).toBe(401);
  expect((await send('x', {}))[0]).toBe(404);
  // The key the events carried is not kept with them.
  const stored = await sql<{ n: string }>`select count(*) as n from api_events where payload::text like ${`%${tokens.ingest.slice(10)}%`}`.execute(t.db);
  expect(Number(stored.rows[0]!.n)).toBe(0);
  expect(await t.db.selectFrom('api_events').select('message_id').where('visitor_id', '=', 'v5').orderBy('message_id').execute()).toEqual([{ message_id: 'ajs-1' }, { message_id: 'ajs-2' }, { message_id: 'ajs-3' }]);
});

describe('tokens', () => {
  test('missing, malformed, unknown and revoked tokens get 401; a read token gets 403 on ingest', async () => {
    const before = await counts();
    const body = { batch: [page('tok-1', 'v9', '2026-03-06T10:00:00Z')] };
    for (const token of [null, 'nonsense', `lp_ingest_${'A'.repeat(43)}`, tokens.revoked]) {
      const res = await post('/api/v1/batch', body, token);
      expect([res.status, res.json.error.code]).toEqual([401, 'unauthorized']);
    }
    const basicWrong = await post('/api/v1/batch', body, null, { authorization: `Basic ${Buffer.from('lp_ingest_nope:').toString('base64')}` });
    expect(basicWrong.status).toBe(401);
    const read = await post('/api/v1/batch', body, tokens.read);
    expect([read.status, read.json.error.code]).toEqual([403, 'forbidden']);
    expect(await counts()).toEqual(before);
  });

  test("another workspace's token writes only to its own workspace", async () => {
    const before = await counts();
    const res = await post('/api/v1/batch', { batch: [page('oth-1', 'v1', '2026-03-06T10:00:00Z', { properties: { url: 'https://x.example/?utm_source=google&utm_medium=cpc' } })] }, tokens.other);
    expect(res.json).toMatchObject({ accepted: 1 });
    expect(await counts()).toEqual(before);
    expect(await counts(other)).toMatchObject({ events: 1, sessions: 1 });
    // Updating acme's lead L-100 with the other workspace's token finds no such lead there: nothing changes in acme.
    const crm = await post('/api/v1/leads', { lead_id: 'L-100', outcome: 'junk' }, tokens.other);
    expect([crm.status, crm.json.error.field]).toEqual([400, 'created_at']);
    expect((await t.db.selectFrom('leads').select('outcome').where('workspace_id', '=', acme.id).where('lead_id', '=', 'L-100').executeTakeFirstOrThrow()).outcome).toBe('open');
  });

  test('last_used_at is set on use', async () => {
    const row = await t.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', tokens.ingestId).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBeInstanceOf(Date);
  });
});

describe('limits and bad input', () => {
  test('a body past 500 KB gets 413 (declared or streamed) and writes nothing', async () => {
    const before = await counts();
    const big = JSON.stringify({ batch: [page('big-1', 'v9', '2026-03-06T10:00:00Z', { properties: { pad: 'x'.repeat(520 * 1024) } })] });
    const declared = await post('/api/v1/batch', big);
    expect([declared.status, declared.json.error.code]).toEqual([413, 'payload_too_large']);
    // Chunked, with no Content-Length: refused while reading.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await fetch(`${api.url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.ingest}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  test('an event past 32 KB gets 413 naming it', async () => {
    const res = await post('/api/v1/batch', { batch: [page('ok-1', 'v9', '2026-03-06T10:00:00Z'), page('big-2', 'v9', '2026-03-06T10:01:00Z', { properties: { pad: 'x'.repeat(33 * 1024) } })] });
    expect([res.status, res.json.error.code, res.json.error.field]).toEqual([413, 'event_too_large', 'batch[1]']);
  });

  test('an invalid payload names the field and writes nothing (schema, and the import path’s own checks)', async () => {
    const before = await counts();
    const bad = await post('/api/v1/batch', {
      batch: [
        page('inv-1', 'v9', '2026-03-06T10:00:00Z', { properties: { url: 'https://shop.example/?utm_source=bing&utm_medium=cpc' } }),
        { type: 'track', event: 'Lead Created', messageId: 'inv-2', anonymousId: 'v9', timestamp: '2026-03-06T10:05:00Z', properties: { amount: 'a lot' } },
        { type: 'page', messageId: 'inv-3', timestamp: 'yesterday' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_payload', field: 'batch[1].properties.amount' });
    expect(bad.json.error.details.map((d) => d.field)).toEqual(['batch[1].properties.amount', 'batch[2].timestamp', 'batch[2].anonymousId']);
    // Valid JSON types, but a stage not in the pipeline: refused by the leads import, after the page was staged; all rolled back.
    const stage = await post('/api/v1/batch', {
      batch: [
        page('inv-4', 'v9', '2026-03-06T10:00:00Z', { properties: { url: 'https://shop.example/?utm_source=bing&utm_medium=cpc' } }),
        { type: 'track', event: 'Lead Created', messageId: 'inv-5', anonymousId: 'v9', timestamp: '2026-03-06T10:05:00Z', properties: { lead_id: 'L-9', stage: 'dreaming' } },
      ],
    });
    expect(stage.status).toBe(400);
    expect(stage.json.error.field).toBe('batch[1].properties.stage');
    expect(stage.json.error.message).toContain('unknown stage "dreaming"');
    // What jsonb cannot hold is refused up front, not a 500 from PostgreSQL.
    const nul = await post('/api/v1/batch', { batch: [page('inv-6', 'v9', '2026-03-06T10:00:00Z', { properties: { note: 'a\u0000b' } })] });
    expect([nul.status, nul.json.error.field]).toEqual([400, 'batch[0]']);
    const surrogate = await post('/api/v1/batch', '{"batch":[{"type":"page","messageId":"inv-7","anonymousId":"v9","properties":{"x":"\\ud800"}}]}');
    expect([surrogate.status, surrogate.json.error.field]).toEqual([400, 'batch[0]']);
    expect(await counts()).toEqual(before);
  });

  test('405 for other methods, 415 for other content types, JSON 400 for broken JSON', async () => {
    const anonymousGet = await fetch(`${api.url}/api/v1/batch`);
    expect(anonymousGet.status).toBe(401);
    const get = await fetch(`${api.url}/api/v1/batch`, { headers: { authorization: `Bearer ${tokens.ingest}` } });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
    const del = await fetch(`${api.url}/api/v1/reports/channels`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.read}` } });
    expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET, OPTIONS']);
    const xml = await post('/api/v1/calls', '<call/>', tokens.ingest, { 'content-type': 'application/xml' });
    expect([xml.status, xml.json.error.code]).toEqual([415, 'unsupported_media_type']);
    const broken = await post('/api/v1/batch', '{"batch": [', tokens.ingest);
    expect([broken.status, broken.json.error.code]).toEqual([400, 'invalid_json']);
  });
});

describe('reports for read tokens', () => {
  const get = async (query: string, token = tokens.read) => {
    const res = await fetch(`${api.url}/api/v1/reports/${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as unknown };
  };

  test('the rows of `leadpath report --format json`, same parameters', async () => {
    const res = await get('channels?from=2026-03-01&to=2026-03-31&by=channel&channel=paid_social,paid_search');
    expect(res.status).toBe(200);
    const expected = await REPORTS.channels!(t.db, acme, reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', by: 'channel', filters: { channel: ['paid_social', 'paid_search'] } }));
    expect(res.json).toEqual(JSON.parse(JSON.stringify(expected.rows.map((r) => Object.fromEntries(expected.columns.map((c) => [c, r[c] ?? null]))))));
    expect((res.json as { channel: string }[]).map((r) => r.channel).sort()).toEqual(['paid_search', 'paid_social']);
  });

  test('an ingest token gets 403; bad parameters 400 naming them; unknown reports 404', async () => {
    expect((await get('channels?from=2026-03-01&to=2026-03-31', tokens.ingest)).status).toBe(403);
    const range = await get('channels?from=2026-03-31&to=2026-03-01');
    expect([range.status, (range.json as { error: { field: string } }).error.field]).toEqual([400, 'to']);
    const unknown = await get('channels?from=2026-03-01&to=2026-03-31&limit=5');
    expect([unknown.status, (unknown.json as { error: { field: string } }).error.field]).toEqual([400, 'limit']);
    expect((await get('secrets?from=2026-03-01&to=2026-03-31')).status).toBe(404);
    expect((await get('constructor?from=2026-03-01&to=2026-03-31')).status).toBe(404);
  });
});

describe('webhooks', () => {
  const call = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
    call_id: id, started_at: '2026-03-02T12:00:00+02:00', caller_phone: '+380 67 765 43 21', tracking_number: '+380441112233', duration_sec: 95, status, manager: 'Olena', ...extra,
  });

  test('calls: an array is stored once; a resend updates nothing; a bad item is named and nothing is written', async () => {
    const first = await post('/api/v1/calls', [call('C1', 'answered'), call('C2', 'missed', { duration_sec: 0 })]);
    expect(first.json).toMatchObject({ success: true, inserted: 2, updated: 0 });
    const afterFirst = await counts();
    const again = await post('/api/v1/calls', [call('C1', 'answered'), call('C2', 'missed', { duration_sec: 0 })]);
    expect(again.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    // Nothing changed: not even data_version (the import bumps it only when rows changed).
    expect(await counts()).toMatchObject({ calls: afterFirst.calls, dataVersion: afterFirst.dataVersion });
    const stored = await t.db.selectFrom('calls').select(['call_id', 'caller_phone', 'status']).where('workspace_id', '=', acme.id).orderBy('call_id').execute();
    expect(stored).toEqual([
      { call_id: 'C1', caller_phone: '+380677654321', status: 'answered' },
      { call_id: 'C2', caller_phone: '+380677654321', status: 'missed' },
    ]);
    const before = await counts();
    const badEnum = await post('/api/v1/calls', [call('C3', 'answered'), call('C4', 'busy')]);
    expect([badEnum.status, badEnum.json.error.field]).toEqual([400, '[1].status']);
    const badPhone = await post('/api/v1/calls', call('C5', 'answered', { caller_phone: 'call me' }));
    expect([badPhone.status, badPhone.json.error.field]).toEqual([400, 'caller_phone']);
    expect(await counts()).toEqual(before);
  });

  test('leads: create (visitor from identify), update with stage history and outcome, resend changes nothing', async () => {
    const created = await post('/api/v1/leads', { lead_id: 'L-200', created_at: '2026-03-03T10:00:00Z', kind: 'form', email: 'BOB@example.com' });
    expect(created.json).toMatchObject({ inserted: 1 });
    const update = {
      lead_id: 'L-200', outcome: 'won', amount: '1000.50', closed_at: '2026-03-10T12:00:00Z', manager: 'Olena',
      stages: [{ stage: 'contacted', entered_at: '2026-03-03T11:00:00Z' }, { stage: 'won', entered_at: '2026-03-10T12:00:00Z', manager: 'Olena' }],
    };
    const updated = await post('/api/v1/leads', update);
    expect(updated.json).toMatchObject({ inserted: 0, updated: 1, stages: { inserted: 2 } });
    const lead = await t.db.selectFrom('leads').selectAll().where('workspace_id', '=', acme.id).where('lead_id', '=', 'L-200').executeTakeFirstOrThrow();
    // visitor v2 identified with bob@example.com; the update kept created_at, kind and email.
    expect(lead).toMatchObject({ visitor_id: 'v2', email: 'bob@example.com', kind: 'form', stage: 'won', outcome: 'won', amount: '1000.50', manager: 'Olena' });
    expect(lead.created_at.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    const afterUpdate = await counts();
    const resend = await post('/api/v1/leads', update);
    expect(resend.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, stages: { inserted: 0, unchanged: 2 } });
    const afterResend = await counts();
    expect([afterResend.stages, afterResend.leads, afterResend.dataVersion]).toEqual([2, afterUpdate.leads, afterUpdate.dataVersion]);
    const missing = await post('/api/v1/leads', [{ lead_id: 'L-201', created_at: '2026-03-04T10:00:00Z' }, { lead_id: 'L-202' }]);
    expect([missing.status, missing.json.error.field]).toEqual([400, '[1].created_at']);
    expect(await t.db.selectFrom('leads').select('lead_id').where('workspace_id', '=', acme.id).where('lead_id', '=', 'L-201').executeTakeFirst()).toBeUndefined();
  });
});
