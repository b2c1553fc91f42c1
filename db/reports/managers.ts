import { computeManagers, MANAGER_FIELDS } from '../../app/reports/managers';
import { creditModelOf, hasTouchFilter } from '../queries/funnel';
import { getManagerRows } from '../queries/managers';
import type { ReportRunner } from './index';

// The managers leaderboard: leads, speed to first contact, conversion,
// revenue and calls per manager.
export const managersReport: ReportRunner = async (db, ws, params) => {
  const report = computeManagers(await getManagerRows(db, ws, params));
  const notes = [
    params.cohort === 'lead'
      ? 'qualified, won, lost, junk and revenue: of the leads created in the range (cohort by lead)'
      : 'qualified, won, lost, junk and revenue: counted when they happened (qualified / closed in the range); leads and speed by creation',
    'calls: started in the range, answered by or routed to the manager',
  ];
  if (hasTouchFilter(params.filters)) notes.push(`channel filters: the lead's primary touch under ${creditModelOf(params.model)}`);
  if (!report.hasCalls) notes.push('calls are not shown: a call has no channel, source, medium, campaign, product or temperature');
  return {
    name: 'managers',
    columns: [...MANAGER_FIELDS],
    rows: report.rows,
    totals: report.totals,
    notes,
  };
};
