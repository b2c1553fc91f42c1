import { COHORT_FIELDS, COHORT_SUMMARY_FIELDS, computeCohorts, MATURE_WEEKS, MAX_WEEK } from '../../app/reports/cohorts';
import type { FlatRow } from '../../app/reports/export';
import { hasLeadOnlyFilter } from '../../app/reports/params';
import { getCohortRows } from '../queries/cohorts';
import type { ReportRunner } from './index';

// The cohort maturation report: per creation month, cumulative qualified
// leads, sales and revenue by lead age in weeks, against the month's spend.
export const cohortsReport: ReportRunner = async (db, ws, params) => {
  const report = computeCohorts(await getCohortRows(db, ws, params), params);
  const notes = [
    `cohort: month the lead was created; week w: outcomes within w + 1 weeks of each lead's creation, known at the end of ${params.to}; up to week ${MAX_WEEK}`,
    'leads are counted (not credited); qualified: reached the qualified stage or a later one; sales: won leads; spend: the cohort month\'s spend inside the range',
    `summary: each cohort's latest week; mature = at least ${MATURE_WEEKS} weeks old`,
    'cohorts ignore --by, --model and --cohort; channel filters use the lead\'s last non-direct touch',
  ];
  if (hasLeadOnlyFilter(params.filters)) notes.push('spend, cpql, cac and romi are not shown: spend has no manager, product or temperature');
  if (report.summary.every((s) => s.leads === 0)) notes.push('no leads in this range');
  return {
    name: 'cohorts',
    columns: [...COHORT_FIELDS],
    rows: report.rows as unknown as FlatRow[],
    notes,
    sections: [{ title: 'summary', columns: [...COHORT_SUMMARY_FIELDS], rows: report.summary as unknown as FlatRow[] }],
  };
};
