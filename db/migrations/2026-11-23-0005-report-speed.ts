import { sql, type Kysely } from 'kysely';

// Report facts and a monthly traffic rollup (issue 7: reports in under 200 ms
// on millions of sessions): what the lead and call reports read instead of
// joining leads, journeys, stage history, touches, credits, calls and sessions
// per request. Definitions and maintenance: db/analytics/rollups.ts.
//
// Existing data is filled in here with the same definitions (frozen SQL: a
// migration never imports app code), so a database migrated after its imports
// needs no rebuild.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local work_mem = '256MB'`.execute(db);

  // One row per lead with a journey.
  await db.schema
    .createTable('lead_facts')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // Workspace-local day of created_at.
    .addColumn('created_day', 'date', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('manager', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('temperature', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('loss_reason', 'text')
    .addColumn('amount', 'numeric')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('call_id', 'text')
    .addColumn('explicit_channel', 'text')
    .addColumn('reached_position', 'smallint', (c) => c.notNull())
    .addColumn('entered_mask', 'integer', (c) => c.notNull())
    .addColumn('qualified_at', 'timestamptz')
    .addColumn('coverage', 'text', (c) => c.notNull())
    .addColumn('touch_count', 'integer', (c) => c.notNull())
    // First entry into the contacted stage or a later one, and the hours from creation to it.
    .addColumn('first_contact_at', 'timestamptz')
    .addColumn('contact_hours', 'float8')
    // Whole weeks (floored, at least 0) from creation to qualified_at and to the sale.
    .addColumn('qualified_week', 'integer')
    .addColumn('won_week', 'integer')
    // Channels and times (epoch ms) of lead_touches in position order.
    .addColumn('touch_channels', sql`text[]`)
    .addColumn('touched_at_ms', sql`float8[]`)
    // The lead's primary touch under the default model (last non-direct); null without credits.
    .addColumn('primary_channel', 'text')
    .addColumn('primary_source', 'text')
    .addColumn('primary_medium', 'text')
    .addColumn('primary_campaign', 'text')
    .addPrimaryKeyConstraint('lead_facts_pk', ['workspace_id', 'lead_id'])
    .addForeignKeyConstraint('lead_facts_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('lead_facts_created_idx').on('lead_facts').columns(['workspace_id', 'created_at']).execute();

  // One row per lead and pipeline position it entered with a later position entered too: the
  // hours from the first entry into it to the first entry into any later stage (the funnel's
  // median time to the next stage), with the lead's dimensions.
  await db.schema
    .createTable('lead_stage_steps')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('hours', 'float8', (c) => c.notNull())
    .addColumn('created_day', 'date', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('manager', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('temperature', 'text')
    .addColumn('primary_channel', 'text')
    .addColumn('primary_source', 'text')
    .addColumn('primary_medium', 'text')
    .addColumn('primary_campaign', 'text')
    .addPrimaryKeyConstraint('lead_stage_steps_pk', ['workspace_id', 'lead_id', 'position'])
    .addForeignKeyConstraint('lead_stage_steps_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('lead_stage_steps_created_idx').on('lead_stage_steps').columns(['workspace_id', 'created_day']).execute();

  // One row per stored credit of a rule-based model, with the lead's dimensions and days.
  await db.schema
    .createTable('lead_credit_facts')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('credit', 'float8', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('manager', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('temperature', 'text')
    .addColumn('created_day', 'date', (c) => c.notNull())
    .addColumn('qualified_day', 'date')
    // Won leads only: the day of coalesce(closed_at, created_at).
    .addColumn('won_day', 'date')
    .addColumn('is_junk', 'boolean', (c) => c.notNull())
    .addColumn('is_won', 'boolean', (c) => c.notNull())
    // Won leads only: coalesce(amount, 0) × credit.
    .addColumn('revenue', 'numeric')
    .addColumn('is_primary', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_credit_facts_pk', ['workspace_id', 'model', 'lead_id', 'position'])
    .addForeignKeyConstraint('lead_credit_facts_lead_fk', ['workspace_id', 'lead_id'], 'leads', ['workspace_id', 'lead_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('lead_credit_facts_created_idx').on('lead_credit_facts').columns(['workspace_id', 'model', 'created_day']).execute();
  await db.schema
    .createIndex('lead_credit_facts_qualified_idx')
    .on('lead_credit_facts')
    .columns(['workspace_id', 'model', 'qualified_day'])
    .where(sql.ref('qualified_day'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('lead_credit_facts_won_idx')
    .on('lead_credit_facts')
    .columns(['workspace_id', 'model', 'won_day'])
    .where(sql.ref('won_day'), 'is not', null)
    .execute();

  // One row per call, resolved as the calls report needs it.
  await db.schema
    .createTable('call_facts')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('caller_phone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('duration_sec', 'integer')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('manager', 'text', (c) => c.notNull())
    .addColumn('prev_started_at', 'timestamptz')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('static_number', 'text')
    .addColumn('static_valid_from', 'date')
    .addColumn('leads', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_facts_pk', ['workspace_id', 'call_id'])
    .addForeignKeyConstraint('call_facts_call_fk', ['workspace_id', 'call_id'], 'calls', ['workspace_id', 'call_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('call_facts_started_idx').on('call_facts').columns(['workspace_id', 'started_at']).execute();

  // Sessions per workspace month × UTM × region (daily_traffic without device, summed).
  await db.schema
    .createTable('monthly_traffic')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('monthly_traffic_pk', ['workspace_id', 'month', 'channel', 'source', 'medium', 'campaign', 'content', 'region'])
    .execute();

  await fillExisting(db);
}

async function fillExisting(db: Kysely<any>): Promise<void> {
  await sql`
    insert into monthly_traffic (workspace_id, month, channel, source, medium, campaign, content, region, sessions)
    select t.workspace_id, date_trunc('month', t.day)::date, t.channel, t.source, t.medium, t.campaign, t.content, t.region, sum(t.sessions)
      from daily_traffic t
     group by 1, 2, 3, 4, 5, 6, 7, 8`.execute(db);

  await sql`
    insert into lead_facts (workspace_id, lead_id, created_at, created_day, region, manager, product, temperature, outcome,
                            loss_reason, amount, closed_at, call_id, explicit_channel, reached_position, entered_mask,
                            qualified_at, coverage, touch_count, first_contact_at, contact_hours, qualified_week, won_week,
                            touch_channels, touched_at_ms, primary_channel, primary_source, primary_medium, primary_campaign)
    with first_entry as (
      select h.workspace_id, h.lead_id, p.position, min(h.entered_at) as at
        from lead_stages h join pipeline_stages p on p.workspace_id = h.workspace_id and p.name = h.stage
       group by h.workspace_id, h.lead_id, p.position
    ),
    stages as (
      select s.workspace_id, s.lead_id,
             min(s.at) filter (where s.position >= (select position from pipeline_stages p
                                                     where p.workspace_id = s.workspace_id and p.name = 'contacted')) as first_contact_at
        from first_entry s group by s.workspace_id, s.lead_id
    ),
    touches as (
      select t.workspace_id, t.lead_id, array_agg(t.channel order by t.position) as channels,
             array_agg(trunc(extract(epoch from t.touched_at) * 1000)::float8 order by t.position) as touched_at_ms
        from lead_touches t
       group by t.workspace_id, t.lead_id
    ),
    primary_touch as (
      select c.*, row_number() over (partition by c.workspace_id, c.lead_id order by c.channel_credit desc, c.position desc) = 1 as is_primary
        from (select c.*, round((sum(c.credit) over (partition by c.workspace_id, c.lead_id, c.channel))::numeric, 9) as channel_credit
                from lead_credits c
               where c.model = 'last_non_direct') c
    )
    select l.workspace_id, l.lead_id, l.created_at, (l.created_at at time zone w.time_zone)::date, l.region, l.manager, l.product,
           l.temperature, l.outcome, l.loss_reason, l.amount, l.closed_at, l.call_id, l.channel, j.reached_position,
           j.entered_mask, j.qualified_at, j.coverage, j.touch_count, st.first_contact_at,
           (extract(epoch from st.first_contact_at - l.created_at) / 3600)::float8,
           greatest(0, floor(extract(epoch from (j.qualified_at - l.created_at)) / 604800))::int,
           case when l.outcome = 'won'
                then greatest(0, floor(extract(epoch from (coalesce(l.closed_at, l.created_at) - l.created_at)) / 604800))::int end,
           tt.channels, tt.touched_at_ms, pt.channel, pt.source, pt.medium, pt.campaign
      from leads l
      join workspaces w on w.id = l.workspace_id
      join lead_journeys j on j.workspace_id = l.workspace_id and j.lead_id = l.lead_id
      left join stages st on st.workspace_id = l.workspace_id and st.lead_id = l.lead_id
      left join touches tt on tt.workspace_id = l.workspace_id and tt.lead_id = l.lead_id
      left join primary_touch pt on pt.workspace_id = l.workspace_id and pt.lead_id = l.lead_id and pt.is_primary`.execute(db);

  await sql`
    insert into lead_stage_steps (workspace_id, lead_id, position, hours, created_day, region, manager, product, temperature,
                                  primary_channel, primary_source, primary_medium, primary_campaign)
    select s.workspace_id, s.lead_id, s.position, s.hours, f.created_day, f.region, f.manager, f.product, f.temperature,
           f.primary_channel, f.primary_source, f.primary_medium, f.primary_campaign
      from (select e.workspace_id, e.lead_id, e.position,
                   (extract(epoch from min(e.at) over (partition by e.workspace_id, e.lead_id order by e.position desc
                                                      rows between unbounded preceding and 1 preceding) - e.at) / 3600)::float8 as hours
              from (select h.workspace_id, h.lead_id, p.position, min(h.entered_at) as at
                      from lead_stages h join pipeline_stages p on p.workspace_id = h.workspace_id and p.name = h.stage
                     group by h.workspace_id, h.lead_id, p.position) e) s
      join lead_facts f on f.workspace_id = s.workspace_id and f.lead_id = s.lead_id
     where s.hours is not null
     order by s.workspace_id, s.position, s.hours`.execute(db);

  await sql`
    insert into lead_credit_facts (workspace_id, model, lead_id, position, credit, channel, source, medium, campaign, content,
                                   region, manager, product, temperature, created_day, qualified_day, won_day, is_junk, is_won,
                                   revenue, is_primary)
    select c.workspace_id, c.model, c.lead_id, c.position, c.credit, c.channel, c.source, c.medium, c.campaign, c.content,
           f.region, f.manager, f.product, f.temperature, f.created_day, (f.qualified_at at time zone w.time_zone)::date,
           case when f.outcome = 'won' then (coalesce(f.closed_at, f.created_at) at time zone w.time_zone)::date end,
           f.outcome = 'junk', f.outcome = 'won',
           case when f.outcome = 'won' then coalesce(f.amount, 0) * c.credit::numeric end,
           row_number() over (partition by c.workspace_id, c.model, c.lead_id order by c.channel_credit desc, c.position desc) = 1
      from (select c.*, round((sum(c.credit) over (partition by c.workspace_id, c.model, c.lead_id, c.channel))::numeric, 9) as channel_credit
              from lead_credits c
             where c.model in ('first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position')) c
      join lead_facts f on f.workspace_id = c.workspace_id and f.lead_id = c.lead_id
      join workspaces w on w.id = c.workspace_id
     order by c.workspace_id, c.model, f.created_day`.execute(db);

  await sql`
    insert into call_facts (workspace_id, call_id, started_at, day, caller_phone, status, duration_sec, region, manager,
                            prev_started_at, channel, source, medium, campaign, static_number, static_valid_from, leads)
    with c as (
      select c.*, lag(c.started_at) over (partition by c.workspace_id, c.caller_phone order by c.started_at, c.call_id) as prev_started_at
        from calls c
    ),
    ld as (
      select l.workspace_id, l.call_id, count(*)::int as n,
             (array_agg(l.manager order by l.created_at, l.lead_id) filter (where l.manager <> ''))[1] as manager
        from leads l
       where l.call_id is not null
       group by l.workspace_id, l.call_id
    )
    select c.workspace_id, c.call_id, c.started_at, (c.started_at at time zone w.time_zone)::date, c.caller_phone, c.status,
           c.duration_sec, c.region, coalesce(nullif(c.manager, ''), ld.manager, ''), c.prev_started_at,
           case when tn.number is not null then tn.channel when s.session_id is not null then s.channel else 'unknown' end,
           case when tn.number is not null then tn.source when s.session_id is not null then s.source else '' end,
           case when tn.number is not null then tn.medium when s.session_id is not null then s.medium else '' end,
           case when tn.number is not null then tn.campaign when s.session_id is not null then s.campaign else '' end,
           tn.number, tn.valid_from, coalesce(ld.n, 0)
      from c
      join workspaces w on w.id = c.workspace_id
      left join lateral (
        select t.number, t.valid_from, t.source, t.medium, t.campaign, coalesce(t.channel, 'unknown') as channel
          from tracking_numbers t
         where t.workspace_id = c.workspace_id and t.number = c.tracking_number and t.kind = 'static'
           and (c.started_at at time zone w.time_zone)::date between t.valid_from and t.valid_to
         order by t.valid_from desc
         limit 1
      ) tn on true
      left join sessions s on s.workspace_id = c.workspace_id and s.session_id = c.session_id
      left join ld on ld.workspace_id = c.workspace_id and ld.call_id = c.call_id`.execute(db);

  for (const t of ['lead_facts', 'lead_stage_steps', 'lead_credit_facts', 'call_facts', 'monthly_traffic']) {
    await sql`analyze ${sql.table(t)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['monthly_traffic', 'call_facts', 'lead_credit_facts', 'lead_stage_steps', 'lead_facts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
