import { divideDecimal, ratio, subtractDecimal } from './decimal';

/**
 * The marketing metrics of one slice, defined once (issue "analytics engine"):
 *
 * - spend, impressions, clicks: sums of spend rows in the range (spend has no
 *   manager/product/temperature, so those slices leave them empty).
 * - CTR = clicks / impressions; CPC = spend / clicks.
 * - sessions: visits in the range. leads: attributed credit under the chosen
 *   model (a lead carries 1, split over its touches). CR = leads / sessions.
 * - CPL = spend / leads, junk included; junk_share = junk / leads beside it.
 * - qualified: credit of leads that reached the `qualified` stage or a later
 *   one; CPQL = spend / qualified.
 * - sales: credit of won leads; CAC = spend / sales.
 * - revenue: credited amounts of won leads (amount × credit);
 *   ROMI = (revenue − spend) / spend; ROAS = revenue / spend;
 *   avg_deal = revenue / sales.
 * - Any division by zero is empty (null), never 0 or Infinity.
 * Money is a decimal string, counts and credits are numbers, ratios are
 * numbers (0.25 = 25%).
 */
export interface MetricInputs {
  spend: string | null;
  impressions: number | null;
  clicks: number | null;
  sessions: number | null;
  leads: number;
  junk: number;
  qualified: number;
  sales: number;
  revenue: string;
}

export interface Metrics extends MetricInputs {
  ctr: number | null;
  cpc: string | null;
  cr: number | null;
  cpl: string | null;
  junk_share: number | null;
  cpql: string | null;
  cac: string | null;
  romi: number | null;
  roas: number | null;
  avg_deal: string | null;
}

export const METRIC_FIELDS = [
  'spend', 'impressions', 'clicks', 'ctr', 'cpc', 'sessions', 'leads', 'cr', 'cpl', 'junk', 'junk_share',
  'qualified', 'cpql', 'sales', 'cac', 'revenue', 'romi', 'roas', 'avg_deal',
] as const satisfies readonly (keyof Metrics)[];

const CREDIT_DIGITS = 4;
const round = (n: number) => Math.round(n * 10 ** CREDIT_DIGITS) / 10 ** CREDIT_DIGITS;
const creditText = (n: number) => round(n).toFixed(CREDIT_DIGITS);
const toNumber = (s: string | null) => (s === null ? null : Number(s));

export function computeMetrics(i: MetricInputs): Metrics {
  const leads = round(i.leads);
  return {
    spend: i.spend,
    impressions: i.impressions,
    clicks: i.clicks,
    ctr: ratio(i.clicks, i.impressions),
    cpc: i.clicks ? divideDecimal(i.spend, i.clicks) : null,
    sessions: i.sessions,
    leads,
    cr: ratio(leads, i.sessions),
    cpl: leads > 0 ? divideDecimal(i.spend, creditText(i.leads)) : null,
    junk: round(i.junk),
    junk_share: ratio(i.junk, i.leads),
    qualified: round(i.qualified),
    cpql: round(i.qualified) > 0 ? divideDecimal(i.spend, creditText(i.qualified)) : null,
    sales: round(i.sales),
    cac: round(i.sales) > 0 ? divideDecimal(i.spend, creditText(i.sales)) : null,
    revenue: i.revenue,
    romi: i.spend === null ? null : toNumber(divideDecimal(subtractDecimal(i.revenue, i.spend), i.spend, 4)),
    roas: toNumber(divideDecimal(i.revenue, i.spend, 4)),
    avg_deal: round(i.sales) > 0 ? divideDecimal(i.revenue, creditText(i.sales)) : null,
  };
}
