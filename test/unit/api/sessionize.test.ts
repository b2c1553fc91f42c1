import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { computeSessions, sessionIdFor, trafficSourceOf, type PageEventInput, type TrafficSource } from '../../../app/api/sessionize';

const google: TrafficSource = { source: 'google', medium: 'cpc', campaign: 'brand', content: '', term: '' };
const fb: TrafficSource = { source: 'facebook', medium: 'paid_social', campaign: 'spring', content: '', term: '' };
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 9, 0) + minutes * 60_000);
const ev = (id: string, minutes: number, source: TrafficSource | null = null): PageEventInput => ({ messageId: id, at: at(minutes), source, url: `https://shop.example/${id}`, referrer: null });
const shape = (events: PageEventInput[]) =>
  computeSessions('v', events).map((s) => `${s.source || '(direct)'}@${(s.started_at.getTime() - at(0).getTime()) / 60_000}x${s.pageviews}`);

describe('traffic source of a page', () => {
  test.each([
    ['context.campaign wins', { campaign: { source: 'Google', medium: 'CPC', name: 'Brand' }, url: 'https://a.example/?utm_source=bing', search: null, referrer: null }, { source: 'google', medium: 'cpc', campaign: 'Brand', content: '', term: '' }],
    ['utm_* in the URL', { url: 'https://a.example/p?utm_source=yandex&utm_medium=cpc&utm_campaign=okna&utm_content=ad1&utm_term=pvc', search: null, referrer: null }, { source: 'yandex', medium: 'cpc', campaign: 'okna', content: 'ad1', term: 'pvc' }],
    ['utm_* in search when the URL has none', { url: 'https://a.example/p', search: '?utm_source=vk&utm_medium=paid_social', referrer: null }, { source: 'vk', medium: 'paid_social', campaign: '', content: '', term: '' }],
    ['a search engine referrer is organic', { url: 'https://a.example/', search: null, referrer: 'https://www.google.com.ua/' }, { source: 'google', medium: 'organic', campaign: '', content: '', term: '' }],
    ['another site is a referral', { url: 'https://a.example/', search: null, referrer: 'https://www.forum.example/t/1' }, { source: 'forum.example', medium: 'referral', campaign: '', content: '', term: '' }],
    ['the own site is no source', { url: 'https://www.a.example/x', search: null, referrer: 'https://a.example/' }, null],
    ['a value that is not UTF-8 once decoded is kept as written', { url: 'https://a.example/?utm_source=yandex&utm_campaign=%EE%EA%ED%E0+1', search: null, referrer: null }, { source: 'yandex', medium: '', campaign: '%EE%EA%ED%E0 1', content: '', term: '' }],
    ['UTF-8 values are decoded, %00 dropped', { url: 'https://a.example/?UTM_SOURCE=Google&utm_campaign=%D0%B2%D1%96%D0%BA%D0%BD%D0%B0%00', search: null, referrer: null }, { source: 'google', medium: '', campaign: 'вікна', content: '', term: '' }],
    ['nothing at all is no source', { url: null, search: null, referrer: null }, null],
    ['an unparsable referrer is no source', { url: 'https://a.example/', search: null, referrer: 'not a url' }, null],
  ])('%s', (_name, input, expected) => {
    expect(trafficSourceOf(input)).toEqual(expected);
  });
});

describe('sessions of a visitor', () => {
  test.each([
    ['pages without a source within 30 min join the session', [ev('a', 0, google), ev('b', 10), ev('c', 39)], ['google@0x3']],
    ['a gap past 30 min starts a direct session', [ev('a', 0, google), ev('b', 31)], ['google@0x1', '(direct)@31x1']],
    ['exactly 30 min still joins', [ev('a', 0, google), ev('b', 30)], ['google@0x2']],
    ['the gap counts from the previous page, not the first', [ev('a', 0, google), ev('b', 25), ev('c', 50), ev('d', 75)], ['google@0x4']],
    ['another source starts a session at once', [ev('a', 0, google), ev('b', 5, fb), ev('c', 6)], ['google@0x1', 'facebook@5x2']],
    ['the same source again continues', [ev('a', 0, google), ev('b', 5, google)], ['google@0x2']],
  ])('%s', (_name, events, expected) => {
    expect(shape(events)).toEqual(expected);
  });

  test('ids come from the visitor and the first event; landing page and referrer from the first event', () => {
    const [s] = computeSessions('visitor-1', [ev('m2', 5), { ...ev('m1', 0, google), referrer: 'https://google.com/' }]);
    expect(s).toMatchObject({ session_id: sessionIdFor('visitor-1', 'm1'), landing_page: 'https://shop.example/m1', referrer: 'https://google.com/', events: ['m1', 'm2'] });
    expect(s!.session_id).toMatch(/^seg-[0-9a-f]{32}$/);
  });

  test('any delivery order gives the same sessions (property)', () => {
    const sources = [null, google, fb];
    const eventsArb = fc.uniqueArray(fc.record({ minute: fc.integer({ min: 0, max: 300 }), source: fc.constantFrom(...sources), id: fc.string({ minLength: 1, maxLength: 6 }) }), { selector: (e) => e.id, maxLength: 25 });
    fc.assert(
      fc.property(eventsArb, fc.func(fc.integer()), (list, rank) => {
        const events = list.map((e) => ev(e.id, e.minute, e.source));
        const shuffled = [...events].sort((a, b) => rank(a.messageId) - rank(b.messageId));
        const strip = (ss: ReturnType<typeof computeSessions>) => ss.map((s) => ({ ...s }));
        expect(strip(computeSessions('v', shuffled))).toEqual(strip(computeSessions('v', events)));
        // Every event lands in exactly one session, and sessions never overlap in time.
        const sessions = computeSessions('v', events);
        expect(sessions.reduce((n, s) => n + s.pageviews, 0)).toBe(events.length);
        for (let i = 1; i < sessions.length; i++) expect(sessions[i]!.started_at.getTime()).toBeGreaterThanOrEqual(sessions[i - 1]!.started_at.getTime());
      }),
    );
  });
});
