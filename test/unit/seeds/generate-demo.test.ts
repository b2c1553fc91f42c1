import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_PIPELINE } from '../../../app/domain/pipeline';
import { normalizePhone } from '../../../app/domain/phone';
import { STATIC_LINES } from '../../../seeds/catalog';
import type { Kind } from '../../../seeds/factories';
import { generateSeed } from '../../../seeds/generate';
import { groupBy, readSeed, type SeedFile } from './read-seed';

// Realism checks on the demo scale: the demo is how people judge the product,
// so the stories it should tell are pinned here and a regression in the
// generator that flattens one of them fails a test.

const DAY = 86_400_000;
const END = '2026-03-31';
const now = Date.parse('2026-04-01T00:00:00+03:00');
let base: string;
let seed: Record<Kind, SeedFile>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'leadpath-seed-demo-'));
  await generateSeed({ scale: 'demo', seed: 42, outDir: base, endDate: END });
  seed = readSeed(base);
}, 60_000);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

type Row = Record<string, string>;
const winRate = (leads: Row[]) => {
  const won = leads.filter((l) => l.outcome === 'won').length;
  const lost = leads.filter((l) => l.outcome === 'lost').length;
  return won / Math.max(1, won + lost);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe('generateSeed (demo)', () => {
  test('volumes: a year of ~50,000 sessions and 1,500-2,500 leads', () => {
    expect(seed.sessions.rows.length).toBeGreaterThan(45_000);
    expect(seed.sessions.rows.length).toBeLessThan(56_000);
    expect(seed.leads.rows.length).toBeGreaterThanOrEqual(1_500);
    expect(seed.leads.rows.length).toBeLessThanOrEqual(2_500);
    expect(seed.sessions.rows[0]!.started_at!.startsWith('2025-04-01')).toBe(true);
  });

  test('breadth: 12+ campaigns, 10+ managers, 5+ regions, three devices, every lead kind', () => {
    const campaigns = new Set([
      ...seed.sessions.rows.map((r) => r.campaign),
      ...seed.spend.rows.map((r) => r.campaign),
      ...seed.tracking_numbers.rows.map((r) => r.campaign),
    ].filter(Boolean));
    expect(campaigns.size).toBeGreaterThanOrEqual(12);
    expect(new Set(seed.leads.rows.map((r) => r.manager)).size).toBeGreaterThanOrEqual(10);
    const regions = groupBy(seed.sessions.rows.filter((r) => r.region), (r) => r.region!);
    expect(regions.size).toBeGreaterThanOrEqual(5);
    const sizes = [...regions.values()].map((v) => v.length).sort((a, b) => b - a);
    expect(sizes[0]! / sizes[4]!).toBeGreaterThan(2); // regions differ in size
    expect(new Set(seed.sessions.rows.map((r) => r.device))).toEqual(new Set(['desktop', 'mobile', 'tablet']));
    expect(new Set(seed.leads.rows.map((r) => r.kind))).toEqual(new Set(['form', 'call', 'chat', 'email', 'manual']));
    const sourcesMediums = new Set(seed.sessions.rows.map((r) => `${r.source}/${r.medium}`));
    for (const sm of ['google/cpc', 'yandex/cpc', 'facebook/paid_social', 'vk/paid_social', 'email/email', 'admitad/cpa', 'google/organic', '/']) {
      expect(sourcesMediums.has(sm), sm).toBe(true);
    }
  });

  test('click ids on paid landing pages', () => {
    const landing = (source: string) => seed.sessions.rows.filter((r) => r.source === source && r.medium !== 'organic');
    expect(landing('google').every((r) => r.landing_page!.includes('gclid='))).toBe(true);
    expect(landing('yandex').every((r) => r.landing_page!.includes('yclid='))).toBe(true);
    expect(landing('facebook').every((r) => r.landing_page!.includes('fbclid='))).toBe(true);
    expect(seed.sessions.rows.some((r) => r.term?.includes(','))).toBe(true); // exercises CSV quoting
  });

  test('hot leads win far more often than cold ones', () => {
    const byTemperature = groupBy(seed.leads.rows, (r) => r.temperature!);
    const hot = winRate(byTemperature.get('hot')!);
    const warm = winRate(byTemperature.get('warm')!);
    const cold = winRate(byTemperature.get('cold')!);
    expect(hot).toBeGreaterThan(warm);
    expect(warm).toBeGreaterThan(cold);
    expect(hot).toBeGreaterThan(3 * cold);
  });

  test('outcomes: realistic junk share, junkier from CPA and display, recent leads still open', () => {
    const leads = seed.leads.rows;
    const junk = leads.filter((l) => l.outcome === 'junk').length / leads.length;
    expect(junk).toBeGreaterThan(0.08);
    expect(junk).toBeLessThan(0.2);
    const sessions = new Map(seed.sessions.rows.map((s) => [s.session_id!, s]));
    const junkShare = (pred: (s: Row) => boolean) => {
      const ls = leads.filter((l) => l.session_id && pred(sessions.get(l.session_id)!));
      return ls.filter((l) => l.outcome === 'junk').length / Math.max(1, ls.length);
    };
    expect(junkShare((s) => s.medium === 'cpa' || s.medium === 'display')).toBeGreaterThan(
      junkShare((s) => s.medium === 'organic' || s.medium === 'cpc'),
    );
    const openShare = (from: number, to: number) => {
      const ls = leads.filter((l) => Date.parse(l.created_at!) >= from && Date.parse(l.created_at!) < to);
      return ls.filter((l) => l.outcome === 'open').length / ls.length;
    };
    expect(openShare(now - 14 * DAY, now)).toBeGreaterThan(0.4);
    expect(openShare(now - 365 * DAY, now - 90 * DAY)).toBeLessThan(0.1);
    const lossReasons = new Set(leads.filter((l) => l.outcome === 'lost').map((l) => l.loss_reason));
    expect(lossReasons).toEqual(new Set(['price', 'competitor', 'no_response', 'timing', 'out_of_area']));
    expect(new Set(leads.filter((l) => l.outcome === 'junk').map((l) => l.loss_reason))).toEqual(
      new Set(['spam', 'wrong_number', 'duplicate', 'test']),
    );
  });

  test('some leads skip stages', () => {
    const history = groupBy(seed.lead_stages.rows, (r) => r.lead_id!);
    let skipped = 0;
    for (const entries of history.values()) {
      const idx = entries.map((e) => DEFAULT_PIPELINE.indexOf(e.stage as never));
      if (idx.some((v, i) => i > 0 && v - idx[i - 1]! > 1)) skipped++;
    }
    expect(skipped / history.size).toBeGreaterThan(0.05);
    expect(skipped / history.size).toBeLessThan(0.4);
  });

  test('managers differ in speed to first contact and in how much they win', () => {
    const created = new Map(seed.leads.rows.map((l) => [l.lead_id!, l]));
    const delays = new Map<string, number[]>();
    for (const s of seed.lead_stages.rows) {
      const lead = created.get(s.lead_id!)!;
      if (s.stage !== 'contacted' || lead.kind === 'call') continue;
      const list = delays.get(lead.manager!) ?? [];
      list.push(Date.parse(s.entered_at!) - Date.parse(lead.created_at!));
      delays.set(lead.manager!, list);
    }
    const medians = [...delays.values()].map(median).sort((a, b) => a - b);
    expect(medians.at(-1)! / medians[0]!).toBeGreaterThan(5);
    const rates = [...groupBy(seed.leads.rows, (l) => l.manager!).values()].map(winRate).sort((a, b) => a - b);
    expect(rates.at(-1)! - rates[0]!).toBeGreaterThan(0.08);
  });

  test('calls: 10-25% missed, repeat calls from the same phone create no new lead, static lines reach leads', () => {
    const calls = seed.calls.rows;
    const missed = calls.filter((c) => c.status === 'missed').length / calls.length;
    expect(missed).toBeGreaterThan(0.08);
    expect(missed).toBeLessThan(0.25);

    const leadOfCall = new Set(seed.leads.rows.map((l) => l.call_id).filter(Boolean));
    const byPhone = groupBy(calls, (c) => normalizePhone(c.caller_phone!, 'UA')!);
    let repeats = 0;
    for (const list of byPhone.values()) {
      list.sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
      for (let i = 1; i < list.length; i++) {
        if (Date.parse(list[i]!.started_at!) - Date.parse(list[i - 1]!.started_at!) > 30 * DAY) continue;
        repeats++;
        expect(leadOfCall.has(list[i]!.call_id!), list[i]!.call_id).toBe(false);
      }
    }
    expect(repeats).toBeGreaterThan(50);
    const formats = new Set([...byPhone.values()].filter((l) => l.length > 1).flatMap((l) => l.map((c) => c.caller_phone!.slice(0, 3))));
    expect(formats.size).toBeGreaterThan(2); // the same caller written in different formats

    const staticNumbers = new Set(STATIC_LINES.map((l) => l.number));
    const callById = new Map(calls.map((c) => [c.call_id!, c]));
    const staticCallLeads = seed.leads.rows.filter((l) => l.call_id && staticNumbers.has(callById.get(l.call_id)!.tracking_number!));
    expect(staticCallLeads.length).toBeGreaterThan(100);
  });

  test('repeat customers: a customer with a won deal comes back with a new lead', () => {
    const byCustomer = groupBy(seed.leads.rows.filter((l) => l.customer_id), (l) => l.customer_id!);
    let repeat = 0;
    for (const leads of byCustomer.values()) {
      const wonAt = leads.filter((l) => l.outcome === 'won').map((l) => Date.parse(l.closed_at!));
      if (leads.some((l) => wonAt.some((w) => w < Date.parse(l.created_at!)))) repeat++;
    }
    expect(repeat).toBeGreaterThan(15);
  });

  test('manual leads: trade-show leads carry their source, some have none', () => {
    const manual = seed.leads.rows.filter((l) => l.kind === 'manual');
    expect(manual.some((l) => l.source === 'expo' && l.medium === 'offline' && l.campaign)).toBe(true);
    expect(manual.some((l) => !l.source)).toBe(true);
  });

  test('journeys: visitors return over days through other channels', () => {
    const byVisitor = groupBy(seed.sessions.rows, (s) => s.visitor_id!);
    const returning = [...byVisitor.values()].filter((s) => s.length >= 2);
    expect(returning.length / byVisitor.size).toBeGreaterThan(0.2);
    const multiChannel = returning.filter((s) => new Set(s.map((x) => `${x.source}/${x.medium}`)).size >= 2);
    expect(multiChannel.length / returning.length).toBeGreaterThan(0.4);
    const spanDays = returning.map((s) => (Date.parse(s.at(-1)!.started_at!) - Date.parse(s[0]!.started_at!)) / DAY);
    expect(median(spanDays)).toBeGreaterThan(1);
    // Converting journeys are longer than the average visit.
    const converted = new Set(seed.leads.rows.map((l) => l.visitor_id).filter(Boolean));
    const sessionsOf = (ids: string[]) => ids.reduce((n, id) => n + byVisitor.get(id)!.length, 0) / ids.length;
    expect(sessionsOf([...converted] as string[])).toBeGreaterThan(sessionsOf([...byVisitor.keys()]));
  });

  test('seasonality: summer above winter, weekdays above Saturday, days above nights', () => {
    const byMonth = groupBy(seed.sessions.rows, (s) => s.started_at!.slice(5, 7));
    const n = (m: string) => byMonth.get(m)?.length ?? 0;
    expect((n('06') + n('07')) / (n('12') + n('01'))).toBeGreaterThan(1.3);
    const byWeekday = groupBy(seed.sessions.rows, (s) => String(new Date(s.started_at!.slice(0, 10)).getUTCDay()));
    expect(byWeekday.get('2')!.length).toBeGreaterThan(byWeekday.get('6')!.length * 1.1);
    const byHour = groupBy(seed.sessions.rows, (s) => s.started_at!.slice(11, 13));
    expect(byHour.get('11')!.length).toBeGreaterThan(byHour.get('03')!.length * 10);
  });

  test('spend: sessions are 85-95% of clicks for every paid campaign; costs are positive', () => {
    const clicks = new Map<string, number>();
    const cost = new Map<string, number>();
    for (const r of seed.spend.rows) {
      clicks.set(r.campaign!, (clicks.get(r.campaign!) ?? 0) + Number(r.clicks || 0));
      cost.set(r.campaign!, (cost.get(r.campaign!) ?? 0) + Number(r.cost));
    }
    const sessions = groupBy(seed.sessions.rows.filter((s) => s.campaign), (s) => s.campaign!);
    for (const [campaign, n] of clicks) {
      if (n === 0) continue;
      const ratio = sessions.get(campaign)!.length / n;
      expect(ratio, campaign).toBeGreaterThanOrEqual(0.85);
      expect(ratio, campaign).toBeLessThanOrEqual(0.95);
    }
    for (const [campaign, c] of cost) expect(c, campaign).toBeGreaterThan(0);
    expect(seed.spend.rows.some((r) => r.medium === 'offline' && r.date!.endsWith('-01'))).toBe(true);
  });

  test('plans: every month to endDate, ahead of plan in some months and behind in others', () => {
    const totals = seed.plans.rows.filter((r) => !r.channel && !r.region && !r.manager);
    expect(totals.map((r) => r.month)).toEqual([
      '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01',
      '2026-02', '2026-03',
    ]);
    const actual = groupBy(seed.leads.rows, (l) => l.created_at!.slice(0, 7));
    const diffs = totals.map((p) => actual.get(p.month!)!.length - Number(p.leads));
    expect(diffs.some((d) => d > 0)).toBe(true);
    expect(diffs.some((d) => d < 0)).toBe(true);
    const channels = new Set(seed.plans.rows.map((r) => r.channel).filter(Boolean));
    for (const c of ['paid_search', 'paid_social', 'cpa', 'offline', 'organic_search']) expect(channels.has(c), c).toBe(true);
    expect(seed.plans.rows.filter((r) => r.manager).length).toBeGreaterThan(50);
  });
});
