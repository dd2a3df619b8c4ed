// The stored renderings of posts (src/markdown/): kept with each post, so
// reads never render; found and redone when missing or older than the renderer.
import type { DB } from '../../db/database.js';

/** A content's HTML, the excerpt of its text, and the renderer version that made them. */
export interface Rendered {
  html: string;
  excerpt: string;
  version: number;
}

export function createPostRenderings(db: DB) {
  return {
    /** Posts after `afterId` (by id) whose rendering is missing or older than `version`: their id and content. */
    staleRenderings(afterId: number, version: number, limit: number) {
      return db
        .selectFrom('posts')
        .select(['id', 'content'])
        .where('id', '>', afterId)
        .where((eb) => eb.or([eb('content_html', 'is', null), eb('render_version', '<', version)]))
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** Keeps a rendering made on read, unless the content changed meanwhile. */
    async storeRendering(id: number, content: string, rendered: Rendered): Promise<void> {
      await db
        .updateTable('posts')
        .set({ content_html: rendered.html, excerpt: rendered.excerpt, render_version: rendered.version })
        .where('id', '=', id)
        .where('content', '=', content)
        .execute();
    },
  };
}
