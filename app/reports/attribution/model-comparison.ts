/**
 * One table comparing every attribution model, channel by channel.
 *
 * - Credits are leads credited to the channel. Heuristic models run on each
 *   lead (credits sum to the number of leads); Markov and Shapley run on the
 *   aggregated paths of all journeys (Markov uses the non-converting ones
 *   too; both sum to the number of leads).
 * - Markov and Shapley carry a bootstrap 90% interval (5th–95th percentile,
 *   see bootstrap.ts).
 * - `disagrees` is true when at least one heuristic model's credit lies
 *   outside the channel's Markov interval, i.e. credit < low − ε or
 *   credit > high + ε, with ε = 1e-9 × max(1, leads) absorbing float noise;
 *   `disagreeingModels` lists those models. The interval describes sampling
 *   noise of the Markov credit, so a heuristic outside it differs from the
 *   data-driven model by more than the data's noise explains.
 * - Every channel seen in any journey (or as a last non-direct fallback) has a
 *   row; rows are ordered by Markov credit, largest first.
 *
 * computeModelComparison starts from journeys; computePathModelComparison
 * from what a database can hand over pre-grouped: the journeys' aggregated
 * paths and the heuristic credits already summed per channel (the attribution
 * report reads both from SQL, so no per-lead or per-visitor row reaches Node).
 */
import {
  computeBootstrapIntervals,
  DEFAULT_BOOTSTRAP_ITERATIONS,
  type BootstrapResampling,
  type CreditInterval,
} from './bootstrap';
import { computeLeadCredits, HEURISTIC_MODELS, type HeuristicModel, type HeuristicOptions } from './heuristics';
import { computeMarkovAttribution, type MarkovAttribution } from './markov';
import { computeAggregatedPaths } from './paths';
import { computeShapleyAttribution, type ShapleyAttribution } from './shapley';
import { compareText, isLeadJourney, type AggregatedPath, type Journey, type RandomSource } from './types';

export const ATTRIBUTION_MODELS = [...HEURISTIC_MODELS, 'markov', 'shapley'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export interface ModelComparisonOptions extends HeuristicOptions {
  /** Seeded PRNG for the bootstrap. */
  readonly rng: RandomSource;
  readonly bootstrapIterations?: number;
  /** Default 'poisson' (bootstrap.ts). */
  readonly bootstrapResampling?: BootstrapResampling;
}

/** Journeys already grouped: their paths and the heuristic credits summed per channel. */
export interface PathComparisonInput {
  /** Converting and non-converting journeys by path (whole counts). */
  readonly paths: readonly AggregatedPath[];
  /** Σ over leads of each heuristic model's credits, per channel; a missing model counts as 0. */
  readonly heuristicCredits: ReadonlyMap<string, Readonly<Partial<Record<HeuristicModel, number>>>>;
  readonly leads: number;
  readonly journeys: number;
}

export interface ModelComparisonRow {
  readonly channel: string;
  readonly credits: Readonly<Record<AttributionModel, number>>;
  readonly markovInterval: CreditInterval;
  readonly shapleyInterval: CreditInterval;
  readonly disagrees: boolean;
  readonly disagreeingModels: readonly HeuristicModel[];
}

export interface ModelComparison {
  readonly leads: number;
  readonly journeys: number;
  readonly bootstrapIterations: number;
  readonly rows: readonly ModelComparisonRow[];
  /** The engines' full results the rows were taken from (removal effects, value credits). */
  readonly markov: MarkovAttribution;
  readonly shapley: ShapleyAttribution;
}

const NO_INTERVAL: CreditInterval = { low: 0, high: 0 };

function emptyCredits(): Record<AttributionModel, number> {
  return Object.fromEntries(ATTRIBUTION_MODELS.map((model) => [model, 0])) as Record<AttributionModel, number>;
}

export function computeModelComparison(
  journeys: readonly Journey[],
  { halfLifeMs, ...options }: ModelComparisonOptions,
): ModelComparison {
  const heuristicCredits = new Map<string, Record<HeuristicModel, number>>();
  let leads = 0;
  for (const journey of journeys) {
    if (!isLeadJourney(journey)) continue;
    leads += 1;
    for (const model of HEURISTIC_MODELS) {
      for (const { channel, credit } of computeLeadCredits(journey, model, { halfLifeMs })) {
        let row = heuristicCredits.get(channel);
        if (!row) {
          row = Object.fromEntries(HEURISTIC_MODELS.map((m) => [m, 0])) as Record<HeuristicModel, number>;
          heuristicCredits.set(channel, row);
        }
        row[model] += credit;
      }
    }
  }
  return computePathModelComparison(
    { paths: computeAggregatedPaths(journeys), heuristicCredits, leads, journeys: journeys.length },
    options,
  );
}

export function computePathModelComparison(
  { paths, heuristicCredits, leads, journeys }: PathComparisonInput,
  { rng, bootstrapIterations = DEFAULT_BOOTSTRAP_ITERATIONS, bootstrapResampling }: Omit<ModelComparisonOptions, 'halfLifeMs'>,
): ModelComparison {
  const credits = new Map<string, Record<AttributionModel, number>>();
  const creditsOf = (channel: string) => {
    let row = credits.get(channel);
    if (!row) {
      row = emptyCredits();
      credits.set(channel, row);
    }
    return row;
  };
  for (const [channel, byModel] of heuristicCredits) {
    const row = creditsOf(channel);
    for (const model of HEURISTIC_MODELS) row[model] += byModel[model] ?? 0;
  }
  const markov = computeMarkovAttribution(paths);
  for (const { channel, conversions } of markov.channels) creditsOf(channel).markov = conversions;
  const shapley = computeShapleyAttribution(paths);
  for (const { channel, conversions } of shapley.channels) creditsOf(channel).shapley = conversions;
  const intervals = new Map(
    computeBootstrapIntervals(paths, { rng, iterations: bootstrapIterations, resampling: bootstrapResampling }).map(
      (i) => [i.channel, i],
    ),
  );

  const tolerance = 1e-9 * Math.max(1, leads);
  const rows = [...credits]
    .map(([channel, row]): ModelComparisonRow => {
      const markovInterval = intervals.get(channel)?.markov ?? NO_INTERVAL;
      const disagreeingModels = HEURISTIC_MODELS.filter(
        (model) => row[model] < markovInterval.low - tolerance || row[model] > markovInterval.high + tolerance,
      );
      return {
        channel,
        credits: row,
        markovInterval,
        shapleyInterval: intervals.get(channel)?.shapley ?? NO_INTERVAL,
        disagrees: disagreeingModels.length > 0,
        disagreeingModels,
      };
    })
    .sort((a, b) => b.credits.markov - a.credits.markov || compareText(a.channel, b.channel));

  return { leads, journeys, bootstrapIterations, rows, markov, shapley };
}
