// Full-text search of published posts. Both engines index the same words:
// runs of letters and digits, case-folded, no stemming, no stop words, so a
// query finds the same posts on either.
//
// SQLite: an FTS5 table over posts(title, content), external content (the
// text is not stored twice), holding published posts only, so counting
// matches needs no look at posts. Triggers keep it in step with the
// documented 'delete' command, which needs the old values.
//
// PostgreSQL: a stored tsvector, the title's words weighted A and the
// content's B (so "every word in the title" is a weight-restricted query on
// the same index), with a GIN index of the published posts. Every character
// but a letter or digit becomes a space first: the default parser would keep
// "example.com", "a-b" or "/path" as tokens of their own, which FTS5 splits.
import { sql } from 'kysely';
import { dialectOf, type AnyDatabase } from '../dialect.js';

const sqliteTriggers = [
  sql`create trigger posts_search_insert after insert on posts when new.status = 'published' begin
    insert into posts_search (rowid, title, content) values (new.id, new.title, new.content);
  end`,
  sql`create trigger posts_search_delete after delete on posts when old.status = 'published' begin
    insert into posts_search (posts_search, rowid, title, content) values ('delete', old.id, old.title, old.content);
  end`,
  sql`create trigger posts_search_update after update of title, content, status on posts begin
    insert into posts_search (posts_search, rowid, title, content)
      select 'delete', old.id, old.title, old.content where old.status = 'published';
    insert into posts_search (rowid, title, content)
      select new.id, new.title, new.content where new.status = 'published';
  end`,
];

const words = (column: string) =>
  sql`to_tsvector('simple', regexp_replace(${sql.ref(column)}, '[^[:alnum:]]+', ' ', 'g'))`;

export async function up(db: AnyDatabase): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`
      alter table posts add column search tsvector generated always as
        (setweight(${words('title')}, 'A') || setweight(${words('content')}, 'B')) stored`.execute(db);
    await sql`create index posts_search_idx on posts using gin (search) where status = 'published'`.execute(db);
    return;
  }
  // remove_diacritics 0: PostgreSQL's 'simple' keeps "café" apart from "cafe", so this does too.
  await sql`
    create virtual table posts_search using fts5(
      title, content, content = 'posts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  for (const trigger of sqliteTriggers) await trigger.execute(db);
  await sql`
    insert into posts_search (rowid, title, content)
    select id, title, content from posts where status = 'published'`.execute(db);
}

export async function down(db: AnyDatabase): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop index posts_search_idx`.execute(db);
    await sql`alter table posts drop column search`.execute(db);
    return;
  }
  for (const name of ['posts_search_insert', 'posts_search_delete', 'posts_search_update']) {
    await sql`drop trigger ${sql.id(name)}`.execute(db);
  }
  await sql`drop table posts_search`.execute(db);
}
