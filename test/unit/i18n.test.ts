import { describe, expect, test } from 'vitest';
import {
  createI18n,
  languageCookie,
  languageFromCookie,
  negotiateLanguage,
  parseAcceptLanguage,
  requestLanguage,
  resolveLocale,
} from '../../app/i18n/i18n';
import { en } from '../../app/i18n/messages/en';
import { ru } from '../../app/i18n/messages/ru';
import { uk } from '../../app/i18n/messages/uk';

describe('catalogues', () => {
  // The Messages type already enforces this; the test also catches an `as` cast that hides a gap.
  test.each([
    ['uk', uk],
    ['ru', ru],
  ])('%s has exactly the keys of en, none empty, the same placeholders', (_lang, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(catalogue)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });
});

describe('t', () => {
  test('looks up and fills placeholders, numbers in the locale', () => {
    expect(createI18n('en').tn('table.rowsShown', 1200, { shown: 3 })).toBe('3 of 1,200 rows');
    expect(createI18n('uk').tn('table.rowsShown', 1200, { shown: 3 }).replace(/\u00a0/g, ' ')).toBe('3 з 1 200 рядків');
    expect(createI18n('ru').t('section.channels')).toBe('Каналы');
  });

  test.each([
    ['en', 1, '1 of 1 row'],
    ['en', 2, '1 of 2 rows'],
    ['uk', 1, '1 з 1 рядка'],
    ['uk', 21, '1 з 21 рядка'],
    ['uk', 22, '1 з 22 рядків'],
    ['uk', 25, '1 з 25 рядків'],
    ['ru', 21, '1 из 21 строки'],
    ['ru', 3, '1 из 3 строк'],
    ['ru', 11, '1 из 11 строк'],
  ] as const)('plural forms: %s, %i rows', (lang, count, text) => {
    expect(createI18n(lang).tn('table.rowsShown', count, { shown: 1 })).toBe(text);
  });

  test('a run-time key falls back when there is no message for it', () => {
    const i18n = createI18n('uk');
    expect(i18n.tMaybe('channel.paid_search', 'paid_search')).toBe('Платний пошук');
    expect(i18n.tMaybe('channel.billboards', 'billboards')).toBe('billboards');
  });
});

describe('choosing the language', () => {
  test('Accept-Language is read in order of preference', () => {
    expect(parseAcceptLanguage('en;q=0.5, uk-UA, uk;q=0.9, *;q=0.1')).toEqual(['uk-UA', 'uk', 'en']);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage('x;q=abc, <script>')).toEqual([]);
  });

  test.each([
    ['uk-UA,uk;q=0.9,en;q=0.8', 'uk'],
    ['ru-RU,ru;q=0.9', 'ru'],
    ['de-DE,de;q=0.9,ru;q=0.5', 'ru'],
    ['de-DE,fr', 'en'],
    [null, 'en'],
  ] as const)('%s → %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });

  test.each([
    ['en', 'en-GB,en;q=0.9', 'en-GB'],
    ['en', 'uk-UA', 'en-US'],
    ['uk', 'uk-UA', 'uk-UA'],
    ['uk', 'en-US', 'uk-UA'],
    ['ru', 'ru-UA,ru;q=0.9', 'ru-UA'],
  ] as const)('%s with %s formats as %s', (lang, header, locale) => {
    expect(resolveLocale(lang, header)).toBe(locale);
  });

  test('the lp_lang cookie wins over the browser, and only known values count', () => {
    expect(languageFromCookie('a=1; lp_lang=ru; b=2')).toBe('ru');
    expect(languageFromCookie('lp_lang=de')).toBeNull();
    expect(languageFromCookie('lp_lang=%3Cscript%3E')).toBeNull();
    expect(requestLanguage(new Headers({ cookie: 'lp_lang=uk', 'accept-language': 'en-GB' }))).toEqual({ lang: 'uk', locale: 'uk-UA' });
    expect(requestLanguage(new Headers({ cookie: 'lp_lang=xx', 'accept-language': 'en-GB' }))).toEqual({ lang: 'en', locale: 'en-GB' });
    expect(languageCookie('uk')).toBe('lp_lang=uk; Path=/; Max-Age=31536000; SameSite=Lax');
  });
});
