import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { computeMarkovTouchCredits } from '../../app/reports/markov-touch-credits';
import { computeMarkovAttribution } from '../../app/reports/attribution/markov';
import type { AggregatedPath } from '../../app/reports/attribution/types';
import { getConvertingPathRows, getNonConvertingPathRows } from '../queries/attribution';

/**
 * Markov credits per lead, stored per touch path: markov_path_credits holds,
 * for every distinct touch-channel path of the workspace's
 * leads (lead_facts.touch_channels), the credit of each position and the
 * primary position; each lead has 'markov' rows in lead_credit_facts (one per
 * touch, the lead's dimensions and days as db/analytics/rollups.ts writes them
 * for the rule-based models) pointing at their path (markov_path_id). A
 * touch's credit is credits[position] of its path: readers join the two
 * (db/queries/channels.ts, db/queries/leads.ts). In these rows credit is 0,
 * is_primary false and revenue the won lead's uncredited amount
 * (coalesce(amount, 0)), so revenue × credit is the credited revenue; none of
 * them is read without the path.
 *
 * - The chain is fitted on the workspace's whole history: every lead is a
 *   converting journey (its touches), every visitor who never produced a lead
 *   a non-converting one (all their sessions). Both come from the journey
 *   rollups (converting_paths, nonconverting_paths), already grouped by
 *   collapsed path, which is all the chain looks at. Removal effects come
 *   from app/reports/attribution/markov.ts; a path's credits from
 *   computeMarkovTouchCredits (app/reports/markov-touch-credits.ts). The
 *   primary touch follows rollups.ts: the channel with the largest summed
 *   credit (rounded to 9 decimals), ties to the later touch, and that
 *   channel's latest touch.
 * - When: the credits depend on all the data, so any import makes them stale.
 *   An import's re-stitch deletes every credit row of the leads it touched
 *   (their 'markov' rows included); the other leads keep their touches and so
 *   their rows and path. When the removal effects moved (markov_removal_effects
 *   keeps those of the last write), only the paths' rows are rewritten (a few
 *   thousand, and only those whose credits changed), never a row per lead.
 *   derived_versions records the workspaces.data_version they were written
 *   at (name 'markov_credits'); a call rewrites only when data_version is
 *   newer, so a fresh process (each CLI run) does not rewrite current rows.
 *   The chain's input is read first, on pool connections side by side; then,
 *   in one transaction under an advisory lock per workspace, the version is
 *   checked again, path credits written, rows of leads that have none
 *   inserted, and the version read before the input recorded, so an import
 *   committing meanwhile leaves the rows stale and the next call rewrites them.
 */

/** Arbitrary constant: the first key of the advisory lock (the second is the workspace id). */
const MARKOV_LOCK_KEY = 0x4d4b5631;

export const MARKOV_CREDITS_DERIVED_NAME = 'markov_credits';

const inFlight = new WeakMap<Db, Map<number, Promise<MarkovCreditsResult>>>();

export interface MarkovCreditsResult {
  /** False when the stored rows were already current. */
  readonly recomputed: boolean;
  readonly dataVersion: number;
  /** Per-touch rows inserted or whose credit changed with their path's (0 when not recomputed). */
  readonly rows: number;
}

export interface EnsureMarkovOptions {
  /** Rewrite even when the stored rows are current. */
  readonly force?: boolean;
}

interface Versions {
  current: number;
  written: number | null;
  timeZone: string;
}

async function getVersions(db: Db, ws: Pick<Workspace, 'id'>): Promise<Versions> {
  const result = await sql<{ current: number; written: number | null; time_zone: string }>`
    select w.data_version as current, d.data_version as written, w.time_zone
      from workspaces w
      left join derived_versions d on d.workspace_id = w.id and d.name = ${MARKOV_CREDITS_DERIVED_NAME}
     where w.id = ${ws.id}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`no workspace with id ${ws.id}`);
  return { current: Number(row.current), written: row.written === null ? null : Number(row.written), timeZone: row.time_zone };
}

const isCurrent = ({ current, written }: Versions) => written !== null && written >= current;

export async function ensureMarkovCredits(db: Db, ws: Pick<Workspace, 'id'>, options: EnsureMarkovOptions = {}): Promise<MarkovCreditsResult> {
  const versions = await getVersions(db, ws);
  if (!options.force && isCurrent(versions)) return { recomputed: false, dataVersion: versions.written!, rows: 0 };
  let running = inFlight.get(db);
  if (!running) {
    running = new Map();
    inFlight.set(db, running);
  }
  const pending = running.get(ws.id);
  if (pending && !options.force) return pending;
  const work = rewriteMarkovCredits(db, ws, options.force ?? false).finally(() => running.delete(ws.id));
  running.set(ws.id, work);
  return work;
}

async function rewriteMarkovCredits(db: Db, ws: Pick<Workspace, 'id'>, force: boolean): Promise<MarkovCreditsResult> {
  // What the chain is fitted on, read side by side on pool connections before the transaction. The
  // version is read first: rows written from these reads are recorded at a version no newer than their
  // data, so an import committing meanwhile leaves them stale, and the next call rewrites them.
  const versions = await getVersions(db, ws);
  const dataVersion = versions.current;
  const [converting, nonConverting, storedEffects, missing] = await Promise.all([
    getConvertingPathRows(db, ws, null),
    getNonConvertingPathRows(db, ws, null),
    sql<{ channel: string; removal_effect: number }>`
      select channel, removal_effect from markov_removal_effects where workspace_id = ${ws.id}`.execute(db),
    // Whether any lead lacks its rows, asked beside the chain's input (rows of leads stitched after this
    // read belong to a newer data_version than the one recorded below, so the next call writes them).
    sql<{ any: boolean }>`select exists (${leadsWithoutRows(ws)}) as any`.execute(db),
  ]);
  const paths: AggregatedPath[] = [
    ...converting.map((p) => ({ path: p.path, conversions: p.leads, value: 0, nulls: 0 })),
    ...nonConverting.map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
  ];
  const effects = new Map(computeMarkovAttribution(paths).channels.map((e) => [e.channel, e.removalEffect]));
  // Same removal effects as at the last write: every stored path credit is still right (a lead's credits
  // depend only on its touches and the effects), so only paths new to the workspace need any.
  const effectsChanged = force || storedEffects.rows.length !== effects.size
    || storedEffects.rows.some((r) => effects.get(r.channel) !== r.removal_effect);

  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MARKOV_LOCK_KEY}::int, ${ws.id}::int)`.execute(trx);
    // Another process may have written this version while we waited for the lock.
    const now = await getVersions(trx, ws);
    if (!force && now.written !== null && now.written >= dataVersion) return { recomputed: false, dataVersion: now.written, rows: 0 };

    await sql`select set_config('work_mem', '64MB', true)`.execute(trx);
    const hasMissing = force || missing.rows[0]!.any;
    if (hasMissing) {
      await sql`drop table if exists markov_new_leads`.execute(trx);
      await sql`create temporary table markov_new_leads on commit drop as ${leadsWithoutRows(ws)}`.execute(trx);
    }
    const stored = await sql<{ path_id: number; path: string[]; credits: number[] }>`
      select path_id, path, credits from markov_path_credits where workspace_id = ${ws.id}`.execute(trx);
    const newPaths = hasMissing ? await sql<{ path: string[] }>`select distinct path from markov_new_leads`.execute(trx) : { rows: [] };
    const storedOf = new Map(stored.rows.map((r) => [pathKey(r.path), r]));
    let nextId = stored.rows.reduce((max, r) => Math.max(max, r.path_id), 0) + 1;
    const writes: { id: number; path: readonly string[]; credits: number[]; primary: number }[] = [];
    const changedIds: number[] = [];
    if (effectsChanged) {
      for (const r of stored.rows) {
        const credits = computeMarkovTouchCredits(r.path, effects);
        if (credits.length === r.credits.length && credits.every((c, i) => c === r.credits[i])) continue;
        writes.push({ id: r.path_id, path: r.path, credits, primary: primaryPosition(r.path, credits) });
        changedIds.push(r.path_id);
      }
    }
    for (const { path } of newPaths.rows) {
      if (storedOf.has(pathKey(path))) continue;
      const credits = computeMarkovTouchCredits(path, effects);
      writes.push({ id: nextId++, path, credits, primary: primaryPosition(path, credits) });
    }
    // Rows of existing leads whose credits change with their path's (counted before the new leads' rows go in).
    const changed = changedIds.length === 0 ? 0 : Number((await sql<{ n: number }>`
      select count(*)::int as n from lead_credit_facts
       where workspace_id = ${ws.id} and model = 'markov' and markov_path_id = any(${changedIds}::int[])`.execute(trx)).rows[0]!.n);
    if (writes.length > 0) {
      await sql`
        insert into markov_path_credits (workspace_id, path_id, path, credits, primary_position)
        select ${ws.id}, (p ->> 'id')::int,
               array(select jsonb_array_elements_text(p -> 'path')),
               array(select jsonb_array_elements_text(p -> 'credits')::float8),
               (p ->> 'primary')::int
          from jsonb_array_elements(${JSON.stringify(writes)}::jsonb) p
        on conflict (workspace_id, path_id) do update set credits = excluded.credits, primary_position = excluded.primary_position`.execute(trx);
    }
    if (effectsChanged) {
      await sql`delete from markov_removal_effects where workspace_id = ${ws.id}`.execute(trx);
      await sql`
        insert into markov_removal_effects (workspace_id, channel, removal_effect)
        select ${ws.id}, channel, removal_effect
          from unnest(${[...effects.keys()]}::text[], ${[...effects.values()]}::float8[]) as e(channel, removal_effect)`.execute(trx);
    }

    let inserted = 0;
    if (hasMissing) {
      // One row per touch with the lead's dimensions, as db/analytics/rollups.ts insertLeadCreditFacts
      // fills them; credit, revenue and is_primary are the path's (see the module comment).
      const result = await sql`
        insert into lead_credit_facts (workspace_id, model, lead_id, position, credit, channel, source, medium, campaign, content,
                                       region, manager, product, temperature, created_day, qualified_day, won_day, is_junk, is_won,
                                       revenue, is_primary, markov_path_id)
        select t.workspace_id, 'markov', t.lead_id, t.position, 0, t.channel, t.source, t.medium, t.campaign, t.content,
               f.region, f.manager, f.product, f.temperature, f.created_day, (f.qualified_at at time zone ${now.timeZone})::date,
               case when f.outcome = 'won' then (coalesce(f.closed_at, f.created_at) at time zone ${now.timeZone})::date end,
               f.outcome = 'junk', f.outcome = 'won',
               case when f.outcome = 'won' then coalesce(f.amount, 0) end,
               false, p.path_id
          from markov_new_leads n
          join markov_path_credits p on p.workspace_id = ${ws.id} and p.path = n.path
          join lead_facts f on f.workspace_id = ${ws.id} and f.lead_id = n.lead_id
          join lead_touches t on t.workspace_id = ${ws.id} and t.lead_id = n.lead_id
         order by f.created_day`.execute(trx);
      inserted = Number(result.numAffectedRows ?? 0);
    }
    await recordVersion(trx, ws, dataVersion);
    return { recomputed: true, dataVersion, rows: changed + inserted };
  });
}

const pathKey = (path: readonly string[]) => JSON.stringify(path);

/**
 * Leads without 'markov' rows (new, re-stitched, or never written), with their path: a re-stitch deletes
 * every row of a lead and the insert writes every touch of a lead, so the first position tells.
 */
function leadsWithoutRows(ws: Pick<Workspace, 'id'>) {
  return sql`
    select f.lead_id, f.touch_channels as path
      from lead_facts f
     where f.workspace_id = ${ws.id} and f.touch_channels is not null
       and not exists (select 1 from lead_credit_facts c
                        where c.workspace_id = ${ws.id} and c.model = 'markov' and c.lead_id = f.lead_id and c.position = 1)`;
}

async function recordVersion(trx: Db, ws: Pick<Workspace, 'id'>, dataVersion: number): Promise<void> {
  await sql`
    insert into derived_versions (workspace_id, name, data_version)
    values (${ws.id}, ${MARKOV_CREDITS_DERIVED_NAME}, ${dataVersion})
    on conflict (workspace_id, name) do update set data_version = excluded.data_version`.execute(trx);
}

/**
 * 1-based position of the primary touch (db/analytics/rollups.ts, primaryTouchSql): the channel with the
 * largest summed credit rounded to 9 decimals, ties to the channel touched later; that channel's latest touch.
 */
export function primaryPosition(channels: readonly string[], credits: readonly number[]): number {
  const sums = new Map<string, number>();
  channels.forEach((channel, i) => sums.set(channel, (sums.get(channel) ?? 0) + credits[i]!));
  let best = 0;
  let bestCredit = -Infinity;
  channels.forEach((channel, i) => {
    const credit = Math.round(sums.get(channel)! * 1e9) / 1e9;
    if (credit >= bestCredit) {
      best = i + 1;
      bestCredit = credit;
    }
  });
  return best;
}
