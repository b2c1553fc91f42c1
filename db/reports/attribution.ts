import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { FlatRow } from '../../app/reports/export';
import type { ReportParams } from '../../app/reports/params';
import {
  ATTRIBUTION_BOOTSTRAP_SEED,
  ATTRIBUTION_COLUMNS,
  ATTRIBUTION_REVENUE_COLUMNS,
  computeAttributionReport,
  type AttributionReport,
} from '../../app/reports/attribution-report';
import { ATTRIBUTION_MODELS as ENGINE_MODELS } from '../../app/reports/attribution/model-comparison';
import { createPrng } from '../../seeds/prng';
import { getAttributionRows, unsupportedFilterKeys } from '../queries/attribution';
import { cachedByDataVersion } from './version-cache';
import type { ReportRunner } from './index';

// The attribution report. Its input is read from the journey rollups
// (db/queries/attribution.ts: a few thousand distinct paths and the summed
// rule-based credits, whatever the number of sessions), and Markov, Shapley
// and the Poisson bootstrap run over distinct paths. Results are kept in
// process memory per (workspace, data_version, from, to): a repeated request
// is served from memory until the next import bumps data_version (old keys
// then simply age out of the LRU). Entries are promises, so concurrent
// requests for the same key share one computation. (The time-decay half-life
// is in the stored credits; changing it needs a rebuild, like the lookback.)

export const ATTRIBUTION_CACHE_ENTRIES = 32;

/** The computed report, from memory when this data version and range were computed before. */
export async function getAttributionReport(
  db: Db,
  ws: Workspace,
  params: Pick<ReportParams, 'from' | 'to'>,
): Promise<{ report: AttributionReport; cached: boolean }> {
  const { value, cached } = await cachedByDataVersion(
    db,
    ws,
    'attribution',
    [params.from, params.to],
    () => getAttributionRows(db, ws, params).then((input) => computeAttributionReport(input, { rng: createPrng(ATTRIBUTION_BOOTSTRAP_SEED) })),
    { capacity: ATTRIBUTION_CACHE_ENTRIES },
  );
  return { report: value, cached };
}

export const attributionReport: ReportRunner = async (db, ws, params) => {
  const { report } = await getAttributionReport(db, ws, params);
  const notes = [
    `${report.leads} leads created in the range (converting journeys) and ${report.nonConvertingJourneys} visitors without a lead whose first session is in the range (non-converting journeys, all their sessions)`,
    `credits in leads; markov: first-order Markov removal effects over all journeys; shapley: over the leads' channel sets; *_low/*_high: bootstrap 90% interval (${report.bootstrapIterations} Poisson resamples, fixed seed)`,
    'shift_vs_last_non_direct = markov − last_non_direct; disagrees: a rule-based model lies outside the Markov interval',
  ];
  if (report.leads === 0) notes.push('no leads in this range');
  for (const { channel, models } of report.disagreements) notes.push(`${channel}: outside the Markov interval under ${models.join(', ')}`);
  notes.push(`revenue section: revenue of won leads (${report.wonLeads}, exactly ${report.totalRevenue}) credited under each model; markov splits each lead over its own channels`);
  const ignored = unsupportedFilterKeys(params.filters, []);
  if (ignored.length > 0) notes.push(`filters do not apply to this report (journeys include visitors without a lead): ${ignored.join(', ')}`);

  const totals: FlatRow = {
    channel: 'total',
    ...Object.fromEntries(ENGINE_MODELS.map((m) => [m, Math.round(report.totals[m] * 1e4) / 1e4])),
    markov_low: null,
    markov_high: null,
    shapley_low: null,
    shapley_high: null,
    disagrees: null,
    shift_vs_last_non_direct: null,
  };
  const revenueTotals: FlatRow = {
    channel: 'total',
    ...Object.fromEntries(ENGINE_MODELS.map((m) => [m, report.totalRevenue])),
  };
  return {
    name: 'attribution',
    columns: [...ATTRIBUTION_COLUMNS],
    rows: report.rows,
    totals,
    notes,
    sections: [
      {
        title: 'revenue',
        columns: [...ATTRIBUTION_REVENUE_COLUMNS],
        rows: [...report.revenue, revenueTotals],
      },
    ],
  };
};
