import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { ReportParams } from '../../app/reports/params';
import type { LeadPathRow } from '../../app/reports/journeys';
import { col, filterPredicate, inRange } from './report-sql';

// Rows of the paths report: one per lead created in the range (lead
// dimension filters applied, as for the other journey reports), its touches
// as arrays in position order. The sections need each lead's touch count and
// first-touch age, which a path aggregate would lose; leads are few next to
// sessions, and no row per touch is shipped (see db/queries/attribution.ts).
// The arrays are kept per lead in lead_facts (db/analytics/rollups.ts), touch
// times already as epoch ms. The rows travel as one JSON array: a hundred
// thousand leads parse far faster with JSON.parse than as rows of arrays.

/** [lead_id, created_at (epoch ms), explicit channel, is won, amount, known touches, channels, touch times (epoch ms)] */
type LeadPathTuple = [string, number, string | null, boolean, string | null, number, string[], number[]];

export async function getPathsRows(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): Promise<LeadPathRow[]> {
  const leadWhere = filterPredicate(params.filters, {
    region: col('f.region'), manager: col('f.manager'), product: col('f.product'), temperature: col('f.temperature'),
  });
  const result = await sql<{ rows: LeadPathTuple[] | null }>`
    select json_agg(json_build_array(f.lead_id, trunc(extract(epoch from f.created_at) * 1000), f.explicit_channel,
                                     f.outcome = 'won', f.amount::text, f.touch_count, f.touch_channels, f.touched_at_ms)
                    order by f.created_at, f.lead_id) as rows
      from lead_facts f
     where f.workspace_id = ${ws.id} and ${inRange(col('f.created_at'), ws, params.from, params.to)} and ${leadWhere}
       and f.touch_channels is not null`.execute(db);
  return (result.rows[0]?.rows ?? []).map(([leadId, leadAt, explicitChannel, isWon, amount, knownTouches, channels, touchedAt]) => ({
    leadId,
    leadAt,
    channels,
    touchedAt,
    explicitChannel,
    isWon,
    amount,
    knownTouches,
  }));
}
