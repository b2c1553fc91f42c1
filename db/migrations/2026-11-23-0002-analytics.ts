import { sql, type Kysely } from 'kysely';

// Derived tables the reports read instead of raw rows. All are maintained by
// the import (incrementally, for the rows it touched) and can be rebuilt
// idempotently from the raw tables (npx leadpath rebuild).

export async function up(db: Kysely<any>): Promise<void> {
  // Sessions per workspace day × UTM × region × device.
  await db.schema
    .createTable('daily_traffic')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_traffic_pk', ['workspace_id', 'day', 'source', 'medium', 'campaign', 'content', 'region', 'device'])
    .execute();

  // A lead's resolved journey: its visitor, its touch count and, when no
  // channel could be known, why (attribution coverage).
  await db.schema
    .createTable('lead_journeys')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text')
    .addColumn('touch_count', 'integer', (c) => c.notNull())
    .addColumn('first_touch_at', 'timestamptz')
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('coverage', 'text', (c) => c.notNull())
    // Pipeline position the lead reached (1-based; a won lead reached the last
    // stage), bit (position - 1) set for each stage it has a history row for,
    // and when it first reached the qualified stage or a later one.
    .addColumn('reached_position', 'smallint', (c) => c.notNull())
    .addColumn('entered_mask', 'integer', (c) => c.notNull())
    .addColumn('qualified_at', 'timestamptz')
    .addPrimaryKeyConstraint('lead_journeys_pk', ['workspace_id', 'lead_id'])
    .addForeignKeyConstraint('lead_journeys_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('lead_journeys_visitor_idx').on('lead_journeys').columns(['workspace_id', 'visitor_id']).execute();

  // A lead's touches in time order (position 1 = first).
  await db.schema
    .createTable('lead_touches')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('session','call','explicit','direct')`))
    .addColumn('touched_at', 'timestamptz', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('call_id', 'text')
    .addPrimaryKeyConstraint('lead_touches_pk', ['workspace_id', 'lead_id', 'position'])
    .addForeignKeyConstraint('lead_touches_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();

  // Per-lead credit of each touch under each rule-based model (credits of a
  // lead sum to 1 per model). Touch dimensions are repeated here so that
  // reports group credits without a join.
  await db.schema
    .createTable('lead_credits')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('credit', 'float8', (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_credits_pk', ['workspace_id', 'model', 'lead_id', 'position'])
    .addForeignKeyConstraint('lead_credits_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('lead_credits_lead_idx').on('lead_credits').columns(['workspace_id', 'lead_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['lead_credits', 'lead_touches', 'lead_journeys', 'daily_traffic']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
