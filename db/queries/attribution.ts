import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import type { Filters, ReportParams } from '../../app/reports/params';
import type { AttributionInput, HeuristicCreditRow } from '../../app/reports/attribution-report';
import type { HeuristicModel } from '../../app/reports/attribution/heuristics';
import {
  computeNonConvertingPaths,
  orderConvertingPaths,
  type ConvertingPathRow,
  type LeadPathRow,
  type NonConvertingPathRow,
} from '../../app/reports/journeys';
import { col, filterPredicate, inRange } from './report-sql';

// Journeys for the attribution engine (definitions in app/reports/journeys.ts).
// Sessions and per-lead rows never travel to Node for the attribution report:
//
// - Non-converting journeys come from the nonconverting_paths rollup (visitors
//   without a lead by day of first session × collapsed path,
//   db/analytics/visitor-paths.ts), summed over the range's days.
// - Converting journeys come from the converting_paths rollup (leads by day of
//   creation × collapsed path) and the rule-based credits from
//   lead_credit_totals (Σ of the stored lead_credits per day × model ×
//   channel), both db/analytics/lead-rollups.ts. Markov collapses repeats
//   itself and Shapley only uses a path's channel set, so collapsed paths
//   give them the same credits; the heuristics, which need every touch (linear
//   and position the repeats, time decay each touch's age, last non-direct the
//   lead's explicit channel), were summed when the credits were stored.
// - The paths report still needs one row per lead with its touches as arrays
//   (getLeadPathRows, never one row per touch): it filters by lead dimensions.
//
// A range of days maps to rollup days directly: the rollups' days are
// workspace-local, like the range.

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

function dayPredicate(range: JourneyRange): RawBuilder<boolean> {
  return range ? sql<boolean>`day between ${range.from}::date and ${range.to}::date` : sql<boolean>`true`;
}

/**
 * Visitors who never produced a lead and whose first session falls in the
 * range (all of them for the whole history), by collapsed path, most visitors
 * first (computeNonConvertingPaths' order).
 */
export async function getNonConvertingPathRows(db: Db, ws: Pick<Workspace, 'id'>, range: JourneyRange): Promise<NonConvertingPathRow[]> {
  const result = await sql<{ path: string[]; journeys: number }>`
    select path, sum(visitors)::int as journeys
      from nonconverting_paths
     where workspace_id = ${ws.id} and ${dayPredicate(range)}
     group by path`.execute(db);
  return computeNonConvertingPaths(result.rows);
}

/** Leads created in the range by collapsed path, most leads first (computeConvertingPaths' order). */
export async function getConvertingPathRows(db: Db, ws: Pick<Workspace, 'id'>, range: JourneyRange): Promise<ConvertingPathRow[]> {
  const result = await sql<{ path: string[]; leads: number; won_leads: number; revenue: string }>`
    select path, sum(leads)::int as leads, sum(won_leads)::int as won_leads, sum(revenue)::text as revenue
      from converting_paths
     where workspace_id = ${ws.id} and ${dayPredicate(range)}
     group by path`.execute(db);
  return orderConvertingPaths(
    result.rows.map((r) => ({ path: r.path, leads: r.leads, wonLeads: r.won_leads, revenue: r.revenue })),
  );
}

/** Rule-based credits of the leads created in the range, per model and channel (Σ of lead_credits). */
export async function getHeuristicCreditRows(db: Db, ws: Pick<Workspace, 'id'>, range: JourneyRange): Promise<HeuristicCreditRow[]> {
  const result = await sql<{ model: HeuristicModel; channel: string; credit: string; revenue: string }>`
    select model, channel, sum(credit)::text as credit, sum(revenue)::text as revenue
      from lead_credit_totals
     where workspace_id = ${ws.id} and ${dayPredicate(range)}
     group by model, channel
     order by model, channel`.execute(db);
  return result.rows.map((r) => ({ model: r.model, channel: r.channel, credit: Number(r.credit), revenue: Number(r.revenue) }));
}

/**
 * Stored Markov credits of every touch of the workspace's leads, by lead and
 * position: each lead's row points at its path, whose credits hold the
 * position's (db/analytics/markov-credits.ts; current once ensureMarkovCredits has run).
 */
export async function getMarkovTouchCredits(db: Db, ws: Pick<Workspace, 'id'>): Promise<MarkovTouchCreditRow[]> {
  const result = await sql<MarkovTouchCreditRow>`
    select c.lead_id, c.position, c.channel, m.credits[c.position] as credit
      from lead_credit_facts c
      join markov_path_credits m on m.workspace_id = c.workspace_id and m.path_id = c.markov_path_id
     where c.workspace_id = ${ws.id} and c.model = 'markov'
     order by c.lead_id, c.position`.execute(db);
  return result.rows;
}

export interface MarkovTouchCreditRow {
  lead_id: string;
  position: number;
  channel: string;
  credit: number;
}

/** The workspace's current data_version (the Workspace object a caller holds may be older). */
export async function getDataVersion(db: Db, ws: Pick<Workspace, 'id'>): Promise<number> {
  const row = await sql<{ data_version: number }>`select data_version from workspaces where id = ${ws.id}`.execute(db);
  const version = row.rows[0]?.data_version;
  if (version === undefined) throw new Error(`no workspace with id ${ws.id}`);
  return Number(version);
}

/** Converting journeys of the leads created in the range and the non-converting journeys that started in it. */
export async function getAttributionRows(db: Db, ws: Workspace, params: Pick<ReportParams, 'from' | 'to'>): Promise<AttributionInput> {
  const range = { from: params.from, to: params.to };
  const [converting, heuristics, nonConverting] = await Promise.all([
    getConvertingPathRows(db, ws, range),
    getHeuristicCreditRows(db, ws, range),
    getNonConvertingPathRows(db, ws, range),
  ]);
  return { converting, heuristics, nonConverting };
}
