import type pg from 'pg';
import type { ImportKind } from '../../app/import/formats';
import type { Workspace } from '../schema';

// Derived tables kept up to date by the import itself, from the staged rows
// only (never a full rebuild): visitors from sessions, the campaign registry
// from spend, sessions and static numbers. Runs inside the import transaction.

export async function afterImport(client: pg.PoolClient, kind: ImportKind, ws: Workspace): Promise<void> {
  if (kind === 'sessions') {
    await client.query(
      `insert into visitors (workspace_id, visitor_id, first_seen_at, last_seen_at)
       select $1, visitor_id, min(started_at), max(started_at) from import_stage group by visitor_id
       on conflict (workspace_id, visitor_id) do update
         set first_seen_at = least(visitors.first_seen_at, excluded.first_seen_at),
             last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at)
         where visitors.first_seen_at > excluded.first_seen_at or visitors.last_seen_at < excluded.last_seen_at`,
      [ws.id],
    );
    await upsertCampaigns(client, ws, `select source, medium, campaign, channel, (started_at at time zone $2)::date as day from import_stage where campaign <> ''`);
  }
  if (kind === 'spend') {
    await upsertCampaigns(client, ws, `select source, medium, campaign, channel, date as day from import_stage`);
  }
  if (kind === 'tracking_numbers') {
    await upsertCampaigns(
      client,
      ws,
      `select source, medium, campaign, channel,
              case when valid_from = '-infinity' then current_date else valid_from end as day
         from import_stage where kind = 'static' and campaign <> ''`,
    );
  }
}

async function upsertCampaigns(client: pg.PoolClient, ws: Workspace, source: string): Promise<void> {
  const usesZone = source.includes('$2');
  await client.query(
    `insert into campaigns (workspace_id, source, medium, campaign, channel, first_seen, last_seen)
     select $1, source, medium, campaign, min(channel), min(day), max(day) from (${source}) s
      group by source, medium, campaign
     on conflict (workspace_id, source, medium, campaign) do update
       set first_seen = least(campaigns.first_seen, excluded.first_seen),
           last_seen = greatest(campaigns.last_seen, excluded.last_seen),
           channel = excluded.channel
       where campaigns.first_seen > excluded.first_seen or campaigns.last_seen < excluded.last_seen
          or campaigns.channel <> excluded.channel`,
    usesZone ? [ws.id, ws.time_zone] : [ws.id],
  );
}
