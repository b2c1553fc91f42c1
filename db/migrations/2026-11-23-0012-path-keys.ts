import { sql, type Kysely } from 'kysely';

// Journey rollups keyed by a hash of the path (issue 12): a visitor hopping
// between channels over thousands of sessions has a path of thousands of
// entries, too long for a btree row (2704 bytes), so the primary key on
// (workspace_id, day, path) failed the whole import. The path itself stays
// whole (Markov reads it); the key is path_key = md5 of the path's text form.
//
// path_key_of: array_to_string and the text[] → text cast are only stable
// (element output functions may be), so a generated column cannot call them
// directly; for text[] the output is fixed, and array_out quotes elements, so
// distinct paths give distinct texts. Writers use it to match rows by key
// (db/analytics/visitor-paths.ts).

const TABLES = ['nonconverting_paths', 'converting_paths'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function path_key_of(path text[]) returns uuid
      language sql immutable strict parallel safe
      return md5(path::text)::uuid`.execute(db);
  for (const t of TABLES) {
    await sql`
      alter table ${sql.table(t)}
        drop constraint ${sql.ref(`${t}_pk`)},
        add column path_key uuid generated always as (path_key_of(path)) stored,
        add constraint ${sql.ref(`${t}_pk`)} primary key (workspace_id, day, path_key)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) {
    await sql`
      alter table ${sql.table(t)}
        drop constraint ${sql.ref(`${t}_pk`)},
        drop column path_key,
        add constraint ${sql.ref(`${t}_pk`)} primary key (workspace_id, day, path)`.execute(db);
  }
  await sql`drop function if exists path_key_of(text[])`.execute(db);
}
