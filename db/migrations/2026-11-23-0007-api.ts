import { sql, type Kysely } from 'kysely';

// The ingestion API (issue 6). api_events keeps every accepted Segment event
// (page, track, identify) once per messageId, so a replayed batch changes
// nothing and sessions can be derived again from a visitor's stored events
// whatever order they arrived in. The columns the API derives from (the
// visitor, the time, the traffic source of a page, an identified email or
// phone) are stored resolved; the event itself stays in payload, verbatim.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_events')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().check(sql`length(message_id) between 1 and 200`))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('page','track','identify')`))
    .addColumn('event', 'text')
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('anonymous_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('token_id', 'integer')
    // A page's traffic source (UTM or referrer); all null: none of its own.
    .addColumn('source', 'text')
    .addColumn('medium', 'text')
    .addColumn('campaign', 'text')
    .addColumn('content', 'text')
    .addColumn('term', 'text')
    .addColumn('url', 'text')
    .addColumn('referrer', 'text')
    // identify: traits.email (lower case) and traits.phone (E.164).
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_events_pk', ['workspace_id', 'message_id'])
    .execute();
  await sql`create index api_events_pages on api_events (workspace_id, visitor_id, occurred_at) where type = 'page'`.execute(db);
  await sql`create index api_events_email on api_events (workspace_id, email, occurred_at) where email is not null`.execute(db);
  await sql`create index api_events_phone on api_events (workspace_id, phone, occurred_at) where phone is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_events').execute();
}
