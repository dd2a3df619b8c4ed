import type { Compilable } from 'kysely';
import type { DB } from '../db/database.js';
import { toIsoTimestamp } from '../db/dialect.js';
import { prepareQuery } from '../db/prepared.js';
import { isStorableId } from '../db/ids.js';
import { createPageCheckpoints } from './page-checkpoints.js';

/** A post with the author columns it is always shown with, read in the same query (no N+1). */
export interface PostWithAuthor {
  id: number;
  title: string;
  content: string;
  user_id: number;
  date_posted: string;
  author: { id: number; username: string; image_file: string | null };
}

/** Listings (all posts, each user's) whose total is kept; then they are forgotten at once. */
const MAX_KEPT_TOTALS = 10_000;

/** All posts, or one user's; from the top, or from a checkpoint post on. */
interface Listing {
  userId?: number | undefined;
  checkpointId?: number | undefined;
}

export interface PostRepositoryOptions {
  /** Every how many posts a deep page may start from a remembered position (see page-checkpoints). */
  checkpointInterval?: number;
}

export function createPostRepository(db: DB, options: PostRepositoryOptions = {}) {
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

  /**
   * The ids of one page, walked on the (date_posted, id) index alone: from the
   * top, or from a checkpoint post on (it and every post after it in the order).
   */
  const pageIds = (listing: Listing, limit: number, skip: number) => {
    let ids = db.selectFrom('posts').select('posts.id');
    if (listing.userId !== undefined) ids = ids.where('posts.user_id', '=', listing.userId);
    const { checkpointId } = listing;
    if (checkpointId !== undefined) {
      ids = ids.where((eb) =>
        eb(
          eb.refTuple('posts.date_posted', 'posts.id'),
          '<=',
          eb
            .selectFrom('posts as checkpoint')
            .select(['checkpoint.date_posted', 'checkpoint.id'])
            .where('checkpoint.id', '=', checkpointId)
            .$asTuple('date_posted', 'id'),
        ),
      );
    }
    return ids.orderBy('posts.date_posted', 'desc').orderBy('posts.id', 'desc').limit(limit).offset(skip);
  };
  /** The posts_revision the rest of the statement was read at (it moves on any change to the posts' order). */
  const currentRevision = () => db.selectFrom('posts_revision').select('value').where('posts_revision.id', '=', 1);
  const countPosts = (userId: number | undefined) => {
    const count = db
      .selectFrom('posts')
      .select((eb) => [eb.fn.countAll<number | string>().as('total'), currentRevision().as('revision')]);
    return userId === undefined ? count : count.where('posts.user_id', '=', userId);
  };
  /**
   * Then only the page's rows are joined and read ("deferred join"): one
   * query for a page. Each row carries the revision it was read at, which
   * tells whether the total counted earlier still holds.
   */
  const pageRows = (listing: Listing, limit: number, skip: number) =>
    postsWithAuthor()
      .select(() => currentRevision().as('revision'))
      .where('posts.id', 'in', pageIds(listing, limit, skip))
      .orderBy('posts.date_posted', 'desc')
      .orderBy('posts.id', 'desc');

  /**
   * A listing query compiled once per shape (all posts or one user's; from
   * the top or from a checkpoint), on first use.
   */
  const prepareListing = <Row>(build: (listing: Listing, limit: number, skip: number) => Compilable<Row>) => {
    const shapes = new Map<string, (...values: number[]) => Promise<Row[]>>();
    return (listing: Listing, limit: number, skip: number): Promise<Row[]> => {
      const { userId, checkpointId } = listing;
      const shape = `${userId !== undefined}:${checkpointId !== undefined}`;
      let run = shapes.get(shape);
      if (!run) {
        // Markers stand for the values (see prepareQuery); a shape lacks the ones it does not use.
        const markers = { userId: userId === undefined ? undefined : -1, checkpointId: checkpointId === undefined ? undefined : -2 };
        const order = [markers.userId, markers.checkpointId, -3, -4].filter((marker) => marker !== undefined);
        run = prepareQuery<number[], Row>(db, () => build(markers, -3, -4), order);
        shapes.set(shape, run);
      }
      const values = [limit, skip];
      if (checkpointId !== undefined) values.unshift(checkpointId);
      if (userId !== undefined) values.unshift(userId);
      return run(...values);
    };
  };

  // The hot reads, compiled once (markers stand for the values; see prepareQuery).
  const hot = {
    byId: prepareQuery(db, (id: number) => postsWithAuthor().where('posts.id', '=', id), [-1]),
    page: prepareListing(pageRows),
    idAt: prepareListing(pageIds),
    count: prepareQuery(db, () => countPosts(undefined), []),
    userCount: prepareQuery(db, (userId: number) => countPosts(userId), [-1]),
    revision: prepareQuery(db, () => currentRevision(), []),
  };

  const checkpoints = createPageCheckpoints({
    interval: options.checkpointInterval ?? 500,
    async revision() {
      const [row] = await hot.revision();
      return String(row?.value);
    },
    async idAt(userId, checkpointId, offset) {
      const [row] = await hot.idAt({ userId, checkpointId }, 1, offset);
      return row?.id;
    },
  });

  /** One page's rows; deep pages start from the nearest checkpoint. */
  const pageOf = async (userId: number | undefined, limit: number, skip: number) => {
    const checkpoint = await checkpoints.before(userId, skip);
    if (checkpoint) {
      const rows = await hot.page({ userId, checkpointId: checkpoint.id }, limit, skip - checkpoint.position);
      // None: past the end, or the checkpoint post was deleted a moment ago. The plain walk tells which.
      if (rows.length > 0) return rows;
    }
    return hot.page({ userId }, limit, skip);
  };

  /**
   * Counting a listing walks all of it (100,000 posts: about 20 µs on
   * SQLite, far more on PostgreSQL), and its result only changes with the
   * revision: each listing's total is kept with the revision it was counted at.
   */
  const totals = new Map<string, { revision: string; total: number }>();
  const totalOf = async (userId: number | undefined, revision: string | undefined) => {
    const key = userId === undefined ? '*' : String(userId);
    const known = totals.get(key);
    if (known && known.revision === revision) return known.total;
    const [row] = userId === undefined ? await hot.count() : await hot.userCount(userId);
    // PostgreSQL returns count(*) and bigint as strings.
    const total = Number(row?.total ?? 0);
    if (totals.size >= MAX_KEPT_TOTALS) totals.clear();
    totals.set(key, { revision: String(row?.revision), total });
    return total;
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
      const rows = await pageOf(userId, limit, skip);
      // A page past the end has no row to carry a revision: it is always counted.
      const total = await totalOf(userId, rows[0] && String(rows[0].revision));
      return { posts: rows.map(toPost), total };
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
