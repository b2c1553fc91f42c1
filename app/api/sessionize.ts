import { createHash } from 'node:crypto';

// Page events → sessions, a pure function of one visitor's stored page
// events (so a replay or a late, out-of-order event gives the same sessions
// as in-order delivery once every event is in).
//
// A page event's traffic source is its UTM parameters (context.campaign, else
// utm_* in the page URL or search), else an external referrer (a search
// engine → <engine>/organic, another site → <host>/referral), else none
// (internal navigation or a typed URL). In time order (ties by messageId), an
// event joins the current session when it comes within SESSION_GAP_MS of the
// session's previous event and has no source of its own or the session's
// source; otherwise it starts a session: with its source, or direct when it
// has none. A session's id is derived from the visitor and the messageId of
// its first event.

export const SESSION_GAP_MS = 30 * 60 * 1000;

export interface TrafficSource {
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
}

export interface PageEventInput {
  messageId: string;
  at: Date;
  source: TrafficSource | null;
  url: string | null;
  referrer: string | null;
}

export interface DerivedSession {
  session_id: string;
  visitor_id: string;
  started_at: Date;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
  landing_page: string | null;
  referrer: string | null;
  pageviews: number;
  /** messageIds of the session's events, in order. */
  events: string[];
}

const MAX_DIM = 1000;

const SEARCH_ENGINES: [RegExp, string][] = [
  [/(^|\.)google\.[a-z.]+$/, 'google'],
  [/(^|\.)bing\.com$/, 'bing'],
  [/(^|\.)yandex\.[a-z.]+$/, 'yandex'],
  [/(^|\.)ya\.ru$/, 'yandex'],
  [/(^|\.)duckduckgo\.com$/, 'duckduckgo'],
  [/(^|\.)search\.yahoo\.com$/, 'yahoo'],
  [/(^|\.)baidu\.com$/, 'baidu'],
  [/(^|\.)ecosia\.org$/, 'ecosia'],
];

// NUL cannot be stored in PostgreSQL text; a decoded %00 is dropped.
const clean = (v: string | null | undefined) => (v ?? '').replaceAll('\u0000', '').trim().slice(0, MAX_DIM);

function parseUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * Query parameters, percent-decoded as UTF-8; a value that is not UTF-8 once
 * decoded (old sites send cp1251: %EE%EA%ED%E0) is kept as written rather
 * than turned into U+FFFD, so it still tells campaigns apart.
 */
function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.replace(/^\?/, '').split('#')[0]!.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (raw: string) => {
      const plus = raw.replace(/\+/g, ' ');
      try {
        return decodeURIComponent(plus);
      } catch {
        return plus;
      }
    };
    const key = decode(eq === -1 ? part : part.slice(0, eq)).toLowerCase();
    if (!out.has(key)) out.set(key, decode(eq === -1 ? '' : part.slice(eq + 1)));
  }
  return out;
}

function utmFrom(query: string): TrafficSource | null {
  const params = queryParams(query);
  const get = (k: string) => clean(params.get(k));
  const s: TrafficSource = {
    source: get('utm_source').toLowerCase(),
    medium: get('utm_medium').toLowerCase(),
    campaign: get('utm_campaign'),
    content: get('utm_content'),
    term: get('utm_term'),
  };
  return s.source || s.medium || s.campaign ? s : null;
}

/** The traffic source of one page event (see the top of this file); null: none of its own. */
export function trafficSourceOf(input: {
  campaign?: { source?: string | null; medium?: string | null; name?: string | null; content?: string | null; term?: string | null } | null;
  url: string | null;
  search: string | null;
  referrer: string | null;
}): TrafficSource | null {
  const c = input.campaign;
  if (c && (clean(c.source) || clean(c.medium) || clean(c.name))) {
    return { source: clean(c.source).toLowerCase(), medium: clean(c.medium).toLowerCase(), campaign: clean(c.name), content: clean(c.content), term: clean(c.term) };
  }
  const page = parseUrl(input.url);
  const fromUrl = page ? utmFrom(page.search) : null;
  if (fromUrl) return fromUrl;
  const fromSearch = input.search ? utmFrom(input.search) : null;
  if (fromSearch) return fromSearch;
  const ref = parseUrl(input.referrer);
  if (!ref || !/^https?:$/.test(ref.protocol)) return null;
  const host = ref.hostname.toLowerCase().replace(/^www\./, '');
  if (page && page.hostname.toLowerCase().replace(/^www\./, '') === host) return null;
  const engine = SEARCH_ENGINES.find(([re]) => re.test(host));
  if (engine) return { source: engine[1], medium: 'organic', campaign: '', content: '', term: '' };
  return { source: clean(host), medium: 'referral', campaign: '', content: '', term: '' };
}

const DIRECT: TrafficSource = { source: '', medium: '', campaign: '', content: '', term: '' };

const sameSource = (a: TrafficSource, b: TrafficSource) =>
  a.source === b.source && a.medium === b.medium && a.campaign === b.campaign && a.content === b.content && a.term === b.term;

export function sessionIdFor(visitorId: string, firstMessageId: string): string {
  return `seg-${createHash('sha256').update(`${visitorId}\u0000${firstMessageId}`).digest('hex').slice(0, 32)}`;
}

/** Prefix of every session id the API derives (and so may replace). */
export const API_SESSION_PREFIX = 'seg-';

export function computeSessions(visitorId: string, events: readonly PageEventInput[]): DerivedSession[] {
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  const sessions: DerivedSession[] = [];
  let current: DerivedSession | null = null;
  let lastAt = 0;
  for (const e of ordered) {
    const t = e.at.getTime();
    const joins = current !== null && t - lastAt <= SESSION_GAP_MS && (e.source === null || sameSource(e.source, current));
    if (joins && current) {
      current.pageviews++;
      current.events.push(e.messageId);
    } else {
      const s = e.source ?? DIRECT;
      current = {
        session_id: sessionIdFor(visitorId, e.messageId),
        visitor_id: visitorId,
        started_at: e.at,
        source: s.source,
        medium: s.medium,
        campaign: s.campaign,
        content: s.content,
        term: s.term,
        landing_page: e.url ? e.url.trim() || null : null,
        referrer: e.referrer ? e.referrer.trim() || null : null,
        pageviews: 1,
        events: [e.messageId],
      };
      sessions.push(current);
    }
    lastAt = t;
  }
  return sessions;
}
