import { sql, type Kysely } from 'kysely';

// Markov credits per touch path (issue 7). A lead's Markov credits depend only
// on its touch channels in order and the workspace's removal effects, so they
// are stored once per distinct path (a few thousand rows) instead of once per
// touch of every lead: when an import moves the removal effects, only these
// rows are rewritten. The lead's 'markov' rows of lead_credit_facts (its
// dimensions and days per touch, written once per lead) point at their path
// through markov_path_id; readers take credit = credits[position] from here
// (db/analytics/markov-credits.ts). Path ids are never reused within a
// workspace while rows point at them. One row per path is kept by the writer
// (under its advisory lock), not by a unique index: a long path could exceed
// a btree entry's size limit. The per-lead 'markov' rows written
// before this migration (lead_credits, lead_credit_facts without a path) are
// dropped with the version they were written at, so the next read writes
// them anew.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('markov_path_credits')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('path_id', 'integer', (c) => c.notNull())
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    // One credit per touch of the path, in position order (1-based like lead_credit_facts.position).
    .addColumn('credits', sql`float8[]`, (c) => c.notNull())
    .addColumn('primary_position', 'smallint', (c) => c.notNull())
    .addPrimaryKeyConstraint('markov_path_credits_pk', ['workspace_id', 'path_id'])
    .execute();
  await sql`alter table lead_credit_facts add column markov_path_id integer`.execute(db);
  await sql`delete from lead_credit_facts where model = 'markov'`.execute(db);
  await sql`delete from lead_credits where model = 'markov'`.execute(db);
  await sql`delete from markov_removal_effects`.execute(db);
  await sql`delete from derived_versions where name = 'markov_credits'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table lead_credit_facts drop column if exists markov_path_id`.execute(db);
  await db.schema.dropTable('markov_path_credits').ifExists().execute();
}
