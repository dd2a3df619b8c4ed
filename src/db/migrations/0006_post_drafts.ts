// Drafts and edits. A post is a draft, seen only by its author, or
// published; updated_at is set by an edit (null until the first one).
// Public listings hold only published posts, so their index holds only
// those (a partial index: drafts cost the home page nothing).
//
// The revision counter now moves on every change to what a listing shows,
// not only to its order: a change of status, an edited title or content, a
// renamed author. So feeds and the sitemap can be kept against it too.
import { sql } from 'kysely';
import { dialectOf, type AnyDatabase } from '../dialect.js';

const listedColumns = (all: boolean) =>
  all ? sql`date_posted, user_id, status, title, content` : sql`date_posted, user_id`;

async function replaceRevisionTrigger(db: AnyDatabase, all: boolean): Promise<void> {
  const columns = listedColumns(all);
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger posts_revision_bump on posts`.execute(db);
    await sql`
      create trigger posts_revision_bump
      after insert or delete or update of ${columns} on posts
      for each statement execute function bump_posts_revision()`.execute(db);
    if (all) {
      await sql`
        create trigger posts_revision_author_renamed after update of username on users
        for each statement execute function bump_posts_revision()`.execute(db);
    } else {
      await sql`drop trigger posts_revision_author_renamed on users`.execute(db);
    }
  } else {
    await sql`drop trigger posts_revision_reorder`.execute(db);
    await sql`
      create trigger posts_revision_reorder after update of ${columns} on posts
      begin update posts_revision set value = value + 1; end`.execute(db);
    if (all) {
      await sql`
        create trigger posts_revision_author_renamed after update of username on users
        begin update posts_revision set value = value + 1; end`.execute(db);
    } else {
      await sql`drop trigger posts_revision_author_renamed`.execute(db);
    }
  }
}

export async function up(db: AnyDatabase): Promise<void> {
  const timestamp = dialectOf(db) === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .alterTable('posts')
    .addColumn('status', 'varchar(10)', (col) =>
      col
        .notNull()
        .defaultTo('published')
        .check(sql`status in ('draft', 'published')`),
    )
    .execute();
  await db.schema.alterTable('posts').addColumn('updated_at', timestamp).execute();

  await db.schema.dropIndex('posts_date_posted_id_idx').execute();
  await db.schema
    .createIndex('posts_published_date_posted_id_idx')
    .on('posts')
    .columns(['date_posted desc', 'id desc'])
    .where(sql.ref('status'), '=', sql.lit('published'))
    .execute();
  // An author's posts by status (their public page: published; their drafts), same order; also serves the foreign key.
  await db.schema.dropIndex('posts_user_id_date_posted_id_idx').execute();
  await db.schema
    .createIndex('posts_user_id_status_date_posted_id_idx')
    .on('posts')
    .columns(['user_id', 'status', 'date_posted desc', 'id desc'])
    .execute();
  await replaceRevisionTrigger(db, true);
}

export async function down(db: AnyDatabase): Promise<void> {
  await replaceRevisionTrigger(db, false);
  await db.schema.dropIndex('posts_user_id_status_date_posted_id_idx').execute();
  await db.schema
    .createIndex('posts_user_id_date_posted_id_idx')
    .on('posts')
    .columns(['user_id', 'date_posted desc', 'id desc'])
    .execute();
  await db.schema.dropIndex('posts_published_date_posted_id_idx').execute();
  await db.schema
    .createIndex('posts_date_posted_id_idx')
    .on('posts')
    .columns(['date_posted desc', 'id desc'])
    .execute();
  await db.schema.alterTable('posts').dropColumn('updated_at').execute();
  await db.schema.alterTable('posts').dropColumn('status').execute();
}
