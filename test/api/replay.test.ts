// Answers built once and sent again (docs/api.md, "Delivery"): an answer with
// an ETag is kept under it, and the next request that computes the same ETag
// gets the same bytes without the posts being read or the page rendered. Any
// change moves the ETag, so a replay never shows less than a fresh build;
// what is signed in or private is never sent to anyone else; compressed
// answers are kept the same way; and every instance of one build agrees on
// the ETags.
import { brotliDecompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  createPost,
  createTestApp,
  defined,
  type SignedIn,
  signedInUser,
  useCleanups,
  useTestApp,
  webUser,
} from '../helpers/index.js';

const testApp = useTestApp();
let app: App;
let author: SignedIn;
let postId: number;

beforeAll(async () => {
  ({ app } = await testApp());
  author = await signedInUser(app, 'replayed');
  for (let i = 0; i < 4; i++) await createPost(app, author.headers, `Kept ${i}`, 'Words worth keeping. '.repeat(30));
  postId = (await createPost(app, author.headers, 'The kept post', 'Kept, and sent again. '.repeat(40))).id;
});

const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
  app.inject({ method, url, headers });

/** The response to `url`, and how many replays it took (0 or 1). */
async function counted(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const before = app.replayedAnswers.hits;
  const response = await get(url, headers, method);
  return { response, replays: app.replayedAnswers.hits - before };
}

describe('replayed answers', () => {
  it.each(['/', '/posts/{post}', '/api/posts', '/api/posts/{post}', '/feed.xml', '/sitemap.xml'])(
    '%s: built once, then sent again byte for byte with the same headers',
    async (template) => {
      const url = template.replace('{post}', String(postId));
      const built = await counted(url);
      const again = await counted(url);
      expect(built.response.statusCode, url).toBe(200);
      expect(again.replays, url).toBe(1);
      expect(again.response.body).toBe(built.response.body);
      for (const header of ['content-type', 'content-length', 'etag', 'cache-control', 'vary'])
        expect(again.response.headers[header], header).toBe(built.response.headers[header]);
      const head = await counted(url, {}, 'HEAD');
      expect(head.replays).toBe(1);
      expect(head.response.body).toBe('');
      expect(head.response.headers['content-length']).toBe(built.response.headers['content-length']);
    },
  );

  it('builds afresh after a change, and keeps nothing from before it', async () => {
    const url = `/api/posts/${postId}`;
    await get(url);
    expect((await counted(url)).replays).toBe(1);
    const edited = await app.inject({
      method: 'PATCH',
      url,
      headers: author.headers,
      payload: { title: 'The kept post, retitled' },
    });
    expect(edited.statusCode).toBe(200);
    const after = await counted(url);
    expect(after.replays).toBe(0);
    expect(after.response.json()).toMatchObject({ title: 'The kept post, retitled' });
    expect(app.replayedAnswers.entries).toBe(1);
    expect((await counted('/')).response.body).toContain('The kept post, retitled');
  });

  it("never replays a signed-in page, nor one reader's API answer to another", async () => {
    const reader = await webUser(app, 'replay-reader');
    const page = () => app.inject({ method: 'GET', url: '/', cookies: reader.cookies });
    await page();
    const before = app.replayedAnswers.hits;
    expect((await page()).body).toContain('replay-reader');
    expect(app.replayedAnswers.hits).toBe(before);
    expect((await counted('/')).response.body).not.toContain('replay-reader');

    const draft = await createPost(app, author.headers, 'Unfinished', 'Not yet.', 'draft');
    const url = `/api/posts/${draft.id}`;
    expect((await get(url, author.headers)).statusCode).toBe(200);
    expect((await counted(url, author.headers)).replays).toBe(1);
    expect((await get(url)).statusCode).toBe(404);
    const stranger = await signedInUser(app, 'replay-stranger');
    expect((await get(url, stranger.headers)).statusCode).toBe(404);
  });

  it('keeps what it compressed: the next client that asks alike gets the kept bytes', async () => {
    const url = '/api/posts';
    const first = await get(url, { 'accept-encoding': 'br' });
    const before = app.compressedAnswers.hits;
    const second = await get(url, { 'accept-encoding': 'br' });
    expect(app.compressedAnswers.hits).toBe(before + 1);
    expect(second.headers['content-encoding']).toBe('br');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(brotliDecompressSync(second.rawPayload).toString()).toBe((await get(url)).body);
    expect(app.compressedAnswers.entries).toBeGreaterThan(0);
  });
});

describe('two instances of one build', () => {
  const closeAfter = useCleanups();

  it('give each answer the same ETag, and one replays what the other built when it moved', async () => {
    const a = await createTestApp();
    closeAfter(() => a.close());
    const b = await createTestApp({ DATABASE_URL: a.config.databaseUrl });
    closeAfter(() => b.close());
    const writer = await signedInUser(a.app, 'two-instances');
    const post = await createPost(a.app, writer.headers, 'Seen on both', 'The same everywhere.');
    for (const url of ['/', `/posts/${post.id}`, '/api/posts', `/api/posts/${post.id}`]) {
      const fromA = await a.app.inject({ method: 'GET', url });
      const fromB = await b.app.inject({ method: 'GET', url });
      expect(fromB.headers.etag, url).toBe(defined(fromA.headers.etag));
      expect(fromB.body, url).toBe(fromA.body);
      const revalidated = await b.app.inject({ method: 'GET', url, headers: { 'if-none-match': fromA.headers.etag } });
      expect(revalidated.statusCode, url).toBe(304);
    }
    // A's edit: B, which kept its answers, builds afresh at once.
    await a.app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: writer.headers,
      payload: { title: 'Changed on A' },
    });
    expect((await b.app.inject({ method: 'GET', url: `/api/posts/${post.id}` })).json()).toMatchObject({
      title: 'Changed on A',
    });
  });
});
