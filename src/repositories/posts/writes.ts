// Changes to existing posts, apart from the repository so that a service can
// make them inside a transaction (with the audit entry of a moderator's edit).
import type { DB } from '../../db/database.js';
import type { PostStatus } from '../../db/schema.js';
import type { Rendered } from './renderings.js';

export function createPostWrites(db: DB) {
  return {
    /** A new content comes with its rendering; the dates are the caller's to set. */
    async update(
      id: number,
      changes: {
        title?: string | undefined;
        content?: string | undefined;
        rendered?: Rendered | undefined;
        status?: PostStatus | undefined;
        date_posted?: string | undefined;
        updated_at?: string | null | undefined;
      },
    ): Promise<void> {
      const { rendered } = changes;
      const values = {
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.content !== undefined && { content: changes.content }),
        ...(rendered && { content_html: rendered.html, excerpt: rendered.excerpt, render_version: rendered.version }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.date_posted !== undefined && { date_posted: changes.date_posted }),
        ...(changes.updated_at !== undefined && { updated_at: changes.updated_at }),
      };
      if (Object.keys(values).length > 0) await db.updateTable('posts').set(values).where('id', '=', id).execute();
    },

    async delete(id: number): Promise<boolean> {
      const result = await db.deleteFrom('posts').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type PostWrites = ReturnType<typeof createPostWrites>;
