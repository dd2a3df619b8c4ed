// A counter that moves whenever the order of posts can change (a post added,
// removed, or moved in time or to another author). Readers compare it to tell
// whether a position they remembered in the listing is still right; see
// src/repositories/page-checkpoints.ts. Triggers keep it, so no write path,
// cascade or import can forget to.
import { sql } from 'kysely';
import { dialectOf, type AnyDatabase } from '../dialect.js';

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('posts_revision')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('value', 'bigint', (col) => col.notNull())
    .execute();
  await db.insertInto('posts_revision').values({ id: 1, value: 0 }).execute();

  if (dialectOf(db) === 'postgres') {
    // One bump per statement, however many rows it touched. The function keeps
    // the schema it was created in, so it finds posts_revision under any search_path.
    await sql`
      create function bump_posts_revision() returns trigger language plpgsql
      set search_path from current as $$
      begin
        update posts_revision set value = value + 1;
        return null;
      end $$`.execute(db);
    await sql`
      create trigger posts_revision_bump
      after insert or delete or update of date_posted, user_id on posts
      for each statement execute function bump_posts_revision()`.execute(db);
  } else {
    // SQLite has only row triggers.
    for (const [name, event] of [
      ['posts_revision_insert', sql`insert`],
      ['posts_revision_delete', sql`delete`],
      ['posts_revision_reorder', sql`update of date_posted, user_id`],
    ] as const) {
      await sql`
        create trigger ${sql.id(name)} after ${event} on posts
        begin update posts_revision set value = value + 1; end`.execute(db);
    }
  }
}

export async function down(db: AnyDatabase): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger posts_revision_bump on posts`.execute(db);
    await sql`drop function bump_posts_revision()`.execute(db);
  } else {
    for (const name of ['posts_revision_insert', 'posts_revision_delete', 'posts_revision_reorder']) {
      await sql`drop trigger ${sql.id(name)}`.execute(db);
    }
  }
  await db.schema.dropTable('posts_revision').execute();
}
