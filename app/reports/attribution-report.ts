/**
 * Attribution report: every model side by side, channel by channel.
 *
 * Journeys (see journeys.ts): every lead created in the range is a
 * converting journey of its touches; every visitor who never produced a lead
 * is a non-converting journey of their sessions in the range.
 *
 * Rows (computeModelComparison, app/reports/attribution/model-comparison.ts):
 * - first … position: heuristic credits, Σ over the range's leads of each
 *   lead's per-touch credits (the same functions and inputs that wrote
 *   lead_credits, so they equal its sums for the same leads). In leads.
 * - markov: first-order Markov removal-effect credit over converting and
 *   non-converting journeys (global split, Σ = leads); shapley: simplified
 *   Shapley over converting journeys' channel sets (Σ = leads).
 * - markov_low/high, shapley_low/high: bootstrap 90% interval (5th–95th
 *   percentile, 200 resamples of all journeys by default, seeded PRNG so the
 *   report is deterministic).
 * - disagrees: some heuristic credit lies outside the Markov interval.
 * - shift_vs_last_non_direct = markov − last_non_direct (what moving from
 *   the default model to the data-driven one would change, in leads).
 * - Credits are rounded to 4 decimals for output, after every sum.
 * Rows are ordered by Markov credit, largest first; a totals row gives each
 * model's sum (the number of leads).
 *
 * Revenue section: revenue of won leads credited to each channel under each
 * model — heuristics Σ amount × credit per lead; Markov and Shapley the
 * engine's value credits (Markov path-restricted, see markov.ts). These are
 * float splits of exact amounts (money.ts), shown with 2 decimals; the totals
 * row is the exact revenue of the range's won leads.
 *
 * Nothing here reads the clock or the database.
 */
import { computeChannelTotals, computeLeadCredits, HEURISTIC_MODELS, type HeuristicModel } from './attribution/heuristics';
import { computeMarkovAttribution } from './attribution/markov';
import {
  ATTRIBUTION_MODELS as ENGINE_MODELS,
  computeModelComparison,
  type AttributionModel,
} from './attribution/model-comparison';
import { sumMoney } from './attribution/money';
import { computeAggregatedPaths } from './attribution/paths';
import { computeShapleyAttribution } from './attribution/shapley';
import { compareText, type AggregatedPath, type RandomSource } from './attribution/types';
import { addDecimal } from './decimal';
import { expandNonConverting, revenueOf, toLeadJourney, type LeadPathRow, type NonConvertingPathRow } from './journeys';

export const ATTRIBUTION_BOOTSTRAP_ITERATIONS = 200;
/** Fixed, so that the same data always gives the same intervals. */
export const ATTRIBUTION_BOOTSTRAP_SEED = 20_261_123;

export const ATTRIBUTION_COLUMNS = [
  'channel',
  ...ENGINE_MODELS,
  'markov_low',
  'markov_high',
  'shapley_low',
  'shapley_high',
  'disagrees',
  'shift_vs_last_non_direct',
] as const;

export const ATTRIBUTION_REVENUE_COLUMNS = ['channel', ...ENGINE_MODELS] as const;

export interface AttributionInput {
  readonly leads: readonly LeadPathRow[];
  readonly nonConverting: readonly NonConvertingPathRow[];
}

export interface AttributionOptions {
  readonly rng: RandomSource;
  /** Half-life of the time-decay model in ms (the workspace's setting). */
  readonly halfLifeMs: number;
  readonly bootstrapIterations?: number;
}

export type AttributionRow = { channel: string } & Record<AttributionModel, number> & {
  markov_low: number;
  markov_high: number;
  shapley_low: number;
  shapley_high: number;
  disagrees: boolean;
  shift_vs_last_non_direct: number;
};

/** Credited revenue per model, decimal strings with 2 decimals. */
export type AttributionRevenueRow = { channel: string } & Record<AttributionModel, string>;

export interface AttributionReport {
  readonly rows: AttributionRow[];
  readonly revenue: AttributionRevenueRow[];
  /** Σ of each model's unrounded credits, i.e. the number of leads (within float noise). */
  readonly totals: Record<AttributionModel, number>;
  readonly leads: number;
  readonly wonLeads: number;
  readonly nonConvertingJourneys: number;
  readonly journeys: number;
  /** Exact revenue of the won leads. */
  readonly totalRevenue: string;
  readonly bootstrapIterations: number;
  /** Channels whose heuristic credits lie outside the Markov interval, and which models. */
  readonly disagreements: { channel: string; models: HeuristicModel[] }[];
  /** Markov removal effect per channel, largest first. */
  readonly removalEffects: { channel: string; removalEffect: number }[];
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4 + 0; // + 0 turns −0 into 0
const money2 = (n: number) => (Math.abs(n) < 0.005 ? '0.00' : n.toFixed(2));

export function computeAttributionReport(input: AttributionInput, options: AttributionOptions): AttributionReport {
  const bootstrapIterations = options.bootstrapIterations ?? ATTRIBUTION_BOOTSTRAP_ITERATIONS;
  const leadJourneys = input.leads.map(toLeadJourney);
  const nonConverting = expandNonConverting(input.nonConverting);
  const comparison = computeModelComparison([...leadJourneys, ...nonConverting], {
    rng: options.rng,
    bootstrapIterations,
    halfLifeMs: options.halfLifeMs,
  });

  // Revenue: the non-converting rows are already grouped, so they join the
  // aggregated converting paths as they are (Markov and Shapley only look at
  // paths, and identical paths in two entries weigh the same as in one).
  const paths: AggregatedPath[] = [
    ...computeAggregatedPaths(leadJourneys),
    ...input.nonConverting
      .filter((p) => p.journeys > 0)
      .map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
  ];
  const markov = computeMarkovAttribution(paths);
  const revenueByModel = new Map<AttributionModel, Map<string, number>>();
  for (const model of HEURISTIC_MODELS) {
    const totals = computeChannelTotals(
      leadJourneys.map((lead) => ({
        credits: computeLeadCredits(lead, model, { halfLifeMs: options.halfLifeMs }),
        revenue: lead.revenue,
      })),
    );
    revenueByModel.set(model, new Map(totals.map((t) => [t.channel, t.revenue])));
  }
  revenueByModel.set('markov', new Map(markov.channels.map((c) => [c.channel, c.value])));
  revenueByModel.set('shapley', new Map(computeShapleyAttribution(paths).channels.map((c) => [c.channel, c.value])));

  const totals = Object.fromEntries(ENGINE_MODELS.map((m) => [m, 0])) as Record<AttributionModel, number>;
  const rows = comparison.rows.map((row): AttributionRow => {
    for (const model of ENGINE_MODELS) totals[model] += row.credits[model];
    return {
      channel: row.channel,
      ...(Object.fromEntries(ENGINE_MODELS.map((m) => [m, round4(row.credits[m])])) as Record<AttributionModel, number>),
      markov_low: round4(row.markovInterval.low),
      markov_high: round4(row.markovInterval.high),
      shapley_low: round4(row.shapleyInterval.low),
      shapley_high: round4(row.shapleyInterval.high),
      disagrees: row.disagrees,
      shift_vs_last_non_direct: round4(row.credits.markov - row.credits.last_non_direct),
    };
  });
  const revenue = comparison.rows.map(
    ({ channel }) =>
      ({
        channel,
        ...Object.fromEntries(ENGINE_MODELS.map((m) => [m, money2(revenueByModel.get(m)?.get(channel) ?? 0)])),
      }) as AttributionRevenueRow,
  );

  return {
    rows,
    revenue,
    totals,
    leads: comparison.leads,
    wonLeads: input.leads.filter((l) => l.isWon).length,
    nonConvertingJourneys: nonConverting.length,
    journeys: comparison.journeys,
    totalRevenue: addDecimal(sumMoney(input.leads.map(revenueOf))),
    bootstrapIterations,
    disagreements: comparison.rows
      .filter((r) => r.disagrees)
      .map((r) => ({ channel: r.channel, models: [...r.disagreeingModels] })),
    removalEffects: markov.channels
      .map((c) => ({ channel: c.channel, removalEffect: c.removalEffect }))
      .sort((a, b) => b.removalEffect - a.removalEffect || compareText(a.channel, b.channel)),
  };
}
