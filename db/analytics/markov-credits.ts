import { sql } from 'kysely';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { computeMarkovAttribution } from '../../app/reports/attribution/markov';
import type { AggregatedPath } from '../../app/reports/attribution/types';
import { computeMarkovTouchCredits } from '../../app/reports/markov-touch-credits';
import { getConvertingPathAggregates, getDataVersion, getNonConvertingPathRows } from '../queries/attribution';

/**
 * Per-lead Markov credits, stored as lead_credits rows with model 'markov' so
 * that the channels report (and anything else reading lead_credits) can use
 * Markov like any rule-based model.
 *
 * - The chain is fitted on the workspace's whole history: every lead is a
 *   converting journey (its touches), every visitor who never produced a lead
 *   a non-converting one (all their sessions). Removal effects come from
 *   app/reports/attribution/markov.ts.
 * - Each lead gets one row per touch position: the touch's channel share
 *   (path-restricted, RE_k / Σ RE over the lead's channels) divided evenly
 *   among the lead's touches of that channel, so every lead sums to 1
 *   (app/reports/markov-touch-credits.ts). Touch dimensions are copied from
 *   lead_touches, like the heuristic rows.
 * - When: the rows depend on all the data, so any import makes them stale
 *   (the import's own re-stitch also deletes them for the leads it touched).
 *   Without a table to record the version they were computed at (no
 *   migration here), this process remembers the data_version it last wrote
 *   per workspace, and a call recomputes only when workspaces.data_version
 *   is newer. A new process (each CLI run) recomputes once; that is safe
 *   because the write is idempotent: in one transaction, under an advisory
 *   lock per workspace, all 'markov' rows are deleted and rewritten. An import
 *   committing meanwhile bumps data_version past the remembered one, so the
 *   next call rewrites again.
 * - Cost: on the large seed (5.1M sessions, 119k leads) a rewrite takes
 *   ~15 s, mostly grouping every session of the visitors without a lead; on
 *   the demo (50k sessions) ~0.5 s.
 * - Distinct paths, not leads, travel to Node and back: the credits of each
 *   distinct touched path are computed once, sent as JSON, and joined back to
 *   the leads of that path in SQL.
 */

/** Arbitrary constant: the first key of the advisory lock (the second is the workspace id). */
const MARKOV_LOCK_KEY = 0x4d4b5631;

const written = new WeakMap<Db, Map<number, number>>();

function writtenVersions(db: Db): Map<number, number> {
  let versions = written.get(db);
  if (!versions) {
    versions = new Map();
    written.set(db, versions);
  }
  return versions;
}

const inFlight = new WeakMap<Db, Map<number, Promise<MarkovCreditsResult>>>();

export interface MarkovCreditsResult {
  /** False when the stored rows were already current for this process. */
  readonly recomputed: boolean;
  readonly dataVersion: number;
  /** Rows written (0 when not recomputed). */
  readonly rows: number;
}

export interface EnsureMarkovOptions {
  /** Rewrite even when this process wrote the current version already. */
  readonly force?: boolean;
}

export async function ensureMarkovCredits(db: Db, ws: Pick<Workspace, 'id'>, options: EnsureMarkovOptions = {}): Promise<MarkovCreditsResult> {
  const versions = writtenVersions(db);
  const current = await getDataVersion(db, ws);
  const known = versions.get(ws.id);
  if (!options.force && known !== undefined && known >= current) {
    return { recomputed: false, dataVersion: known, rows: 0 };
  }
  let running = inFlight.get(db);
  if (!running) {
    running = new Map();
    inFlight.set(db, running);
  }
  const pending = running.get(ws.id);
  if (pending && !options.force) return pending;
  const work = rewriteMarkovCredits(db, ws).finally(() => running.delete(ws.id));
  running.set(ws.id, work);
  return work;
}

async function rewriteMarkovCredits(db: Db, ws: Pick<Workspace, 'id'>): Promise<MarkovCreditsResult> {
  const result = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MARKOV_LOCK_KEY}::int, ${ws.id}::int)`.execute(trx);
    const workspace = await trx.selectFrom('workspaces').selectAll().where('id', '=', ws.id).executeTakeFirstOrThrow();
    const dataVersion = Number(workspace.data_version);
    const converting = await getConvertingPathAggregates(trx, workspace, null);
    const nonConverting = await getNonConvertingPathRows(trx, workspace, null);
    const paths: AggregatedPath[] = [
      ...converting,
      ...nonConverting.map((p) => ({ path: p.path, conversions: 0, value: 0, nulls: p.journeys })),
    ];
    const removalEffects = new Map(computeMarkovAttribution(paths).channels.map((c) => [c.channel, c.removalEffect]));
    const credits = converting.map((p) => ({ path: p.path, credits: computeMarkovTouchCredits(p.path, removalEffects) }));

    await sql`delete from lead_credits where workspace_id = ${ws.id} and model = 'markov'`.execute(trx);
    const inserted = await sql`
      with path_credits as (
        select e -> 'path' as path, e -> 'credits' as credits
          from jsonb_array_elements(${JSON.stringify(credits)}::jsonb) e
      ),
      lead_paths as (
        select t.lead_id, to_jsonb(array_agg(t.channel order by t.position)) as path
          from lead_touches t
         where t.workspace_id = ${ws.id}
         group by t.lead_id
      )
      insert into lead_credits (workspace_id, lead_id, model, position, channel, source, medium, campaign, content, credit)
      select t.workspace_id, t.lead_id, 'markov', t.position, t.channel, t.source, t.medium, t.campaign, t.content,
             (pc.credits ->> (t.position - 1))::float8
        from lead_paths lp
        join path_credits pc on pc.path = lp.path
        join lead_touches t on t.workspace_id = ${ws.id} and t.lead_id = lp.lead_id`.execute(trx);
    return { dataVersion, rows: Number(inserted.numAffectedRows ?? 0) };
  });
  const versions = writtenVersions(db);
  versions.set(ws.id, Math.max(versions.get(ws.id) ?? -1, result.dataVersion));
  return { recomputed: true, ...result };
}
