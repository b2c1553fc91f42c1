import { epochToIso } from './normalize';
import { cell, definePreset, firstOf } from './preset';

// GA4's BigQuery export flattened to one CSV row per session: the
// session_start event of each session with its event parameters unnested
// (ga_session_id, page_location, page_referrer) and the nested records
// written as dotted (or underscored) column names. If the file holds other
// events too (an event_name column), only session_start rows are read.
//
// The session's source is session_traffic_source_last_click.manual_campaign
// (GA's session-scoped last click), else the collected_traffic_source
// values of the event. traffic_source.* is the user's FIRST source, so it is
// deliberately not read. A gclid GA collected but the page URL lost is put
// back on the landing page, where Leadpath looks for click ids.

const both = (dotted: string) => [dotted, dotted.replace(/\./g, '_')];

export const ga4BigQuery = definePreset({
  name: 'ga4-bigquery',
  label: 'GA4 BigQuery export (session_start rows, flattened to CSV)',
  kind: 'sessions',
  docs: 'https://support.google.com/analytics/answer/7029846',
  encodings: ['utf-8'],
  delimiters: [','],
  fields: [
    { key: 'user', headers: ['user_pseudo_id'], required: true, feeds: ['visitor_id', 'session_id'] },
    { key: 'session', headers: ['ga_session_id', ...both('event_params.ga_session_id')], required: true, feeds: ['session_id'] },
    { key: 'ts', headers: ['event_timestamp'], required: true, feeds: ['started_at'] },
    { key: 'event', headers: ['event_name'] },
    { key: 'last_source', headers: both('session_traffic_source_last_click.manual_campaign.source'), feeds: ['source'] },
    { key: 'last_medium', headers: both('session_traffic_source_last_click.manual_campaign.medium'), feeds: ['medium'] },
    { key: 'last_campaign', headers: both('session_traffic_source_last_click.manual_campaign.campaign_name'), feeds: ['campaign'] },
    { key: 'last_content', headers: both('session_traffic_source_last_click.manual_campaign.content'), feeds: ['content'] },
    { key: 'last_term', headers: both('session_traffic_source_last_click.manual_campaign.term'), feeds: ['term'] },
    { key: 'source', headers: both('collected_traffic_source.manual_source'), feeds: ['source'] },
    { key: 'medium', headers: both('collected_traffic_source.manual_medium'), feeds: ['medium'] },
    { key: 'campaign', headers: both('collected_traffic_source.manual_campaign_name'), feeds: ['campaign'] },
    { key: 'content', headers: both('collected_traffic_source.manual_content'), feeds: ['content'] },
    { key: 'term', headers: both('collected_traffic_source.manual_term'), feeds: ['term'] },
    { key: 'gclid', headers: both('collected_traffic_source.gclid'), feeds: ['landing_page'] },
    { key: 'page', headers: ['page_location', ...both('event_params.page_location')], feeds: ['landing_page'] },
    { key: 'referrer', headers: ['page_referrer', ...both('event_params.page_referrer')], feeds: ['referrer'] },
    { key: 'device', headers: both('device.category'), feeds: ['device'] },
    { key: 'region', headers: [...both('geo.region'), ...both('geo.city')], feeds: ['region'] },
  ],
  unmapped: [
    'traffic_source.source / medium / name (the user\'s first source, not the session\'s)',
    'event_date (event_timestamp is exact)',
    'geo.country, device.operating_system, platform (no canonical column)',
    'pageviews (one session_start row cannot count page_view events)',
  ],
  mapRow(r) {
    const event = cell(r, 'event');
    if (event !== '' && event !== 'session_start') return 'skip';
    const user = cell(r, 'user');
    const session = cell(r, 'session');
    const hasLastClick = firstOf(r, 'last_source', 'last_medium', 'last_campaign') !== '';
    const pick = (last: string, collected: string) => (hasLastClick ? cell(r, last) : cell(r, collected));
    // GA names missing campaign, content and term "(direct)", "(organic)", "(not set)": no campaign.
    const named = (value: string) => (/^\(.*\)$/.test(value) ? '' : value);
    return {
      session_id: user && session ? `${user}.${session}` : '',
      visitor_id: user,
      started_at: epochToIso(cell(r, 'ts'), 'us'),
      source: pick('last_source', 'source'),
      medium: pick('last_medium', 'medium'),
      campaign: named(pick('last_campaign', 'campaign')),
      content: named(pick('last_content', 'content')),
      term: named(pick('last_term', 'term')),
      landing_page: withGclid(cell(r, 'page'), cell(r, 'gclid')),
      referrer: cell(r, 'referrer'),
      device: cell(r, 'device'),
      region: cell(r, 'region') === '(not set)' ? '' : cell(r, 'region'),
    };
  },
});

/** The page URL with gclid added when GA collected one the URL does not carry. */
export function withGclid(page: string, gclid: string): string {
  if (!gclid || !page || /[?&]gclid=/.test(page)) return page;
  const hash = page.indexOf('#');
  const [base, fragment] = hash === -1 ? [page, ''] : [page.slice(0, hash), page.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}gclid=${encodeURIComponent(gclid)}${fragment}`;
}
