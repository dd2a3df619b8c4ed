// The SQL of posts: a post with its author, the ids of a page walked on the
// (date_posted, id) index, counts, and the revision counter. The hot reads
// are compiled once (src/db/prepared.ts).
import type { Compilable } from 'kysely';
import type { DB } from '../../db/database.js';
import { toIsoTimestamp } from '../../db/dialect.js';
import { prepareQuery, type Placeholders } from '../../db/prepared.js';

/** A post with the author columns it is always shown with, read in the same query (no N+1). */
export interface PostWithAuthor {
  id: number;
  title: string;
  content: string;
  /** Null until the post is first rendered (posts written before Markdown). */
  content_html: string | null;
  render_version: number;
  user_id: number;
  date_posted: string;
  author: { id: number; username: string; image_file: string | null };
}

/** All posts, or one user's; from the top, or from a checkpoint post on. */
export interface Listing {
  userId?: number | undefined;
  checkpointId?: number | undefined;
}

const postsWithAuthor = (db: DB) =>
  db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.user_id')
    .select([
      'posts.id',
      'posts.title',
      'posts.content',
      'posts.content_html',
      'posts.render_version',
      'posts.user_id',
      'posts.date_posted',
      'users.username as author_username',
      'users.image_file as author_image_file',
    ]);

type PostRow = Awaited<ReturnType<ReturnType<typeof postsWithAuthor>['executeTakeFirstOrThrow']>>;

export const toPost = (row: PostRow): PostWithAuthor => ({
  id: row.id,
  title: row.title,
  content: row.content,
  content_html: row.content_html,
  render_version: row.render_version,
  user_id: row.user_id,
  date_posted: toIsoTimestamp(row.date_posted),
  author: { id: row.user_id, username: row.author_username, image_file: row.author_image_file },
});

/**
 * The ids of one page, walked on the (date_posted, id) index alone: from the
 * top, or from a checkpoint post on (it and every post after it in the order).
 */
const pageIds = (db: DB, listing: Listing, limit: number, skip: number) => {
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
const currentRevision = (db: DB) => db.selectFrom('posts_revision').select('value').where('posts_revision.id', '=', 1);

const countPosts = (db: DB, userId: number | undefined) => {
  const count = db
    .selectFrom('posts')
    .select((eb) => [eb.fn.countAll<number | string>().as('total'), currentRevision(db).as('revision')]);
  return userId === undefined ? count : count.where('posts.user_id', '=', userId);
};

/**
 * Then only the page's rows are joined and read ("deferred join"): one
 * query for a page. Each row carries the revision it was read at, which
 * tells whether the total counted earlier still holds.
 */
const pageRows = (db: DB, listing: Listing, limit: number, skip: number) =>
  postsWithAuthor(db)
    .select(() => currentRevision(db).as('revision'))
    .where('posts.id', 'in', pageIds(db, listing, limit, skip))
    .orderBy('posts.date_posted', 'desc')
    .orderBy('posts.id', 'desc');

type ListingBuilder<Row> = (db: DB, listing: Listing, limit: number, skip: number) => Compilable<Row>;

/**
 * A listing query compiled once per shape (all posts or one user's; from
 * the top or from a checkpoint), on first use.
 */
function prepareListing<Row>(db: DB, build: ListingBuilder<Row>) {
  type Name = 'userId' | 'checkpointId' | 'limit' | 'skip';
  const shapes = new Map<string, (values: Readonly<Record<Name, unknown>>) => Promise<Row[]>>();
  return (listing: Listing, limit: number, skip: number): Promise<Row[]> => {
    const { userId, checkpointId } = listing;
    const shape = `${userId !== undefined}:${checkpointId !== undefined}`;
    let run = shapes.get(shape);
    if (!run) {
      // A shape has placeholders only for the values it uses.
      const names: Name[] = [
        ...(userId === undefined ? [] : ['userId' as const]),
        ...(checkpointId === undefined ? [] : ['checkpointId' as const]),
        'limit',
        'skip',
      ];
      run = prepareQuery(db, names, (p: Placeholders<Name>) =>
        build(db, { userId: p.userId, checkpointId: p.checkpointId }, p.limit, p.skip),
      );
      shapes.set(shape, run);
    }
    return run({ userId, checkpointId, limit, skip });
  };
}

/** The hot reads, each compiled once. */
export function preparePostQueries(db: DB) {
  return {
    byId: prepareQuery(db, ['id'], (p) => postsWithAuthor(db).where('posts.id', '=', p.id)),
    page: prepareListing(db, pageRows),
    idAt: prepareListing(db, pageIds),
    count: prepareQuery(db, [], () => countPosts(db, undefined)),
    userCount: prepareQuery(db, ['userId'], (p) => countPosts(db, p.userId)),
    revision: prepareQuery(db, [], () => currentRevision(db)),
  };
}

export type PostQueries = ReturnType<typeof preparePostQueries>;
