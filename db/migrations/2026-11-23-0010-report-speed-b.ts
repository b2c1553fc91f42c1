import { sql, type Kysely } from 'kysely';

// The paths report groups leads in SQL (issue 7): it needs each lead's days
// from its first touch to the lead, which costs an exact numeric epoch per
// lead when computed per request. Stored once per lead as a generated column,
// it is kept by every insert into lead_facts without a change to the code that
// writes the table. The value is the paths engine's, bit for bit:
// max(0, lead ms − first touch ms) / 86 400 000 in float8, with the lead's time
// truncated to whole milliseconds (touched_at_ms already is), so comparing it
// with whole-day bucket bounds gives the same bucket as
// app/reports/attribution/paths.ts. (Epoch of the difference from the Unix
// epoch: extract on an interval is immutable, on a timestamptz it is not.)
//
// markov_removal_effects: the removal effects the stored 'markov' credits were
// computed with (db/analytics/markov-credits.ts). When a rewrite finds the
// same effects, every stored credit is still right and none is rewritten.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table lead_facts add column first_touch_days float8 generated always as (
      greatest(0, trunc(extract(epoch from (created_at - '1970-01-01 00:00:00+00'::timestamptz)) * 1000)::float8 - touched_at_ms[1])
        / 86400000
    ) stored`.execute(db);
  await db.schema
    .createTable('markov_removal_effects')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('removal_effect', 'float8', (c) => c.notNull())
    .addPrimaryKeyConstraint('markov_removal_effects_pk', ['workspace_id', 'channel'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('markov_removal_effects').ifExists().execute();
  await sql`alter table lead_facts drop column if exists first_touch_days`.execute(db);
}
