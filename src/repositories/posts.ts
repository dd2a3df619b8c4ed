import type { DB } from '../db/database.js';
import { toIsoTimestamp } from '../db/dialect.js';
import { prepareQuery } from '../db/prepared.js';
import { MAX_ID } from '../schemas/common.js';

/** A post with the author columns it is always shown with, read in the same query (no N+1). */
export interface PostWithAuthor {
  id: number;
  title: string;
  content: string;
  user_id: number;
  date_posted: string;
  author: { id: number; username: string; image_file: string | null };
}

const isStorableId = (id: number) => Number.isInteger(id) && id >= 1 && id <= MAX_ID;

export function createPostRepository(db: DB) {
  const postsWithAuthor = () =>
    db
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.user_id')
      .select([
        'posts.id',
        'posts.title',
        'posts.content',
        'posts.user_id',
        'posts.date_posted',
        'users.username as author_username',
        'users.image_file as author_image_file',
      ]);

  type Row = Awaited<ReturnType<ReturnType<typeof postsWithAuthor>['executeTakeFirstOrThrow']>>;

  /** The ids of one page, walked on the (date_posted, id) index alone. */
  const pageIds = (userId: number | undefined, limit: number, skip: number) => {
    let ids = db.selectFrom('posts').select('posts.id');
    if (userId !== undefined) ids = ids.where('posts.user_id', '=', userId);
    return ids.orderBy('posts.date_posted', 'desc').orderBy('posts.id', 'desc').limit(limit).offset(skip);
  };
  const countPosts = (userId: number | undefined) => {
    const count = db.selectFrom('posts').select((eb) => eb.fn.countAll<number | string>().as('total'));
    return userId === undefined ? count : count.where('posts.user_id', '=', userId);
  };
  /**
   * Then only the page's rows are joined and read ("deferred join"), each
   * carrying the total (an uncorrelated subquery, computed once): one query
   * for a page. Only a page past the end, with no rows, needs a count of its own.
   */
  const pageRows = (userId: number | undefined, limit: number, skip: number) =>
    postsWithAuthor()
      .select(() => countPosts(userId).as('total'))
      .where('posts.id', 'in', pageIds(userId, limit, skip))
      .orderBy('posts.date_posted', 'desc')
      .orderBy('posts.id', 'desc');

  // The hot reads, compiled once (markers stand for the values; see prepareQuery).
  const hot = {
    byId: prepareQuery(db, (id: number) => postsWithAuthor().where('posts.id', '=', id), [-1]),
    page: prepareQuery(db, (limit: number, skip: number) => pageRows(undefined, limit, skip), [-1, -2]),
    userPage: prepareQuery(db, (userId: number, limit: number, skip: number) => pageRows(userId, limit, skip), [-1, -2, -3]),
    count: prepareQuery(db, () => countPosts(undefined), []),
    userCount: prepareQuery(db, (userId: number) => countPosts(userId), [-1]),
  };

  const toPost = (row: Row): PostWithAuthor => ({
    id: row.id,
    title: row.title,
    content: row.content,
    user_id: row.user_id,
    date_posted: toIsoTimestamp(row.date_posted),
    author: { id: row.user_id, username: row.author_username, image_file: row.author_image_file },
  });

  return {
    async findById(id: number): Promise<PostWithAuthor | undefined> {
      if (!isStorableId(id)) return undefined;
      const [row] = await hot.byId(id);
      return row && toPost(row);
    },

    /** One page, newest first (ties broken by id), and the total the page is part of. */
    async page(options: { skip: number; limit: number; userId?: number }): Promise<{ posts: PostWithAuthor[]; total: number }> {
      const { userId, limit, skip } = options;
      const rows = userId === undefined ? await hot.page(limit, skip) : await hot.userPage(userId, limit, skip);
      const counted = rows[0] ?? (userId === undefined ? await hot.count() : await hot.userCount(userId))[0];
      // PostgreSQL returns count(*) as a bigint string.
      return { posts: rows.map(toPost), total: Number(counted?.total ?? 0) };
    },

    async create(values: { title: string; content: string; userId: number }): Promise<PostWithAuthor> {
      const { id } = await db
        .insertInto('posts')
        .values({ title: values.title, content: values.content, user_id: values.userId, date_posted: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await this.findById(id))!;
    },

    async update(id: number, changes: { title?: string; content?: string }): Promise<PostWithAuthor | undefined> {
      const values = {
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.content !== undefined && { content: changes.content }),
      };
      if (Object.keys(values).length > 0) await db.updateTable('posts').set(values).where('id', '=', id).execute();
      return this.findById(id);
    },

    async delete(id: number): Promise<boolean> {
      const result = await db.deleteFrom('posts').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
