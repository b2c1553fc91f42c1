import { addDecimal } from './decimal';
import { computeMetrics, METRIC_FIELDS, type Metrics } from './metrics';
import type { Breakdown, ReportParams } from './params';

/**
 * Channel ROI report: one row per slice (`by`) with the metrics of
 * metrics.ts, sorted by spend then leads, plus a totals row computed from the
 * summed inputs (never by averaging row ratios). Leads, qualified, sales and
 * revenue follow the cohort mode: 'lead' counts outcomes in the period the
 * lead was created, 'event' in the period they happened.
 */

export interface ChannelRawRow {
  [key: string]: string | number | boolean | null;
  spend: string | null;
  impressions: number | null;
  clicks: number | null;
  sessions: number | null;
  leads: number;
  junk: number;
  qualified: number;
  sales: number;
  revenue: string;
  /** True when a lead-only slice or filter is on: spend and sessions do not apply. */
  leadOnly: boolean;
}

export type ChannelRow = Record<string, string | number | null> & Metrics;

export interface ChannelsReport {
  keys: string[];
  rows: ChannelRow[];
  totals: Metrics;
  leadOnly: boolean;
}

export function keyFields(by: Breakdown): string[] {
  switch (by) {
    case 'source_medium':
      return ['channel', 'source', 'medium'];
    case 'campaign':
      return ['channel', 'source', 'medium', 'campaign'];
    case 'ad':
      return ['channel', 'source', 'medium', 'campaign', 'ad'];
    default:
      return [by];
  }
}

export function computeChannelsReport(raw: ChannelRawRow[], params: Pick<ReportParams, 'by'>): ChannelsReport {
  const by = params.by ?? 'channel';
  const keys = keyFields(by);
  const leadOnly = raw.some((r) => r.leadOnly);
  const rows = raw.map((r) => {
    const key = Object.fromEntries(keys.map((k) => [k, (r[k] as string | null) ?? '']));
    return { ...key, ...computeMetrics(inputsOf(r, leadOnly)) } as ChannelRow;
  });
  const isTime = ['month', 'week', 'day'].includes(by);
  rows.sort((a, b) =>
    isTime
      ? String(a[keys[0]!]).localeCompare(String(b[keys[0]!]))
      : Number(b.spend ?? 0) - Number(a.spend ?? 0) || b.leads - a.leads || String(a[keys[0]!]).localeCompare(String(b[keys[0]!])),
  );
  const sum = (f: (r: ChannelRawRow) => number | null) => raw.reduce((s, r) => s + (f(r) ?? 0), 0);
  const totals = computeMetrics({
    spend: leadOnly ? null : addDecimal(...raw.map((r) => r.spend)),
    impressions: leadOnly ? null : sum((r) => r.impressions),
    clicks: leadOnly ? null : sum((r) => r.clicks),
    sessions: leadOnly ? null : sum((r) => r.sessions),
    leads: sum((r) => r.leads),
    junk: sum((r) => r.junk),
    qualified: sum((r) => r.qualified),
    sales: sum((r) => r.sales),
    revenue: addDecimal(...raw.map((r) => r.revenue)),
  });
  return { keys, rows, totals, leadOnly };
}

function inputsOf(r: ChannelRawRow, leadOnly: boolean) {
  return {
    spend: leadOnly ? null : (r.spend ?? '0.00'),
    impressions: leadOnly ? null : (r.impressions ?? 0),
    clicks: leadOnly ? null : (r.clicks ?? 0),
    sessions: leadOnly ? null : (r.sessions ?? 0),
    leads: r.leads,
    junk: r.junk,
    qualified: r.qualified,
    sales: r.sales,
    revenue: r.revenue,
  };
}

export const CHANNEL_METRIC_FIELDS = METRIC_FIELDS;
