import {
  ASSISTED_COLUMNS,
  computePathsReport,
  PATH_LENGTH_COLUMNS,
  PATHS_COLUMNS,
  TIME_TO_LEAD_COLUMNS,
  TOP_PATHS_LIMIT,
} from '../../app/reports/paths-report';
import { unsupportedFilterKeys } from '../queries/attribution';
import { getPathsRows } from '../queries/paths';
import type { ReportRunner } from './index';

export const pathsReport: ReportRunner = async (db, ws, params) => {
  const report = computePathsReport(await getPathsRows(db, ws, params));
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
