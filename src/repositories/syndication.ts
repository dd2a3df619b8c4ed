// What feeds and the sitemap read: the posts_revision counter (it moves on
// every change a listing shows, so anything built from the posts holds while
// it stays), and the published posts and their authors, as ids and dates only.
import type { DB } from '../db/database.js';
import { toIsoTimestamp } from '../db/dialect.js';
import { isListed, preparePostQueries } from './posts/queries.js';

export interface SitemapPost {
  id: number;
  /** When it last changed: its edit, or its publication. */
  lastModified: string;
}

export interface SitemapAuthor {
  id: number;
  /** Their newest post's publication. */
  lastPosted: string;
}

export function createSyndicationRepository(db: DB) {
  const { revision } = preparePostQueries(db);
  return {
    async revision(): Promise<string> {
      const [row] = await revision({});
      return String(row?.value);
    },

    /** Every published post, oldest first. */
    async publishedPosts(): Promise<SitemapPost[]> {
      const rows = await db
        .selectFrom('posts')
        .select(['id', 'date_posted', 'updated_at'])
        .where(isListed)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ id: row.id, lastModified: toIsoTimestamp(row.updated_at ?? row.date_posted) }));
    },

    /** The users with at least one published post. */
    async publishingAuthors(): Promise<SitemapAuthor[]> {
      const rows = await db
        .selectFrom('posts')
        .select((eb) => ['user_id', eb.fn.max('date_posted').as('last_posted')])
        .where(isListed)
        .groupBy('user_id')
        .orderBy('user_id')
        .execute();
      return rows.map((row) => ({ id: row.user_id, lastPosted: toIsoTimestamp(row.last_posted) }));
    },
  };
}

export type SyndicationRepository = ReturnType<typeof createSyndicationRepository>;
