import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  epochToIso,
  monthNumber,
  normalizeDate,
  normalizeDateTime,
  normalizeDecimal,
  normalizeDuration,
  normalizeInteger,
  slugify,
} from '../../../app/import/presets/normalize';
import { splitEvenly, splitPeriod } from '../../../app/import/presets/offline-media';

describe('normalizeDecimal', () => {
  test.each([
    ['1234.56', 'auto', '1234.56'],
    ['1 234,56', 'auto', '1234.56'],
    ['1\u00a0234,56', 'auto', '1234.56'],
    ['1\u202f234\u202f567,5', 'auto', '1234567.5'],
    ['1,234.56', 'auto', '1234.56'],
    ['1.234,56', 'auto', '1234.56'],
    ['1,234', 'auto', '1234'],
    ['12,5', 'auto', '12.5'],
    ['1234,567', 'auto', '1234.567'],
    ['1,234', ',', '1.234'],
    ['1.234', ',', '1234'],
    ['1,234,567', 'auto', '1234567'],
    ["1'234.50", 'auto', '1234.50'],
    ['₴ 1 500,00', 'auto', '1500.00'],
    ['1 500,00 руб.', 'auto', '1500.00'],
    ['$1,500.00', 'auto', '1500.00'],
    ['-12,5', 'auto', '-12.5'],
    ['--', 'auto', ''],
    ['', 'auto', ''],
    ['n/a', 'auto', ''],
    ['12,5,6', 'auto', '12,5,6'],
    ['abc', 'auto', 'abc'],
    ['1.2.3', 'auto', '1.2.3'],
  ] as const)('%j (%s) → %j', (raw, mark, expected) => {
    expect(normalizeDecimal(raw, mark)).toBe(expected);
  });

  test('any amount written with a decimal comma and space groups reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
        const text = `${grouped},${String(cents).padStart(2, '0')}`;
        expect(normalizeDecimal(text)).toBe(`${whole}.${String(cents).padStart(2, '0')}`);
      }),
    );
  });
});

describe('normalizeInteger', () => {
  test.each([
    ['1 234', '1234'], ['1,234', '1234'], ['1.234', '1234'], ['12 345 678', '12345678'],
    ['87', '87'], ['12.0', '12'], ['--', ''], ['12.5', '12.5'], ['x', 'x'],
  ])('%j → %j', (raw, expected) => expect(normalizeInteger(raw)).toBe(expected));
});

describe('month names', () => {
  test.each([
    ['января', 1], ['Январь', 1], ['янв.', 1], ['лютого', 2], ['марта', 3], ['березня', 3], ['Mar', 3],
    ['квітня', 4], ['мая', 5], ['май', 5], ['травня', 5], ['червня', 6], ['июля', 7], ['липня', 7],
    ['серпня', 8], ['августа', 8], ['сентября', 9], ['вересня', 9], ['жовтня', 10], ['ноября', 11],
    ['листопада', 11], ['груд.', 12], ['December', 12], ['ма', null], ['понедельник', null],
  ] as const)('%s → %s', (word, n) => expect(monthNumber(word)).toBe(n));
});

describe('normalizeDate', () => {
  test.each([
    ['2026-11-01', 'dmy', '2026-11-01'],
    ['20261101', 'dmy', '2026-11-01'],
    ['01.11.2026', 'dmy', '2026-11-01'],
    ['1.11.26', 'dmy', '2026-11-01'],
    ['01/11/2026', 'dmy', '2026-11-01'],
    ['11/01/2026', 'mdy', '2026-11-01'],
    ['1 ноября 2026 г.', 'dmy', '2026-11-01'],
    ['5 листопада 2026 р.', 'dmy', '2026-11-05'],
    ['05 бер. 2026', 'dmy', '2026-03-05'],
    ['Nov 1, 2026', 'dmy', '2026-11-01'],
    ['November 1 2026', 'dmy', '2026-11-01'],
    ['1 Nov 2026', 'dmy', '2026-11-01'],
    ['32.01.2026', 'dmy', '32.01.2026'],
    ['yesterday', 'dmy', 'yesterday'],
  ] as const)('%j (%s) → %j', (raw, order, expected) => expect(normalizeDate(raw, order)).toBe(expected));
});

describe('normalizeDateTime', () => {
  test.each([
    ['01.11.2026 10:15:00', '2026-11-01T10:15:00'],
    ['01.11.2026 10:15', '2026-11-01T10:15:00'],
    ['2026-11-02 09:14', '2026-11-02T09:14:00'],
    ['2026-11-02T09:14:05.000-06:00', '2026-11-02T09:14:05.000-06:00'],
    ['2026-11-02 09:14:05 UTC', '2026-11-02T09:14:05Z'],
    ['11/02/2026 9:14 PM', '2026-11-02T21:14:00'],
    ['11/02/2026 12:05 AM', '2026-11-02T00:05:00'],
    ['1 ноября 2026 г. 10:15', '2026-11-01T10:15:00'],
    ['01.11.2026', '2026-11-01T00:00:00'],
    ['', ''],
    ['01.11.2026 25 o\'clock', "01.11.2026 25 o'clock"],
  ])('%j → %j', (raw, expected) => expect(normalizeDateTime(raw, raw.includes('/') ? 'mdy' : 'dmy')).toBe(expected));
});

describe('other normalisers', () => {
  test('epoch numbers become ISO instants', () => {
    expect(epochToIso('1793520000', 's')).toBe('2026-11-01T08:00:00Z');
    expect(epochToIso('1793520000123', 'ms')).toBe('2026-11-01T08:00:00.123Z');
    expect(epochToIso('1793520000123456', 'us')).toBe('2026-11-01T08:00:00.123Z');
    expect(epochToIso('soon', 'us')).toBe('soon');
  });

  test.each([
    ['155', '155'], ['2:35', '155'], ['00:02:35', '155'], ['1:00:01', '3601'], ['2 мин 35 сек', '155'], ['45 с', '45'], ['', ''], ['long', 'long'],
  ])('duration %j → %j', (raw, expected) => expect(normalizeDuration(raw)).toBe(expected));

  test.each([
    ['Billboard North', 'billboard_north'], ['  Radio «Київ FM»  ', 'radio_київ_fm'], ['Metro-lightbox #3', 'metro_lightbox_3'],
  ])('slug %j → %j', (raw, expected) => expect(slugify(raw)).toBe(expected));
});

describe('offline media periods', () => {
  test.each([
    ['01.11.2026 – 30.11.2026', ['2026-11-01', '2026-11-30']],
    ['2026-11-01 - 2026-11-10', ['2026-11-01', '2026-11-10']],
    ['01.11.2026-10.11.2026', ['2026-11-01', '2026-11-10']],
    ['1 листопада 2026 р. — 7 листопада 2026 р.', ['2026-11-01', '2026-11-07']],
    ['2026-11-01', null],
    ['5 листопада 2026 р.', null],
  ])('%j → %j', (text, expected) => expect(splitPeriod(text)).toEqual(expected));

  test.each([
    ['1000.03', 10, ['100.01', '100.01', '100.01', '100.00', '100.00', '100.00', '100.00', '100.00', '100.00', '100.00']],
    ['30000.00', 3, ['10000.00', '10000.00', '10000.00']],
    ['0.02', 3, ['0.01', '0.01', '0.00']],
    ['7', 2, ['3.50', '3.50']],
    ['1.005', 2, null],
  ] as const)('%s over %i days', (amount, n, expected) => expect(splitEvenly(amount, n)).toEqual(expected));

  test('shares always add up to the amount to the kopeck (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 1, max: 366 }), (cents, n) => {
        const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        const shares = splitEvenly(amount, n)!;
        expect(shares).toHaveLength(n);
        expect(shares.reduce((s, x) => s + Math.round(Number(x) * 100), 0)).toBe(cents);
      }),
    );
  });
});
