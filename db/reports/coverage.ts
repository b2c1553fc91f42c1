import { COVERAGE_COLUMNS, computeCoverageReport } from '../../app/reports/coverage';
import { unsupportedFilterKeys } from '../queries/attribution';
import { getCoverageRows } from '../queries/coverage';
import type { ReportRunner } from './index';

const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

export const coverageReport: ReportRunner = async (db, ws, params) => {
  const report = computeCoverageReport(await getCoverageRows(db, ws, params));
  const known = report.rows.find((r) => r.reason === 'known');
  const notes = [
    `channel known for ${percent(known?.share_of_leads ?? null)} of leads and ${percent(known?.share_of_revenue ?? null)} of revenue (leads created in the range; revenue of the won ones)`,
    'known: some touch has a non-direct channel; only_direct: touches, all direct; unassigned_number: a call to a number with no static assignment and no session; manual_no_source: manual lead without a source; no_visitor_id: no visitor to follow; outside_lookback: the visitor\'s sessions are all older than the lookback window; no_sessions: a visitor without sessions before the lead',
  ];
  if (report.totals.leads === 0) notes.push('no leads in this range');
  const ignored = unsupportedFilterKeys(params.filters);
  if (ignored.length > 0) notes.push(`filters that do not apply to this report were ignored: ${ignored.join(', ')}`);
  return {
    name: 'coverage',
    columns: [...COVERAGE_COLUMNS],
    rows: report.rows,
    totals: report.totals,
    notes,
  };
};
