import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import type { LeadPathRow } from '../../app/reports/journeys';
import { getLeadPathRows } from './attribution';

// Rows of the paths report: one per lead created in the range (lead
// dimension filters applied), its touches as arrays in position order. The
// sections need each lead's touch count and first-touch age, which a path
// aggregate would lose; leads are few next to sessions, and no row per touch
// is shipped (see db/queries/attribution.ts).

export async function getPathsRows(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<LeadPathRow[]> {
  return getLeadPathRows(db, ws, { from: params.from, to: params.to }, params.filters);
}
