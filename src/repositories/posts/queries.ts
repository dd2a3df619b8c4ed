// The SQL of posts: a post with its author, the ids of a page walked on the
// (date_posted, id) index, counts, and the revision counter. The hot reads
// are compiled once (src/db/prepared.ts).
import { sql, type Compilable, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Database, PostStatus } from '../../db/schema.js';
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
  /** The start of the text, for listings (src/markdown/excerpt.ts). */
  excerpt: string;
  status: PostStatus;
  user_id: number;
  date_posted: string;
  updated_at: string | null;
  /** The author is suspended: the post is held back from everyone but admins. */
  withheld: boolean;
  author: { id: number; username: string; image_file: string | null };
}

/**
 * Which posts a listing holds: the published ones (everyone's, or one
 * author's), or an author's own of one status or of both ('any'). Posts of
 * a suspended author are in none, unless asked for (`authorSuspended`, for
 * admins: an author's posts are all held back or none are).
 */
export interface ListingScope {
  userId?: number | undefined;
  status: PostStatus | 'any';
  authorSuspended?: boolean | undefined;
}

/** A listing from the top, or from a checkpoint post on. */
export interface Listing extends ListingScope {
  checkpointId?: number | undefined;
}

/** What decides a listing's query, apart from the author's id. */
const shapeOf = (scope: ListingScope) => `${scope.status}:${scope.authorSuspended === true}`;

export const scopeKey = (scope: ListingScope) => `${scope.userId ?? '*'}:${shapeOf(scope)}`;

/**
 * Status and suspension are written into the SQL as literals, not
 * placeholders, so the planner can pick the partial index of listed posts
 * (migration 0008).
 */
const suspensionIs = (eb: ExpressionBuilder<Database, 'posts'>, suspended: boolean) =>
  eb('posts.author_suspended', '=', sql.lit<0 | 1>(suspended ? 1 : 0));

/** A post everyone may see: published, by an author in good standing. */
export const isListed = (eb: ExpressionBuilder<Database, 'posts'>) =>
  eb.and([eb('posts.status', '=', sql.lit<PostStatus>('published')), suspensionIs(eb, false)]);

/** The condition of a listing. */
const inScope = (scope: ListingScope) => (eb: ExpressionBuilder<Database, 'posts'>) => {
  const terms: Expression<SqlBool>[] = [];
  if (scope.userId !== undefined) terms.push(eb('posts.user_id', '=', scope.userId));
  if (scope.status !== 'any') terms.push(eb('posts.status', '=', sql.lit<PostStatus>(scope.status)));
  terms.push(suspensionIs(eb, scope.authorSuspended === true));
  return eb.and(terms);
};

export const postsWithAuthor = (db: DB) =>
  db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.user_id')
    .select([
      'posts.id',
      'posts.title',
      'posts.content',
      'posts.content_html',
      'posts.render_version',
      'posts.excerpt',
      'posts.status',
      'posts.user_id',
      'posts.date_posted',
      'posts.updated_at',
      'posts.author_suspended',
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
  excerpt: row.excerpt,
  status: row.status,
  user_id: row.user_id,
  date_posted: toIsoTimestamp(row.date_posted),
  updated_at: row.updated_at === null ? null : toIsoTimestamp(row.updated_at),
  withheld: row.author_suspended === 1,
  author: { id: row.user_id, username: row.author_username, image_file: row.author_image_file },
});

/**
 * The ids of one page, walked on the (date_posted, id) index alone: from the
 * top, or from a checkpoint post on (it and every post after it in the order).
 */
export const pageIds = (db: DB, listing: Listing, limit: number, skip: number) => {
  let ids = db.selectFrom('posts').select('posts.id').where(inScope(listing));
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

const countPosts = (db: DB, scope: ListingScope) =>
  db
    .selectFrom('posts')
    .select((eb) => [eb.fn.countAll<number | string>().as('total'), currentRevision(db).as('revision')])
    .where(inScope(scope));

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
 * A query compiled once per shape, on first use: which values it takes
 * (placeholders only for those) and the literal parts of its SQL.
 */
function perShape<Key, Run>(shapeOf: (key: Key) => string, prepare: (key: Key) => Run): (key: Key) => Run {
  const shapes = new Map<string, Run>();
  return (key) => {
    const shape = shapeOf(key);
    let run = shapes.get(shape);
    if (!run) {
      run = prepare(key);
      shapes.set(shape, run);
    }
    return run;
  };
}

const hasUser = (scope: ListingScope) => scope.userId !== undefined;

/** A listing query (all posts or one user's, of a status; from the top or from a checkpoint). */
function prepareListing<Row>(db: DB, build: ListingBuilder<Row>) {
  type Name = 'userId' | 'checkpointId' | 'limit' | 'skip';
  const compiled = perShape(
    (listing: Listing) => `${hasUser(listing)}:${listing.checkpointId !== undefined}:${shapeOf(listing)}`,
    ({ userId, checkpointId, status, authorSuspended }) => {
      const names: Name[] = [
        ...(userId === undefined ? [] : ['userId' as const]),
        ...(checkpointId === undefined ? [] : ['checkpointId' as const]),
        'limit',
        'skip',
      ];
      return prepareQuery(db, names, (p: Placeholders<Name>) =>
        build(
          db,
          {
            userId: userId === undefined ? undefined : p.userId,
            checkpointId: checkpointId === undefined ? undefined : p.checkpointId,
            status,
            authorSuspended,
          },
          p.limit,
          p.skip,
        ),
      );
    },
  );
  return (listing: Listing, limit: number, skip: number): Promise<Row[]> =>
    compiled(listing)({ userId: listing.userId, checkpointId: listing.checkpointId, limit, skip });
}

/** A listing's total, with the revision it was counted at. */
function prepareCount(db: DB) {
  const compiled = perShape(
    (scope: ListingScope) => `${hasUser(scope)}:${shapeOf(scope)}`,
    ({ userId, status, authorSuspended }) =>
      prepareQuery(db, userId === undefined ? [] : ['userId' as const], (p: Placeholders<'userId'>) =>
        countPosts(db, { userId: userId === undefined ? undefined : p.userId, status, authorSuspended }),
      ),
  );
  return (scope: ListingScope) => compiled(scope)({ userId: scope.userId });
}

/** The hot reads, each compiled once. */
export function preparePostQueries(db: DB) {
  return {
    byId: prepareQuery(db, ['id'], (p) => postsWithAuthor(db).where('posts.id', '=', p.id)),
    page: prepareListing(db, pageRows),
    idAt: prepareListing(db, pageIds),
    count: prepareCount(db),
    revision: prepareQuery(db, [], () => currentRevision(db)),
  };
}

export type PostQueries = ReturnType<typeof preparePostQueries>;
