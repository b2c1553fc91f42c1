import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppLoadContext } from '@remix-run/node';
import { getAttributionPage } from '../../../app/models/attribution.server';
import { getCallsPage } from '../../../app/models/calls.server';
import { getChannelsPage } from '../../../app/models/channels.server';
import { getCoveragePage, getImportsPage, getPresetsPage, getRulesPage, getSettingsPage, getConversionsFile, getRejectsCsv } from '../../../app/models/data.server';
import { getForecastPage } from '../../../app/models/forecast.server';
import { getFunnelPage } from '../../../app/models/funnel.server';
import { getLeadPage, getLeadsPage } from '../../../app/models/leads.server';
import { getManagersPage } from '../../../app/models/managers.server';
import { getOverviewPage } from '../../../app/models/overview.server';
import { getPlansPage } from '../../../app/models/plans.server';
import type { Workspace } from '../../../db/schema';
import { signInAs, type SignedIn } from '../../support/auth';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';

// Hostile query strings through the dashboard loaders (the route modules call
// these functions and nothing else): unknown keys, arrays for scalars, huge
// values, SQL fragments, NUL, invalid dates and ranges. Each page either
// shows with the bad parts ignored (checked on the state it echoes) or
// answers with a 4xx Response; never a 500, never a database error.

let t: TestDatabase;
let ws: Workspace;
let owner: SignedIn;
let manager: SignedIn;
const ctx = () => ({ db: t.db, cspNonce: 'n' }) as AppLoadContext;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'acme');
  const files: [Parameters<typeof importText>[2], string][] = [
    ['spend', csv('date,source,medium,campaign,cost', '2026-03-01,google,cpc,brand,100.00', '2026-03-02,facebook,paid_social,retarget,50.00')],
    ['sessions', csv('session_id,visitor_id,started_at,source,medium,campaign', 's1,v1,2026-03-01T10:00:00+02:00,google,cpc,brand', 's2,v2,2026-03-02T10:00:00+02:00,facebook,paid_social,retarget')],
    ['tracking_numbers', csv('number,kind', '+380441110002,pool')],
    ['calls', csv('call_id,started_at,caller_phone,tracking_number,status,manager', 'c1,2026-03-01T11:00:00+02:00,+380992305767,+380441110002,answered,Olena')],
    ['leads', csv('lead_id,created_at,kind,session_id,manager,stage,outcome,amount,closed_at', 'L1,2026-03-01T10:30:00+02:00,form,s1,Olena,won,won,1000,2026-03-05T10:00:00+02:00', 'L2,2026-03-02T10:30:00+02:00,form,s2,Ivan,new,open,,')],
  ];
  for (const [kind, text] of files) expect((await importText(t.db, ws, kind, text)).status, kind).toBe('succeeded');
  owner = await signInAs(t.db, { workspaceId: ws.id, role: 'owner' });
  manager = await signInAs(t.db, { workspaceId: ws.id, role: 'manager', managerName: 'Olena' });
});
afterAll(async () => t.drop());

type Loader = (context: AppLoadContext, slug: string, request: Request) => Promise<unknown>;
const PAGES: Record<string, [string, Loader]> = {
  overview: ['', getOverviewPage],
  channels: ['channels', getChannelsPage],
  funnel: ['funnel', getFunnelPage],
  attribution: ['attribution', getAttributionPage],
  calls: ['calls', getCallsPage],
  managers: ['managers', getManagersPage],
  leads: ['leads', getLeadsPage],
  forecast: ['forecast', getForecastPage],
  plans: ['plans', getPlansPage],
  imports: ['data', getImportsPage],
  coverage: ['data/coverage', getCoveragePage],
  settings: ['data/settings', getSettingsPage],
  rules: ['data/rules', getRulesPage],
  presets: ['data/presets', getPresetsPage],
  lead: ['leads/L1', (c, slug, r) => getLeadPage(c, slug, 'L1', r)],
  conversions: ['data/conversions.csv', getConversionsFile],
  rejects: ['data/imports/1/errors.csv', (c, slug, r) => getRejectsCsv(c, slug, r, '1')],
};

const big = 'x'.repeat(100_000);
const many = (key: string, n: number) => Array.from({ length: n }, (_, i) => `${key}=v${i}`).join('&');
const HOSTILE_QUERIES: [string, string][] = [
  ['unknown keys', 'utm=1&foo[bar]=2&__proto__[polluted]=1&constructor[prototype][x]=1&toString=1&hasOwnProperty=1'],
  ['arrays where scalars are expected', 'range=last_7&range=custom&from=2026-03-01&from=2026-01-01&to=2026-03-31&to=x&model=linear&model=markov&by=campaign&by=day&page=2&page=3&sort=amount&sort=x&month=2026-03&month=2026-04&horizon=30&horizon=60'],
  ['bracket keys', 'from[]=2026-03-01&to[$gt]=2026-01-01&channel[]=paid_search&channel[0]=direct'],
  ['prototype names as values', 'range=__proto__&by=constructor&model=toString&cohort=hasOwnProperty&compare=valueOf&sort=__proto__&dir=constructor&outcome=__proto__&slice=__proto__&target=constructor'],
  ['SQL fragments', `channel=${encodeURIComponent("paid_search'); drop table leads;--")}&campaign=${encodeURIComponent("x' or '1'='1")}&q=${encodeURIComponent("'; delete from leads; --")}&stage=${encodeURIComponent('new"; drop table lead_stages; --')}&sort=${encodeURIComponent('created_at; drop table leads')}&by=${encodeURIComponent('channel, (select 1)')}&manager=${encodeURIComponent("Olena' --")}`],
  ['LIKE wildcards and regex', `q=${encodeURIComponent('%_\\')}&campaign=${encodeURIComponent('.*')}&region=${encodeURIComponent('%')}`],
  ['NUL and control characters', 'campaign=a%00b&channel=%00&q=%00&stage=%00&manager=%00&region=%01%02%1B&source=%0D%0A&edit=%00&reason=%00&month=%00&from=%00&to=2026-03-01%00&budget.paid_search=%00&budget.%00=1'],
  ['invalid UTF-8 and lone surrogates', 'campaign=%FF%FE&q=%ED%A0%80&channel=%C0%AF&region=%E2%82'],
  ['huge values', `campaign=${big}&q=${big}&from=${big}&stage=${big}&edit=${big}&budget.${big}=1&month=${big}`],
  ['very many values', `${many('campaign', 2000)}&${many('channel', 2000)}&${many('stage', 2000)}&${many('outcome', 2000)}`],
  ['dates out of range', 'range=custom&from=0000-01-01&to=99999-12-31'],
  ['impossible dates', 'range=custom&from=2026-02-30&to=2026-13-01&month=2026-13'],
  ['reversed range', 'range=custom&from=2026-03-31&to=2026-03-01'],
  ['the widest range', 'range=custom&from=1970-01-01&to=2100-12-31&compare=last_year'],
  ['numbers that are not', 'page=-1&horizon=1e9&value=NaN&import=99999999999999999999&budget.paid_search=Infinity&sessions.direct=-5'],
  ['page far past the end', 'page=100000&horizon=-1&import=-1'],
  ['path traversal and URLs in values', `upload=${encodeURIComponent('../../../etc/passwd')}&uploadError=${encodeURIComponent('<script>')}&next=${encodeURIComponent('//evil.example')}&back=${encodeURIComponent('javascript:alert(1)')}`],
];

/**
 * 'ok' when the loader returned a page or a file, 'redirect' for a redirect
 * within the workspace (a manager sent from the Overview to their own page),
 * else the status of the Response it threw; anything else thrown fails.
 */
async function outcome(p: Promise<unknown>): Promise<number | 'ok' | 'redirect'> {
  let response: Response;
  try {
    const value = await p;
    if (!(value instanceof Response)) return 'ok';
    response = value;
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    response = error;
  }
  if (response.status < 300) return 'ok';
  if (response.status < 400) {
    expect(response.headers.get('location')).toMatch(/^\/w\/acme\/[a-z]/);
    return 'redirect';
  }
  return response.status;
}

describe.each(Object.entries(PAGES))('%s', (_name, [path, load]) => {
  test.each(HOSTILE_QUERIES)('%s: shown or a 4xx, never a 500', async (_label, query) => {
    for (const who of [owner, manager]) {
      const result = await outcome(load(ctx(), 'acme', new Request(`http://localhost/w/acme/${path}?${query}`, { headers: { cookie: who.cookie } })));
      if (result !== 'ok' && result !== 'redirect') {
        expect(result).toBeGreaterThanOrEqual(400);
        expect(result).toBeLessThan(500);
      }
    }
  });
});

describe('what the pages make of hostile queries (the state they echo back)', () => {
  const channels = async (query: string) => {
    const page = await getChannelsPage(ctx(), 'acme', new Request(`http://localhost/w/acme/channels?${query}`, { headers: { cookie: owner.cookie } }));
    return page;
  };

  test('unknown and prototype-named keys are ignored; the first of repeated scalars wins', async () => {
    const { filterBar } = await channels('toString=1&__proto__=x&constructor=y&range=custom&range=last_7&from=2026-03-01&from=2026-01-01&to=2026-03-31&model=linear&model=markov&by=campaign&by=day');
    expect(filterBar.state).toMatchObject({ range: 'custom', from: '2026-03-01', to: '2026-03-31', model: 'linear', by: 'campaign', filters: {} });
  });

  test('a SQL fragment is a filter value like any other: bound, matching nothing, dropping nothing', async () => {
    const fragment = "paid_search'); drop table leads;--";
    const page = await channels(`range=custom&from=2026-03-01&to=2026-03-31&campaign=${encodeURIComponent(fragment)}`);
    expect(page.filterBar.state.filters).toEqual({ campaign: [fragment] });
    expect(page.rows).toEqual([]);
    expect(await t.db.selectFrom('leads').select('lead_id').orderBy('lead_id').execute()).toEqual([{ lead_id: 'L1' }, { lead_id: 'L2' }]);
  });

  test('values holding NUL are dropped (they could match nothing); the rest of the filter stays', async () => {
    const page = await channels('range=custom&from=2026-03-01&to=2026-03-31&campaign=a%00b&campaign=brand&channel=%00');
    expect(page.filterBar.state.filters).toEqual({ campaign: ['brand'] });
    // The brand campaign: 100.00 of spend, one session, lead L1 (won, 1000).
    expect(page.rows.map((r) => [r.channel, r.spend, r.leads])).toEqual([['paid_search', '100.00', 1]]);
  });

  test('over-long values are dropped and at most 50 values per filter are kept', async () => {
    const page = await channels(`campaign=${'x'.repeat(201)}&campaign=brand&${many('region', 2000)}`);
    expect(page.filterBar.state.filters.campaign).toEqual(['brand']);
    expect(page.filterBar.state.filters.region).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
  });

  test.each([
    ['impossible dates fall back to the default range', 'range=custom&from=2026-02-30&to=2026-13-01', 'last_30'],
    ['years 0 and 99999 fall back to the default range', 'range=custom&from=0000-01-01&to=99999-12-31', 'last_30'],
    ['an unknown preset falls back to the default range', 'range=forever', 'last_30'],
  ])('%s', async (_name, query, range) => {
    const now = new Date();
    const { filterBar } = await channels(query);
    expect(filterBar.state.range).toBe(range);
    // last_30 ends on the workspace's today (Kyiv) and starts 29 days before.
    expect(filterBar.state.to).toBe(filterBar.state.today);
    expect(Date.parse(filterBar.state.to) - Date.parse(filterBar.state.from)).toBe(29 * 86_400_000);
    expect(Math.abs(Date.parse(filterBar.state.today) - Date.parse(now.toISOString().slice(0, 10)))).toBeLessThanOrEqual(86_400_000);
  });

  test('a reversed custom range is swapped; the widest range has no comparison period before 1970', async () => {
    expect((await channels('range=custom&from=2026-03-31&to=2026-03-01')).filterBar.state).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    const widest = await channels('range=custom&from=1970-01-01&to=2100-12-31&compare=last_year');
    expect([widest.filterBar.state.from, widest.filterBar.state.to, widest.filterBar.comparison]).toEqual(['1970-01-01', '2100-12-31', null]);
  });

  test('the leads list: a NUL search is no search, LIKE wildcards are literal, paging and sorting fall back', async () => {
    const leads = (query: string) => getLeadsPage(ctx(), 'acme', new Request(`http://localhost/w/acme/leads?range=custom&from=2026-03-01&to=2026-03-31&${query}`, { headers: { cookie: owner.cookie } }));
    const nul = await leads('q=%00&page=-1&sort=lead_id%3Bdrop&dir=sideways&outcome=won&outcome=maybe');
    expect(nul.list).toEqual({ q: '', outcome: [], stage: [], kind: [], sort: 'created_at', dir: 'desc', page: 1 });
    expect(nul.total).toBe(2);
    const wildcard = await leads(`q=${encodeURIComponent('%')}`);
    expect([wildcard.list.q, wildcard.total]).toEqual(['%', 0]);
  });

  test('a lead id that is hostile is a 404, not an error', async () => {
    for (const id of ["L1' or '1'='1", 'L1\u0000', '../L1', 'x'.repeat(201), '']) {
      const status = await outcome(getLeadPage(ctx(), 'acme', id, new Request('http://localhost/w/acme/leads/x', { headers: { cookie: owner.cookie } })));
      expect([id.slice(0, 12), status]).toEqual([id.slice(0, 12), 404]);
    }
  });
});
