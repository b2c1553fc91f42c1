import {
  computeFunnel,
  funnelBreakdownOf,
  FUNNEL_OUTCOME_FIELDS,
  FUNNEL_REASON_FIELDS,
  FUNNEL_STAGE_FIELDS,
  SPEED_FIELDS,
} from '../../app/reports/funnel';
import type { Breakdown } from '../../app/reports/params';
import { creditModelOf, getFunnelRows, hasTouchFilter } from '../queries/funnel';
import type { ReportRunner } from './index';

// The funnel report: stage reach per group, outcomes, loss and junk reasons,
// speed to first contact per manager.
export const funnelReport: ReportRunner = async (db, ws, params) => {
  // `by` is optional for the funnel (no breakdown = one funnel of all leads).
  const requested: Breakdown | undefined = params.by;
  const by = funnelBreakdownOf(requested);
  const report = computeFunnel(await getFunnelRows(db, ws, params, by), { by });
  const notes = ['leads created in the range (cohort by lead); skipped stages count as passed, a won lead reached every stage'];
  if (by === 'channel' || hasTouchFilter(params.filters)) {
    const model = creditModelOf(params.model);
    notes.push(
      `channel: the lead's primary touch under ${model} (largest credit, ties → last touch)` +
        (model !== params.model ? `; ${params.model} has no per-lead credits, so ${model} is used` : ''),
    );
  }
  if (params.cohort === 'event') notes.push('--cohort event does not apply to the funnel: it follows leads created in the range');
  if (report.stages.length === 0) notes.push('no leads in this range');
  const withGroup = (fields: readonly string[]) => (by === null ? fields.filter((f) => f !== 'group') : [...fields]);
  return {
    name: 'funnel',
    columns: withGroup(FUNNEL_STAGE_FIELDS),
    rows: report.stages,
    notes,
    sections: [
      { title: 'outcomes', columns: withGroup(FUNNEL_OUTCOME_FIELDS), rows: report.outcomes },
      { title: 'reasons', columns: [...FUNNEL_REASON_FIELDS], rows: report.reasons },
      { title: 'speed', columns: [...SPEED_FIELDS], rows: report.speed },
    ],
  };
};
