import type { Db } from '../client';
import { poolOf } from '../client';
import type { Workspace } from '../schema';
import { channelOf, type ChannelRule } from '../../app/domain/channels';
import { getChannelRules } from '../queries/workspaces';
import { addAffectedLeads, beginAffectedLeads, refreshAffectedLeads, type Queryable } from './stitch';
import { rebuildReportFacts, refreshDailyTraffic } from './rollups';
import { rebuildVisitorPaths } from './visitor-paths';
import { rebuildLeadRollups } from './lead-rollups';

// Whole-workspace maintenance: re-derive channels after a rules change, and
// rebuild every derived table from the raw rows. Idempotent: running it twice
// gives the same tables as running it once (and as the incremental path).

const CHANNEL_TABLES = ['sessions', 'spend', 'tracking_numbers', 'campaigns'] as const;

export interface ChannelMove {
  table: (typeof CHANNEL_TABLES)[number] | 'leads';
  from: string | null;
  to: string;
  rows: number;
}

/** What applying `rules` would change: rows per (table, old channel → new channel). */
export async function previewChannelRules(db: Db, ws: Workspace, rules: readonly ChannelRule[]): Promise<ChannelMove[]> {
  const client = poolOf(db);
  const moves: ChannelMove[] = [];
  for (const table of [...CHANNEL_TABLES, 'leads'] as const) {
    const where = table === 'tracking_numbers' ? `and kind = 'static'` : table === 'leads' ? `and (source <> '' or medium <> '')` : '';
    const pairs = await client.query<{ source: string; medium: string; channel: string | null; n: number }>(
      `select source, medium, channel, count(*)::int as n from ${table} where workspace_id = $1 ${where} group by 1, 2, 3`,
      [ws.id],
    );
    const tally = new Map<string, ChannelMove>();
    for (const p of pairs.rows) {
      const next = channelOf(rules, p.source, p.medium);
      if (next === p.channel) continue;
      const key = `${p.channel}\u0000${next}`;
      const m = tally.get(key) ?? { table, from: p.channel, to: next, rows: 0 };
      m.rows += p.n;
      tally.set(key, m);
    }
    moves.push(...[...tally.values()].sort((a, b) => b.rows - a.rows));
  }
  return moves;
}

/** Saves `rules` and applies them to all history, then rebuilds what depends on channels. */
export async function applyChannelRules(db: Db, ws: Workspace, rules: readonly ChannelRule[]): Promise<ChannelMove[]> {
  const moves = await previewChannelRules(db, ws, rules);
  const client = await poolOf(db).connect();
  try {
    await client.query('begin');
    await client.query('delete from channel_rules where workspace_id = $1', [ws.id]);
    for (const [i, r] of rules.entries()) {
      await client.query(
        'insert into channel_rules (workspace_id, position, channel, source_in, source_not_in, medium_in) values ($1, $2, $3, $4, $5, $6)',
        [ws.id, i + 1, r.channel, r.sourceIn, r.sourceNotIn, r.mediumIn],
      );
    }
    await rederiveChannels(client, ws, rules);
    await rebuildDerived(client, ws);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  return moves;
}

/** Rebuilds daily traffic, touches, journeys and credits of every lead, and the journey rollups of the workspace. */
export async function rebuildWorkspace(db: Db, ws: Workspace): Promise<{ leads: number }> {
  const client = await poolOf(db).connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('work_mem', '128MB', true)`);
    await rederiveChannels(client, ws, await getChannelRules(db, ws.id));
    const leads = await rebuildDerived(client, ws);
    await client.query('commit');
    return { leads };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

async function rederiveChannels(client: Queryable, ws: Workspace, rules: readonly ChannelRule[]): Promise<void> {
  for (const table of [...CHANNEL_TABLES, 'leads'] as const) {
    const where = table === 'tracking_numbers' ? `and kind = 'static'` : table === 'leads' ? `and (source <> '' or medium <> '')` : '';
    const pairs = await client.query<{ source: string; medium: string }>(
      `select distinct source, medium from ${table} where workspace_id = $1 ${where}`,
      [ws.id],
    );
    if (pairs.rows.length === 0) continue;
    const sources = pairs.rows.map((p) => p.source);
    const mediums = pairs.rows.map((p) => p.medium);
    const channels = pairs.rows.map((p) => channelOf(rules, p.source, p.medium));
    await client.query(
      `update ${table} t set channel = m.channel
         from unnest($2::text[], $3::text[], $4::text[]) as m(source, medium, channel)
        where t.workspace_id = $1 and t.source = m.source and t.medium = m.medium ${where.replace(/\b(kind|source|medium)\b/g, 't.$1')}
          and t.channel is distinct from m.channel`,
      [ws.id, sources, mediums, channels],
    );
  }
}

async function rebuildDerived(client: Queryable, ws: Workspace): Promise<number> {
  await client.query(`update workspaces set data_version = data_version + 1 where id = $1`, [ws.id]);
  await refreshDailyTraffic(client, ws, 'all');
  await beginAffectedLeads(client);
  await addAffectedLeads(client, 'select lead_id from leads where workspace_id = $1', [ws.id]);
  const leads = await refreshAffectedLeads(client, ws);
  await rebuildReportFacts(client, ws);
  await rebuildVisitorPaths(client, ws);
  await rebuildLeadRollups(client, ws);
  return leads;
}
