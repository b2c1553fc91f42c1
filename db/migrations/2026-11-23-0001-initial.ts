import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here. Every table carries
// workspace_id and every primary and foreign key includes it, so the tables
// can be distributed by workspace_id (Citus) without changing any query.
// Optional text dimensions are stored as '' (not NULL) where they are part of
// a natural key, because key columns cannot be NULL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    // ISO 3166 country for reading national phone numbers ('0992305767').
    .addColumn('phone_country', 'char(2)')
    .addColumn('lookback_days', 'integer', (c) => c.notNull().defaultTo(90))
    .addColumn('repeat_call_window_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('time_decay_half_life_days', 'numeric', (c) => c.notNull().defaultTo(7))
    .addColumn('data_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('workspaces_slug_check', sql`slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'`)
    .execute();

  await db.schema
    .createTable('channel_rules')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // NULL = any value; '' inside an array matches an empty value.
    .addColumn('source_in', sql`text[]`)
    .addColumn('source_not_in', sql`text[]`)
    .addColumn('medium_in', sql`text[]`)
    .addPrimaryKeyConstraint('channel_rules_pk', ['workspace_id', 'position'])
    .execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pipeline_stages_pk', ['workspace_id', 'name'])
    .addUniqueConstraint('pipeline_stages_position_uq', ['workspace_id', 'position'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('workspace_members')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner','marketer','manager','viewer')`))
    // For role 'manager': the manager name used in leads/calls.
    .addColumn('manager_name', 'text')
    .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'integer', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('ingest','read')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('api_tokens_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('preset', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','succeeded','failed')`))
    .addColumn('skip_invalid', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .addColumn('rows_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_inserted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_updated', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_unchanged', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('import_jobs_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('rejected_rows')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('import_id', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('column_name', 'text')
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rejected_rows_pk', ['workspace_id', 'import_id', 'seq'])
    .addForeignKeyConstraint('rejected_rows_import_fk', ['workspace_id', 'import_id'], 'import_jobs', ['workspace_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  // Registry of campaigns seen in spend, sessions, tracking numbers and leads.
  await db.schema
    .createTable('campaigns')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'date', (c) => c.notNull())
    .addColumn('last_seen', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaigns_pk', ['workspace_id', 'source', 'medium', 'campaign'])
    .execute();

  await db.schema
    .createTable('spend')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('ad_group', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ad', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('impressions', 'bigint')
    .addColumn('clicks', 'bigint')
    .addColumn('cost', 'numeric', (c) => c.notNull().check(sql`cost >= 0`))
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('spend_pk', ['workspace_id', 'date', 'source', 'medium', 'campaign', 'ad_group', 'ad', 'region'])
    .execute();

  await db.schema
    .createTable('visitors')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addPrimaryKeyConstraint('visitors_pk', ['workspace_id', 'visitor_id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('campaign', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('content', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('term', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('landing_page', 'text')
    .addColumn('referrer', 'text')
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('device', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('pageviews', 'integer')
    // Click ids found in the landing page URL (for offline conversion export).
    .addColumn('gclid', 'text')
    .addColumn('yclid', 'text')
    .addColumn('fbclid', 'text')
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('sessions_pk', ['workspace_id', 'session_id'])
    .execute();
  await db.schema.createIndex('sessions_visitor_idx').on('sessions').columns(['workspace_id', 'visitor_id', 'started_at']).execute();
  await db.schema.createIndex('sessions_started_idx').on('sessions').columns(['workspace_id', 'started_at']).execute();

  await db.schema
    .createTable('tracking_numbers')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    // '-infinity' / 'infinity' when the assignment has no bound.
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('static','pool')`))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('campaign', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text')
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('tracking_numbers_pk', ['workspace_id', 'number', 'valid_from'])
    .addCheckConstraint('tracking_numbers_range_check', sql`valid_from <= valid_to`)
    .execute();

  await db.schema
    .createTable('calls')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('caller_phone', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('duration_sec', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('answered','missed')`))
    .addColumn('manager', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('calls_pk', ['workspace_id', 'call_id'])
    .execute();
  await db.schema.createIndex('calls_phone_idx').on('calls').columns(['workspace_id', 'caller_phone', 'started_at']).execute();
  await db.schema.createIndex('calls_started_idx').on('calls').columns(['workspace_id', 'started_at']).execute();

  await db.schema
    .createTable('leads')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('form','call','chat','email','manual','import')`))
    .addColumn('session_id', 'text')
    .addColumn('visitor_id', 'text')
    .addColumn('call_id', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('campaign', 'text', (c) => c.notNull().defaultTo(''))
    // Channel of the explicit source/medium; NULL when none was given.
    .addColumn('channel', 'text')
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('manager', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('product', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('customer_id', 'text')
    .addColumn('temperature', 'text', (c) => c.check(sql`temperature in ('cold','warm','hot')`))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('open','won','lost','junk')`))
    .addColumn('loss_reason', 'text')
    .addColumn('amount', 'numeric', (c) => c.check(sql`amount >= 0`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('leads_pk', ['workspace_id', 'lead_id'])
    .execute();
  await db.schema.createIndex('leads_created_idx').on('leads').columns(['workspace_id', 'created_at']).execute();
  await db.schema.createIndex('leads_visitor_idx').on('leads').columns(['workspace_id', 'visitor_id']).execute();
  await db.schema.createIndex('leads_phone_idx').on('leads').columns(['workspace_id', 'phone']).execute();
  await db.schema.createIndex('leads_session_idx').on('leads').columns(['workspace_id', 'session_id']).execute();
  await db.schema.createIndex('leads_call_idx').on('leads').columns(['workspace_id', 'call_id']).execute();
  await db.schema.createIndex('leads_customer_idx').on('leads').columns(['workspace_id', 'customer_id', 'created_at']).execute();

  await db.schema
    .createTable('lead_stages')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('manager', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('lead_stages_pk', ['workspace_id', 'lead_id', 'stage', 'entered_at'])
    .addForeignKeyConstraint('lead_stages_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('manager', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('leads', 'integer')
    .addColumn('max_cpl', 'numeric')
    .addColumn('budget', 'numeric')
    .addColumn('sales', 'integer')
    .addColumn('revenue', 'numeric')
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('plans_pk', ['workspace_id', 'month', 'channel', 'region', 'manager'])
    .addCheckConstraint('plans_month_check', sql`extract(day from month) = 1`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'plans', 'lead_stages', 'leads', 'calls', 'tracking_numbers', 'sessions', 'visitors', 'spend',
    'campaigns', 'rejected_rows', 'import_jobs', 'api_tokens', 'workspace_members', 'users',
    'pipeline_stages', 'channel_rules', 'workspaces',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
