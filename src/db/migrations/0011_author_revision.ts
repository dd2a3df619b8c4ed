// posts_revision also moves when an author changes in a way a public read
// shows: their picture (beside every post of theirs), a suspension (their
// profile says so, even with no posts to hold back), or the account deleted
// (their profile answers 404 from then on). A rename moved it already
// (0006). With this the counter stands for everything a signed-out page or
// API read shows, and the ETags of src/plugins/conditional-get.ts are built
// on it.
import { sql } from 'kysely';
import { dialectOf, type AnyDatabase } from '../dialect.js';

const AUTHOR_COLUMNS = sql`username, image_file, suspended_at`;

export async function up(db: AnyDatabase): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger posts_revision_author_renamed on users`.execute(db);
    await sql`
      create trigger posts_revision_author_changed
      after update of ${AUTHOR_COLUMNS} or delete on users
      for each statement execute function bump_posts_revision()`.execute(db);
    return;
  }
  await sql`drop trigger posts_revision_author_renamed`.execute(db);
  await sql`
    create trigger posts_revision_author_changed after update of ${AUTHOR_COLUMNS} on users
    begin update posts_revision set value = value + 1; end`.execute(db);
  await sql`
    create trigger posts_revision_author_deleted after delete on users
    begin update posts_revision set value = value + 1; end`.execute(db);
}

export async function down(db: AnyDatabase): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  if (postgres) {
    await sql`drop trigger posts_revision_author_changed on users`.execute(db);
    await sql`
      create trigger posts_revision_author_renamed after update of username on users
      for each statement execute function bump_posts_revision()`.execute(db);
    return;
  }
  await sql`drop trigger posts_revision_author_changed`.execute(db);
  await sql`drop trigger posts_revision_author_deleted`.execute(db);
  await sql`
    create trigger posts_revision_author_renamed after update of username on users
    begin update posts_revision set value = value + 1; end`.execute(db);
}
