import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import type { AppLoadContext } from '@remix-run/node';
import { rulesAction, settingsAction } from '../../../app/models/data.server';
import { uploadAction } from '../../../app/models/data-upload.server';
import { plansAction } from '../../../app/models/plans.server';
import type { Workspace } from '../../../db/schema';
import { authedRequest, signInAs, type SignedIn } from '../../support/auth';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';

// Hostile form posts to the actions behind the Plans, Settings, Rules and
// Upload forms (the route modules call these and nothing else): wrong types,
// missing and oversized fields, NUL. Each gets field errors (message keys the
// page shows next to the field) or a 4xx, and writes nothing.

let t: TestDatabase;
let ws: Workspace;
let owner: SignedIn;
const ctx = () => ({ db: t.db, cspNonce: 'n' }) as AppLoadContext;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'acme');
  expect((await importText(t.db, ws, 'leads', csv('lead_id,created_at,kind,stage,outcome', 'L1,2026-03-01T10:00:00Z,form,contacted,open'))).status).toBe('succeeded');
  expect((await importText(t.db, ws, 'plans', csv('month,channel,leads', '2026-03,,10'))).status).toBe('succeeded');
  owner = await signInAs(t.db, { workspaceId: ws.id, role: 'owner' });
});
afterAll(async () => t.drop());

/** Everything these forms could write: plans, stages, rules, the workspace row, data. */
async function snapshot() {
  const r = await sql<Record<string, unknown>>`
    select (select json_agg(p order by month, channel, region, manager) from plans p where workspace_id = ${ws.id}) as plans,
           (select json_agg(s order by position) from pipeline_stages s where workspace_id = ${ws.id}) as stages,
           (select json_agg(c order by position) from channel_rules c where workspace_id = ${ws.id}) as rules,
           (select row_to_json(w) from workspaces w where id = ${ws.id}) as workspace,
           (select json_agg(l.stage order by lead_id) from leads l where workspace_id = ${ws.id}) as lead_stages,
           (select count(*)::int from import_jobs where workspace_id = ${ws.id}) as imports`.execute(t.db);
  return r.rows[0];
}

function form(fields: [string, string | Blob, string?][]): FormData {
  const f = new FormData();
  for (const [k, v, name] of fields) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, v, name);
  }
  return f;
}

const post = (path: string, body: FormData | string, headers: Record<string, string> = {}) =>
  authedRequest(`http://localhost/w/acme/${path}`, owner.cookie, { method: 'POST', body, headers });

async function unchanged<T>(run: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const out = await run();
  expect(await snapshot()).toEqual(before);
  return out;
}

describe('plans form', () => {
  const save = (fields: Record<string, string>) => unchanged(() => plansAction(ctx(), 'acme', post('plans', form(Object.entries(fields)))));
  const good = { intent: 'save', month: '2026-04', kind: 'business', value: '', leads: '10', max_cpl: '', budget: '', sales: '', revenue: '' };

  test.each([
    ['an empty form', {}, { month: 'plans.error.month', kind: 'plans.error.kind', value: 'plans.error.valueRequired' }],
    ['no target at all', { ...good, leads: '' }, { leads: 'plans.error.noTarget' }],
    ['a word for a count', { ...good, leads: 'ten' }, { leads: 'plans.error.number' }],
    ['a fraction for a count', { ...good, leads: '1.5' }, { leads: 'plans.error.whole' }],
    ['a negative count', { ...good, sales: '-1' }, { sales: 'plans.error.negative' }],
    ['Infinity for a count', { ...good, leads: 'Infinity' }, { leads: 'plans.error.number' }],
    ['a huge count', { ...good, leads: '1e12' }, { leads: 'plans.error.tooBig' }],
    ['NaN for money', { ...good, budget: 'NaN' }, { budget: 'plans.error.money' }],
    ['an exponent for money', { ...good, budget: '1e6' }, { budget: 'plans.error.money' }],
    ['negative money', { ...good, max_cpl: '-5' }, { max_cpl: 'plans.error.money' }],
    ['money past 13 digits', { ...good, revenue: '1'.repeat(14) }, { revenue: 'plans.error.money' }],
    ['month 13', { ...good, month: '2026-13' }, { month: 'plans.error.month' }],
    ['a SQL fragment for a month', { ...good, month: "2026-04'; drop table plans;--" }, { month: 'plans.error.month' }],
    ['an unknown slice kind', { ...good, kind: 'planet' }, { kind: 'plans.error.kind', value: 'plans.error.valueRequired' }],
    ['a slice without a value', { ...good, kind: 'region' }, { value: 'plans.error.valueRequired' }],
    ['an oversized slice value', { ...good, kind: 'region', value: 'r'.repeat(201) }, { value: 'plans.error.tooLong' }],
  ])('%s: field errors, nothing saved', async (_name, fields, errors) => {
    const r = await save(fields);
    expect(r).toMatchObject({ intent: 'save', ok: false, errors });
    if (r.intent === 'save' && !r.ok) expect(Object.keys(r.errors).sort()).toEqual(Object.keys(errors).sort());
  });

  test('a slice value holding NUL is a field error on value, not a database error', async () => {
    const r = await save({ ...good, kind: 'region', value: 'Kyiv\u0000' });
    expect(r.intent === 'save' && !r.ok && Object.keys(r.errors)).toEqual(['value']);
  });

  test('a month in year 0 is refused (it was saved as 1900-01: JavaScript dates read years 0–99 as 1900–1999)', async () => {
    const r = await unchanged(() => plansAction(ctx(), 'acme', post('plans', form(Object.entries({ ...good, month: '0000-01' })))).catch((e: unknown) => e));
    if (r instanceof Response) expect(r.status).toBe(400);
    else expect(r).toMatchObject({ intent: 'save', ok: false, errors: { month: 'plans.error.month' } });
  });

  test('deleting with a hostile key is a 400 or deletes nothing', async () => {
    const r = await unchanged(() => plansAction(ctx(), 'acme', post('plans', form([['intent', 'delete'], ['month', '2026-03'], ['key', "business' or '1'='1"]]))));
    expect(r).toEqual({ intent: 'delete', ok: true });
    const bad = await unchanged(() => plansAction(ctx(), 'acme', post('plans', form([['intent', 'delete'], ['month', 'x'], ['key', 'k'.repeat(221)]]))).catch((e: unknown) => e));
    expect(bad instanceof Response && bad.status).toBe(400);
  });
});

describe('settings: pipeline stages and workspace', () => {
  const stages = (names: string[], originals: string[]) =>
    unchanged(() => settingsAction(ctx(), 'acme', post('data/settings', form([['intent', 'stages'], ...names.map((n): [string, string] => ['stage', n]), ...originals.map((o): [string, string] => ['original', o])]))));
  const DEFAULT = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won'];

  test.each([
    ['an oversized name', [...DEFAULT.slice(0, 5), 'w'.repeat(61)], DEFAULT, { 'stages.5': 'data.settings.error.stageTooLong' }],
    ['a name twice', [...DEFAULT.slice(0, 5), 'New'], DEFAULT, { 'stages.0': 'data.settings.error.stageTwice', 'stages.5': 'data.settings.error.stageTwice' }],
    ['31 stages', [...DEFAULT, ...Array.from({ length: 25 }, (_, i) => `s${i}`)], DEFAULT, { stages: 'data.settings.error.tooManyStages' }],
    ['no stages', [], [], { stages: 'data.settings.error.fixedQualified' }],
    ['an original that does not exist', [...DEFAULT.slice(0, 5), 'won'], [...DEFAULT.slice(0, 5), "won'; drop table leads;--"], { 'stages.5': 'data.settings.error.stageUnknown' }],
  ])('%s: field errors, nothing saved', async (_name, names, originals, errors) => {
    const r = await stages(names, originals);
    expect(r).toMatchObject({ intent: 'stages', ok: false, errors });
  });

  test('a name holding NUL is a field error on that row, not a database error', async () => {
    const r = await stages([...DEFAULT.slice(0, 5), 'won\u0000'], DEFAULT);
    expect(r.intent === 'stages' && !r.ok && Object.keys(r.errors)).toEqual(['stages.5']);
  });

  test.each([
    ['an unknown time zone', 'Mars/Olympus_Mons', 'UAH', ['timeZone']],
    ['a SQL fragment for a zone', "Europe/Kyiv'; drop table workspaces;--", 'UAH', ['timeZone']],
    ['an unknown currency', 'Europe/Kyiv', 'XYZ1', ['currency']],
    ['both missing', '', '', ['currency', 'timeZone']],
  ])('workspace: %s', async (_name, timeZone, currency, fields) => {
    const r = await unchanged(() => settingsAction(ctx(), 'acme', post('data/settings', form([['intent', 'workspace'], ['timeZone', timeZone], ['currency', currency]]))));
    expect(r.intent === 'workspace' && !r.ok && Object.keys(r.errors).sort()).toEqual(fields);
  });

  test('an unknown intent is a 400', async () => {
    const e = await unchanged(() => settingsAction(ctx(), 'acme', post('data/settings', form([['intent', '__proto__']]))).catch((x: unknown) => x));
    expect(e instanceof Response && e.status).toBe(400);
  });
});

describe('channel rules', () => {
  const rules = (rows: Record<string, string>[], intent = 'apply') =>
    unchanged(() => rulesAction(ctx(), 'acme', post('data/rules', form([['intent', intent], ...rows.flatMap((r) => Object.entries(r))]))));

  test.each([
    ['no rules', [], { rules: 'data.rules.error.none' }],
    ['101 rules', Array.from({ length: 101 }, () => ({ channel: 'other', sourceIn: '', sourceNotIn: '', mediumIn: '' })), { rules: 'data.rules.error.tooMany' }],
    ['a channel with markup', [{ channel: '<script>alert(1)</script>', sourceIn: '', sourceNotIn: '', mediumIn: '' }], { 'rules.0.channel': 'data.rules.error.channelChars' }],
    ['a channel with SQL', [{ channel: "x'); drop table leads;--", sourceIn: '', sourceNotIn: '', mediumIn: '' }], { 'rules.0.channel': 'data.rules.error.channelChars' }],
    ['an oversized channel', [{ channel: 'c'.repeat(41), sourceIn: '', sourceNotIn: '', mediumIn: '' }], { 'rules.0.channel': 'data.rules.error.channelTooLong' }],
    ['an oversized list', [{ channel: 'other', sourceIn: 'a,'.repeat(1001), sourceNotIn: '', mediumIn: '' }], { 'rules.0.sourceIn': 'data.rules.error.tooLong' }],
    ['an oversized value', [{ channel: 'other', sourceIn: '', sourceNotIn: '', mediumIn: 'm'.repeat(201) }], { 'rules.0.mediumIn': 'data.rules.error.tooLong' }],
  ])('%s: field errors, nothing saved', async (_name, rows, errors) => {
    const r = await rules(rows);
    expect(r).toMatchObject({ ok: false, errors });
  });

  test('NUL in a list value is dropped (no imported value can hold it), not a database error', async () => {
    const r = await rules([{ channel: 'paid_search', sourceIn: 'google\u0000, bing', sourceNotIn: '', mediumIn: 'cpc' }, { channel: 'other', sourceIn: '', sourceNotIn: '', mediumIn: '' }], 'preview');
    expect(r).toMatchObject({ intent: 'preview', ok: true, rules: [{ channel: 'paid_search', sourceIn: 'google, bing', sourceNotIn: '', mediumIn: 'cpc' }, { channel: 'other', sourceIn: '', sourceNotIn: '', mediumIn: '' }] });
  });
});

describe('upload form', () => {
  const upload = (body: FormData | string, headers: Record<string, string> = {}) =>
    unchanged(() => uploadAction(ctx(), 'acme', post('data/upload', body, { accept: 'application/json', ...headers })));

  test('no file part: 400 noFile', async () => {
    const r = await upload(form([['kind', 'spend']]));
    expect([r.status, await r.json()]).toEqual([400, { error: 'noFile' }]);
  });

  test('an empty file: 400 noFile', async () => {
    const r = await upload(form([['kind', 'spend'], ['file', new Blob([]), 'empty.csv']]));
    expect([r.status, await r.json()]).toEqual([400, { error: 'noFile' }]);
  });

  test('not a multipart body: 400 badForm', async () => {
    const r = await upload('kind=spend&file=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([r.status, await r.json()]).toEqual([400, { error: 'badForm' }]);
  });

  test('a declared length past the limit: 413 tooLarge, before reading the body', async () => {
    const r = await upload(form([['kind', 'spend'], ['file', new Blob(['date\n']), 'x.csv']]), { 'content-length': String(3 * 1024 ** 3) });
    expect([r.status, await r.json()]).toEqual([413, { error: 'tooLarge' }]);
  });

  test('an oversized text field: 400 badForm', async () => {
    const r = await upload(form([['kind', 'k'.repeat(10_000)], ['file', new Blob(['date\n']), 'x.csv']]));
    expect([r.status, await r.json()]).toEqual([400, { error: 'badForm' }]);
  });

  test('without JavaScript the same errors come back as a redirect to the page', async () => {
    const r = await unchanged(() => uploadAction(ctx(), 'acme', post('data/upload?back=__proto__', form([['kind', 'spend']]))));
    expect([r.status, r.headers.get('location')]).toEqual([302, '/w/acme/data?uploadError=noFile']);
  });
});
