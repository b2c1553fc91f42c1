import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Accounts (issue 6). user_sessions and login_failures are global like users:
// a session and a login belong to a person, not to a workspace. Invites are
// per workspace and carry workspace_id in their keys like every other table.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('password_changed_at', 'timestamptz')
    .execute();
  // Emails are stored normalised, so uniqueness holds whatever case is typed.
  await sql`alter table users add constraint users_email_normalised check (email = lower(btrim(email)))`.execute(db);

  await db.schema
    .createTable('user_sessions')
    // sha256 (hex) of the cookie's random id: a leaked table cannot be replayed.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('user_sessions_user_idx').on('user_sessions').column('user_id').execute();

  await db.schema
    .createTable('invites')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'integer', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner','marketer','manager','viewer')`))
    .addColumn('manager_name', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('invites_pk', ['workspace_id', 'id'])
    .execute();

  // Failed logins, counted per account and per IP for throttling. In the
  // database so the limit holds across restarts and processes.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_failures_email_idx').on('login_failures').columns(['email', 'failed_at']).execute();
  await db.schema.createIndex('login_failures_ip_idx').on('login_failures').columns(['ip', 'failed_at']).execute();
  await db.schema.createIndex('login_failures_time_idx').on('login_failures').column('failed_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
  await db.schema.dropTable('invites').ifExists().execute();
  await db.schema.dropTable('user_sessions').ifExists().execute();
  await sql`alter table users drop constraint if exists users_email_normalised`.execute(db);
  await db.schema.alterTable('users').dropColumn('password_changed_at').dropColumn('last_login_at').execute();
}
