import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import { isCoverageReason, type CoverageRawRow, type CoverageReason } from '../../app/reports/coverage';
import { leadFilterPredicate } from './attribution';
import { col, inRange } from './report-sql';

// Attribution coverage (definitions in app/reports/coverage.ts): leads
// created in the range grouped by lead_journeys.coverage, with the exact
// revenue of the won ones; and the drill-down list of one reason's leads.

type CoverageParams = Pick<ReportParams, 'from' | 'to' | 'filters'>;

export async function getCoverageRows(db: Db, ws: Workspace, params: CoverageParams): Promise<CoverageRawRow[]> {
  const result = await sql<CoverageRawRow>`
    select j.coverage, count(*)::int as leads,
           coalesce(sum(l.amount) filter (where l.outcome = 'won'), 0)::text as revenue
      from leads l
      join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
     where l.workspace_id = ${ws.id} and ${inRange(col('l.created_at'), ws, params.from, params.to)}
       and ${leadFilterPredicate(params.filters)}
     group by j.coverage
     order by j.coverage`.execute(db);
  return result.rows;
}

export interface CoverageLead {
  lead_id: string;
  /** ISO 8601, UTC. */
  created_at: string;
  kind: string;
  manager: string;
  outcome: string;
  /** Decimal string, null when not given. */
  amount: string | null;
  visitor_id: string | null;
}

export const MAX_COVERAGE_LEADS = 1000;

/** The leads of one coverage reason created in the range, newest first (at most `limit`, up to 1000). */
export async function getCoverageLeads(
  db: Db,
  ws: Workspace,
  params: CoverageParams,
  reason: CoverageReason,
  limit = 200,
): Promise<CoverageLead[]> {
  if (!isCoverageReason(reason)) throw new RangeError(`unknown coverage reason "${String(reason)}"`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_COVERAGE_LEADS) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_COVERAGE_LEADS}, got ${limit}`);
  }
  const result = await sql<Omit<CoverageLead, 'created_at'> & { created_at: Date }>`
    select l.lead_id, l.created_at, l.kind, l.manager, l.outcome, l.amount::text as amount, j.visitor_id
      from leads l
      join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
     where l.workspace_id = ${ws.id} and j.coverage = ${reason}
       and ${inRange(col('l.created_at'), ws, params.from, params.to)}
       and ${leadFilterPredicate(params.filters)}
     order by l.created_at desc, l.lead_id
     limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}
