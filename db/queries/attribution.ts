import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { Filters, ReportParams } from '../../app/reports/params';
import type { AttributionInput } from '../../app/reports/attribution-report';
import { computeNonConvertingPaths, type LeadPathRow, type NonConvertingPathRow } from '../../app/reports/journeys';
import type { AggregatedPath } from '../../app/reports/attribution/types';
import { col, filterPredicate, inRange } from './report-sql';

// Journeys for the attribution engine (definitions in app/reports/journeys.ts),
// grouped in SQL so that sessions never travel to Node one by one:
//
// - Non-converting journeys are aggregated to (path, visitors): the sessions
//   table is the big one (millions of rows). Their paths are then collapsed:
//   these journeys only feed the Markov chain, which collapses repeats itself.
// - Converting journeys for the report come one row per lead with its touches
//   as arrays (never one row per touch): the heuristics need what a path
//   aggregate loses — linear and position need the repeats, time decay each
//   touch's age, last non-direct the lead's explicit channel. Leads are a small
//   fraction of sessions. (Markov collapses repeats itself, Shapley only uses
//   each path's channel set, and the bootstrap resamples whole journeys, so
//   none of them minds either form.)
// - Where only Markov is needed (stored per-lead Markov credits), converting
//   journeys are aggregated too, by their path as touched (repeats kept:
//   Markov collapses them itself, and the per-touch split needs the touches),
//   with their count and the exact revenue of their won leads.

/** A day range in the workspace zone (both ends inclusive), or the whole history. */
export type JourneyRange = Pick<ReportParams, 'from' | 'to'> | null;

/** Filters that the lead rows can honour (lead dimensions); the others do not apply to journeys. */
export const LEAD_FILTER_KEYS = ['region', 'manager', 'product', 'temperature'] as const;

export function leadFilterPredicate(filters: Filters): RawBuilder<boolean> {
  return filterPredicate(filters, {
    region: col('l.region'),
    manager: col('l.manager'),
    product: col('l.product'),
    temperature: col('l.temperature'),
  });
}

/** The filter keys given that a lead-based report cannot apply. */
export function unsupportedFilterKeys(filters: Filters, supported: readonly string[] = LEAD_FILTER_KEYS): string[] {
  return Object.entries(filters)
    .filter(([key, values]) => (values?.length ?? 0) > 0 && !supported.includes(key))
    .map(([key]) => key);
}

function rangePredicate(column: RawBuilder<unknown>, ws: Workspace, range: JourneyRange): RawBuilder<boolean> {
  return range ? inRange(column, ws, range.from, range.to) : sql<boolean>`true`;
}

interface LeadPathDbRow {
  lead_id: string;
  created_at: Date;
  explicit_channel: string | null;
  is_won: boolean;
  amount: string | null;
  known_touches: number;
  channels: string[];
  touched_at: Date[];
}

/** One row per lead created in the range (filtered by lead dimensions), touches in position order. */
export async function getLeadPathRows(db: Db, ws: Workspace, range: JourneyRange, filters: Filters = {}): Promise<LeadPathRow[]> {
  const result = await sql<LeadPathDbRow>`
    select l.lead_id, l.created_at, l.channel as explicit_channel, l.outcome = 'won' as is_won, l.amount::text as amount,
           j.touch_count as known_touches,
           array_agg(t.channel order by t.position) as channels,
           array_agg(t.touched_at order by t.position) as touched_at
      from leads l
      join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
      join lead_touches t on t.workspace_id = l.workspace_id and t.lead_id = l.lead_id
     where l.workspace_id = ${ws.id} and ${rangePredicate(col('l.created_at'), ws, range)} and ${leadFilterPredicate(filters)}
     group by l.workspace_id, l.lead_id, j.touch_count
     order by l.created_at, l.lead_id`.execute(db);
  return result.rows.map((r) => ({
    leadId: r.lead_id,
    leadAt: r.created_at.getTime(),
    channels: r.channels,
    touchedAt: r.touched_at.map((d) => d.getTime()),
    explicitChannel: r.explicit_channel,
    isWon: r.is_won,
    amount: r.amount,
    knownTouches: r.known_touches,
  }));
}

/**
 * Visitors who never produced a lead (no lead_journeys row with their
 * visitor_id, at any time), grouped by the path of their sessions in the
 * range (time order), then with consecutive repeats collapsed and equal
 * collapsed paths merged (computeNonConvertingPaths). Collapsing in SQL would
 * need a window over every session; grouping by the path as visited and
 * collapsing the few thousand distinct paths in Node is ~25% faster on 5M
 * sessions.
 */
export async function getNonConvertingPathRows(db: Db, ws: Workspace, range: JourneyRange): Promise<NonConvertingPathRow[]> {
  const result = await sql<{ path: string[]; journeys: number }>`
    select v.path, count(*)::int as journeys
      from (
        select array_agg(s.channel order by s.started_at, s.session_id) as path
          from sessions s
         where s.workspace_id = ${ws.id} and ${rangePredicate(col('s.started_at'), ws, range)}
           and not exists (select 1 from lead_journeys j where j.workspace_id = s.workspace_id and j.visitor_id = s.visitor_id)
         group by s.visitor_id
      ) v
     group by v.path`.execute(db);
  return computeNonConvertingPaths(result.rows);
}

/**
 * Leads created in the range grouped by their path as touched (repeats
 * kept), with how many leads took it and the exact revenue of the won ones
 * (turned into a number once per path, like computeAggregatedPaths).
 */
export async function getConvertingPathAggregates(db: Db, ws: Workspace, range: JourneyRange): Promise<AggregatedPath[]> {
  const result = await sql<{ path: string[]; conversions: number; value: string }>`
    select p.path, count(*)::int as conversions, coalesce(sum(p.amount) filter (where p.is_won), 0)::text as value
      from (
        select array_agg(t.channel order by t.position) as path, l.outcome = 'won' as is_won, l.amount
          from leads l
          join lead_touches t on t.workspace_id = l.workspace_id and t.lead_id = l.lead_id
         where l.workspace_id = ${ws.id} and ${rangePredicate(col('l.created_at'), ws, range)}
         group by l.workspace_id, l.lead_id
      ) p
     group by p.path
     order by conversions desc, p.path`.execute(db);
  return result.rows.map((r) => ({ path: r.path, conversions: r.conversions, value: Number(r.value), nulls: 0 }));
}

/** The workspace's current data_version (the Workspace object a caller holds may be older). */
export async function getDataVersion(db: Db, ws: Pick<Workspace, 'id'>): Promise<number> {
  const row = await sql<{ data_version: number }>`select data_version from workspaces where id = ${ws.id}`.execute(db);
  const version = row.rows[0]?.data_version;
  if (version === undefined) throw new Error(`no workspace with id ${ws.id}`);
  return Number(version);
}

/** Converting journeys of the leads created in the range and non-converting journeys of its sessions. */
export async function getAttributionRows(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to'>): Promise<AttributionInput> {
  const range = { from: params.from, to: params.to };
  const [leads, nonConverting] = await Promise.all([
    getLeadPathRows(db, ws, range),
    getNonConvertingPathRows(db, ws, range),
  ]);
  return { leads, nonConverting };
}
