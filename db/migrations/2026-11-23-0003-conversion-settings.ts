import { sql, type Kysely } from 'kysely';

// Workspace settings for real exports and for closing the loop with ad
// platforms: which pipeline stage is which offline conversion on which
// platform (conversion_goals), and a workspace's edits to a CRM preset's
// status map (status_maps: Bitrix24 status → pipeline stage and outcome).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversion_goals')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull().check(sql`platform in ('google-ads','yandex-metrica')`))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('conversion_name', 'text', (c) => c.notNull().check(sql`length(conversion_name) between 1 and 200`))
    .addPrimaryKeyConstraint('conversion_goals_pk', ['workspace_id', 'platform', 'stage'])
    .execute();

  await db.schema
    .createTable('status_maps')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('preset', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`length(status) between 1 and 200`))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('open','won','lost','junk')`))
    .addPrimaryKeyConstraint('status_maps_pk', ['workspace_id', 'preset', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('status_maps').execute();
  await db.schema.dropTable('conversion_goals').execute();
}
