import {
  CALL_HOUR_FIELDS,
  CALL_METRIC_FIELDS,
  CALLS_BREAKDOWNS,
  callsTotalsRow,
  computeCallsReport,
  isCallsBreakdown,
  MISSED_BY_MANAGER_FIELDS,
  STATIC_NUMBER_FIELDS,
} from '../../app/reports/calls';
import type { FlatRow } from '../../app/reports/export';
import { getCallsRows } from '../queries/calls';
import type { ReportRunner } from './index';

// The calls report: calls per slice with first-time/repeat callers, missed
// calls and what they cost, the weekday × hour grid, static numbers and
// missed calls per manager.
export const callsReport: ReportRunner = async (db, ws, params) => {
  const by = params.by ?? 'channel';
  if (!isCallsBreakdown(by)) throw new Error(`the calls report has no breakdown "${by}" (--by ${CALLS_BREAKDOWNS.join('|')})`);
  const report = computeCallsReport(await getCallsRows(db, ws, { ...params, by }), { by });
  const notes = [
    `repeat call: the same caller called in the ${ws.repeat_call_window_days} days (× 24 h) before, before the range too; others are first-time`,
    'channel: the static number\'s assignment on the call\'s day, else the session of a pool call, else unknown',
    `cost of a call: spend of its ${by === 'source_medium' || by === 'campaign' ? by : 'channel'} in the range / its calls in the range (rounded to the cent; no spend → 0.00); missed_cost = the cost of the missed calls`,
    'manager: who answered (or the call was routed to), else the manager of the lead made from the call',
  ];
  if ((params.filters.product?.length ?? 0) > 0 || (params.filters.temperature?.length ?? 0) > 0) {
    notes.push('product and temperature filters are ignored: a call has neither');
  }
  if ((params.filters.manager?.length ?? 0) > 0) {
    notes.push('with a manager filter the static numbers\' spend and CPL are not shown (spend has no manager); costs per call stay those of the whole channel');
  }
  if (report.totals.calls === 0) notes.push('no calls in this range');
  return {
    name: 'calls',
    columns: [...report.keys, ...CALL_METRIC_FIELDS],
    rows: report.rows as FlatRow[],
    totals: callsTotalsRow(report) as FlatRow,
    notes,
    sections: [
      { title: 'by_hour', columns: [...CALL_HOUR_FIELDS], rows: report.byHour as unknown as FlatRow[] },
      { title: 'static_numbers', columns: [...STATIC_NUMBER_FIELDS], rows: report.staticNumbers as unknown as FlatRow[] },
      { title: 'missed_by_manager', columns: [...MISSED_BY_MANAGER_FIELDS], rows: report.missedByManager as unknown as FlatRow[] },
    ],
  };
};
