import { channelOf, DEFAULT_CHANNEL_RULES } from '../app/domain/channels';
import type { Weighted } from './prng';

// The fictional business behind the demo: a Kyiv maker of windows and doors
// that sells across Ukraine. Everything here is static description; the
// simulation that turns it into rows lives in generate.ts.

export const DEMO_WORKSPACE = {
  slug: 'demo',
  name: 'Demo: Kyiv Windows & Doors',
  timeZone: 'Europe/Kyiv',
  currency: 'UAH',
  phoneCountry: 'UA',
} as const;

export const SITE = 'https://kyivwindows.com.ua';

export type Product = 'windows' | 'entrance_door' | 'interior_doors' | 'balcony';

/** Median and sigma of the won amount (UAH); amounts are kept within [8,000, 120,000]. */
export const PRODUCTS: Readonly<Record<Product, { weight: number; median: number; sigma: number; winFactor: number }>> = {
  windows: { weight: 0.55, median: 30_000, sigma: 0.55, winFactor: 1.0 },
  entrance_door: { weight: 0.17, median: 21_000, sigma: 0.45, winFactor: 1.1 },
  interior_doors: { weight: 0.12, median: 16_000, sigma: 0.5, winFactor: 1.15 },
  balcony: { weight: 0.16, median: 46_000, sigma: 0.5, winFactor: 0.85 },
};
export const PRODUCT_WEIGHTS: Weighted<Product> = Object.entries(PRODUCTS).map(([p, v]) => [p as Product, v.weight] as const);

export const PRODUCT_PAGES: Readonly<Record<Product, readonly string[]>> = {
  windows: ['/vikna/', '/vikna/metaloplastykovi/', '/ceny/vikna/'],
  entrance_door: ['/dveri/vkhidni/'],
  interior_doors: ['/dveri/mizhkimnatni/'],
  balcony: ['/balkony/', '/balkony/zasklennia/'],
};
export const GENERAL_PAGES: Weighted<string> = [
  ['/', 40], ['/akciyi/', 8], ['/kontakty/', 6], ['/portfolio/', 6], ['/blog/yak-obraty-vikna/', 9],
  ['/blog/energozberigayuchi-sklopakety/', 6], ['/blog/vkhidni-dveri-v-kvartyru/', 5], ['/vidguky/', 4],
];

export interface Manager {
  name: string;
  team: string;
  /** Median minutes from a lead (in working hours) to first contact. */
  responseMedianMin: number;
  /** Multiplier on the chance to win a lead. */
  winFactor: number;
  /** Chance to miss a call in working hours. */
  missRate: number;
}

// Managers differ on purpose: the dashboard's manager report should show that
// fast responders (Olena, Oksana) win more than slow ones (Maksym, Dmytro).
export const MANAGERS: readonly Manager[] = [
  { name: 'Olena Kovalenko', team: 'Kyiv', responseMedianMin: 6, winFactor: 1.25, missRate: 0.05 },
  { name: 'Andrii Shevchenko', team: 'Kyiv', responseMedianMin: 25, winFactor: 1.0, missRate: 0.1 },
  { name: 'Iryna Bondarenko', team: 'Kyiv', responseMedianMin: 12, winFactor: 1.1, missRate: 0.08 },
  { name: 'Dmytro Tkachenko', team: 'Kyiv', responseMedianMin: 170, winFactor: 0.75, missRate: 0.24 },
  { name: 'Oksana Hnatyshyn', team: 'Lviv', responseMedianMin: 8, winFactor: 1.2, missRate: 0.06 },
  { name: 'Taras Kostiv', team: 'Lviv', responseMedianMin: 90, winFactor: 0.9, missRate: 0.15 },
  { name: 'Serhii Melnyk', team: 'Odesa', responseMedianMin: 45, winFactor: 0.95, missRate: 0.18 },
  { name: 'Nataliia Boiko', team: 'Odesa', responseMedianMin: 15, winFactor: 1.05, missRate: 0.09 },
  { name: 'Maksym Savchenko', team: 'Kharkiv', responseMedianMin: 240, winFactor: 0.7, missRate: 0.22 },
  { name: 'Yuliia Marchenko', team: 'Kharkiv', responseMedianMin: 20, winFactor: 1.0, missRate: 0.1 },
  { name: 'Kateryna Rudenko', team: 'Dnipro', responseMedianMin: 10, winFactor: 1.1, missRate: 0.07 },
  { name: 'Bohdan Moroz', team: 'Dnipro', responseMedianMin: 120, winFactor: 0.85, missRate: 0.16 },
];

export interface Region {
  name: string;
  weight: number;
  /** Sales team serving the region (smaller regions are served from a neighbour). */
  team: string;
}

export const REGIONS: readonly Region[] = [
  { name: 'Kyiv', weight: 0.41, team: 'Kyiv' },
  { name: 'Lviv', weight: 0.15, team: 'Lviv' },
  { name: 'Odesa', weight: 0.14, team: 'Odesa' },
  { name: 'Dnipro', weight: 0.12, team: 'Dnipro' },
  { name: 'Kharkiv', weight: 0.11, team: 'Kharkiv' },
  { name: 'Vinnytsia', weight: 0.04, team: 'Kyiv' },
  { name: 'Zaporizhzhia', weight: 0.03, team: 'Dnipro' },
];

export type Device = 'desktop' | 'mobile' | 'tablet';
export const DEVICE_WEIGHTS: Weighted<Device> = [['desktop', 0.4], ['mobile', 0.53], ['tablet', 0.07]];
export const SOCIAL_DEVICE_WEIGHTS: Weighted<Device> = [['desktop', 0.14], ['mobile', 0.8], ['tablet', 0.06]];

export interface AdGroup {
  name: string;
  weight: number;
  product?: Product;
  /** utm_content values (ads); search ad groups have none: the term identifies the click. */
  ads?: readonly string[];
  terms?: readonly string[];
}

export type ClickIdParam = 'gclid' | 'yclid' | 'fbclid' | 'admitad_uid';

/** One way a visit can arrive: a campaign, an organic source, a referrer, direct. */
export interface Touch {
  key: string;
  source: string;
  medium: string;
  campaign: string;
  channel: string;
  /** Share of first visits (new visitors). */
  acquisitionWeight: number;
  /** Share of return visits. */
  returnWeight: number;
  /** Multiplier on the chance that a visit converts. */
  convFactor: number;
  /** Chance that a lead from this touch is junk. */
  junkRate: number;
  /** Temperature mix of its leads: [cold, warm, hot]. */
  temperature: readonly [number, number, number];
  referrers: readonly string[];
  adGroups?: readonly AdGroup[];
  clickId?: ClickIdParam;
  /** Paid: median cost per click (UAH) and click-through rate. */
  cpc?: number;
  ctr?: number;
  /** CPA partner: payout per accepted lead (UAH). */
  payoutPerLead?: number;
  /** Geo-targeted campaign: only visitors of this region, and spend rows carry it. */
  region?: string;
  /** Visitors outside this region only (brand campaign for the rest of the country). */
  excludeRegion?: string;
  /** Months (1-12) the campaign runs; all year when absent. */
  months?: readonly number[];
  /** Paused this many days before endDate (and not resumed). */
  activeUntilDaysBeforeEnd?: number;
  devices?: Weighted<Device>;
}

const touch = (t: Omit<Touch, 'channel'>): Touch => ({ ...t, channel: channelOf(DEFAULT_CHANNEL_RULES, t.source, t.medium) });

const T_BRAND: Touch['temperature'] = [0.15, 0.45, 0.4];
const T_SEARCH: Touch['temperature'] = [0.33, 0.45, 0.22];
const T_SOCIAL: Touch['temperature'] = [0.55, 0.35, 0.1];
const T_NEUTRAL: Touch['temperature'] = [0.3, 0.45, 0.25];

export const WINDOWS_TERMS = ['металопластикові вікна', 'пластикові вікна київ', 'вікна rehau', 'вікна від виробника'];
export const PRICE_TERMS = ['вікна ціна', 'вікна ціна, монтаж', 'скільки коштує вікно', 'вікна недорого'];

export const TOUCHES: readonly Touch[] = [
  touch({
    key: 'brand_kyiv', source: 'google', medium: 'cpc', campaign: 'brand_kyiv', region: 'Kyiv',
    acquisitionWeight: 3.5, returnWeight: 15, convFactor: 2.0, junkRate: 0.06, temperature: T_BRAND,
    referrers: ['https://www.google.com/'], clickId: 'gclid', cpc: 5.5, ctr: 0.13,
    adGroups: [
      { name: 'brand_exact', weight: 0.8, terms: ['kyivwindows', 'київські вікна', 'kyiv windows & doors'] },
      { name: 'brand_misspell', weight: 0.2, terms: ['kievwindows', 'kyiv vindows', 'київ вікна двері'] },
    ],
  }),
  touch({
    key: 'brand_regions', source: 'google', medium: 'cpc', campaign: 'brand_regions', excludeRegion: 'Kyiv',
    acquisitionWeight: 2.5, returnWeight: 15, convFactor: 1.8, junkRate: 0.06, temperature: T_BRAND,
    referrers: ['https://www.google.com/'], clickId: 'gclid', cpc: 4.8, ctr: 0.11,
    adGroups: [
      { name: 'brand_exact', weight: 0.85, terms: ['kyivwindows', 'київські вікна'] },
      { name: 'brand_misspell', weight: 0.15, terms: ['kievwindows', 'kyiv vindows'] },
    ],
  }),
  touch({
    key: 'windows_generic', source: 'google', medium: 'cpc', campaign: 'windows_generic',
    acquisitionWeight: 10, returnWeight: 3, convFactor: 1.0, junkRate: 0.12, temperature: T_SEARCH,
    referrers: ['https://www.google.com/'], clickId: 'gclid', cpc: 72, ctr: 0.045,
    adGroups: [
      { name: 'plastic_windows', weight: 0.5, product: 'windows', terms: WINDOWS_TERMS },
      { name: 'windows_price', weight: 0.3, product: 'windows', terms: PRICE_TERMS },
      { name: 'windows_install', weight: 0.2, product: 'windows', terms: ['встановлення вікон', 'заміна вікон у квартирі'] },
    ],
  }),
  touch({
    key: 'doors_generic', source: 'google', medium: 'cpc', campaign: 'doors_generic',
    acquisitionWeight: 5, returnWeight: 1.5, convFactor: 0.95, junkRate: 0.12, temperature: T_SEARCH,
    referrers: ['https://www.google.com/'], clickId: 'gclid', cpc: 55, ctr: 0.05,
    adGroups: [
      { name: 'entrance_doors', weight: 0.6, product: 'entrance_door', terms: ['вхідні двері', 'двері "Страж" ціна', 'броньовані двері'] },
      { name: 'interior_doors', weight: 0.4, product: 'interior_doors', terms: ['міжкімнатні двері', 'двері міжкімнатні купити'] },
    ],
  }),
  touch({
    key: 'balcony_spring', source: 'google', medium: 'cpc', campaign: 'balcony_spring', months: [3, 4, 5, 6],
    acquisitionWeight: 4, returnWeight: 1, convFactor: 1.05, junkRate: 0.12, temperature: T_SEARCH,
    referrers: ['https://www.google.com/'], clickId: 'gclid', cpc: 58, ctr: 0.05,
    adGroups: [{ name: 'balcony_glazing', weight: 1, product: 'balcony', terms: ['засклення балкону', 'балкон під ключ', 'винос балкону'] }],
  }),
  touch({
    key: 'gdn_remarketing', source: 'google', medium: 'display', campaign: 'gdn_remarketing',
    acquisitionWeight: 0, returnWeight: 7, convFactor: 0.6, junkRate: 0.24, temperature: T_SOCIAL,
    referrers: ['https://www.googleadservices.com/', 'https://sinoptik.ua/', 'https://www.pravda.com.ua/'], clickId: 'gclid',
    cpc: 9.5, ctr: 0.0045,
    adGroups: [{ name: 'site_visitors_30d', weight: 1, ads: ['banner_300x250', 'banner_728x90', 'responsive_discount'] }],
  }),
  touch({
    key: 'ya_windows', source: 'yandex', medium: 'cpc', campaign: 'ya_windows',
    acquisitionWeight: 5, returnWeight: 3, convFactor: 0.9, junkRate: 0.14, temperature: T_SEARCH,
    referrers: ['https://yandex.ua/'], clickId: 'yclid', cpc: 41, ctr: 0.05,
    adGroups: [
      { name: 'plastic_windows', weight: 0.6, product: 'windows', terms: WINDOWS_TERMS },
      { name: 'windows_price', weight: 0.4, product: 'windows', terms: PRICE_TERMS },
    ],
  }),
  touch({
    key: 'fb_prospecting', source: 'facebook', medium: 'paid_social', campaign: 'fb_prospecting',
    acquisitionWeight: 7, returnWeight: 0, convFactor: 0.5, junkRate: 0.18, temperature: T_SOCIAL,
    referrers: ['https://m.facebook.com/', 'https://l.facebook.com/', 'https://www.instagram.com/'], clickId: 'fbclid',
    cpc: 26, ctr: 0.011, devices: SOCIAL_DEVICE_WEIGHTS,
    adGroups: [
      { name: 'lookalike_buyers', weight: 0.55, ads: ['video_install', 'carousel_windows'] },
      { name: 'interests_renovation', weight: 0.45, ads: ['carousel_windows', 'photo_before_after'] },
    ],
  }),
  touch({
    key: 'fb_retargeting', source: 'facebook', medium: 'paid_social', campaign: 'fb_retargeting',
    acquisitionWeight: 0, returnWeight: 9, convFactor: 1.2, junkRate: 0.12, temperature: T_NEUTRAL,
    referrers: ['https://m.facebook.com/', 'https://l.facebook.com/'], clickId: 'fbclid',
    cpc: 19, ctr: 0.018, devices: SOCIAL_DEVICE_WEIGHTS,
    adGroups: [{ name: 'site_visitors_30d', weight: 1, ads: ['discount_banner', 'reviews_video'] }],
  }),
  touch({
    key: 'vk_windows', source: 'vk', medium: 'paid_social', campaign: 'vk_windows', activeUntilDaysBeforeEnd: 120,
    acquisitionWeight: 2.5, returnWeight: 0, convFactor: 0.5, junkRate: 0.2, temperature: T_SOCIAL,
    referrers: ['https://vk.com/', 'https://m.vk.com/'], cpc: 15, ctr: 0.008, devices: SOCIAL_DEVICE_WEIGHTS,
    adGroups: [{ name: 'renovation_interests', weight: 1, ads: ['photo_windows', 'promo_post'] }],
  }),
  touch({
    key: 'admitad_windows', source: 'admitad', medium: 'cpa', campaign: 'admitad_windows',
    acquisitionWeight: 5, returnWeight: 0, convFactor: 1.4, junkRate: 0.32, temperature: [0.6, 0.32, 0.08],
    referrers: ['https://ad.admitad.com/', 'https://remont-dim.com.ua/', 'https://kupony.com.ua/'], clickId: 'admitad_uid',
    payoutPerLead: 600,
  }),
  touch({
    key: 'email', source: 'email', medium: 'email', campaign: 'newsletter',
    acquisitionWeight: 0, returnWeight: 0, convFactor: 1.2, junkRate: 0.05, temperature: T_NEUTRAL,
    referrers: ['', 'https://mail.google.com/', 'https://mail.ukr.net/'],
  }),
  touch({
    key: 'google_organic', source: 'google', medium: 'organic', campaign: '',
    acquisitionWeight: 25, returnWeight: 16, convFactor: 1.0, junkRate: 0.1, temperature: T_NEUTRAL,
    referrers: ['https://www.google.com/', 'https://www.google.com.ua/'],
  }),
  touch({
    key: 'yandex_organic', source: 'yandex', medium: 'organic', campaign: '',
    acquisitionWeight: 2.5, returnWeight: 1.5, convFactor: 0.9, junkRate: 0.1, temperature: T_NEUTRAL,
    referrers: ['https://yandex.ua/'],
  }),
  touch({
    key: 'olx_referral', source: 'olx.ua', medium: 'referral', campaign: '',
    acquisitionWeight: 3, returnWeight: 1, convFactor: 0.8, junkRate: 0.14, temperature: T_NEUTRAL,
    referrers: ['https://www.olx.ua/d/uk/obyavlenie/metaloplastykovi-vikna-vid-vyrobnyka.html'],
  }),
  touch({
    key: 'budport_referral', source: 'budport.com.ua', medium: 'referral', campaign: '',
    acquisitionWeight: 2, returnWeight: 0.5, convFactor: 0.9, junkRate: 0.1, temperature: T_NEUTRAL,
    referrers: ['https://budport.com.ua/company/kyivwindows', 'https://budport.com.ua/news/vikna-2025'],
  }),
  touch({
    key: 'instagram_social', source: 'instagram', medium: 'social', campaign: '',
    acquisitionWeight: 2, returnWeight: 2, convFactor: 0.7, junkRate: 0.12, temperature: T_NEUTRAL,
    referrers: ['https://l.instagram.com/'], devices: SOCIAL_DEVICE_WEIGHTS,
  }),
  touch({
    key: 'direct', source: '', medium: '', campaign: '',
    acquisitionWeight: 13, returnWeight: 34, convFactor: 1.3, junkRate: 0.1, temperature: [0.22, 0.48, 0.3],
    referrers: [''],
  }),
];

export const TOUCH_BY_KEY: ReadonlyMap<string, Touch> = new Map(TOUCHES.map((t) => [t.key, t]));
export function touchByKey(key: string): Touch {
  const t = TOUCH_BY_KEY.get(key);
  if (!t) throw new Error(`Unknown touch ${key}`);
  return t;
}

/** Call-tracking numbers. Pool numbers are swapped into the site per visit (DNI). */
export const POOL_NUMBERS: readonly string[] = Array.from({ length: 8 }, (_, i) => `+38044334120${i + 1}`);

export interface StaticLine {
  key: string;
  number: string;
  source: string;
  medium: string;
  campaign: string;
  channel: string;
  /** Calls per day at demo scale, before seasonality. */
  callsPerDay: number;
  junkRate: number;
  temperature: readonly [number, number, number];
  /** Offline media invoice per month (UAH, demo scale); none for lines on online ads. */
  monthlyCost?: number;
  /** Monthly opportunities to see, reported as impressions. */
  monthlyImpressions?: number;
  /** Days before endDate the line starts / stops (relative so every range shows it). */
  activeFromDaysBeforeEnd?: number;
  activeUntilDaysBeforeEnd?: number;
  kyivShare: number;
}

const line = (l: Omit<StaticLine, 'channel'>): StaticLine => ({ ...l, channel: channelOf(DEFAULT_CHANNEL_RULES, l.source, l.medium) });

// The south billboard's number was used for a radio spot before the billboard
// went up: the same number has two assignments with valid_from/valid_to.
export const STATIC_LINES: readonly StaticLine[] = [
  line({
    key: 'billboard_north', number: '+380443341290', source: 'billboard_north', medium: 'offline', campaign: 'outdoor_obolon',
    callsPerDay: 0.35, junkRate: 0.09, temperature: [0.25, 0.5, 0.25], monthlyCost: 18_000, monthlyImpressions: 420_000, kyivShare: 0.9,
  }),
  line({
    key: 'radio_lux', number: '+380443341291', source: 'lux_fm', medium: 'offline', campaign: 'radio_spot',
    callsPerDay: 0.25, junkRate: 0.12, temperature: [0.35, 0.45, 0.2], monthlyCost: 11_000, monthlyImpressions: 650_000, kyivShare: 0.75,
    activeUntilDaysBeforeEnd: 151,
  }),
  line({
    key: 'billboard_south', number: '+380443341291', source: 'billboard_south', medium: 'offline', campaign: 'outdoor_holosiiv',
    callsPerDay: 0.3, junkRate: 0.1, temperature: [0.25, 0.5, 0.25], monthlyCost: 15_000, monthlyImpressions: 360_000, kyivShare: 0.92,
    activeFromDaysBeforeEnd: 150,
  }),
  line({
    key: 'google_call_ext', number: '+380443341292', source: 'google', medium: 'cpc', campaign: 'brand_kyiv',
    callsPerDay: 0.15, junkRate: 0.06, temperature: T_BRAND, kyivShare: 0.85,
  }),
];

/** Trade shows: manual leads entered by managers from the stand. */
export const EXPOS: readonly { campaign: (year: number) => string; month: number; firstDay: number; days: number; leadsPerDay: number }[] = [
  { campaign: (y) => `interbuild_${y}`, month: 3, firstDay: 25, days: 4, leadsPerDay: 7 },
  { campaign: (y) => `budexpo_autumn_${y}`, month: 10, firstDay: 14, days: 3, leadsPerDay: 5 },
];

export const LOSS_REASONS_EARLY: Weighted<string> = [['no_response', 0.55], ['timing', 0.2], ['price', 0.13], ['out_of_area', 0.12]];
export const LOSS_REASONS_LATE: Weighted<string> = [['price', 0.4], ['competitor', 0.3], ['timing', 0.15], ['no_response', 0.15]];
export const JUNK_REASONS: Weighted<string> = [['spam', 0.4], ['wrong_number', 0.35], ['duplicate', 0.15], ['test', 0.1]];

/** Ukrainian mobile operator codes (after the leading 0). */
export const MOBILE_CODES = ['50', '66', '95', '99', '67', '68', '96', '97', '98', '63', '73', '93'] as const;

export const FIRST_NAMES = [
  'olena', 'andrii', 'iryna', 'dmytro', 'oksana', 'taras', 'serhii', 'nataliia', 'maksym', 'yuliia', 'kateryna',
  'bohdan', 'viktor', 'halyna', 'oleksandr', 'svitlana', 'mykola', 'tetiana', 'yurii', 'larysa', 'roman', 'anna',
  'vasyl', 'mariia', 'ihor', 'liudmyla', 'pavlo', 'sofiia', 'volodymyr', 'khrystyna',
] as const;
export const LAST_NAMES = [
  'kovalenko', 'shevchenko', 'bondarenko', 'tkachenko', 'kravchenko', 'melnyk', 'boiko', 'lysenko', 'marchenko',
  'savchenko', 'rudenko', 'moroz', 'oliinyk', 'polishchuk', 'kovalchuk', 'petrenko', 'klymenko', 'pavlenko',
  'levchenko', 'kharchenko', 'savchuk', 'ponomarenko', 'vasylenko', 'hrytsenko', 'zinchenko',
] as const;
export const EMAIL_DOMAINS: Weighted<string> = [['gmail.com', 0.56], ['ukr.net', 0.24], ['i.ua', 0.07], ['outlook.com', 0.08], ['meta.ua', 0.05]];

/** Relative visit volume by local hour (sessions). */
export const SESSION_HOURS = [
  0.8, 0.4, 0.25, 0.2, 0.2, 0.35, 0.8, 1.6, 2.8, 4.2, 5.4, 5.8, 5.6, 5.5, 5.6, 5.4, 5.1, 4.8, 4.9, 5.5, 6.0, 5.6, 4.0, 2.2,
] as const;
/** Relative call volume by local hour (people call in office hours). */
export const CALL_HOURS = [
  0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.1, 0.6, 2.5, 6, 9, 10, 9, 8, 9, 9, 8, 7, 5, 3, 2, 1.2, 0.5, 0.2,
] as const;
/** Relative visit volume Monday..Sunday: renovation is researched on weekdays and Sunday evening. */
export const SESSION_WEEKDAYS = [1.08, 1.1, 1.06, 1.02, 0.94, 0.82, 0.96] as const;
/** Relative call volume Monday..Sunday: the office is closed on Sunday, short on Saturday. */
export const CALL_WEEKDAYS = [1.15, 1.12, 1.08, 1.05, 1.0, 0.55, 0.3] as const;
