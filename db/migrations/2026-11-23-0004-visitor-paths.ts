import { sql, type Kysely } from 'kysely';

// Rollups of journeys, so that the attribution report and the stored Markov
// credits read pre-grouped rows instead of grouping every session (and every
// lead's touches and credits) per request — definitions in
// db/analytics/visitor-paths.ts and db/analytics/lead-rollups.ts — and the
// record of which data version a derived result was written at.
//
// Existing data is filled in here with the same definition (frozen SQL: a
// migration never imports app code), so a database migrated after its imports
// needs no rebuild.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per visitor with sessions: the channels of all their sessions in
  // time order, consecutive repeats collapsed; has_lead when some lead was
  // stitched to the visitor (lead_journeys.visitor_id).
  await db.schema
    .createTable('visitor_paths')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('first_session_at', 'timestamptz', (c) => c.notNull())
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    .addColumn('has_lead', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('visitor_paths_pk', ['workspace_id', 'visitor_id'])
    .execute();

  // Visitors without a lead per workspace-local day of their first session × path.
  await db.schema
    .createTable('nonconverting_paths')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    .addColumn('visitors', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonconverting_paths_pk', ['workspace_id', 'day', 'path'])
    .execute();

  // Leads per workspace-local day of creation × collapsed path of their touches.
  await db.schema
    .createTable('converting_paths')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    .addColumn('leads', 'integer', (c) => c.notNull())
    .addColumn('won_leads', 'integer', (c) => c.notNull())
    .addColumn('revenue', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('converting_paths_pk', ['workspace_id', 'day', 'path'])
    .execute();

  // Rule-based credits (lead_credits without 'markov') per day of lead creation × model × channel,
  // summed exactly (numeric), with Σ credit × amount over the won leads.
  await db.schema
    .createTable('lead_credit_totals')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('credit', 'numeric', (c) => c.notNull())
    .addColumn('revenue', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_credit_totals_pk', ['workspace_id', 'day', 'model', 'channel'])
    .execute();

  // The data_version of the workspace a derived result (e.g. the stored
  // per-lead Markov credits) was last written at.
  await db.schema
    .createTable('derived_versions')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('derived_versions_pk', ['workspace_id', 'name'])
    .execute();

  await sql`
    insert into visitor_paths (workspace_id, visitor_id, first_session_at, path, has_lead)
    select s.workspace_id, s.visitor_id, min(s.started_at),
           array_agg(s.channel order by s.started_at, s.session_id) filter (where s.prev is distinct from s.channel),
           exists (select 1 from lead_journeys j where j.workspace_id = s.workspace_id and j.visitor_id = s.visitor_id)
      from (select workspace_id, visitor_id, session_id, started_at, channel,
                   lag(channel) over (partition by workspace_id, visitor_id order by started_at, session_id) as prev
              from sessions) s
     group by s.workspace_id, s.visitor_id`.execute(db);
  await sql`
    insert into nonconverting_paths (workspace_id, day, path, visitors)
    select v.workspace_id, (v.first_session_at at time zone w.time_zone)::date, v.path, count(*)
      from visitor_paths v join workspaces w on w.id = v.workspace_id
     where not v.has_lead
     group by 1, 2, 3`.execute(db);
  await sql`
    with sel as (
      select l.workspace_id, l.lead_id, (l.created_at at time zone w.time_zone)::date as day, l.outcome = 'won' as is_won, l.amount
        from leads l join workspaces w on w.id = l.workspace_id
    ), touches as (
      select t.workspace_id, t.lead_id, t.channel, t.position,
             lag(t.channel) over (partition by t.workspace_id, t.lead_id order by t.position) as prev
        from lead_touches t
    ), paths as (
      select workspace_id, lead_id, array_agg(channel order by position) filter (where prev is distinct from channel) as path
        from touches group by workspace_id, lead_id
    )
    insert into converting_paths (workspace_id, day, path, leads, won_leads, revenue)
    select sel.workspace_id, sel.day, p.path, count(*), count(*) filter (where sel.is_won),
           coalesce(sum(sel.amount) filter (where sel.is_won), 0)
      from sel join paths p on p.workspace_id = sel.workspace_id and p.lead_id = sel.lead_id
     group by 1, 2, 3`.execute(db);
  await sql`
    insert into lead_credit_totals (workspace_id, day, model, channel, credit, revenue)
    select l.workspace_id, (l.created_at at time zone w.time_zone)::date, c.model, c.channel, sum(c.credit::numeric),
           coalesce(sum(c.credit::numeric * l.amount) filter (where l.outcome = 'won'), 0)
      from lead_credits c
      join leads l on l.workspace_id = c.workspace_id and l.lead_id = c.lead_id
      join workspaces w on w.id = l.workspace_id
     where c.model <> 'markov'
     group by 1, 2, 3, 4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['derived_versions', 'lead_credit_totals', 'converting_paths', 'nonconverting_paths', 'visitor_paths']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
