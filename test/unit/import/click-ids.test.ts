import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { clickIds } from '../../../app/import/formats';

// clickIds reads gclid/yclid/fbclid without decoding the whole query; it must
// give what URLSearchParams gives on the same query, for any landing page.
function reference(landingPage: string | null) {
  const none = { gclid: null, yclid: null, fbclid: null };
  if (!landingPage || !landingPage.includes('clid=')) return none;
  const params = new URLSearchParams(landingPage.slice(landingPage.indexOf('?') + 1).split('#')[0] ?? '');
  const pick = (k: string) => {
    const v = params.get(k);
    return v && v.length <= 512 ? v : null;
  };
  return { gclid: pick('gclid'), yclid: pick('yclid'), fbclid: pick('fbclid') };
}

const piece = fc.constantFrom('gclid', 'yclid', 'fbclid', 'clid', 'g', '=', '&', '?', '#', '%', '%41', '%2', '%ZZ', '+', 'a', 'Ж', '%D0%B2', 'utm_source=google', '');
const url = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));

describe('clickIds', () => {
  test.each([
    ['https://x.ua/?utm_source=google&gclid=ABC123', { gclid: 'ABC123', yclid: null, fbclid: null }],
    ['https://x.ua/?yclid=1&yclid=2&fbclid=a%2Bb#gclid=no', { gclid: null, yclid: '1', fbclid: 'a+b' }],
    ['https://x.ua/?gclid=&gclid=second', { gclid: null, yclid: null, fbclid: null }],
    ['https://x.ua/?g%63lid=encoded+name&yclid=', { gclid: 'encoded name', yclid: null, fbclid: null }],
    [`https://x.ua/?gclid=${'a'.repeat(513)}`, { gclid: null, yclid: null, fbclid: null }],
  ])('%s', (landingPage, expected) => {
    expect(clickIds(landingPage)).toEqual(expected);
    expect(reference(landingPage)).toEqual(expected);
  });

  test('equals URLSearchParams on any landing page', () => {
    fc.assert(fc.property(fc.oneof(url, fc.string(), fc.constant(null)), (landingPage) => {
      expect(clickIds(landingPage)).toEqual(reference(landingPage));
    }), { numRuns: 20_000 });
  });
});
