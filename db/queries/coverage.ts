import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import { isCoverageReason, type CoverageRawRow, type CoverageReason } from '../../app/reports/coverage';
import { leadFilterPredicate } from './attribution';
import { col, filterPredicate, inRange } from './report-sql';

// Attribution coverage (definitions in app/reports/coverage.ts): leads
// created in the range grouped by their journey's coverage (read from
// lead_facts, db/analytics/rollups.ts), with the exact revenue of the won
// ones; and the drill-down list of one reason's leads.

type CoverageParams = Pick<ReportParams, 'from' | 'to' | 'filters'>;

export async function getCoverageRows(db: Db, ws: Workspace, params: CoverageParams): Promise<CoverageRawRow[]> {
  // The lead dimensions only, as for the other journey reports (LEAD_FILTER_KEYS).
  const leadWhere = filterPredicate(params.filters, {
    region: col('f.region'), manager: col('f.manager'), product: col('f.product'), temperature: col('f.temperature'),
  });
  const result = await sql<CoverageRawRow>`
    select f.coverage, count(*)::int as leads,
           coalesce(sum(f.amount) filter (where f.outcome = 'won'), 0)::text as revenue
      from lead_facts f
     where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, params.from, params.to)} and ${leadWhere}
     group by f.coverage
     order by f.coverage`.execute(db);
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
