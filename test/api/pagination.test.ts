// Pagination of GET /api/posts and GET /api/users/{user_id}/posts: defaults,
// edges, has_more, validation, newest-first ordering (with ties), a complete
// walk, the POSTS_PER_PAGE setting, and a constant number of queries per page.
import type { Kysely, LogEvent } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { createDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { createPostRepository } from '../../src/repositories/posts/index.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  POST_RESPONSE_FIELDS,
  createPost,
  createTestApp,
  defined,
  expect422At,
  signedInUser,
  useCleanups,
  validationItems,
  type TestContext,
} from '../helpers/index.js';

const TOTAL = 25;

async function getPage(app: App, url: string): Promise<PostPageBody> {
  const response = await app.inject(url);
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  const page = response.json<PostPageBody>();
  expect(Object.keys(page).sort()).toEqual(['has_more', 'limit', 'posts', 'skip', 'total']);
  return page;
}

const withQuery = (base: string, query: string) => (query ? `${base}?${query}` : base);

/** date_posted desc, then id desc: the contract's order. */
function byNewest(a: PostResponseBody, b: PostResponseBody): number {
  const dateOrder = Date.parse(b.date_posted) - Date.parse(a.date_posted);
  return dateOrder !== 0 ? dateOrder : b.id - a.id;
}

interface Listing {
  name: string;
  /** Builds an app with exactly TOTAL posts in the listing; returns its URL and the ids, oldest first. */
  setup(context: TestContext): Promise<{ url: string; ids: number[]; ownerId?: number }>;
}

const listings: Listing[] = [
  {
    name: 'GET /api/posts',
    async setup({ app }) {
      const a = await signedInUser(app, 'pga');
      const b = await signedInUser(app, 'pgb');
      const ids: number[] = [];
      for (let i = 0; i < TOTAL; i += 1) {
        ids.push((await createPost(app, (i % 2 ? b : a).headers, `Post ${i}`, `Content ${i}`)).id);
      }
      return { url: '/api/posts', ids };
    },
  },
  {
    name: 'GET /api/users/{user_id}/posts',
    async setup({ app }) {
      const owner = await signedInUser(app, 'pgo');
      const noise = await signedInUser(app, 'pgn');
      const ids: number[] = [];
      for (let i = 0; i < TOTAL; i += 1) {
        ids.push((await createPost(app, owner.headers, `Post ${i}`, `Content ${i}`)).id);
        // Another user's posts interleaved: they must not show up or count.
        if (i % 4 === 0) await createPost(app, noise.headers, `Noise ${i}`, 'noise');
      }
      return { url: `/api/users/${owner.id}/posts`, ids, ownerId: owner.id };
    },
  },
];

describe.each(listings)('$name', (listing) => {
  const closeAfter = useCleanups();
  let context: TestContext;
  let url: string;
  let newestFirst: number[];
  let ownerId: number | undefined;

  beforeAll(async () => {
    context = await createTestApp();
    closeAfter(() => context.close());
    const made = await listing.setup(context);
    url = made.url;
    ownerId = made.ownerId;
    newestFirst = [...made.ids].reverse();
  });

  it('defaults to skip 0 and limit POSTS_PER_PAGE (10)', async () => {
    const page = await getPage(context.app, url);
    expect(page.skip).toBe(0);
    expect(page.limit).toBe(10);
    expect(page.total).toBe(TOTAL);
    expect(page.posts).toHaveLength(10);
    expect(page.has_more).toBe(true);
    expect(page.posts.map((p) => p.id)).toEqual(newestFirst.slice(0, 10));
    if (ownerId !== undefined)
      expect(page.posts.every((p) => p.user_id === ownerId && p.author.id === ownerId)).toBe(true);
  });

  it('embeds a full PostResponse with a UserPublic author in each item', async () => {
    const page = await getPage(context.app, withQuery(url, 'limit=100'));
    for (const post of page.posts) {
      expect(Object.keys(post).sort()).toEqual(POST_RESPONSE_FIELDS);
      // docs/api.md, "Publishing": every PostResponse carries its content rendered (plain words: one paragraph).
      expect(post.content_html).toBe(`<p>${post.content}</p>\n`);
      expect(Object.keys(post.author).sort()).toEqual(['id', 'image_file', 'image_path', 'username']);
      expect(post.author.id).toBe(post.user_id);
      expect(post.date_posted).toMatch(/(Z|[+-]00:00)$/);
    }
  });

  it.each([0, 1, 5, 9, 10, 15, 18, 19, 20, 24, 25, 26, 30])(
    'has_more = skip + len(posts) < total, at skip %i',
    async (skip) => {
      const limit = 6;
      const page = await getPage(context.app, withQuery(url, `skip=${skip}&limit=${limit}`));
      expect(page.skip).toBe(skip);
      expect(page.limit).toBe(limit);
      expect(page.total).toBe(TOTAL);
      expect(page.posts.map((p) => p.id)).toEqual(newestFirst.slice(skip, skip + limit));
      expect(page.posts).toHaveLength(Math.max(0, Math.min(limit, TOTAL - skip)));
      expect(page.has_more).toBe(skip + page.posts.length < page.total);
    },
  );

  it('last page: skip 20 gives the 5 oldest posts and has_more false', async () => {
    const page = await getPage(context.app, withQuery(url, 'skip=20'));
    expect(page.posts).toHaveLength(5);
    expect(page.posts.map((p) => p.id)).toEqual(newestFirst.slice(20));
    expect(page.has_more).toBe(false);
    expect(page.total).toBe(TOTAL);
    expect(page.limit).toBe(10);
  });

  it('exactly at the end: skip 25 gives [] and has_more false', async () => {
    const page = await getPage(context.app, withQuery(url, 'skip=25'));
    expect(page).toEqual({ posts: [], total: TOTAL, skip: 25, limit: 10, has_more: false });
  });

  it('past the end: skip 1000 gives [] with the real total', async () => {
    const page = await getPage(context.app, withQuery(url, 'skip=1000'));
    expect(page).toEqual({ posts: [], total: TOTAL, skip: 1000, limit: 10, has_more: false });
  });

  it('accepts limit 1 (the newest post, has_more true)', async () => {
    const page = await getPage(context.app, withQuery(url, 'limit=1'));
    expect(page.limit).toBe(1);
    expect(page.posts.map((p) => p.id)).toEqual([newestFirst[0]]);
    expect(page.has_more).toBe(true);
  });

  it('accepts limit 100 (everything, has_more false)', async () => {
    const page = await getPage(context.app, withQuery(url, 'limit=100'));
    expect(page.limit).toBe(100);
    expect(page.posts.map((p) => p.id)).toEqual(newestFirst);
    expect(page.has_more).toBe(false);
  });

  it.each([
    ['limit', '0'],
    ['limit', '101'],
    ['limit', '-1'],
    ['limit', 'abc'],
    ['limit', ''],
    ['limit', '2.5'],
    ['skip', '-1'],
    ['skip', '1.5'],
    ['skip', 'abc'],
  ])('answers 422 with loc ["query", "%s"] for %j', async (name, value) => {
    const response = await context.app.inject(withQuery(url, `${name}=${encodeURIComponent(value)}`));
    expect422At(response, ['query', name]);
  });

  it('reports both bad query values in one 422', async () => {
    const response = await context.app.inject(withQuery(url, 'skip=-1&limit=0'));
    const locs = validationItems(response).map((d) => d.loc);
    expect(locs).toContainEqual(['query', 'skip']);
    expect(locs).toContainEqual(['query', 'limit']);
  });

  it('orders newest first: date_posted desc, then id desc', async () => {
    const page = await getPage(context.app, withQuery(url, 'limit=100'));
    const sorted = [...page.posts].sort(byNewest);
    expect(page.posts.map((p) => p.id)).toEqual(sorted.map((p) => p.id));
    for (let i = 1; i < page.posts.length; i += 1) {
      expect(defined(page.posts[i - 1]).date_posted >= defined(page.posts[i]).date_posted).toBe(true);
    }
  });

  it('walking every page with limit 7 yields every post exactly once', async () => {
    const seen: number[] = [];
    const pages: PostPageBody[] = [];
    for (let skip = 0; ; skip += 7) {
      const page = await getPage(context.app, withQuery(url, `skip=${skip}&limit=7`));
      pages.push(page);
      seen.push(...page.posts.map((p) => p.id));
      if (!page.has_more) break;
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.map((p) => p.posts.length)).toEqual([7, 7, 7, 4]);
    expect(pages.map((p) => p.has_more)).toEqual([true, true, true, false]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(newestFirst);
  });
});

describe('GET /api/users/{user_id}/posts for a missing or invalid user', () => {
  const closeAfter = useCleanups();
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestApp();
    closeAfter(() => context.close());
  });

  it('answers 404 "User not found" for a user that does not exist', async () => {
    const response = await context.app.inject('/api/users/987654/posts');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'User not found' });
  });

  it('answers 200 with an empty page for a user without posts', async () => {
    const user = await signedInUser(context.app);
    const page = await getPage(context.app, `/api/users/${user.id}/posts`);
    expect(page).toEqual({ posts: [], total: 0, skip: 0, limit: 10, has_more: false });
  });

  it('answers 422 for a non-integer user id', async () => {
    const response = await context.app.inject('/api/users/abc/posts');
    expect422At(response, ['path', 'user_id']);
  });
});

describe('ordering ties and dates', () => {
  const closeAfter = useCleanups();
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestApp();
    closeAfter(() => context.close());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('posts created in the same millisecond come newest id first', async () => {
    const { app } = context;
    const user = await signedInUser(app);
    // Freeze the clock (only Date) so every post gets the same date_posted.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date());
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await createPost(app, user.headers, `Tie ${i}`, 'same ms')).id);
    vi.useRealTimers();

    const page = await getPage(app, `/api/users/${user.id}/posts?limit=100`);
    expect(new Set(page.posts.map((p) => p.date_posted)).size).toBe(1);
    expect(page.posts.map((p) => p.id)).toEqual([...ids].reverse());
    const all = await getPage(app, '/api/posts?limit=100');
    expect(all.posts.filter((p) => p.user_id === user.id).map((p) => p.id)).toEqual([...ids].reverse());
    // Pages split inside the tie without duplicates or gaps.
    const first = await getPage(app, `/api/users/${user.id}/posts?limit=4`);
    const second = await getPage(app, `/api/users/${user.id}/posts?limit=4&skip=4`);
    expect([...first.posts, ...second.posts].map((p) => p.id)).toEqual([...ids].reverse());
  });

  it('date_posted decides before id: an older post with a higher id comes last', async () => {
    const { app } = context;
    const user = await signedInUser(app);
    const recent = await createPost(app, user.headers, 'Recent', 'x');
    // A post dated in the past but inserted after (higher id), and an early post moved to the future.
    const early = await createPost(app, user.headers, 'Early', 'x');
    const { id: old } = await app.db
      .insertInto('posts')
      .values({ title: 'Old', content: 'x', user_id: user.id, date_posted: '2001-01-01T00:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await app.db
      .updateTable('posts')
      .set({ date_posted: '2100-01-01T00:00:00.000Z' })
      .where('id', '=', recent.id)
      .execute();
    expect(old).toBeGreaterThan(early.id);

    const page = await getPage(app, `/api/users/${user.id}/posts`);
    expect(page.posts.map((p) => p.id)).toEqual([recent.id, early.id, old]);
    expect(defined(page.posts[0]).date_posted).toBe('2100-01-01T00:00:00.000Z');
    expect(defined(page.posts[2]).date_posted).toBe('2001-01-01T00:00:00.000Z');
    const all = await getPage(app, '/api/posts?limit=100');
    expect(defined(all.posts[0]).id).toBe(recent.id);
    expect(defined(all.posts.at(-1)).id).toBe(old);
  });
});

describe('POSTS_PER_PAGE=3', () => {
  const closeAfter = useCleanups();
  let context: TestContext;
  let userId: number;
  beforeAll(async () => {
    context = await createTestApp({ POSTS_PER_PAGE: '3' });
    closeAfter(() => context.close());
    const user = await signedInUser(context.app);
    userId = user.id;
    for (let i = 0; i < 5; i += 1) await createPost(context.app, user.headers, `P${i}`, 'x');
  });

  it('changes the default limit of GET /api/posts', async () => {
    const page = await getPage(context.app, '/api/posts');
    expect(page.limit).toBe(3);
    expect(page.posts).toHaveLength(3);
    expect(page.total).toBe(5);
    expect(page.has_more).toBe(true);
    const next = await getPage(context.app, '/api/posts?skip=3');
    expect(next.posts).toHaveLength(2);
    expect(next.has_more).toBe(false);
  });

  it('changes the default limit of GET /api/users/{user_id}/posts', async () => {
    const page = await getPage(context.app, `/api/users/${userId}/posts`);
    expect(page.limit).toBe(3);
    expect(page.posts).toHaveLength(3);
    expect(page.has_more).toBe(true);
  });

  it('still lets the client ask for another limit up to 100', async () => {
    const page = await getPage(context.app, '/api/posts?limit=5');
    expect(page.limit).toBe(5);
    expect(page.posts).toHaveLength(5);
    expect(page.has_more).toBe(false);
    expect((await context.app.inject('/api/posts?limit=101')).statusCode).toBe(422);
  });
});

describe('the listing does a constant number of queries (no N+1)', () => {
  const AUTHORS = 120;
  const closeAfter = useCleanups();
  let context: TestContext;
  let counting: Kysely<Database>;
  let statements: string[] = [];
  const usernames = new Map<number, string>();

  beforeAll(async () => {
    context = await createTestApp();
    closeAfter(() => context.close());
    const { app } = context;
    // Many distinct authors, one post each (written straight to the real database: no password hashing needed).
    for (let i = 0; i < AUTHORS; i += 1) {
      const user = await app.repositories.users.create({
        username: `nplus${process.pid}x${i}`,
        email: `nplus${process.pid}x${i}@example.com`,
        passwordHash: 'not-a-real-hash',
      });
      usernames.set(user.id, user.username);
      await app.repositories.posts.create({ title: `By ${user.username}`, content: 'x', userId: user.id });
    }
    // A second connection to the same database (SQLite file or PostgreSQL schema) that logs every statement.
    counting = createDatabase(context.config.databaseUrl, {
      poolSize: 1,
      log(event: LogEvent) {
        statements.push(event.query.sql);
      },
    });
    closeAfter(() => counting.destroy());
  });

  it.each([10, 100])(
    'page() with limit %i runs one query (rows with their authors) once the total is counted',
    async (limit) => {
      const repository = createPostRepository(counting);
      statements = [];
      expect((await repository.page({ skip: 0, limit })).total).toBe(AUTHORS);
      expect(statements, 'the first page also counts').toHaveLength(2);
      statements = [];
      const page = await repository.page({ skip: 0, limit });
      expect(statements).toHaveLength(1);
      expect(page.total).toBe(AUTHORS);
      expect(page.posts).toHaveLength(limit);
      expect(new Set(page.posts.map((p) => p.author.id)).size).toBe(limit);
      for (const post of page.posts) expect(post.author.username).toBe(usernames.get(post.user_id));
    },
  );

  it('the total is counted again after a change to the posts, and only then', async () => {
    const repository = createPostRepository(counting);
    await repository.page({ skip: 0, limit: 10 });
    const [authorId] = [...usernames.keys()];
    const added = await context.app.repositories.posts.create({
      title: 'One more',
      content: 'x',
      userId: defined(authorId),
    });
    statements = [];
    expect((await repository.page({ skip: 0, limit: 10 })).total).toBe(AUTHORS + 1);
    expect(statements).toHaveLength(2);
    statements = [];
    expect((await repository.page({ skip: 0, limit: 10 })).total).toBe(AUTHORS + 1);
    expect(statements).toHaveLength(1);
    await context.app.repositories.posts.update(added.id, { title: 'Edited' }); // the revision moves: counted again
    statements = [];
    expect((await repository.page({ skip: 0, limit: 10 })).total).toBe(AUTHORS + 1);
    expect(statements).toHaveLength(2);
    await context.app.repositories.posts.delete(added.id);
    expect((await repository.page({ skip: 0, limit: 10 })).total).toBe(AUTHORS);
  });

  it('a page past the end runs one more query, for the total alone', async () => {
    const repository = createPostRepository(counting);
    statements = [];
    const page = await repository.page({ skip: AUTHORS + 5, limit: 10 });
    expect(statements).toHaveLength(2);
    expect(page).toEqual({ posts: [], total: AUTHORS });
  });

  it("page() of one user's posts also runs one query once counted", async () => {
    const repository = createPostRepository(counting);
    const [userId] = [...usernames.keys()];
    await repository.page({ skip: 0, limit: 100, userId: defined(userId) });
    statements = [];
    const page = await repository.page({ skip: 0, limit: 100, userId: defined(userId) });
    expect(statements).toHaveLength(1);
    expect(page.total).toBe(1);
    expect(defined(page.posts[0]).author.username).toBe(usernames.get(defined(userId)));
  });

  it('the HTTP listing embeds the right author for 100 distinct authors', async () => {
    const page = await getPage(context.app, '/api/posts?limit=100');
    expect(page.posts).toHaveLength(100);
    expect(new Set(page.posts.map((p) => p.author.id)).size).toBe(100);
    for (const post of page.posts) {
      expect(post.author.id).toBe(post.user_id);
      expect(post.author.username).toBe(usernames.get(post.user_id));
      expect(post.title).toBe(`By ${post.author.username}`);
    }
  });
});

describe('deep pages start from remembered positions, and stay right as posts change', () => {
  const INTERVAL = 4;
  const closeAfter = useCleanups();
  let context: TestContext;
  /** A second connection to the same database: another instance of the site. */
  let other: Kysely<Database>;
  let statements: string[] = [];
  const authors: number[] = [];
  let postsMade = 0;

  /** A post written straight to the database, at a chosen time (several share one, to test the id tie-break). */
  async function addPost(db: Kysely<Database>, userId: number, minute: number) {
    postsMade += 1;
    const date = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    return db
      .insertInto('posts')
      .values({ title: `Post ${postsMade}`, content: 'x', user_id: userId, date_posted: date })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  beforeAll(async () => {
    context = await createTestApp();
    closeAfter(() => context.close());
    for (const name of ['deepa', 'deepb', 'deepc']) {
      const user = await context.app.repositories.users.create({
        username: `${name}${process.pid}`,
        email: `${name}${process.pid}@example.com`,
        passwordHash: 'not-a-real-hash',
      });
      authors.push(user.id);
    }
    for (let i = 0; i < 30; i += 1) await addPost(context.app.db, defined(authors[i % 3]), Math.floor(i / 2));
    other = createDatabase(context.config.databaseUrl, {
      poolSize: 1,
      log(event: LogEvent) {
        statements.push(event.query.sql);
      },
    });
    closeAfter(() => other.destroy());
  });

  const remembering = () => createPostRepository(context.app.db, { checkpointInterval: INTERVAL });
  const plain = () => createPostRepository(context.app.db, { checkpointInterval: Number.MAX_SAFE_INTEGER });

  /** Every page (each skip, a few limits) of every listing, through `repository`, equals the plain OFFSET walk. */
  async function expectEveryPageRight(repository: ReturnType<typeof createPostRepository>) {
    const reference = plain();
    for (const userId of [undefined, ...authors]) {
      const { total } = await reference.page({ skip: 0, limit: 1, userId });
      for (let skip = 0; skip <= total + 2; skip += 1) {
        for (const limit of [1, 3, 10]) {
          const page = await repository.page({ skip, limit, userId });
          expect(page, `user ${userId ?? 'all'}, skip ${skip}, limit ${limit}`).toEqual(
            await reference.page({ skip, limit, userId }),
          );
        }
      }
    }
  }

  it('every page equals the plain walk, for all posts and for each author', async () => {
    await expectEveryPageRight(remembering());
  });

  it('a remembered deep page is read with the revision and the page query alone', async () => {
    const repository = createPostRepository(other, { checkpointInterval: INTERVAL });
    await repository.page({ skip: 21, limit: 3 });
    statements = [];
    const page = await repository.page({ skip: 22, limit: 3 });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toContain('posts_revision');
    expect(page.posts).toHaveLength(3);
  });

  it.each([
    [
      'a post is added by another instance',
      async () => {
        await addPost(other, defined(authors[0]), 7);
      },
    ],
    [
      'a remembered post is deleted',
      async () => {
        const { posts } = await plain().page({ skip: INTERVAL * 2, limit: 1 });
        await other.deleteFrom('posts').where('id', '=', defined(posts[0]).id).execute();
      },
    ],
    [
      'a post is moved in time',
      async () => {
        const { posts } = await plain().page({ skip: 3, limit: 1 });
        await other
          .updateTable('posts')
          .set({ date_posted: new Date(Date.UTC(2025, 0, 1)).toISOString() })
          .where('id', '=', defined(posts[0]).id)
          .execute();
      },
    ],
    [
      'a post changes author',
      async () => {
        const { posts } = await plain().page({ skip: 5, limit: 1, userId: authors[1] });
        await other
          .updateTable('posts')
          .set({ user_id: defined(authors[2]) })
          .where('id', '=', defined(posts[0]).id)
          .execute();
      },
    ],
    [
      'an author is deleted, and their posts with them',
      async () => {
        await other.deleteFrom('users').where('id', '=', defined(authors.pop())).execute();
      },
    ],
  ])('pages stay right after %s', async (_, change) => {
    const repository = remembering();
    await expectEveryPageRight(repository); // remembers every position
    await change();
    await expectEveryPageRight(repository);
  });

  it('the revision moves on every change to what a listing shows, and not on a stored rendering', async () => {
    const revision = async () =>
      Number((await other.selectFrom('posts_revision').select('value').executeTakeFirstOrThrow()).value);
    let last = await revision();
    const moved = async () => {
      const now = await revision();
      const didMove = now > last;
      last = now;
      return didMove;
    };
    const { id } = await addPost(other, defined(authors[0]), 3);
    expect(await moved()).toBe(true);
    const edit = (values: Record<string, string>) =>
      other.updateTable('posts').set(values).where('id', '=', id).execute();
    await edit({ title: 'Edited' });
    expect(await moved()).toBe(true);
    await edit({ content: 'Edited' });
    expect(await moved()).toBe(true);
    await edit({ status: 'draft' });
    expect(await moved()).toBe(true);
    await edit({ content_html: '<p>Edited</p>' });
    expect(await moved()).toBe(false);
    await other
      .updateTable('users')
      .set({ username: 'renamed-author' })
      .where('id', '=', defined(authors[0]))
      .execute();
    expect(await moved()).toBe(true);
    await other.deleteFrom('posts').where('id', '=', id).execute();
    expect(await moved()).toBe(true);
  });
});
