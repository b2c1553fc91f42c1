import { normalizeDateTime, normalizeInteger } from './normalize';
import { cell, definePreset } from './preset';

// Yandex Metrica Logs API, source=visits: a TSV with the requested ym:s:*
// fields as the header. ym:s:dateTime is in the counter's time zone (no
// offset), so the workspace time zone should be the counter's. With no UTM
// tags the source is derived from Metrica's own last-traffic-source fields
// (organic search engine, ad engine, social network, referring site), the
// way Metrica's "Sources" report shows them.

const DEVICES: Record<string, string> = { '1': 'desktop', '2': 'mobile', '3': 'tablet', '4': 'tv', desktop: 'desktop', mobile: 'mobile', tablet: 'tablet', tv: 'tv' };
/** Metrica's social network ids as the source names the channel rules know. */
const SOCIAL: Record<string, string> = { vkontakte: 'vk', odnoklassniki: 'ok', facebook: 'facebook', instagram: 'instagram', twitter: 'twitter', telegram: 'telegram', youtube: 'youtube' };
const AD_ENGINES: Record<string, string> = { ya_direct: 'yandex', ya_market: 'yandex_market', google_adwords: 'google', vkontakte: 'vk', mytarget: 'vk', facebook: 'facebook' };

export const yandexMetricaLogs = definePreset({
  name: 'yandex-metrica-logs',
  label: 'Yandex Metrica Logs API visits',
  kind: 'sessions',
  docs: 'https://yandex.ru/dev/metrika/ru/logs/fields/visits',
  encodings: ['utf-8'],
  delimiters: ['\t', ','],
  fields: [
    { key: 'visit', headers: ['ym:s:visitID'], required: true, feeds: ['session_id'] },
    { key: 'client', headers: ['ym:s:clientID'], required: true, feeds: ['visitor_id'] },
    { key: 'time', headers: ['ym:s:dateTime'], required: true, feeds: ['started_at'] },
    { key: 'utm_source', headers: ['ym:s:UTMSource', 'ym:s:lastUTMSource'], feeds: ['source'] },
    { key: 'utm_medium', headers: ['ym:s:UTMMedium', 'ym:s:lastUTMMedium'], feeds: ['medium'] },
    { key: 'utm_campaign', headers: ['ym:s:UTMCampaign', 'ym:s:lastUTMCampaign'], feeds: ['campaign'] },
    { key: 'utm_content', headers: ['ym:s:UTMContent', 'ym:s:lastUTMContent'], feeds: ['content'] },
    { key: 'utm_term', headers: ['ym:s:UTMTerm', 'ym:s:lastUTMTerm'], feeds: ['term'] },
    { key: 'traffic', headers: ['ym:s:lastTrafficSource'], feeds: ['source', 'medium'] },
    { key: 'search_engine', headers: ['ym:s:lastSearchEngineRoot', 'ym:s:lastSearchEngine'], feeds: ['source'] },
    { key: 'adv_engine', headers: ['ym:s:lastAdvEngine'], feeds: ['source'] },
    { key: 'social', headers: ['ym:s:lastSocialNetwork'], feeds: ['source'] },
    { key: 'start_url', headers: ['ym:s:startURL'], feeds: ['landing_page'] },
    { key: 'referer', headers: ['ym:s:referer'], feeds: ['referrer', 'source'] },
    { key: 'region', headers: ['ym:s:regionCity', 'ym:s:regionArea', 'ym:s:regionCountry'], feeds: ['region'] },
    { key: 'device', headers: ['ym:s:deviceCategory'], feeds: ['device'] },
    { key: 'pageviews', headers: ['ym:s:pageViews'], feeds: ['pageviews'] },
  ],
  unmapped: ['ym:s:counterID, ym:s:watchIDs, ym:s:goalsID (no canonical column)', 'ym:s:dateTimeUTC (UTC+3 despite its name; ym:s:dateTime is read instead)', 'ym:s:isNewUser, ym:s:bounce, ym:s:visitDuration'],
  mapRow(r) {
    let source = cell(r, 'utm_source').toLowerCase();
    let medium = cell(r, 'utm_medium').toLowerCase();
    if (!source && !medium) [source, medium] = derivedSource(r);
    const pageviews = normalizeInteger(cell(r, 'pageviews'));
    return {
      session_id: cell(r, 'visit'),
      visitor_id: cell(r, 'client'),
      started_at: normalizeDateTime(cell(r, 'time')),
      source,
      medium,
      campaign: cell(r, 'utm_campaign'),
      content: cell(r, 'utm_content'),
      term: cell(r, 'utm_term'),
      landing_page: cell(r, 'start_url'),
      referrer: cell(r, 'referer'),
      region: cell(r, 'region'),
      device: DEVICES[cell(r, 'device').toLowerCase()] ?? cell(r, 'device'),
      pageviews: pageviews === '0' ? '' : pageviews,
    };
  },
});

function derivedSource(r: Readonly<Record<string, string>>): [string, string] {
  switch (cell(r, 'traffic').toLowerCase()) {
    case 'organic':
      return [cell(r, 'search_engine').toLowerCase().replace(/_.*$/, ''), 'organic'];
    case 'ad': {
      const engine = cell(r, 'adv_engine').toLowerCase();
      return [AD_ENGINES[engine] ?? engine.replace(/_.*$/, ''), 'cpc'];
    }
    case 'social':
      return [SOCIAL[cell(r, 'social').toLowerCase()] ?? cell(r, 'social').toLowerCase(), 'social'];
    case 'referral':
      return [hostOf(cell(r, 'referer')), 'referral'];
    case 'email':
      return ['email', 'email'];
    default:
      // direct, internal, saved pages, undefined: a direct visit.
      return ['', ''];
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
