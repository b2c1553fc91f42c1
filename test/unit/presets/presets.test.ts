import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  candidateName,
  detectFormat,
  getPreset,
  listPresets,
  PRESETS,
  statusMapFor,
  unknownFormatMessage,
} from '../../../app/import/presets/index';
import { bindHeader, PresetRowIssue, type CanonicalRow, type MapResult, type Preset, type PresetContext } from '../../../app/import/presets/preset';
import { detectDelimiter, sniff, splitLine } from '../../../app/import/presets/sniff';
import { DEFAULT_PIPELINE } from '../../../app/domain/pipeline';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/presets');

function load(file: string) {
  return sniff(readFileSync(path.join(FIXTURES, file)), true);
}

function ctxFor(preset: Preset, overrides: { status: string; stage: string; outcome: 'open' | 'won' | 'lost' | 'junk' }[] = []): PresetContext {
  return { timeZone: 'Europe/Kyiv', currency: 'UAH', stages: DEFAULT_PIPELINE, statusMap: statusMapFor(preset, overrides) };
}

/** Every data line of a fixture through the preset's mapRow (title rows and trailers handled as the import does). */
function mapFile(file: string, name: string, ctx?: PresetContext): MapResult[] {
  const preset = getPreset(name)!;
  const { lines } = load(file);
  const at = preset.findHeader(lines);
  const delimiter = detectDelimiter(lines, at);
  const binding = bindHeader(preset, splitLine(lines[at]!, delimiter));
  return lines
    .slice(at + 1)
    .map((l) => splitLine(l, delimiter))
    .filter((cells) => !preset.isTrailer?.(cells))
    .map((cells) => preset.mapRow(Object.fromEntries(binding.columns.map((c) => [c.key, cells[c.index] ?? ''])), ctx ?? ctxFor(preset)));
}

const rows = (results: MapResult[]) => results.flatMap((r) => (r === 'skip' || r instanceof PresetRowIssue ? [] : Array.isArray(r) ? r : [r]));
const pick = (row: CanonicalRow, ...keys: string[]) => keys.map((k) => row[k] ?? '');

describe('every sample is recognised from its header', () => {
  test.each([
    ['google-ads.csv', 'google-ads', 'utf-8', ',', 2],
    ['google-ads-uk.csv', 'google-ads', 'utf-8', ',', 2],
    ['meta-ads.csv', 'meta-ads', 'utf-8', ',', 0],
    ['yandex-direct.tsv', 'yandex-direct', 'utf-8', '\t', 1],
    ['yandex-direct-wizard.tsv', 'yandex-direct', 'utf-8', '\t', 1],
    ['vk-ads.csv', 'vk-ads', 'utf-8', ';', 0],
    ['offline-media.csv', 'offline-media', 'utf-8', ',', 0],
    ['ga4-bigquery.csv', 'ga4-bigquery', 'utf-8', ',', 0],
    ['yandex-metrica-logs.tsv', 'yandex-metrica-logs', 'utf-8', '\t', 0],
    ['callrail.csv', 'callrail', 'utf-8', ',', 0],
    ['calltouch.csv', 'calltouch', 'windows-1251', ';', 0],
    ['bitrix24.csv', 'bitrix24', 'windows-1251', ';', 0],
    ['amocrm.csv', 'amocrm', 'utf-8', ';', 0],
    ['hubspot-deals.csv', 'hubspot-deals', 'utf-8', ',', 0],
  ])('%s → %s', (file, preset, encoding, delimiter, headerIndex) => {
    const sniffed = load(file);
    expect(sniffed.encoding).toBe(encoding);
    const { chosen } = detectFormat(sniffed.lines);
    expect(chosen && candidateName(chosen)).toBe(preset);
    expect(chosen).toMatchObject({ delimiter, headerIndex, missing: [] });
  });

  test('a canonical file is recognised as its kind, not as a preset', () => {
    const { chosen } = detectFormat(['session_id,visitor_id,started_at,source,medium,landing_page', 's1,v1,2026-11-01T10:00:00Z,google,cpc,/']);
    expect(chosen).toMatchObject({ type: 'canonical', kind: 'sessions' });
  });

  test('an unknown header gets the three closest formats and what each misses', () => {
    const { chosen, closest } = detectFormat(['Day,Campaign,Clicks', '2026-11-01,brand,12']);
    expect(chosen).toBeNull();
    expect(closest.map(candidateName)).toEqual(['google-ads', 'vk-ads', 'canonical spend']);
    expect(unknownFormatMessage(closest)).toBe([
      'the header matches no preset and no canonical kind; the closest are:',
      '  google-ads (spend): missing "Cost"',
      '  vk-ads (spend): missing "Дата", "Потрачено"',
      '  canonical spend (spend): missing "date", "source", "medium", "cost"',
      '(see npx leadpath presets; force one with: npx leadpath import <kind> <file> --preset NAME)',
    ].join('\n'));
  });

  test('every preset names its documentation, what it expects and what it does not map', () => {
    for (const p of listPresets()) {
      expect(p.docs, p.name).toMatch(/^(https:\/\/|docs\/)/);
      expect(p.expects.length, p.name).toBeGreaterThan(0);
      expect(p.unmapped.length, p.name).toBeGreaterThan(0);
    }
    expect(PRESETS.map((p) => p.name)).toEqual([
      'google-ads', 'meta-ads', 'yandex-direct', 'vk-ads', 'offline-media', 'ga4-bigquery', 'yandex-metrica-logs',
      'callrail', 'calltouch', 'bitrix24', 'amocrm', 'hubspot-deals', 'hubspot-deal-stages',
    ]);
  });
});

describe('spend presets', () => {
  test('Google Ads: thousands commas, totals rows skipped, google / cpc', () => {
    const results = mapFile('google-ads.csv', 'google-ads');
    expect(results.filter((r) => r === 'skip')).toHaveLength(3);
    expect(rows(results).map((r) => pick(r, 'date', 'source', 'medium', 'campaign', 'ad_group', 'impressions', 'clicks', 'cost', 'currency'))).toEqual([
      ['2026-11-01', 'google', 'cpc', 'brand_kyiv', 'Brand – exact', '1204', '87', '1534.20', 'UAH'],
      ['2026-11-01', 'google', 'cpc', 'windows_search', 'Metal-plastic windows', '3410', '152', '4210.75', 'UAH'],
      ['2026-11-02', 'google', 'cpc', 'brand_kyiv', 'Brand – exact', '1118', '79', '1402.55', 'UAH'],
      ['2026-11-02', 'google', 'cpc', 'windows_search', 'Metal-plastic windows', '3207', '140', '3980.10', 'UAH'],
      ['2026-11-03', 'google', 'cpc', 'brand_kyiv', 'Brand – exact', '987', '70', '1230.00', 'UAH'],
      ['2026-11-03', 'google', 'cpc', 'windows_search', 'Metal-plastic windows', '2956', '131', '3702.40', 'UAH'],
      ['2026-11-03', 'google', 'cpc', 'doors_display', 'Interior doors', '18420', '64', '612.35', 'UAH'],
    ]);
  });

  test('Google Ads in Ukrainian: decimal commas and no-break-space thousands, «Усього» skipped', () => {
    const results = mapFile('google-ads-uk.csv', 'google-ads');
    expect(results.at(-1)).toBe('skip');
    expect(rows(results).map((r) => pick(r, 'date', 'campaign', 'ad_group', 'impressions', 'cost'))).toEqual([
      ['2026-11-01', 'brand_kyiv', 'Бренд', '1204', '1534.20'],
      ['2026-11-01', 'windows_search', 'Металопластикові вікна', '3410', '4210.75'],
      ['2026-11-02', 'brand_kyiv', 'Бренд', '1118', '1402.55'],
      ['2026-11-02', 'windows_search', 'Металопластикові вікна', '3207', '3980.10'],
    ]);
  });

  test('Meta: the summary row is skipped, the currency comes from the amount column', () => {
    const results = mapFile('meta-ads.csv', 'meta-ads');
    expect(results[0]).toBe('skip');
    expect(rows(results)[0]).toEqual({
      date: '2026-11-01', source: 'facebook', medium: 'paid_social', campaign: 'fb_prospecting', ad_group: 'Kyiv 25-55 homeowners',
      ad: 'carousel_windows', region: '', impressions: '5120', clicks: '63', cost: '842.17', currency: 'UAH',
    });
  });

  test('Meta: a row that covers several days is refused with the way out', () => {
    const preset = getPreset('meta-ads')!;
    const r = preset.mapRow({ campaign: 'x', starts: '2026-11-01', ends: '2026-11-07', 'spent#UAH': '10' }, ctxFor(preset));
    expect(r).toEqual(new PresetRowIssue('starts', '2026-11-01 – 2026-11-07', 'the row covers several days: export with Breakdown → By time → Day'));
  });

  test('Yandex Direct: API TSV and Report Wizard download give the same rows', () => {
    const api = rows(mapFile('yandex-direct.tsv', 'yandex-direct')).slice(0, 4);
    const wizard = rows(mapFile('yandex-direct-wizard.tsv', 'yandex-direct'));
    expect(wizard).toEqual(api);
    expect(api.map((r) => pick(r, 'date', 'source', 'medium', 'campaign', 'ad_group', 'impressions', 'clicks', 'cost'))).toEqual([
      ['2026-11-01', 'yandex', 'cpc', 'okna_poisk', 'Пластиковые окна', '2410', '96', '3120.50'],
      ['2026-11-01', 'yandex', 'cpc', 'okna_rsya', 'Окна — аудитории', '15800', '54', '1480.00'],
      ['2026-11-02', 'yandex', 'cpc', 'okna_poisk', 'Пластиковые окна', '2322', '91', '2985.10'],
      ['2026-11-02', 'yandex', 'cpc', 'okna_rsya', 'Окна — аудитории', '16240', '61', '1530.75'],
    ]);
  });

  test('Yandex Direct: money in millionths is refused with the header that fixes it', () => {
    const preset = getPreset('yandex-direct')!;
    const r = preset.mapRow({ date: '2026-11-01', campaign: 'x', cost: '3120500000' }, ctxFor(preset));
    expect(r).toBeInstanceOf(PresetRowIssue);
    expect((r as PresetRowIssue).reason).toMatch(/returnMoneyInMicros: false/);
  });

  test('VK Ads: ruble sign in the column name, decimal commas, «Итого» skipped', () => {
    const results = mapFile('vk-ads.csv', 'vk-ads');
    expect(results.at(-1)).toBe('skip');
    expect(rows(results).map((r) => pick(r, 'date', 'source', 'medium', 'campaign', 'impressions', 'clicks', 'cost', 'currency'))).toEqual([
      ['2026-11-01', 'vk', 'paid_social', 'vk_retarget_okna', '12840', '141', '2315.60', 'RUB'],
      ['2026-11-01', 'vk', 'paid_social', 'vk_lookalike', '30410', '122', '3104.00', 'RUB'],
      ['2026-11-02', 'vk', 'paid_social', 'vk_retarget_okna', '11920', '133', '2207.15', 'RUB'],
      ['2026-11-02', 'vk', 'paid_social', 'vk_lookalike', '29870', '117', '2998.40', 'RUB'],
      ['2026-11-03', 'vk', 'paid_social', 'vk_retarget_okna', '12505', '138', '2260.00', 'RUB'],
    ]);
  });

  test('offline media: periods spread over their days, Ukrainian month names, placement as source', () => {
    const results = mapFile('offline-media.csv', 'offline-media');
    const [billboard, radio, metro, total] = results;
    expect(total).toBe('skip');
    expect(billboard).toHaveLength(30);
    expect((billboard as CanonicalRow[])[29]).toEqual({ source: 'billboard_north', medium: 'offline', campaign: 'billboard_north_nov', region: 'Kyiv', currency: '', date: '2026-11-30', cost: '1000.00' });
    expect(pick(radio as CanonicalRow, 'date', 'source', 'campaign', 'cost')).toEqual(['2026-11-05', 'radio_kyiv_fm', 'radio_kyiv_fm_morning', '4500.00']);
    expect((metro as CanonicalRow[]).map((r) => r.cost)).toEqual(['100.01', '100.01', '100.01', '100.00', '100.00', '100.00', '100.00', '100.00', '100.00', '100.00']);
    expect((metro as CanonicalRow[])[0]).toMatchObject({ source: 'metro_lightbox', campaign: 'Metro lightbox' });
  });
});

describe('session presets', () => {
  test('GA4: session_start rows only, session-scoped source, gclid put back on the landing page', () => {
    const results = mapFile('ga4-bigquery.csv', 'ga4-bigquery');
    expect(results.filter((r) => r === 'skip')).toHaveLength(2);
    const out = rows(results);
    expect(out.map((r) => pick(r, 'session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'device', 'region'))).toEqual([
      ['1187654321.1761980000.1762067645', '1187654321.1761980000', '2026-11-02T07:14:05.123Z', 'google', 'cpc', 'windows_search', 'mobile', 'Kyiv City'],
      ['2098765432.1762070000.1762075800', '2098765432.1762070000', '2026-11-02T09:30:00.123Z', 'facebook', 'paid_social', 'fb_prospecting', 'mobile', 'Kyiv City'],
      ['3011223344.1760000000.1762084870', '3011223344.1760000000', '2026-11-02T12:01:10.123Z', '(direct)', '(none)', '', 'desktop', 'Kyiv Oblast'],
      ['1187654321.1761980000.1762152300', '1187654321.1761980000', '2026-11-03T06:45:00.123Z', 'google', 'organic', '', 'desktop', ''],
      ['4455667788.1762157000.1762158030', '4455667788.1762157000', '2026-11-03T08:20:30.123Z', 'google', 'cpc', 'windows_search', 'tablet', 'Kyiv City'],
    ]);
    expect(out[4]!.landing_page).toBe('https://kyivwindows.com.ua/vikna/metaloplastykovi/?gclid=EAIaIQobChMI_gclid_two');
    expect(out[0]!.landing_page).toBe('https://kyivwindows.com.ua/vikna/?utm_source=google&utm_medium=cpc&utm_campaign=windows_search&gclid=EAIaIQobChMI_gclid_one');
  });

  test('Yandex Metrica: UTM tags first, else Metrica\'s own traffic source', () => {
    const out = rows(mapFile('yandex-metrica-logs.tsv', 'yandex-metrica-logs'));
    expect(out.map((r) => pick(r, 'session_id', 'visitor_id', 'started_at', 'source', 'medium', 'campaign', 'device', 'pageviews'))).toEqual([
      ['7429138472917385216', '1762068001234567890', '2026-11-02T10:14:05', 'yandex', 'cpc', 'okna_poisk', 'mobile', '4'],
      ['7429138472917385217', '1762068001234567890', '2026-11-03T18:40:00', '', '', '', 'desktop', '2'],
      ['7429138472917385218', '1761912345000012345', '2026-11-02T11:02:13', 'yandex', 'organic', '', 'mobile', '1'],
      ['7429138472917385219', '1762070000111122223', '2026-11-02T12:30:45', 'vk', 'social', '', 'mobile', '3'],
      ['7429138472917385220', '1762075555000099999', '2026-11-02T15:05:00', 'remont-forum.ru', 'referral', '', 'desktop', ''],
      ['7429138472917385221', '1762080000555566667', '2026-11-03T09:12:00', 'yandex', 'cpc', '', 'tablet', '5'],
    ]);
  });
});

describe('call presets', () => {
  test('CallRail: yes/no answered, ISO times with offsets', () => {
    const out = rows(mapFile('callrail.csv', 'callrail'));
    expect(out.map((r) => pick(r, 'call_id', 'started_at', 'caller_phone', 'tracking_number', 'duration_sec', 'status', 'manager'))).toEqual([
      ['CAL8154748ae6bd4e278a7cddd38a662f4f', '2026-11-02T09:14:05.000-06:00', '(312) 555-0143', '(872) 555-0100', '184', 'answered', 'Mike Ross'],
      ['CAL2a61e4bb0c6a4b0b9e3f1f09ce6c4a11', '2026-11-02T11:40:51.000-06:00', '+1 773-555-0188', '(872) 555-0100', '0', 'missed', ''],
      ['CAL5f0c2bb6a9e84c1a8c7d2e11b3f40a77', '2026-11-03T08:02:17.000-06:00', '(630) 555-0122', '(872) 555-0111', '62', 'answered', 'Rachel Zane'],
      ['CAL9d3e7c1a55f24ce39a1b0f4e6c2d8b90', '2026-11-03T16:55:00.000-06:00', '(312) 555-0143', '(872) 555-0111', '12', 'missed', ''],
    ]);
  });

  test('CallRail without a call id column: a stable id from time and numbers', () => {
    const preset = getPreset('callrail')!;
    const r = preset.mapRow({ start: '2026-11-02 09:14 AM', caller: '(312) 555-0143', tracking: '(872) 555-0100', answered: 'Voicemail' }, ctxFor(preset)) as CanonicalRow;
    expect(pick(r, 'call_id', 'started_at', 'status')).toEqual(['callrail:2026-11-02T09:14:00:3125550143:8725550100', '2026-11-02T09:14:00', 'missed']);
  });

  test('Calltouch: Да/Нет, h:mm:ss durations, session ids', () => {
    const out = rows(mapFile('calltouch.csv', 'calltouch'));
    expect(out.map((r) => pick(r, 'call_id', 'started_at', 'caller_phone', 'duration_sec', 'status', 'session_id', 'manager'))).toEqual([
      ['91827364', '2026-11-01T10:12:45', '79161234567', '155', 'answered', '4410293', 'Ольга Смирнова'],
      ['91827388', '2026-11-01T12:40:02', '+7 (903) 555-12-34', '0', 'missed', '4410377', ''],
      ['91827421', '2026-11-02T09:05:19', '89261112233', '310', 'answered', '', 'Игорь Ким'],
      ['91827502', '2026-11-02T17:31:55', '79161234567', '48', 'answered', '4411021', 'Ольга Смирнова'],
      ['91827533', '2026-11-03T11:11:11', '74957778899', '80', 'answered', '', 'Игорь Ким'],
    ]);
  });
});

describe('CRM presets', () => {
  const ru = (preset: Preset, overrides: Parameters<typeof ctxFor>[1] = []) => ({ ...ctxFor(preset, overrides), currency: 'RUB', timeZone: 'Europe/Moscow' });

  test('Bitrix24: standard statuses map to stages; an unknown status is an error until it is mapped', () => {
    const preset = getPreset('bitrix24')!;
    const before = mapFile('bitrix24.csv', 'bitrix24', ru(preset));
    expect(before[5]).toEqual(new PresetRowIssue('status', 'Дубль', expect.stringContaining('npx leadpath status-map set --preset bitrix24 --status "Дубль"') as unknown as string));
    const after = rows(mapFile('bitrix24.csv', 'bitrix24', ru(preset, [{ status: 'дубль', stage: 'new', outcome: 'junk' }])));
    expect(after.map((r) => pick(r, 'lead_id', 'kind', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at', 'phone'))).toEqual([
      ['101', 'form', 'new', 'open', '', '', '', '+7 916 123-45-67'],
      ['102', 'call', 'contacted', 'open', '', '', '', '+7 (903) 555-12-34'],
      ['103', 'call', 'qualified', 'open', '', '45000', '', '8 926 111-22-33'],
      ['104', 'form', 'qualified', 'open', '', '185000.00', '', '+79161234567'],
      ['105', 'form', 'contacted', 'junk', 'Некачественный лид', '', '2026-11-03T08:30:00', ''],
      ['106', 'call', 'new', 'junk', 'Дубль', '', '2026-11-03T11:30:00', '+7 495 777-88-99'],
    ]);
  });

  test('Bitrix24: an edit overrides a default status', () => {
    const preset = getPreset('bitrix24')!;
    const map = statusMapFor(preset, [{ status: 'CONVERTED', stage: 'won', outcome: 'won' }]);
    expect(map.get('converted')).toEqual({ stage: 'won', outcome: 'won' });
    expect(map.get('качественный лид')).toEqual({ stage: 'qualified', outcome: 'open' });
  });

  test('Bitrix24: an amount in another currency is refused', () => {
    const preset = getPreset('bitrix24')!;
    const r = preset.mapRow({ id: '1', created: '01.11.2026 10:00', status: 'NEW', amount: '100', currency: 'USD' }, ru(preset));
    expect(r).toEqual(new PresetRowIssue('currency', 'USD', 'the amount is in USD, the workspace currency is RUB'));
  });

  test('amoCRM: default pipeline stages, won and lost with the loss reason', () => {
    const out = rows(mapFile('amocrm.csv', 'amocrm', ru(getPreset('amocrm')!)));
    expect(out.map((r) => pick(r, 'lead_id', 'created_at', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at', 'source'))).toEqual([
      ['31200451', '2026-11-01T10:20:00', 'contacted', 'open', '', '120000', '', 'yandex'],
      ['31200458', '2026-11-01T14:02:00', 'qualified', 'open', '', '85500', '', 'vk'],
      ['31200463', '2026-11-02T09:30:00', 'won', 'won', '', '240000', '2026-11-05T16:45:00', 'yandex'],
      ['31200470', '2026-11-02T11:11:00', 'contacted', 'lost', 'Дорого', '310000', '2026-11-06T10:00:00', ''],
      ['31200477', '2026-11-03T17:45:00', 'proposal', 'open', '', '4800', '', '(direct)'],
    ]);
  });

  test('HubSpot: deals become leads; a lost deal stays at the furthest stage it entered', () => {
    const out = rows(mapFile('hubspot-deals.csv', 'hubspot-deals'));
    expect(out.map((r) => pick(r, 'lead_id', 'created_at', 'stage', 'outcome', 'loss_reason', 'amount', 'closed_at', 'manager'))).toEqual([
      ['18340012', '2026-11-02T09:40:00', 'won', 'won', '', '96000', '2026-11-06T15:20:00', 'Olena Koval'],
      ['18340027', '2026-11-02T13:05:00', 'qualified', 'open', '', '240000', '', 'Andrii Melnyk'],
      ['18340033', '2026-11-03T10:22:00', 'qualified', 'lost', 'Chose a competitor', '18500', '2026-11-05T12:00:00', 'Olena Koval'],
      ['18340041', '2026-11-04T08:00:00', 'contacted', 'open', '', '', '', 'Andrii Melnyk'],
    ]);
  });

  test('HubSpot: the Date entered columns become stage history (UI labels or hs_date_entered_ ids)', () => {
    const out = rows(mapFile('hubspot-deals.csv', 'hubspot-deal-stages'));
    expect(out.filter((r) => r.lead_id === '18340012').map((r) => pick(r, 'stage', 'entered_at', '#from'))).toEqual([
      ['contacted', '2026-11-02T09:40:00', 'entered#Appointment Scheduled'],
      ['qualified', '2026-11-03T11:00:00', 'entered#Qualified To Buy'],
      ['proposal', '2026-11-04T10:30:00', 'entered#Presentation Scheduled'],
      ['negotiation', '2026-11-05T17:10:00', 'entered#Contract Sent'],
      ['won', '2026-11-06T15:20:00', 'entered#Closed Won'],
    ]);
    const stages = getPreset('hubspot-deal-stages')!;
    const api = bindHeader(stages, ['hs_object_id', 'hs_date_entered_qualifiedtobuy', 'hs_date_entered_closedwon']);
    expect([...api.headerOf.keys()]).toEqual(['id', 'entered#qualifiedtobuy', 'entered#closedwon']);
    expect(stages.mapRow({ id: '7', 'entered#qualifiedtobuy': '2026-11-03 11:00', 'entered#closedwon': '' }, ctxFor(stages))).toEqual([
      { lead_id: '7', stage: 'qualified', entered_at: '2026-11-03T11:00:00', manager: '', '#from': 'entered#qualifiedtobuy' },
    ]);
  });
});
