// Posts are Markdown: the rendered HTML is stored with them, so reads never
// render. Posts written before have none yet (null): they are rendered the
// first time they are read, as are posts of an older renderer version.
import type { AnyDatabase } from '../dialect.js';

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('posts').addColumn('content_html', 'text').execute();
  await db.schema
    .alterTable('posts')
    .addColumn('render_version', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('posts').dropColumn('render_version').execute();
  await db.schema.alterTable('posts').dropColumn('content_html').execute();
}
