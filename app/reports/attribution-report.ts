/**
 * Attribution report: every model side by side, channel by channel.
 *
 * Journeys (see journeys.ts): every lead created in the range is a
 * converting journey of its touches; every visitor who never produced a lead
 * and whose FIRST session falls in the range is a non-converting journey of
 * all their sessions (cohort by first touch, read from the nonconverting_paths
 * rollup).
 *
 * Input (AttributionInput), grouped before it gets here so that its size
 * does not grow with leads or visitors:
 * - converting: the range's leads grouped by path, with their count, won
 *   count and exact won revenue. Markov collapses repeats itself and Shapley
 *   only looks at a path's channel set, so a path may come collapsed or as
 *   touched: both give the same credits.
 * - heuristics: Σ over the range's leads of each rule-based model's per-touch
 *   credits per channel, and Σ amount × credit over the won ones — the sums
 *   of the stored lead_credits, which the same functions wrote
 *   (computeAttributionInput below derives the same from lead rows).
 * - nonConverting: visitors without a lead by (collapsed) path.
 *
 * Rows (computePathModelComparison, app/reports/attribution/model-comparison.ts):
 * - first … position: heuristic credits in leads.
 * - markov: first-order Markov removal-effect credit over converting and
 *   non-converting journeys (global split, Σ = leads); shapley: simplified
 *   Shapley over converting journeys' channel sets (Σ = leads).
 * - markov_low/high, shapley_low/high: bootstrap 90% interval (5th–95th
 *   percentile, 200 Poisson-bootstrap resamples of the distinct paths by
 *   default, seeded PRNG so the report is deterministic; bootstrap.ts).
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
import {
  ATTRIBUTION_MODELS as ENGINE_MODELS,
  computePathModelComparison,
  type AttributionModel,
} from './attribution/model-comparison';
import { sumMoney } from './attribution/money';
import { compareText, type AggregatedPath, type RandomSource } from './attribution/types';
import { addDecimal } from './decimal';
import {
  computeConvertingPaths,
  toLeadJourney,
  type ConvertingPathRow,
  type LeadPathRow,
  type NonConvertingPathRow,
} from './journeys';

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

/** One rule-based model's credits of the range's leads for one channel. */
export interface HeuristicCreditRow {
  readonly model: HeuristicModel;
  readonly channel: string;
  /** Σ credit over the leads, in leads. */
  readonly credit: number;
  /** Σ amount × credit over the won leads (float). */
  readonly revenue: number;
}

export interface AttributionInput {
  readonly converting: readonly ConvertingPathRow[];
  readonly heuristics: readonly HeuristicCreditRow[];
  readonly nonConverting: readonly NonConvertingPathRow[];
}

export interface AttributionOptions {
  readonly rng: RandomSource;
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

/**
 * The input the report's queries return, derived from lead rows instead:
 * the definition the SQL aggregation must equal (and what the unit tests feed).
 */
export function computeAttributionInput(
  leads: readonly LeadPathRow[],
  nonConverting: readonly NonConvertingPathRow[],
  /** Half-life of the time-decay model in ms (the workspace's setting the stored credits used). */
  { halfLifeMs }: { halfLifeMs: number },
): AttributionInput {
  const journeys = leads.map(toLeadJourney);
  const heuristics: HeuristicCreditRow[] = HEURISTIC_MODELS.flatMap((model) =>
    computeChannelTotals(
      journeys.map((lead) => ({ credits: computeLeadCredits(lead, model, { halfLifeMs }), revenue: lead.revenue })),
    ).map((t) => ({ model, channel: t.channel, credit: t.credit, revenue: t.revenue })),
  );
  return { converting: computeConvertingPaths(leads), heuristics, nonConverting };
}

export function computeAttributionReport(input: AttributionInput, options: AttributionOptions): AttributionReport {
  const bootstrapIterations = options.bootstrapIterations ?? ATTRIBUTION_BOOTSTRAP_ITERATIONS;
  let leads = 0;
  let wonLeads = 0;
  let nonConvertingJourneys = 0;
  // One entry per distinct path, its converting and non-converting journeys together: every
  // model depends on the counts only, and so does the Poisson bootstrap (each count drawn on
  // its own), while the models and each resample cost the number of entries.
  const byPath = new Map<string, { path: readonly string[]; conversions: number; value: number; nulls: number }>();
  const entryOf = (path: readonly string[]) => {
    const key = path.join('\u001f');
    let entry = byPath.get(key);
    if (!entry) {
      entry = { path, conversions: 0, value: 0, nulls: 0 };
      byPath.set(key, entry);
    }
    return entry;
  };
  for (const p of input.converting) {
    if (p.leads <= 0) continue;
    leads += p.leads;
    wonLeads += p.wonLeads;
    const entry = entryOf(p.path);
    entry.conversions += p.leads;
    entry.value += Number(p.revenue);
  }
  for (const p of input.nonConverting) {
    if (p.journeys <= 0) continue;
    nonConvertingJourneys += p.journeys;
    entryOf(p.path).nulls += p.journeys;
  }
  const paths: AggregatedPath[] = [...byPath.values()];
  const heuristicCredits = new Map<string, Partial<Record<HeuristicModel, number>>>();
  const revenueByModel = new Map<AttributionModel, Map<string, number>>();
  for (const row of input.heuristics) {
    const credits = heuristicCredits.get(row.channel) ?? {};
    credits[row.model] = (credits[row.model] ?? 0) + row.credit;
    heuristicCredits.set(row.channel, credits);
    const revenue = revenueByModel.get(row.model) ?? new Map<string, number>();
    revenue.set(row.channel, (revenue.get(row.channel) ?? 0) + row.revenue);
    revenueByModel.set(row.model, revenue);
  }
  const comparison = computePathModelComparison(
    { paths, heuristicCredits, leads, journeys: leads + nonConvertingJourneys },
    { rng: options.rng, bootstrapIterations },
  );
  const { markov, shapley } = comparison;
  revenueByModel.set('markov', new Map(markov.channels.map((c) => [c.channel, c.value])));
  revenueByModel.set('shapley', new Map(shapley.channels.map((c) => [c.channel, c.value])));

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
    leads,
    wonLeads,
    nonConvertingJourneys,
    journeys: comparison.journeys,
    totalRevenue: addDecimal(sumMoney(input.converting.map((p) => p.revenue))),
    bootstrapIterations,
    disagreements: comparison.rows
      .filter((r) => r.disagrees)
      .map((r) => ({ channel: r.channel, models: [...r.disagreeingModels] })),
    removalEffects: markov.channels
      .map((c) => ({ channel: c.channel, removalEffect: c.removalEffect }))
      .sort((a, b) => b.removalEffect - a.removalEffect || compareText(a.channel, b.channel)),
  };
}
