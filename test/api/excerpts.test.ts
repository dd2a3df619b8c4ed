// The excerpt of every PostResponse (docs/api.md, "Delivery"): the plain
// text of the rendered content, cut at a word; made when the content is
// written, kept by an edit of the title alone, and in every read.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { EXCERPT_LENGTH } from '../../src/markdown/excerpt.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import { createPost, defined, signedInUser, useTestApp, type Headers } from '../helpers/index.js';

const context = useTestApp();
const appAnd = async (): Promise<App> => (await context()).app;

async function send(app: App, method: 'GET' | 'PATCH' | 'PUT', url: string, headers: Headers = {}, payload?: object) {
  const response = await app.inject({ method, url, headers, ...(payload && { payload }) });
  expect(response.statusCode, `${method} ${url}`).toBe(200);
  return response;
}

const storedExcerpt = async (app: App, id: number) =>
  (await app.db.selectFrom('posts').select('excerpt').where('id', '=', id).executeTakeFirstOrThrow()).excerpt;

const LONG = Array.from({ length: 12_000 }, (_, index) => `word${index % 100}`).join(' ');

describe('PostResponse.excerpt', () => {
  it('is the text of the new post, without markup; a long one cut at a word with an ellipsis', async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerptnew');
    const short = await createPost(
      app,
      user.headers,
      'Short',
      '# Hello\n\nA **bold** [link](https://example.com) &amp; more',
    );
    expect(short.excerpt).toBe('Hello A bold link & more');
    const long = await createPost(app, user.headers, 'Long', LONG);
    expect(long.content).toBe(LONG);
    expect(long.excerpt.length).toBeLessThanOrEqual(EXCERPT_LENGTH);
    expect(long.excerpt).toMatch(/^word0 word1 word2 .* word\d+…$/);
    expect(LONG.startsWith(long.excerpt.slice(0, -1))).toBe(true);
    expect(await storedExcerpt(app, long.id)).toBe(long.excerpt);
  });

  it('changes with the content, and an edit of the title alone leaves it as it was', async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerptedit');
    const post = await createPost(app, user.headers, 'Title', 'First *words*');
    const titled = (
      await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { title: 'New title' })
    ).json<PostResponseBody>();
    expect(titled.excerpt).toBe('First words');
    const edited = (
      await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { content: 'Second _words_' })
    ).json<PostResponseBody>();
    expect(edited.excerpt).toBe('Second words');
    const replaced = (
      await send(app, 'PUT', `/api/posts/${post.id}`, user.headers, { title: 'T', content: 'Third `words`' })
    ).json<PostResponseBody>();
    expect(replaced.excerpt).toBe('Third words');
    expect(await storedExcerpt(app, post.id)).toBe('Third words');
  });

  it("is in every read: one post, every listing, the search, the author's own", async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerptread');
    const post = await createPost(app, user.headers, 'Everywhere', 'Findable **zebracorn** text');
    const draft = await createPost(app, user.headers, 'Draft', 'A _draft_ text', 'draft');
    expect(draft.excerpt).toBe('A draft text');
    const one = (await send(app, 'GET', `/api/posts/${post.id}`)).json<PostResponseBody>();
    expect(one.excerpt).toBe('Findable zebracorn text');
    const pages = [
      ['/api/posts', {}],
      [`/api/users/${post.user_id}/posts`, {}],
      ['/api/posts?q=zebracorn', {}],
      ['/api/users/me/posts', user.headers],
    ] as const;
    for (const [url, headers] of pages) {
      const page = (await send(app, 'GET', url, headers)).json<PostPageBody>();
      const listed = defined(
        page.posts.find((item) => item.id === post.id),
        url,
      );
      expect(listed, url).toEqual(one);
    }
    const mine = (await send(app, 'GET', '/api/users/me/posts?status=draft', user.headers)).json<PostPageBody>();
    expect(mine.posts.map((item) => item.excerpt)).toEqual(['A draft text']);
  });

  it('of a post written before excerpts is made when it is first rendered, and stored', async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerptold');
    const { id } = await app.db
      .insertInto('posts')
      .values({
        title: 'Old',
        content: 'An *old* post',
        user_id: (await createPost(app, user.headers)).user_id,
        date_posted: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await storedExcerpt(app, id)).toBe('');
    expect((await send(app, 'GET', `/api/posts/${id}`)).json<PostResponseBody>().excerpt).toBe('An old post');
    expect(await storedExcerpt(app, id)).toBe('An old post');
  });
});
