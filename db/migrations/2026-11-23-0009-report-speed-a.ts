import { sql, type Kysely } from 'kysely';

// Funnel medians (issue 7): median_hours_to_next sorts every stage step of
// the scope per stage (and per region / manager / channel with a breakdown). Read in
// (stage, hours) order from these indexes, the steps need no sort before
// grouping, and each median's own sort gets its values already in order. The
// group columns are indexed byte-wise (collation "C") because the report
// groups by them that way (db/queries/funnel.ts groupExpression); the
// creation day is included so the range filter needs no heap visit.
//
// Speed to first contact (funnel speed section, managers leaderboard): the
// median contact hours per manager and for all leads, likewise read in
// (manager, hours) / (hours) order from lead_facts, with the columns those
// two reports count included.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index lead_stage_steps_hours_idx on lead_stage_steps (workspace_id, position, hours) include (created_day)`.execute(db);
  await sql`create index lead_stage_steps_region_hours_idx
    on lead_stage_steps (workspace_id, (region collate "C"), position, hours) include (created_day)`.execute(db);
  await sql`create index lead_stage_steps_manager_hours_idx
    on lead_stage_steps (workspace_id, (manager collate "C"), position, hours) include (created_day)`.execute(db);
  // By channel under the default model (the steps carry its primary touch; a null channel groups as '').
  await sql`create index lead_stage_steps_channel_hours_idx
    on lead_stage_steps (workspace_id, (coalesce(primary_channel, '') collate "C"), position, hours) include (created_day, primary_channel)`.execute(db);
  const counted = sql`include (created_at, reached_position, qualified_at, closed_at, outcome, amount)`;
  await sql`create index lead_facts_manager_contact_idx on lead_facts (workspace_id, (manager collate "C"), contact_hours) ${counted}`.execute(db);
  await sql`create index lead_facts_contact_idx on lead_facts (workspace_id, contact_hours) ${counted}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const names = [
    'lead_stage_steps_hours_idx', 'lead_stage_steps_region_hours_idx', 'lead_stage_steps_manager_hours_idx', 'lead_stage_steps_channel_hours_idx',
    'lead_facts_manager_contact_idx', 'lead_facts_contact_idx',
  ];
  for (const name of names) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
}
