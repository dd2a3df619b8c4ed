// Posts: reads through the compiled queries and the listing cache, writes
// through Kysely. The revision triggers (migration 0003) tell the cache of
// every instance when the order of posts changed.
import type { DB } from '../../db/database.js';
import { isStorableId } from '../../db/ids.js';
import { createListingCache } from './listing-cache.js';
import type { PostStatus } from '../../db/schema.js';
import { preparePostQueries, toPost, type ListingScope, type PostWithAuthor } from './queries.js';
import { createPostRenderings, type Rendered } from './renderings.js';
import { createPostSearch } from './search.js';

export type { ListingScope, PostStatus, PostWithAuthor, Rendered };

export interface PostRepositoryOptions {
  /** Every how many posts a deep page may start from a remembered position (see page-checkpoints.ts). */
  checkpointInterval?: number;
}

export function createPostRepository(db: DB, options: PostRepositoryOptions = {}) {
  const queries = preparePostQueries(db);
  const listings = createListingCache(queries, options.checkpointInterval ?? 500);

  async function findById(id: number): Promise<PostWithAuthor | undefined> {
    if (!isStorableId(id)) return undefined;
    const [row] = await queries.byId({ id });
    return row && toPost(row);
  }

  return {
    findById,

    /** Published posts holding every search term: title matches first, then newest first (search.ts). */
    search: createPostSearch(db),

    /**
     * One page, newest first (ties broken by id), and the total the page is
     * part of: of the published posts (everyone's, or one author's), or of
     * an author's own by status.
     */
    async page(options: {
      skip: number;
      limit: number;
      userId?: number | undefined;
      /** Default 'published'; another status needs a userId. */
      status?: ListingScope['status'];
    }): Promise<{ posts: PostWithAuthor[]; total: number }> {
      const { limit, skip, userId, status = 'published' } = options;
      if (status !== 'published' && userId === undefined)
        throw new Error(`a listing of ${status} posts needs an author`);
      const scope: ListingScope = { userId, status };
      const rows = await listings.pageRows(scope, limit, skip);
      // A page past the end has no row to carry a revision: it is always counted.
      const total = await listings.total(scope, rows[0] && String(rows[0].revision));
      return { posts: rows.map(toPost), total };
    },

    async create(values: {
      title: string;
      content: string;
      /** Without it, the post is rendered when it is first read. */
      rendered?: Rendered;
      /** Default 'published'. */
      status?: PostStatus;
      userId: number;
      /** ISO 8601; default now. */
      datePosted?: string;
    }): Promise<PostWithAuthor> {
      const { id } = await db
        .insertInto('posts')
        .values({
          title: values.title,
          content: values.content,
          content_html: values.rendered?.html ?? null,
          render_version: values.rendered?.version ?? 0,
          status: values.status ?? 'published',
          user_id: values.userId,
          date_posted: values.datePosted ?? new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await findById(id);
      if (!created) throw new Error(`post ${id} vanished right after it was written`);
      return created;
    },

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
    ): Promise<PostWithAuthor | undefined> {
      const { rendered } = changes;
      const values = {
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.content !== undefined && { content: changes.content }),
        ...(rendered && { content_html: rendered.html, render_version: rendered.version }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.date_posted !== undefined && { date_posted: changes.date_posted }),
        ...(changes.updated_at !== undefined && { updated_at: changes.updated_at }),
      };
      if (Object.keys(values).length > 0) await db.updateTable('posts').set(values).where('id', '=', id).execute();
      return findById(id);
    },

    ...createPostRenderings(db),

    async delete(id: number): Promise<boolean> {
      const result = await db.deleteFrom('posts').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
