// Suspension across instances (docs/api.md, "Moderation"): two apps over one
// database (the same SQLite file, or the same PostgreSQL schema), as two
// server processes behind a load balancer would be. An admin suspends an
// author through A; on B's very next requests the author's bearer token and
// web session answer 401, and their post is gone from every read of B (the
// post, the home page, the listings, search, feeds, the sitemap), though B
// had just served all of them and kept what it caches. Reinstated through A,
// the post is back on B at once.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  createPost,
  createTestApp,
  expect401,
  expectHtml,
  requestMe,
  signedInAdmin,
  signedInUser,
  useCleanups,
  webUser,
  type SignedIn,
  type TestContext,
} from '../helpers/index.js';

const closeAfter = useCleanups();
let a: TestContext;
let b: TestContext;
let admin: SignedIn;
let author: Awaited<ReturnType<typeof webUser>>;
let post: PostResponseBody;
let bystanderPost: PostResponseBody;

/** A word no other post has, so search finds exactly the posts that hold it. */
const WORD = `quokka${Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;

beforeAll(async () => {
  a = await createTestApp();
  closeAfter(() => a.close());
  // B's own DATA_DIR (and, on PostgreSQL, its own unused schema), A's database: closed first, A drops it.
  b = await createTestApp({ DATABASE_URL: a.config.databaseUrl });
  closeAfter(() => b.close());
  expect(b.config.databaseUrl).toBe(a.config.databaseUrl);

  admin = await signedInAdmin(a.app);
  author = await webUser(a.app, 'author');
  post = await createPost(a.app, author.headers, `The ${WORD} post`, `All about the ${WORD}.`);
  const bystander = await signedInUser(a.app, 'bystander');
  bystanderPost = await createPost(a.app, bystander.headers, `Another ${WORD} post`, `More on the ${WORD}.`);
});

const moderate = async (action: 'suspend' | 'unsuspend') => {
  const response = await a.app.inject({
    method: 'POST',
    url: `/api/admin/users/${author.id}/${action}`,
    headers: admin.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
};

/** Every read of B that can show the post, as the ids or links each one shows. */
async function whatBShows(app: App) {
  const ids = async (url: string) => {
    const response = await app.inject(url);
    expect(response.statusCode, url).toBe(200);
    return response.json<PostPageBody>().posts.map((shown) => shown.id);
  };
  const page = async (url: string) => expectHtml(await app.inject(url), 200);
  const xml = async (url: string) => {
    const response = await app.inject(url);
    expect(response.statusCode, url).toBe(200);
    return response.body;
  };
  const linked = (text: string, id: number) => text.includes(`/posts/${id}<`) || text.includes(`/posts/${id}"`);
  const [listing, search, home, searchPage, feed, sitemap] = await Promise.all([
    ids('/api/posts?limit=100'),
    ids(`/api/posts?q=${WORD}`),
    page('/'),
    page(`/search?q=${WORD}`),
    xml('/feed.xml'),
    xml('/sitemap.xml'),
  ]);
  return {
    post: (await app.inject(`/api/posts/${post.id}`)).statusCode,
    postPage: (await app.inject(`/posts/${post.id}`)).statusCode,
    authorPosts: (await app.inject(`/api/users/${author.id}/posts`)).statusCode,
    authorFeed: (await app.inject(`/users/${author.id}/feed.xml`)).statusCode,
    inListing: listing.includes(post.id),
    inSearch: search.includes(post.id),
    onHome: linked(home, post.id),
    onSearchPage: linked(searchPage, post.id),
    inFeed: linked(feed, post.id),
    inSitemap: linked(sitemap, post.id),
    // The control: a post by someone in good standing is shown throughout.
    bystanderShown:
      listing.includes(bystanderPost.id) &&
      search.includes(bystanderPost.id) &&
      linked(home, bystanderPost.id) &&
      linked(searchPage, bystanderPost.id) &&
      linked(feed, bystanderPost.id) &&
      linked(sitemap, bystanderPost.id),
  };
}

const SHOWN = {
  post: 200,
  postPage: 200,
  authorPosts: 200,
  authorFeed: 200,
  inListing: true,
  inSearch: true,
  onHome: true,
  onSearchPage: true,
  inFeed: true,
  inSitemap: true,
  bystanderShown: true,
};

const HIDDEN = {
  post: 404,
  postPage: 404,
  authorPosts: 404,
  authorFeed: 404,
  inListing: false,
  inSearch: false,
  onHome: false,
  onSearchPage: false,
  inFeed: false,
  inSitemap: false,
  bystanderShown: true,
};

describe('a suspension made through one instance holds on the other at once', () => {
  it('B serves the post everywhere, and the author is signed in there, before the suspension', async () => {
    // Read twice, so whatever B caches (listings, totals, search pages, feeds, the sitemap) is cached.
    expect(await whatBShows(b.app)).toEqual(SHOWN);
    expect(await whatBShows(b.app)).toEqual(SHOWN);
    expect((await requestMe(b.app, author.headers)).statusCode).toBe(200);
    expect((await requestMe(b.app, {}, author.cookies)).statusCode).toBe(200);
  });

  it("suspended through A: on B the author's bearer token and web session answer 401 on the next request", async () => {
    await moderate('suspend');

    expect401(await requestMe(b.app, author.headers), 'Invalid or expired token');
    expect401(await requestMe(b.app, {}, author.cookies), 'Invalid or expired token');
    const write = await b.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: author.headers,
      payload: { title: 'Still here', content: 'Am I?' },
    });
    expect401(write);
    // The pages show B's visitor signed out.
    const home = expectHtml(await b.app.inject({ url: '/', cookies: author.cookies }), 200);
    expect(home).not.toContain(author.username);
    expect(home).toContain('href="/login"');
  });

  it('suspended through A: the post is 404 on B and gone from all B shows, while an admin on B still gets it', async () => {
    expect(await whatBShows(b.app)).toEqual(HIDDEN);

    const asAdmin = await b.app.inject({ url: `/api/posts/${post.id}`, headers: admin.headers });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json<PostResponseBody & { withheld?: boolean }>()).toMatchObject({ id: post.id, withheld: true });
  });

  it('reinstated through A: B shows the post everywhere again at once', async () => {
    await moderate('unsuspend');
    expect(await whatBShows(b.app)).toEqual(SHOWN);
    const reinstated = await b.app.inject(`/api/posts/${post.id}`);
    expect(reinstated.json<PostResponseBody & { withheld?: boolean }>()).not.toHaveProperty('withheld');
  });
});
