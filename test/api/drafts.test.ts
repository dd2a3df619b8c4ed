// Drafts (docs/api.md, "Publishing", "Drafts"): `status` is "draft" or
// "published" (default "published", so the tutorial's clients publish as
// before); a draft is seen only by its author and is in no public list or
// count; GET /api/users/me/posts is the author's own PostPage; publishing a
// draft sets date_posted to that moment; updated_at is null until the first
// edit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { createPostRepository, type PostStatus } from '../../src/repositories/posts/index.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  createPost,
  expect401,
  expect422At,
  expectDetail,
  signedInUser,
  useTestApp,
  webUser,
  type Headers,
} from '../helpers/index.js';

const context = useTestApp();

async function appAnd() {
  return (await context()).app;
}

afterEach(() => {
  vi.useRealTimers();
});

/** A moment `minutes` after the test file started (tokens stay valid: they last 30 minutes). */
const START = Date.now();
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

/** Freezes the clock (only Date) at this moment. */
function clockAt(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

function send(
  app: App,
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Headers = {},
  payload?: object,
) {
  return app.inject({ method, url, headers, ...(payload && { payload: payload as Record<string, unknown> }) });
}

async function page(app: App, url: string, headers: Headers = {}): Promise<PostPageBody> {
  const response = await send(app, 'GET', url, headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PostPageBody>();
}

const ids = (body: PostPageBody) => body.posts.map((post) => post.id);

describe('status and updated_at in PostResponse', () => {
  it('a post written without a status is published, and unedited', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const post = await createPost(app, user.headers, 'Plain', 'As the tutorial writes it');
    expect(post).toMatchObject({ status: 'published', updated_at: null });
    expect((await send(app, 'GET', `/api/posts/${post.id}`)).json()).toEqual(post);
  });

  it('a post written as a draft is a draft', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const draft = await createPost(app, user.headers, 'Not yet', 'Thinking', 'draft');
    expect(draft).toMatchObject({ status: 'draft', updated_at: null, title: 'Not yet' });
  });

  it('a status other than draft or published is a 422 at body.status', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: user.headers,
      payload: { title: 't', content: 'c', status: 'hidden' },
    });
    expect422At(created, ['body', 'status']);
    const post = await createPost(app, user.headers);
    expect422At(await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { status: 'Published' }), [
      'body',
      'status',
    ]);
  });
});

describe('a draft is seen only by its author', () => {
  it('GET /api/posts/{id} of a draft: 200 for its author (token or web session), 404 "Post not found" for anyone else', async () => {
    const app = await appAnd();
    const author = await webUser(app, 'author');
    const other = await signedInUser(app, 'other');
    const draft = await createPost(app, author.headers, 'Secret', 'Draft text', 'draft');
    const url = `/api/posts/${draft.id}`;
    expect((await send(app, 'GET', url, author.headers)).json()).toEqual(draft);
    expect((await app.inject({ method: 'GET', url, cookies: author.cookies })).json()).toEqual(draft);
    expectDetail(await send(app, 'GET', url), 404, 'Post not found');
    expectDetail(await send(app, 'GET', url, other.headers), 404, 'Post not found');
    // A token that is not valid is nobody's.
    expectDetail(await send(app, 'GET', url, { authorization: 'Bearer not.a.token' }), 404, 'Post not found');
  });

  it("another user's draft is 404 to PUT, PATCH and DELETE (it does not exist for them), and is left as it was", async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const other = await signedInUser(app, 'other');
    const draft = await createPost(app, author.headers, 'Mine', 'Draft', 'draft');
    const url = `/api/posts/${draft.id}`;
    const body = { title: 'Taken', content: 'Over', status: 'published' };
    expectDetail(await send(app, 'PUT', url, other.headers, body), 404, 'Post not found');
    expectDetail(await send(app, 'PATCH', url, other.headers, { status: 'published' }), 404, 'Post not found');
    expectDetail(await send(app, 'DELETE', url, other.headers), 404, 'Post not found');
    expect((await send(app, 'GET', url, author.headers)).json()).toEqual(draft);
    // A published post of someone else is still a 403: it exists.
    const published = await createPost(app, author.headers);
    expectDetail(
      await send(app, 'PATCH', `/api/posts/${published.id}`, other.headers, { title: 'x' }),
      403,
      'Not authorized to update this post',
    );
  });

  it('drafts are in no public list and no count', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const before = await page(app, '/api/posts?limit=100');
    const published = await createPost(app, author.headers, 'Out', 'Public', 'published');
    const draft = await createPost(app, author.headers, 'In', 'Private', 'draft');
    const all = await page(app, '/api/posts?limit=100');
    expect(all.total).toBe(before.total + 1);
    expect(ids(all)).toContain(published.id);
    expect(ids(all)).not.toContain(draft.id);
    const theirs = await page(app, `/api/users/${author.id}/posts`);
    expect(theirs).toMatchObject({ total: 1, has_more: false });
    expect(ids(theirs)).toEqual([published.id]);
    // Not even for the author: the public lists are public.
    expect(ids(await page(app, `/api/users/${author.id}/posts`, author.headers))).toEqual([published.id]);
  });
});

describe('GET /api/users/me/posts', () => {
  it('answers 401 without a token', async () => {
    const app = await appAnd();
    expect401(await send(app, 'GET', '/api/users/me/posts'));
  });

  it("is the author's own PostPage: both statuses by default, or one, newest first, never anyone else's", async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const other = await signedInUser(app, 'other');
    await createPost(app, other.headers, 'Theirs', 'x', 'draft');
    const written: PostResponseBody[] = [];
    for (const [index, status] of (['draft', 'published', 'draft', 'published', 'draft'] as const).entries()) {
      written.push(await createPost(app, author.headers, `Post ${index}`, 'x', status));
    }
    const newestFirst = (status?: string) =>
      written
        .filter((post) => !status || post.status === status)
        .map((post) => post.id)
        .reverse();

    const mine = await page(app, '/api/users/me/posts?limit=100', author.headers);
    expect(mine).toMatchObject({ total: 5, skip: 0, limit: 100, has_more: false });
    expect(ids(mine)).toEqual(newestFirst());
    const drafts = await page(app, '/api/users/me/posts?status=draft', author.headers);
    expect(ids(drafts)).toEqual(newestFirst('draft'));
    expect(drafts.total).toBe(3);
    const published = await page(app, '/api/users/me/posts?status=published', author.headers);
    expect(ids(published)).toEqual(newestFirst('published'));
    expect(published.posts.every((post: PostResponseBody) => post.user_id === author.id)).toBe(true);
  });

  it('pages like every list: skip, limit, has_more', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    for (let index = 0; index < 5; index += 1) await createPost(app, author.headers, `Draft ${index}`, 'x', 'draft');
    const first = await page(app, '/api/users/me/posts?status=draft&limit=2', author.headers);
    const second = await page(app, '/api/users/me/posts?status=draft&limit=2&skip=2', author.headers);
    const last = await page(app, '/api/users/me/posts?status=draft&limit=2&skip=4', author.headers);
    expect([first.has_more, second.has_more, last.has_more]).toEqual([true, true, false]);
    expect(new Set([...ids(first), ...ids(second), ...ids(last)]).size).toBe(5);
  });

  it('refuses a status other than draft or published, and bad paging, with 422', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    expect422At(await send(app, 'GET', '/api/users/me/posts?status=all', author.headers), ['query', 'status']);
    expect422At(await send(app, 'GET', '/api/users/me/posts?limit=0', author.headers), ['query', 'limit']);
  });
});

describe('publishing and editing', () => {
  it('publishing a draft dates it to that moment and puts it on top, unedited', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    clockAt(at(1));
    const draft = await createPost(app, author.headers, 'Later', 'Draft', 'draft');
    expect(draft.date_posted).toBe(at(1));
    clockAt(at(2));
    const edited = (
      await send(app, 'PATCH', `/api/posts/${draft.id}`, author.headers, { content: 'Better' })
    ).json<PostResponseBody>();
    expect(edited).toMatchObject({ status: 'draft', updated_at: at(2) });
    clockAt(at(3));
    const response = await send(app, 'PATCH', `/api/posts/${draft.id}`, author.headers, { status: 'published' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'published',
      date_posted: at(3),
      updated_at: null,
      content: 'Better',
    });
    vi.useRealTimers();
    expect(ids(await page(app, '/api/posts?limit=1'))).toEqual([draft.id]);
    expect((await send(app, 'GET', `/api/posts/${draft.id}`)).statusCode).toBe(200);
  });

  it('an edit sets updated_at and keeps date_posted; a change to nothing is no edit', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    clockAt(at(4));
    const post = await createPost(app, author.headers, 'Title', 'Text');
    const url = `/api/posts/${post.id}`;
    clockAt(at(5));
    const same = await send(app, 'PUT', url, author.headers, { title: 'Title', content: 'Text' });
    expect(same.json()).toEqual(post);
    expect((await send(app, 'PATCH', url, author.headers, {})).json()).toEqual(post);
    const edited = (await send(app, 'PATCH', url, author.headers, { title: 'New title' })).json<PostResponseBody>();
    expect(edited).toMatchObject({
      title: 'New title',
      date_posted: at(4),
      updated_at: at(5),
    });
    expect((await send(app, 'GET', url)).json()).toEqual(edited);
  });

  it("the tutorial's PUT of a draft (title and content, no status) keeps it a draft", async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const draft = await createPost(app, author.headers, 'D', 'x', 'draft');
    const put = await send(app, 'PUT', `/api/posts/${draft.id}`, author.headers, { title: 'D2', content: 'y' });
    expect(put.json()).toMatchObject({ status: 'draft', title: 'D2' });
    expect((await send(app, 'GET', `/api/posts/${draft.id}`)).statusCode).toBe(404);
  });

  it('a published post turned back into a draft leaves the public lists and keeps its date', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const post = await createPost(app, author.headers, 'Oops', 'Too early');
    const response = await send(app, 'PATCH', `/api/posts/${post.id}`, author.headers, { status: 'draft' });
    expect(response.json()).toMatchObject({ status: 'draft', date_posted: post.date_posted });
    expect(ids(await page(app, `/api/users/${author.id}/posts`))).toEqual([]);
    expect(ids(await page(app, '/api/posts?limit=100'))).not.toContain(post.id);
    expectDetail(await send(app, 'GET', `/api/posts/${post.id}`), 404, 'Post not found');
  });

  it('the author deletes a draft', async () => {
    const app = await appAnd();
    const author = await signedInUser(app, 'author');
    const draft = await createPost(app, author.headers, 'Gone', 'x', 'draft');
    expect((await send(app, 'DELETE', `/api/posts/${draft.id}`, author.headers)).statusCode).toBe(204);
    expect((await send(app, 'GET', `/api/posts/${draft.id}`, author.headers)).statusCode).toBe(404);
  });
});

describe('deep pages with drafts among the posts', () => {
  it('every page of every listing is right when it starts from a remembered position', async () => {
    const { app } = await context();
    const author = await signedInUser(app, 'deep');
    const statuses = Array.from({ length: 23 }, (_, index): PostStatus => (index % 3 === 0 ? 'published' : 'draft'));
    const written: PostResponseBody[] = [];
    for (const status of statuses) written.push(await createPost(app, author.headers, 'p', 'x', status));
    // Positions remembered every 2 posts, so almost every page starts from one.
    const repository = createPostRepository(app.db, { checkpointInterval: 2 });
    for (const status of ['draft', 'published', 'any'] as const) {
      const expected = written
        .filter((post) => status === 'any' || post.status === status)
        .map((post) => post.id)
        .reverse();
      for (let skip = 0; skip <= expected.length; skip += 1) {
        const result = await repository.page({ skip, limit: 3, userId: author.id, status });
        expect(result.posts.map((post) => post.id)).toEqual(expected.slice(skip, skip + 3));
        expect(result.total).toBe(expected.length);
      }
    }
  });
});
