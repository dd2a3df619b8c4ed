// Posts: reads through the compiled queries and the listing cache, writes
// through Kysely. The revision triggers (migration 0003) tell the cache of
// every instance when the order of posts changed.
import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { isStorableId } from '../../db/ids.js';
import { createListingCache } from './listing-cache.js';
import type { PostStatus } from '../../db/schema.js';
import { preparePostQueries, toPost, type ListingScope, type PostWithAuthor } from './queries.js';
import { createPostRenderings, type Rendered } from './renderings.js';
import { createPostSearch } from './search.js';
import { createPostWrites } from './writes.js';

export type { ListingScope, PostStatus, PostWithAuthor, Rendered };

export interface PostRepositoryOptions {
  /** Every how many posts a deep page may start from a remembered position (see page-checkpoints.ts). */
  checkpointInterval?: number;
}

export function createPostRepository(db: DB, options: PostRepositoryOptions = {}) {
  const queries = preparePostQueries(db);
  const listings = createListingCache(queries, options.checkpointInterval ?? 500);

  /**
   * A new post is held back when its author is suspended. On PostgreSQL the
   * author's row is share-locked as it is read, so a suspension committing
   * meanwhile waits for this insert and then holds back its post too; SQLite
   * runs one write at a time.
   */
  const authorSuspended = (userId: number) => {
    const standing = db
      .selectFrom('users')
      .select((eb) =>
        eb.case().when('suspended_at', 'is', null).then(sql.lit<0 | 1>(0)).else(sql.lit<0 | 1>(1)).end().as('flag'),
      )
      .where('id', '=', userId);
    return dialectOf(db) === 'postgres' ? standing.forShare() : standing;
  };

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
      /** The posts of a suspended author (for admins); needs a userId. */
      authorSuspended?: boolean;
    }): Promise<{ posts: PostWithAuthor[]; total: number }> {
      const { limit, skip, userId, status = 'published', authorSuspended } = options;
      if ((status !== 'published' || authorSuspended) && userId === undefined)
        throw new Error(
          `a listing of ${status} posts${authorSuspended ? ' of a suspended author' : ''} needs an author`,
        );
      const scope: ListingScope = { userId, status, authorSuspended };
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
          excerpt: values.rendered?.excerpt ?? '',
          render_version: values.rendered?.version ?? 0,
          status: values.status ?? 'published',
          author_suspended: authorSuspended(values.userId),
          user_id: values.userId,
          date_posted: values.datePosted ?? new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await findById(id);
      if (!created) throw new Error(`post ${id} vanished right after it was written`);
      return created;
    },

    /** Writes a change; the caller reads the post again. */
    ...createPostWrites(db),

    ...createPostRenderings(db),
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
