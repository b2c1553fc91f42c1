import {
  ASSISTED_COLUMNS,
  computePathsReportFromGroups,
  PATH_LENGTH_COLUMNS,
  PATHS_COLUMNS,
  TIME_TO_LEAD_COLUMNS,
  TOP_PATHS_LIMIT,
} from '../../app/reports/paths-report';
import type { PathsInput } from '../../app/reports/paths-report';
import type { ReportParams } from '../../app/reports/params';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { LEAD_FILTER_KEYS, unsupportedFilterKeys } from '../queries/attribution';
import { getPathsInput } from '../queries/paths';
import { cachedByDataVersion } from './version-cache';
import type { ReportRunner } from './index';

/**
 * The paths report's grouped leads (db/queries/paths.ts), remembered per data
 * version, range and the lead filters that apply (the others do not change it).
 */
export async function getCachedPathsInput(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<PathsInput> {
  const filters = LEAD_FILTER_KEYS.map((key) => [key, [...(params.filters[key] ?? [])].sort()]);
  const { value } = await cachedByDataVersion(db, ws, 'paths', [params.from, params.to, filters], () => getPathsInput(db, ws, params));
  return value;
}

export const pathsReport: ReportRunner = async (db, ws, params) => {
  const report = computePathsReportFromGroups(await getCachedPathsInput(db, ws, params));
  const notes = [
    `${report.leads} leads created in the range, ${report.won} won (revenue ${report.revenue}); top ${TOP_PATHS_LIMIT} of ${report.distinctPaths} paths, consecutive repeats collapsed`,
    'length: touches per lead, repeats counted; a lead without a known touch counts its one stand-in touch (explicit source or direct)',
    `time_to_lead: days from the first touch to the lead; ${report.leadsWithoutKnownTouch} leads without a session or call touch are left out`,
    'assisted: leads with the channel on the path but not as the last touch; assist_ratio = assisted / last-touch leads',
  ];
  if (report.leads === 0) notes.push('no leads in this range');
  const ignored = unsupportedFilterKeys(params.filters);
  if (ignored.length > 0) notes.push(`filters that do not apply to this report were ignored: ${ignored.join(', ')}`);
  return {
    name: 'paths',
    columns: [...PATHS_COLUMNS],
    rows: report.rows,
    notes,
    sections: [
      { title: 'length', columns: [...PATH_LENGTH_COLUMNS], rows: report.length },
      { title: 'time_to_lead', columns: [...TIME_TO_LEAD_COLUMNS], rows: report.timeToLead },
      { title: 'assisted', columns: [...ASSISTED_COLUMNS], rows: report.assisted },
    ],
  };
};
