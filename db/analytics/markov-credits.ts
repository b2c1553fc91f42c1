import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { computeMarkovAttribution } from '../../app/reports/attribution/markov';
import type { AggregatedPath } from '../../app/reports/attribution/types';
import { getConvertingPathRows, getNonConvertingPathRows } from '../queries/attribution';

/**
 * Per-lead Markov credits, stored as lead_credits rows with model 'markov' so
 * that the channels report (and anything else reading lead_credits) can use
 * Markov like any rule-based model.
 *
 * - The chain is fitted on the workspace's whole history: every lead is a
 *   converting journey (its touches), every visitor who never produced a lead
 *   a non-converting one (all their sessions). Both come from the journey
 *   rollups (converting_paths, nonconverting_paths), already grouped by
 *   collapsed path, which is all the chain looks at. Removal effects come
 *   from app/reports/attribution/markov.ts.
 * - Each lead gets one row per touch position: the touch's channel share
 *   (path-restricted, RE_k / Σ RE over the lead's distinct channels, evenly
 *   over them when that sum is 0) divided evenly among the lead's touches of
 *   that channel, so every lead sums to 1 — the definition of
 *   app/reports/markov-touch-credits.ts, applied in SQL to every touch at once
 *   from the removal effects (a dozen numbers), so no lead travels to Node.
 *   Touch dimensions are copied from lead_touches, like the heuristic rows.
 * - When: the rows depend on all the data, so any import makes them stale
 *   (the import's own re-stitch also deletes them for the leads it touched).
 *   derived_versions records the workspaces.data_version they were written at
 *   (name 'markov_credits'); a call rewrites only when data_version is newer,
 *   so a fresh process (each CLI run) does not rewrite current rows. The
 *   rewrite is idempotent: in one transaction, under an advisory lock per
 *   workspace, the version is checked again, the new 'markov' rows computed
 *   into a temp table and only the differences written (removed, changed,
 *   added rows), and the version recorded. An import committing meanwhile
 *   bumps data_version past the recorded one, so the next call rewrites again.
 */

/** Arbitrary constant: the first key of the advisory lock (the second is the workspace id). */
const MARKOV_LOCK_KEY = 0x4d4b5631;

export const MARKOV_CREDITS_DERIVED_NAME = 'markov_credits';

const inFlight = new WeakMap<Db, Map<number, Promise<MarkovCreditsResult>>>();

export interface MarkovCreditsResult {
  /** False when the stored rows were already current. */
  readonly recomputed: boolean;
  readonly dataVersion: number;
  /** Rows inserted, changed or removed (0 when not recomputed; unchanged rows are not rewritten). */
  readonly rows: number;
}

export interface EnsureMarkovOptions {
  /** Rewrite even when the stored rows are current. */
  readonly force?: boolean;
}

interface Versions {
  current: number;
  written: number | null;
}

async function getVersions(db: Db, ws: Pick<Workspace, 'id'>): Promise<Versions> {
  const result = await sql<{ current: number; written: number | null }>`
    select w.data_version as current, d.data_version as written
      from workspaces w
      left join derived_versions d on d.workspace_id = w.id and d.name = ${MARKOV_CREDITS_DERIVED_NAME}
     where w.id = ${ws.id}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`no workspace with id ${ws.id}`);
  return { current: Number(row.current), written: row.written === null ? null : Number(row.written) };
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
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MARKOV_LOCK_KEY}::int, ${ws.id}::int)`.execute(trx);
    // Another process may have written this version while we waited for the lock.
    const versions = await getVersions(trx, ws);
    if (!force && isCurrent(versions)) return { recomputed: false, dataVersion: versions.written!, rows: 0 };
    const dataVersion = versions.current;
    const [converting, nonConverting] = await Promise.all([
      getConvertingPathRows(trx, ws, null),
      getNonConvertingPathRows(trx, ws, null),
    ]);
    const paths: AggregatedPath[] = [
      ...converting.map((p) => ({ path: p.path, conversions: p.leads, value: 0, nulls: 0 })),
      ...nonConverting.map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
    ];
    const effects = computeMarkovAttribution(paths).channels;

    // share of channel c in lead l: RE_c / Σ_{distinct channels of l} RE (1 / #channels when that is 0);
    // per touch: the share over the lead's touches of c. Channels the chain never saw have RE 0.
    await sql`select set_config('work_mem', '64MB', true)`.execute(trx);
    await sql`drop table if exists markov_credits_new`.execute(trx);
    await sql`
      create temporary table markov_credits_new on commit drop as
      with effects as (
        select channel, removal_effect
          from unnest(${effects.map((e) => e.channel)}::text[], ${effects.map((e) => e.removalEffect)}::float8[])
               as e(channel, removal_effect)
      ),
      touches as (
        select t.lead_id, t.position, t.channel, t.source, t.medium, t.campaign, t.content,
               coalesce(e.removal_effect, 0) as removal_effect,
               count(*) over same_channel as channel_touches,
               row_number() over (same_channel order by t.position) as nth_of_channel
          from lead_touches t left join effects e on e.channel = t.channel
         where t.workspace_id = ${ws.id}
        window same_channel as (partition by t.lead_id, t.channel)
      ),
      with_totals as (
        -- Σ RE and the number of the lead's distinct channels, each channel counted at its first touch.
        select touches.*,
               sum(removal_effect) filter (where nth_of_channel = 1) over (partition by lead_id) as removal_effects,
               count(*) filter (where nth_of_channel = 1) over (partition by lead_id) as channels
          from touches
      )
      select lead_id, position, channel, source, medium, campaign, content,
             case when removal_effects > 0 then removal_effect / removal_effects else 1.0 / channels end / channel_touches
               as credit
        from with_totals`.execute(trx);
    await sql`analyze markov_credits_new`.execute(trx);
    // Only differences are written (set-based joins, no per-row conflict handling): after an import
    // the many one-channel leads (credit 1 / touches, whatever the chain) keep their rows untouched.
    const removed = await sql`
      delete from lead_credits c
       where c.workspace_id = ${ws.id} and c.model = 'markov'
         and not exists (select 1 from markov_credits_new n where n.lead_id = c.lead_id and n.position = c.position)`.execute(trx);
    const updated = await sql`
      update lead_credits c
         set channel = n.channel, source = n.source, medium = n.medium, campaign = n.campaign, content = n.content, credit = n.credit
        from markov_credits_new n
       where c.workspace_id = ${ws.id} and c.model = 'markov' and c.lead_id = n.lead_id and c.position = n.position
         and (c.channel, c.source, c.medium, c.campaign, c.content, c.credit)
             is distinct from (n.channel, n.source, n.medium, n.campaign, n.content, n.credit)`.execute(trx);
    const inserted = await sql`
      insert into lead_credits (workspace_id, lead_id, model, position, channel, source, medium, campaign, content, credit)
      select ${ws.id}, n.lead_id, 'markov', n.position, n.channel, n.source, n.medium, n.campaign, n.content, n.credit
        from markov_credits_new n
       where not exists (select 1 from lead_credits c
                          where c.workspace_id = ${ws.id} and c.model = 'markov' and c.lead_id = n.lead_id and c.position = n.position)`.execute(trx);
    const written = [removed, updated, inserted].reduce((sum, r) => sum + Number(r.numAffectedRows ?? 0), 0);
    await sql`
      insert into derived_versions (workspace_id, name, data_version)
      values (${ws.id}, ${MARKOV_CREDITS_DERIVED_NAME}, ${dataVersion})
      on conflict (workspace_id, name) do update set data_version = excluded.data_version`.execute(trx);
    return { recomputed: true, dataVersion, rows: written };
  });
}
