import { sql } from 'kysely';
import type { FilterOptions } from '../../app/lib/dashboard-params';
import { FILTER_KEYS, type FilterKey } from '../../app/reports/params';
import type { Db } from '../client';
import type { Workspace } from '../schema';

// The values the filter bar offers: what the workspace's data actually
// holds, in one round trip. Touch dimensions come from spend, the traffic
// rollup and lead touches (a touch can carry a source no spend row has:
// offline numbers, explicit sources); lead dimensions from leads.

export async function getFilterOptions(db: Db, ws: Pick<Workspace, 'id'>): Promise<FilterOptions> {
  const id = ws.id;
  const { rows } = await sql<{ key: FilterKey; value: string }>`
    with touch as (
      select channel, source, medium, campaign, region from spend where workspace_id = ${id}
        group by channel, source, medium, campaign, region
      union
      select channel, source, medium, campaign, region from daily_traffic where workspace_id = ${id}
        group by channel, source, medium, campaign, region
      union
      select channel, source, medium, campaign, null from lead_touches where workspace_id = ${id}
        group by channel, source, medium, campaign
    ),
    lead as (
      select region, manager, product, temperature from leads where workspace_id = ${id}
        group by region, manager, product, temperature
    ),
    pairs as (
      select 'channel' as key, channel as value from touch
      union select 'source', source from touch
      union select 'medium', medium from touch
      union select 'campaign', campaign from touch
      union select 'region', region from touch
      union select 'region', region from lead
      union select 'manager', manager from lead
      union select 'product', product from lead
      union select 'temperature', temperature from lead
    )
    select key, value from pairs where value is not null and value <> '' order by key, value
  `.execute(db);
  const options = Object.fromEntries(FILTER_KEYS.map((k) => [k, [] as string[]])) as FilterOptions;
  for (const row of rows) options[row.key]?.push(row.value);
  return options;
}
