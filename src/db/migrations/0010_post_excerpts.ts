// Each post stores the excerpt of its text (src/markdown/excerpt.ts), made
// with its rendering, so listing pages show it without reading the whole
// post. Existing posts get theirs from the HTML already stored; a post not
// rendered yet keeps '' until it is (on first read, or by the server's
// round of stale renderings), which makes both at once; so do posts written
// straight into the table (an import), hence the default.
import { sql } from 'kysely';
import { excerptOf } from '../../markdown/excerpt.js';
import type { AnyDatabase } from '../dialect.js';

const BATCH = 500;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .alterTable('posts')
    .addColumn('excerpt', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  for (let afterId = 0; ;) {
    const rows = await sql<{ id: number; content_html: string }>`
      select id, content_html from posts
      where id > ${afterId} and content_html is not null order by id limit ${BATCH}`.execute(db);
    for (const { id, content_html } of rows.rows) {
      await sql`update posts set excerpt = ${excerptOf(content_html)} where id = ${id}`.execute(db);
    }
    const last = rows.rows.at(-1);
    if (!last || rows.rows.length < BATCH) break;
    afterId = last.id;
  }
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('posts').dropColumn('excerpt').execute();
}
