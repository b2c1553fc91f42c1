import type { Db } from '../client';
import type { Workspace } from '../schema';
import { computeChannelsReport } from '../../app/reports/channels';
import { METRIC_FIELDS } from '../../app/reports/metrics';
import type { FlatRow } from '../../app/reports/export';
import type { ReportParams } from '../../app/reports/params';
import { getChannelRows } from '../queries/channels';
import { ensureMarkovCredits } from '../analytics/markov-credits';
import { attributionReport } from './attribution';
import { callsReport } from './calls';
import { coverageReport } from './coverage';
import { pathsReport } from './paths';
import { cohortsReport } from './cohorts';
import { funnelReport } from './funnel';
import { managersReport } from './managers';

// Every report by name: one query + one pure function each, shared by the CLI,
// the web pages and the exports, so a number has one definition.

export interface ReportOutput {
  name: string;
  columns: string[];
  rows: FlatRow[];
  /** A totals row over the same columns, where the report has one. */
  totals?: FlatRow;
  notes: string[];
  /** Further tables of the same report (e.g. the funnel's loss reasons), printed after the main one. */
  sections?: { title: string; columns: string[]; rows: FlatRow[] }[];
}

export type ReportRunner = (db: Db, ws: Workspace, params: ReportParams) => Promise<ReportOutput>;

const channels: ReportRunner = async (db, ws, params) => {
  // Per-lead Markov credits are fitted on the whole history and stored; refreshed when data changed.
  if (params.model === 'markov') await ensureMarkovCredits(db, ws);
  const report = computeChannelsReport(await getChannelRows(db, ws, params), params);
  const notes = [
    `leads, qualified, sales and revenue: ${params.model} attribution; ${params.cohort === 'lead' ? 'outcomes counted in the period the lead was created (cohort by lead)' : 'outcomes counted in the period they happened'}`,
  ];
  if (report.leadOnly) notes.push('spend and sessions are not shown: they have no manager, product or temperature');
  return {
    name: 'channels',
    columns: [...report.keys, ...METRIC_FIELDS],
    rows: report.rows as FlatRow[],
    totals: { ...Object.fromEntries(report.keys.map((k, i) => [k, i === 0 ? 'total' : ''])), ...report.totals } as FlatRow,
    notes,
  };
};

export const REPORTS: Record<string, ReportRunner> = {
  channels,
  funnel: funnelReport,
  managers: managersReport,
  calls: callsReport,
  cohorts: cohortsReport,
  attribution: attributionReport,
  paths: pathsReport,
  coverage: coverageReport,
};

export const REPORT_NAMES = Object.keys(REPORTS);
