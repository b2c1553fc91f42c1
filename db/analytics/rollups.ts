import type { Queryable } from './stitch';
import type { Workspace } from '../schema';

/**
 * daily_traffic: sessions per workspace day (in the workspace time zone) ×
 * source × medium × campaign × content × region × device. Rebuilt for the
 * days listed in a temp table (the days an import touched), never whole.
 */
export async function refreshDailyTraffic(client: Queryable, ws: Workspace, daysTable: string | 'all'): Promise<void> {
  if (daysTable === 'all') {
    await client.query('delete from daily_traffic where workspace_id = $1', [ws.id]);
    await client.query(
      `insert into daily_traffic (workspace_id, day, source, medium, campaign, content, region, device, channel, sessions)
       select $1, (started_at at time zone $2)::date, source, medium, campaign, content, region, device, min(channel), count(*)
         from sessions where workspace_id = $1 group by 2, 3, 4, 5, 6, 7, 8`,
      [ws.id, ws.time_zone],
    );
    return;
  }
  await client.query(`delete from daily_traffic d using ${daysTable} a where d.workspace_id = $1 and d.day = a.day`, [ws.id]);
  await client.query(
    `insert into daily_traffic (workspace_id, day, source, medium, campaign, content, region, device, channel, sessions)
     select $1, (s.started_at at time zone $2)::date, s.source, s.medium, s.campaign, s.content, s.region, s.device, min(s.channel), count(*)
       from sessions s
      where s.workspace_id = $1
        and s.started_at >= ((select min(day) from ${daysTable})::timestamp at time zone $2)
        and s.started_at < (((select max(day) from ${daysTable}) + 1)::timestamp at time zone $2)
        and (s.started_at at time zone $2)::date in (select day from ${daysTable})
      group by 2, 3, 4, 5, 6, 7, 8`,
    [ws.id, ws.time_zone],
  );
}
