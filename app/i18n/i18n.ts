import { useRouteLoaderData } from '@remix-run/react';
import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import { createFormatter, type Formatter } from '../lib/format';
import { en, type MessageKey, type Messages } from './messages/en';
import { ru } from './messages/ru';
import { uk } from './messages/uk';

// Interface language. Strings live in messages/{en,uk,ru}.ts; the type of
// `en` is the contract the other two must meet key for key. The root loader
// picks the language (cookie lp_lang, else Accept-Language) and the locale
// for numbers and dates, and provides both through <I18nProvider>.
//
//   const { t, tn } = useI18n();
//   t('filters.period')                         → 'Period'
//   t('table.rowsShown', { shown: 3, total: 9 }) → '3 of 9 rows'
//   tn('kpi.days', 5)                            → '5 days' (uses kpi.days_one/_few/_many/_other)
//   const f = useFormat();  f.money('12.5')      → 'UAH 12.50' in the user's locale

export const LANGUAGES = ['en', 'uk', 'ru'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'en';
export const LANGUAGE_COOKIE = 'lp_lang';

/** Each language in its own name, for the switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', uk: 'Українська', ru: 'Русский' };

/** The region a bare language formats numbers and dates for when the browser names none. */
const DEFAULT_LOCALES: Record<Lang, string> = { en: 'en-US', uk: 'uk-UA', ru: 'ru-RU' };

const CATALOGS: Record<Lang, Messages> = { en, uk, ru };

export type { MessageKey, Messages };
/** Keys of plural messages, without their _one/_few/_many/_other suffix. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type MessageParams = Record<string, string | number>;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export interface I18n {
  lang: Lang;
  /** BCP 47 locale for Intl: 'uk-UA', 'en-GB'. */
  locale: string;
  t(key: MessageKey, params?: MessageParams): string;
  /** A plural message chosen by the locale's rules; `{count}` is filled in, formatted. */
  tn(key: PluralKey, count: number, params?: MessageParams): string;
  /** A message whose key is built at run time ('channel.' + name), or `fallback` when there is none. */
  tMaybe(key: string, fallback: string, params?: MessageParams): string;
}

function interpolate(template: string, params: MessageParams | undefined, locale: string): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

const instances = new Map<string, I18n>();

export function createI18n(lang: Lang, locale = DEFAULT_LOCALES[lang]): I18n {
  const cacheKey = `${lang}|${locale}`;
  const cached = instances.get(cacheKey);
  if (cached) return cached;
  const messages = CATALOGS[lang];
  const plural = new Intl.PluralRules(locale);
  const lookup = (key: string): string | undefined => (messages as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
  const i18n: I18n = {
    lang,
    locale,
    t: (key, params) => interpolate(lookup(key) ?? key, params, locale),
    tn: (key, count, params) => {
      const form = lookup(`${key}_${plural.select(count)}`) ?? lookup(`${key}_other`) ?? key;
      return interpolate(form, { ...params, count }, locale);
    },
    tMaybe: (key, fallback, params) => interpolate(lookup(key) ?? fallback, params, locale),
  };
  instances.set(cacheKey, i18n);
  return i18n;
}

// ---------- Choosing the language ----------

/** Languages the browser asks for, best first: 'uk-UA,uk;q=0.9,en;q=0.8' → ['uk-UA', 'uk', 'en']. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const weight = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      // A weight that is not a number drops the tag rather than guessing.
      const q = weight === undefined ? 1 : /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(weight) ? Number(weight.slice(2)) : NaN;
      return { tag: tag.trim(), q, index };
    })
    .filter((x) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(x.tag) && x.q > 0 && Number.isFinite(x.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.tag);
}

const primary = (tag: string) => tag.split('-')[0]!.toLowerCase();

/** The first language we speak among those the browser asks for. */
export function negotiateLanguage(acceptLanguage: string | null | undefined): Lang {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const lang = primary(tag);
    if (isLang(lang)) return lang;
  }
  return DEFAULT_LANG;
}

/**
 * The locale for numbers and dates: the browser's own tag for the chosen
 * language when it sends one (en-GB writes 3 Nov 2026), else the default region.
 */
export function resolveLocale(lang: Lang, acceptLanguage: string | null | undefined): string {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    if (primary(tag) !== lang || !tag.includes('-')) continue;
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // A malformed tag is simply not used.
    }
  }
  return DEFAULT_LOCALES[lang];
}

/** The language stored in the lp_lang cookie, if it names one we have. */
export function languageFromCookie(cookieHeader: string | null | undefined): Lang | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === LANGUAGE_COOKIE) {
      const lang = value.join('=').trim();
      return isLang(lang) ? lang : null;
    }
  }
  return null;
}

/** The language and locale of a request: the remembered choice, else what the browser asks for. */
export function requestLanguage(headers: Headers): { lang: Lang; locale: string } {
  const accept = headers.get('accept-language');
  const lang = languageFromCookie(headers.get('cookie')) ?? negotiateLanguage(accept);
  return { lang, locale: resolveLocale(lang, accept) };
}

/** Set-Cookie value that remembers a language for a year. */
export function languageCookie(lang: Lang): string {
  return `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

// ---------- React ----------

const I18nContext = createContext<I18n>(createI18n(DEFAULT_LANG));

export function I18nProvider({ lang, locale, children }: { lang: Lang; locale: string; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang, locale), [lang, locale]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

interface WorkspaceRouteData {
  workspace: { currency: string };
}

/**
 * Number and date formatting in the user's locale and the workspace's
 * currency (from the /w/:workspace layout's data unless given).
 */
export function useFormat(currency?: string): Formatter {
  const { locale } = useI18n();
  const layout = useRouteLoaderData('routes/w.$workspace') as WorkspaceRouteData | undefined;
  return createFormatter(locale, currency ?? layout?.workspace.currency ?? 'USD');
}
