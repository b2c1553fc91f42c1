import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeGoogleAdsUpload, computeMetricaUpload } from '../../app/reports/conversions';
import { ImportFormatError, runImport, type ImportResult } from '../../db/import/run-import';
import { getConversionCandidates, getConversionGoals, setConversionGoal } from '../../db/queries/conversions';
import { setStatusMapEntry } from '../../db/queries/presets';
import { createWorkspace } from '../../db/queries/workspaces';
import type { Workspace } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { csv, importText, makeWorkspace } from '../support/import';

// Every sample of test/fixtures/presets imported through the real import path
// into a workspace of its own, the stored rows checked against the values in
// the sample (worked out in the sample's README table), plus auto-detection,
// the message for an unknown file, encodings, and the offline conversion
// export of a hand-made lead with a gclid session.

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/presets');
const fixture = (name: string) => path.join(FIXTURES, name);

let t: TestDatabase;
let n = 0;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

const kyiv = () => makeWorkspace(t.db, `kyiv-${++n}`);
const moscow = () => makeWorkspace(t.db, `msk-${++n}`, { timeZone: 'Europe/Moscow', currency: 'RUB' });

async function importFile(ws: Workspace, file: string, opts: { kind?: Parameters<typeof runImport>[1]['kind']; preset?: string } = {}): Promise<ImportResult> {
  return runImport(t.db, { workspace: ws, kind: opts.kind ?? 'auto', file: fixture(file), preset: opts.preset ?? null, actor: 'test' });
}

async function spendOf(ws: Workspace) {
  const rows = await t.db
    .selectFrom('spend')
    .select(['date', 'source', 'medium', 'campaign', 'ad_group', 'ad', 'impressions', 'clicks', 'cost', 'channel'])
    .where('workspace_id', '=', ws.id)
    .orderBy('date').orderBy('campaign').orderBy('ad_group')
    .execute();
  return rows;
}

async function totalCost(ws: Workspace): Promise<string> {
  const r = await sql<{ total: string }>`select coalesce(sum(cost), 0)::text as total from spend where workspace_id = ${ws.id}`.execute(t.db);
  return r.rows[0]!.total;
}

describe('spend samples', () => {
  test('Google Ads: title rows and totals skipped, the preset recorded on the import', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'google-ads.csv');
    expect([r.status, r.kind, r.preset, r.rowsRead, r.inserted]).toEqual(['succeeded', 'spend', 'google-ads', 10, 7]);
    expect(r.format).toBe("Google Ads campaign / ad group report: preset google-ads, spend (recognised from the header); utf-8, ','-separated, header on line 3");
    expect(r.warnings).toEqual(['3 row(s) skipped by preset google-ads (totals, summaries, other events)']);
    const rows = await spendOf(ws);
    expect(rows.map((x) => [x.date, x.campaign, x.ad_group, x.impressions, x.clicks, x.cost, x.channel])).toEqual([
      ['2026-11-01', 'brand_kyiv', 'Brand – exact', 1204, 87, '1534.20', 'paid_search'],
      ['2026-11-01', 'windows_search', 'Metal-plastic windows', 3410, 152, '4210.75', 'paid_search'],
      ['2026-11-02', 'brand_kyiv', 'Brand – exact', 1118, 79, '1402.55', 'paid_search'],
      ['2026-11-02', 'windows_search', 'Metal-plastic windows', 3207, 140, '3980.10', 'paid_search'],
      ['2026-11-03', 'brand_kyiv', 'Brand – exact', 987, 70, '1230.00', 'paid_search'],
      ['2026-11-03', 'doors_display', 'Interior doors', 18420, 64, '612.35', 'paid_search'],
      ['2026-11-03', 'windows_search', 'Metal-plastic windows', 2956, 131, '3702.40', 'paid_search'],
    ]);
    // The "Total: Account" row of the export says 16,672.35.
    expect(await totalCost(ws)).toBe('16672.35');
    const job = await t.db.selectFrom('import_jobs').select(['kind', 'preset']).where('id', '=', r.importId).executeTakeFirstOrThrow();
    expect(job).toEqual({ kind: 'spend', preset: 'google-ads' });
  });

  test('Google Ads re-imported changes nothing', async () => {
    const ws = await kyiv();
    await importFile(ws, 'google-ads.csv');
    const again = await importFile(ws, 'google-ads.csv');
    expect([again.status, again.inserted, again.updated, again.unchanged]).toEqual(['succeeded', 0, 0, 7]);
  });

  test('Google Ads saved as UTF-16LE tab-separated ("CSV for Excel") reads the same', async () => {
    const ws = await kyiv();
    const text = readFileSync(fixture('google-ads.csv'), 'utf8')
      .split('\n')
      .map((l) => l.replace(/"([^"]*)"|,/g, (m, quoted: string | undefined) => (quoted !== undefined ? quoted : '\t')))
      .join('\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await runImport(t.db, { workspace: ws, kind: 'auto', file: { stream: Readable.from([bytes]), name: 'google-ads-excel.csv' }, actor: 'test' });
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'google-ads', 7]);
    expect(r.format).toMatch(/utf-16le, tab-separated, header on line 3/);
    expect(await totalCost(ws)).toBe('16672.35');
  });

  test('Google Ads in Ukrainian (UTF-8 with BOM, decimal commas, no-break spaces)', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'google-ads-uk.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'google-ads', 4]);
    expect((await spendOf(ws)).map((x) => [x.date, x.ad_group, x.impressions, x.cost])).toEqual([
      ['2026-11-01', 'Бренд', 1204, '1534.20'],
      ['2026-11-01', 'Металопластикові вікна', 3410, '4210.75'],
      ['2026-11-02', 'Бренд', 1118, '1402.55'],
      ['2026-11-02', 'Металопластикові вікна', 3207, '3980.10'],
    ]);
  });

  test('Meta Ads Manager', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'meta-ads.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'meta-ads', 5]);
    expect(r.warnings).toContain('columns not read by preset meta-ads: Results, Result indicator, Cost per result (UAH)');
    const rows = await spendOf(ws);
    expect(rows.map((x) => [x.date, x.source, x.campaign, x.ad_group, x.ad, x.cost, x.channel])).toEqual([
      ['2026-11-01', 'facebook', 'fb_prospecting', 'Kyiv 25-55 homeowners', 'carousel_windows', '842.17', 'paid_social'],
      ['2026-11-01', 'facebook', 'fb_retargeting', 'Site visitors 30d', 'video_doors', '390.00', 'paid_social'],
      ['2026-11-02', 'facebook', 'fb_prospecting', 'Kyiv 25-55 homeowners', 'carousel_windows', '815.90', 'paid_social'],
      ['2026-11-02', 'facebook', 'fb_retargeting', 'Site visitors 30d', 'video_doors', '401.25', 'paid_social'],
      ['2026-11-03', 'facebook', 'fb_prospecting', 'Kyiv 25-55 homeowners', 'carousel_windows', '870.44', 'paid_social'],
    ]);
    // The summary row (skipped) says 3319.76.
    expect(await totalCost(ws)).toBe('3319.76');
  });

  test('Meta Ads amount in a currency other than the workspace\'s is refused', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'meta-ads.csv');
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toEqual({
      file: 'meta-ads.csv', line: 3, column: 'Amount spent (UAH) → currency', value: '842.17',
      reason: 'currency UAH differs from the workspace currency RUB and no FX rate is known',
    });
  });

  test('Yandex Direct: Reports API TSV ("Total rows" line skipped) and Report Wizard download', async () => {
    const ws = await moscow();
    const api = await importFile(ws, 'yandex-direct.tsv');
    expect([api.status, api.preset, api.rowsRead, api.inserted]).toEqual(['succeeded', 'yandex-direct', 6, 6]);
    expect(await totalCost(ws)).toBe('13386.00');
    // The wizard's rows are the API's first two days: nothing changes.
    const wizard = await importFile(ws, 'yandex-direct-wizard.tsv');
    expect([wizard.status, wizard.preset, wizard.inserted, wizard.updated, wizard.unchanged]).toEqual(['succeeded', 'yandex-direct', 0, 0, 4]);
    expect((await spendOf(ws)).filter((x) => x.date === '2026-11-02').map((x) => [x.campaign, x.ad_group, x.cost, x.channel])).toEqual([
      ['okna_poisk', 'Пластиковые окна', '2985.10', 'paid_search'],
      ['okna_rsya', 'Окна — аудитории', '1530.75', 'paid_search'],
    ]);
  });

  test('an invalid cell names the file line and the export\'s own column', async () => {
    const ws = await moscow();
    const text = readFileSync(fixture('yandex-direct-wizard.tsv'), 'utf8').replace('2 985,10', 'две тысячи');
    const r = await runImport(t.db, { workspace: ws, kind: 'spend', preset: 'yandex-direct', file: { stream: Readable.from([Buffer.from(text)]), name: 'wizard.tsv' }, actor: 'test' });
    expect(r.status).toBe('failed');
    expect(r.errors).toEqual([{
      file: 'wizard.tsv', line: 5, column: 'Расход (руб.) → cost', value: 'две тысячи',
      reason: 'not a decimal number (digits with an optional "." and up to 6 decimals)',
    }]);
    expect(await totalCost(ws)).toBe('0');
  });

  test('VK Ads (UTF-8 with BOM, semicolons, ruble sign in the column name)', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'vk-ads.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'vk-ads', 5]);
    expect(await totalCost(ws)).toBe('12885.15');
    expect((await spendOf(ws)).map((x) => [x.date, x.campaign, x.clicks, x.cost, x.channel])[1]).toEqual(['2026-11-01', 'vk_retarget_okna', 141, '2315.60', 'paid_social']);
  });

  test('offline media invoice: periods spread over days, total as invoiced', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'offline-media.csv');
    expect([r.status, r.preset, r.rowsRead, r.inserted]).toEqual(['succeeded', 'offline-media', 4, 41]);
    expect(await totalCost(ws)).toBe('35500.03');
    const bySource = await sql<{ source: string; days: number; cost: string; channel: string }>`
      select source, count(*)::int as days, sum(cost)::text as cost, min(channel) as channel
        from spend where workspace_id = ${ws.id} group by source order by source`.execute(t.db);
    expect(bySource.rows).toEqual([
      { source: 'billboard_north', days: 30, cost: '30000.00', channel: 'offline' },
      { source: 'metro_lightbox', days: 10, cost: '1000.03', channel: 'offline' },
      { source: 'radio_kyiv_fm', days: 1, cost: '4500.00', channel: 'offline' },
    ]);
  });
});

describe('session samples', () => {
  test('GA4 BigQuery export: click ids land in the sessions', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'ga4-bigquery.csv');
    expect([r.status, r.preset, r.rowsRead, r.inserted]).toEqual(['succeeded', 'ga4-bigquery', 7, 5]);
    const rows = await t.db.selectFrom('sessions').select(['session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'channel', 'gclid', 'fbclid'])
      .where('workspace_id', '=', ws.id).orderBy('started_at').execute();
    expect(rows.map((x) => [x.session_id, x.started_at.toISOString(), x.source, x.medium, x.campaign, x.channel, x.gclid, x.fbclid])).toEqual([
      ['1187654321.1761980000.1762067645', '2026-11-02T07:14:05.123Z', 'google', 'cpc', 'windows_search', 'paid_search', 'EAIaIQobChMI_gclid_one', null],
      ['2098765432.1762070000.1762075800', '2026-11-02T09:30:00.123Z', 'facebook', 'paid_social', 'fb_prospecting', 'paid_social', null, 'IwAR0abc'],
      ['3011223344.1760000000.1762084870', '2026-11-02T12:01:10.123Z', '(direct)', '(none)', '', 'direct', null, null],
      ['1187654321.1761980000.1762152300', '2026-11-03T06:45:00.123Z', 'google', 'organic', '', 'organic_search', null, null],
      ['4455667788.1762157000.1762158030', '2026-11-03T08:20:30.123Z', 'google', 'cpc', 'windows_search', 'paid_search', 'EAIaIQobChMI_gclid_two', null],
    ]);
    const visitors = await t.db.selectFrom('visitors').select('visitor_id').where('workspace_id', '=', ws.id).orderBy('visitor_id').execute();
    expect(visitors).toHaveLength(4);
  });

  test('Yandex Metrica Logs API: times in the workspace zone, yclid kept', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'yandex-metrica-logs.tsv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'yandex-metrica-logs', 6]);
    const rows = await t.db.selectFrom('sessions').select(['session_id', 'started_at', 'source', 'medium', 'channel', 'yclid', 'device', 'pageviews'])
      .where('workspace_id', '=', ws.id).orderBy('started_at').execute();
    expect(rows.map((x) => [x.session_id, x.started_at.toISOString(), x.source, x.medium, x.channel, x.yclid, x.device, x.pageviews])).toEqual([
      ['7429138472917385216', '2026-11-02T07:14:05.000Z', 'yandex', 'cpc', 'paid_search', '4821937465012837', 'mobile', 4],
      ['7429138472917385218', '2026-11-02T08:02:13.000Z', 'yandex', 'organic', 'organic_search', null, 'mobile', 1],
      ['7429138472917385219', '2026-11-02T09:30:45.000Z', 'vk', 'social', 'organic_social', null, 'mobile', 3],
      ['7429138472917385220', '2026-11-02T12:05:00.000Z', 'remont-forum.ru', 'referral', 'referral', null, 'desktop', null],
      ['7429138472917385221', '2026-11-03T06:12:00.000Z', 'yandex', 'cpc', 'paid_search', '5938201746539201', 'tablet', 5],
      ['7429138472917385217', '2026-11-03T15:40:00.000Z', '', '', 'direct', null, 'desktop', 2],
    ]);
  });
});

describe('call samples', () => {
  test('CallRail: national numbers read with the workspace country', async () => {
    const ws = await createWorkspace(t.db, { slug: `us-${++n}`, name: 'US', timeZone: 'America/Chicago', currency: 'USD', phoneCountry: 'US' });
    const r = await importFile(ws, 'callrail.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'callrail', 4]);
    const rows = await t.db.selectFrom('calls').select(['call_id', 'started_at', 'caller_phone', 'tracking_number', 'duration_sec', 'status', 'manager'])
      .where('workspace_id', '=', ws.id).orderBy('started_at').execute();
    expect(rows.map((x) => [x.started_at.toISOString(), x.caller_phone, x.tracking_number, x.duration_sec, x.status, x.manager])).toEqual([
      ['2026-11-02T15:14:05.000Z', '+13125550143', '+18725550100', 184, 'answered', 'Mike Ross'],
      ['2026-11-02T17:40:51.000Z', '+17735550188', '+18725550100', 0, 'missed', ''],
      ['2026-11-03T14:02:17.000Z', '+16305550122', '+18725550111', 62, 'answered', 'Rachel Zane'],
      ['2026-11-03T22:55:00.000Z', '+13125550143', '+18725550111', 12, 'missed', ''],
    ]);
  });

  test('Calltouch (Windows-1251, semicolons, Russian headers)', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'calltouch.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'calltouch', 5]);
    expect(r.format).toMatch(/windows-1251, ';'-separated/);
    const rows = await t.db.selectFrom('calls').select(['call_id', 'started_at', 'caller_phone', 'tracking_number', 'session_id', 'duration_sec', 'status', 'manager'])
      .where('workspace_id', '=', ws.id).orderBy('call_id').execute();
    expect(rows.map((x) => [x.call_id, x.started_at.toISOString(), x.caller_phone, x.tracking_number, x.session_id, x.duration_sec, x.status, x.manager])).toEqual([
      ['91827364', '2026-11-01T07:12:45.000Z', '+79161234567', '+74951230011', '4410293', 155, 'answered', 'Ольга Смирнова'],
      ['91827388', '2026-11-01T09:40:02.000Z', '+79035551234', '+74951230011', '4410377', 0, 'missed', ''],
      ['91827421', '2026-11-02T06:05:19.000Z', '+79261112233', '+74951230022', null, 310, 'answered', 'Игорь Ким'],
      ['91827502', '2026-11-02T14:31:55.000Z', '+79161234567', '+74951230011', '4411021', 48, 'answered', 'Ольга Смирнова'],
      ['91827533', '2026-11-03T08:11:11.000Z', '+74957778899', '+74951230033', null, 80, 'answered', 'Игорь Ким'],
    ]);
  });
});

describe('CRM samples', () => {
  test('Bitrix24 (Windows-1251): an unknown status fails the file naming its line and column; mapped, it imports', async () => {
    const ws = await moscow();
    const first = await importFile(ws, 'bitrix24.csv');
    expect([first.status, first.preset]).toEqual(['failed', 'bitrix24']);
    expect(first.errors).toEqual([{
      file: 'bitrix24.csv', line: 7, column: 'Стадия', value: 'Дубль',
      reason: 'unknown status "Дубль": map it with npx leadpath status-map set --preset bitrix24 --status "Дубль" --stage <new|contacted|qualified|proposal|negotiation|won> --outcome <open|won|lost|junk>',
    }]);
    await setStatusMapEntry(t.db, ws.id, 'bitrix24', { status: 'Дубль', stage: 'new', outcome: 'junk' });
    const r = await importFile(ws, 'bitrix24.csv', { kind: 'leads', preset: 'bitrix24' });
    expect([r.status, r.inserted]).toEqual(['succeeded', 6]);
    expect(r.format).toBe("Bitrix24 leads export: preset bitrix24, leads (chosen with --preset); windows-1251, ';'-separated, header on line 1");
    const rows = await t.db.selectFrom('leads').select(['lead_id', 'created_at', 'kind', 'phone', 'email', 'channel', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at'])
      .where('workspace_id', '=', ws.id).orderBy('lead_id').execute();
    expect(rows.map((x) => [x.lead_id, x.created_at.toISOString(), x.kind, x.phone, x.email, x.channel, x.stage, x.outcome, x.loss_reason, x.amount, x.closed_at?.toISOString() ?? null])).toEqual([
      ['101', '2026-11-01T07:15:00.000Z', 'form', '+79161234567', 'ivanova@example.ru', 'paid_search', 'new', 'open', null, null, null],
      ['102', '2026-11-01T09:41:30.000Z', 'call', '+79035551234', null, null, 'contacted', 'open', null, null, null],
      ['103', '2026-11-02T06:06:00.000Z', 'call', '+79261112233', 'kim.client@example.ru', null, 'qualified', 'open', null, '45000', null],
      ['104', '2026-11-02T15:02:11.000Z', 'form', '+79161234567', 'petrov@example.ru', 'paid_search', 'qualified', 'open', null, '185000.00', null],
      ['105', '2026-11-03T05:00:00.000Z', 'form', null, 'spam@example.com', null, 'contacted', 'junk', 'Некачественный лид', null, '2026-11-03T05:30:00.000Z'],
      ['106', '2026-11-03T08:12:00.000Z', 'call', '+74957778899', null, 'offline', 'new', 'junk', 'Дубль', null, '2026-11-03T08:30:00.000Z'],
    ]);
  });

  test('amoCRM (UTF-8 with BOM, semicolons)', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'amocrm.csv');
    expect([r.status, r.preset, r.inserted]).toEqual(['succeeded', 'amocrm', 5]);
    const rows = await t.db.selectFrom('leads').select(['lead_id', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at', 'channel'])
      .where('workspace_id', '=', ws.id).orderBy('lead_id').execute();
    expect(rows.map((x) => [x.lead_id, x.stage, x.outcome, x.loss_reason, x.amount, x.closed_at?.toISOString() ?? null, x.channel])).toEqual([
      ['31200451', 'contacted', 'open', null, '120000', null, 'paid_search'],
      ['31200458', 'qualified', 'open', null, '85500', null, 'paid_social'],
      ['31200463', 'won', 'won', null, '240000', '2026-11-05T13:45:00.000Z', 'paid_search'],
      ['31200470', 'contacted', 'lost', 'Дорого', '310000', '2026-11-06T07:00:00.000Z', null],
      ['31200477', 'proposal', 'open', null, '4800', null, 'direct'],
    ]);
  });

  test('HubSpot deals: leads, then the stage history from the same file', async () => {
    const ws = await kyiv();
    const r = await importFile(ws, 'hubspot-deals.csv');
    expect([r.status, r.kind, r.preset, r.inserted]).toEqual(['succeeded', 'leads', 'hubspot-deals', 4]);
    expect(r.companions.map((c) => [c.status, c.kind, c.preset, c.rowsRead, c.inserted])).toEqual([['succeeded', 'lead_stages', 'hubspot-deal-stages', 4, 10]]);
    expect(r.companions[0]!.format).toBe("HubSpot deals export: stage history (Date entered columns): preset hubspot-deal-stages, lead_stages (run after hubspot-deals over the same file); utf-8, ','-separated, header on line 1");
    const stages = await t.db.selectFrom('lead_stages').select(['lead_id', 'stage', 'entered_at']).where('workspace_id', '=', ws.id).orderBy('lead_id').orderBy('entered_at').execute();
    expect(stages.map((x) => [x.lead_id, x.stage, x.entered_at.toISOString()])).toEqual([
      ['18340012', 'contacted', '2026-11-02T07:40:00.000Z'],
      ['18340012', 'qualified', '2026-11-03T09:00:00.000Z'],
      ['18340012', 'proposal', '2026-11-04T08:30:00.000Z'],
      ['18340012', 'negotiation', '2026-11-05T15:10:00.000Z'],
      ['18340012', 'won', '2026-11-06T13:20:00.000Z'],
      ['18340027', 'contacted', '2026-11-02T11:05:00.000Z'],
      ['18340027', 'qualified', '2026-11-04T07:15:00.000Z'],
      ['18340033', 'contacted', '2026-11-03T08:22:00.000Z'],
      ['18340033', 'qualified', '2026-11-04T14:40:00.000Z'],
      ['18340041', 'contacted', '2026-11-04T06:00:00.000Z'],
    ]);
    const journeys = await t.db.selectFrom('lead_journeys').select(['lead_id', 'reached_position', 'qualified_at']).where('workspace_id', '=', ws.id).orderBy('lead_id').execute();
    expect(journeys.map((j) => [j.lead_id, j.reached_position, j.qualified_at?.toISOString() ?? null])).toEqual([
      ['18340012', 6, '2026-11-03T09:00:00.000Z'],
      ['18340027', 3, '2026-11-04T07:15:00.000Z'],
      ['18340033', 3, '2026-11-04T14:40:00.000Z'],
      ['18340041', 2, null],
    ]);
  });
});

describe('detection and forcing', () => {
  test('a canonical file imported as auto takes the canonical path', async () => {
    const ws = await kyiv();
    const r = await runImport(t.db, {
      workspace: ws, kind: 'auto', actor: 'test',
      file: { stream: Readable.from([Buffer.from(csv('session_id,visitor_id,started_at,source,medium', 's1,v1,2026-11-01T10:00:00+02:00,google,cpc'))]), name: 'sessions.csv' },
    });
    expect([r.status, r.kind, r.preset, r.inserted]).toEqual(['succeeded', 'sessions', null, 1]);
    expect(r.format).toBe("canonical sessions (recognised from the header); utf-8, ','-separated, header on line 1");
  });

  test('a file nothing recognises is refused with the closest presets and their missing columns, and logged', async () => {
    const ws = await kyiv();
    const error = await runImport(t.db, {
      workspace: ws, kind: 'auto', actor: 'test',
      file: { stream: Readable.from([Buffer.from('Day;Campaign;Clicks\n2026-11-01;brand;12\n')]), name: 'mystery.csv' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as ImportFormatError).message).toBe([
      'the header matches no preset and no canonical kind; the closest are:',
      '  google-ads (spend): missing "Cost"',
      '  vk-ads (spend): missing "Дата", "Потрачено"',
      '  canonical spend (spend): missing "date", "source", "medium", "cost"',
      '(see npx leadpath presets; force one with: npx leadpath import <kind> <file> --preset NAME)',
    ].join('\n'));
    const job = await t.db.selectFrom('import_jobs').select(['kind', 'status', 'file_name']).where('id', '=', (error as ImportFormatError).importId!).executeTakeFirstOrThrow();
    expect(job).toEqual({ kind: 'auto', status: 'failed', file_name: 'mystery.csv' });
  });

  test('a forced preset reads a file whose columns it has, and names what is missing when not', async () => {
    const ws = await moscow();
    const ok = await importFile(ws, 'vk-ads.csv', { kind: 'spend', preset: 'vk-ads' });
    expect([ok.status, ok.inserted]).toEqual(['succeeded', 5]);
    const wrong = await importFile(ws, 'vk-ads.csv', { kind: 'spend', preset: 'google-ads' });
    expect(wrong.status).toBe('failed');
    expect(wrong.errors.map((e) => [e.line, e.column])).toEqual([[1, 'Day'], [1, 'Cost']]);
    await expect(importFile(ws, 'vk-ads.csv', { kind: 'calls', preset: 'vk-ads' })).rejects.toThrow('preset vk-ads reads spend files, not calls');
    await expect(importFile(ws, 'vk-ads.csv', { kind: 'spend', preset: 'nope' })).rejects.toThrow(/unknown preset "nope"/);
  });

  test('a canonical import of an export says which preset it looks like', async () => {
    const ws = await moscow();
    const r = await importFile(ws, 'vk-ads.csv', { kind: 'spend' });
    expect(r.status).toBe('failed');
    expect(r.warnings).toContain('this looks like a VK Ads statistics export: import it with --preset vk-ads (or: npx leadpath import auto <file>)');
  });
});

describe('offline conversions', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await kyiv();
    const s = await importText(t.db, ws, 'sessions', csv(
      'session_id,visitor_id,started_at,source,medium,campaign,landing_page',
      's1,v1,2026-11-02T09:14:05+02:00,google,cpc,windows_search,https://kyivwindows.com.ua/vikna/?gclid=Cj0KCQiA_one&utm_source=google',
      's2,1762068001234567890,2026-11-02T10:00:00+02:00,yandex,cpc,okna_poisk,https://kyivwindows.com.ua/?yclid=4821937465012837',
      's3,v3,2026-11-03T12:00:00+02:00,,,,https://kyivwindows.com.ua/',
    ));
    const l = await importText(t.db, ws, 'leads', csv(
      'lead_id,created_at,kind,session_id,stage,outcome,amount,closed_at',
      'L1,2026-11-02T09:30:00+02:00,form,s1,won,won,96000.50,2026-11-06T15:20:00+02:00',
      'L2,2026-11-02T10:10:00+02:00,form,s2,qualified,open,,',
      'L3,2026-11-03T12:05:00+02:00,form,s3,qualified,open,,',
    ));
    const h = await importText(t.db, ws, 'lead_stages', csv(
      'lead_id,stage,entered_at',
      'L1,contacted,2026-11-02T10:00:00+02:00',
      'L1,qualified,2026-11-03T11:00:00+02:00',
      'L1,won,2026-11-06T15:20:00+02:00',
      'L2,qualified,2026-11-04T09:15:00+02:00',
      'L3,qualified,2026-11-05T10:00:00+02:00',
    ));
    expect([s.status, l.status, h.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  test('qualified leads to Google Ads: the gclid of the landing page, the time with its zone', async () => {
    const rows = await getConversionCandidates(t.db, ws, { stage: 'qualified', from: '2026-11-01', to: '2026-11-30' });
    const file = computeGoogleAdsUpload(rows, { conversionName: 'Qualified lead', timeZone: ws.time_zone, currency: ws.currency });
    expect(file.text).toBe(
      'Parameters:TimeZone=Europe/Kyiv\n' +
      'Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\n' +
      'Cj0KCQiA_one,Qualified lead,2026-11-03 11:00:00+0200,,\n',
    );
    expect(file.skipped).toEqual([
      { leadId: 'L2', reason: 'no gclid in the landing page of its sessions' },
      { leadId: 'L3', reason: 'no gclid in the landing page of its sessions' },
    ]);
  });

  test('won deals to Google Ads carry their value and currency', async () => {
    const rows = await getConversionCandidates(t.db, ws, { stage: 'won', from: '2026-11-01', to: '2026-11-30' });
    const file = computeGoogleAdsUpload(rows, { conversionName: 'Won deal', timeZone: ws.time_zone, currency: ws.currency });
    expect(file.text).toBe(
      'Parameters:TimeZone=Europe/Kyiv\n' +
      'Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\n' +
      'Cj0KCQiA_one,Won deal,2026-11-06 15:20:00+0200,96000.50,UAH\n',
    );
  });

  test('the date range is of the conversion time, in the workspace zone', async () => {
    const rows = await getConversionCandidates(t.db, ws, { stage: 'qualified', from: '2026-11-04', to: '2026-11-05' });
    expect(rows.map((r) => [r.leadId, r.convertedAt.toISOString()])).toEqual([
      ['L2', '2026-11-04T07:15:00.000Z'],
      ['L3', '2026-11-05T08:00:00.000Z'],
    ]);
  });

  test('Yandex Metrica: ClientId when the visitor id is a Metrica ClientID, or the yclid variant', async () => {
    const rows = await getConversionCandidates(t.db, ws, { stage: 'qualified', from: '2026-11-01', to: '2026-11-30' });
    const byClient = computeMetricaUpload(rows, { target: 'qualified_lead', currency: ws.currency, id: 'client-id' });
    // 2026-11-04 09:15 in Kyiv (UTC+2) is 07:15 UTC: 1793776500.
    expect(byClient.text).toBe('ClientId,Target,DateTime,Price,Currency\n1762068001234567890,qualified_lead,1793776500,,\n');
    expect(byClient.skipped.map((s) => s.leadId)).toEqual(['L1', 'L3']);
    const byYclid = computeMetricaUpload(rows, { target: 'qualified_lead', currency: ws.currency, id: 'yclid' });
    expect(byYclid.text).toBe('Yclid,Target,DateTime,Price,Currency\n4821937465012837,qualified_lead,1793776500,,\n');
  });

  test('conversion goals: which stage is which conversion, per platform', async () => {
    await setConversionGoal(t.db, ws.id, { platform: 'google-ads', stage: 'qualified', conversionName: 'Qualified lead' });
    await setConversionGoal(t.db, ws.id, { platform: 'google-ads', stage: 'won', conversionName: 'Won deal' });
    await setConversionGoal(t.db, ws.id, { platform: 'google-ads', stage: 'won', conversionName: 'Sale' });
    expect(await getConversionGoals(t.db, ws.id)).toEqual([
      { platform: 'google-ads', stage: 'qualified', conversionName: 'Qualified lead' },
      { platform: 'google-ads', stage: 'won', conversionName: 'Sale' },
    ]);
  });
});
