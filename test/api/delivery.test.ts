// Delivery (docs/api.md, "Delivery"): responses the server renders are
// compressed with brotli or gzip above 1 KB; signed-out pages, feeds and API
// reads carry a weak ETag that moves with anything they show, and answer 304
// to If-None-Match; each kind has its Cache-Control.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_DIRECTORY, BUILD_URL_PREFIX } from '../../src/views/assets.js';
import type { App } from '../../src/app.js';
import {
  createPost,
  defined,
  listen,
  pngOf,
  rawRequest,
  type SignedIn,
  signedInAdmin,
  signedInUser,
  uploadPicture,
  useTestApp,
  webUser,
} from '../helpers/index.js';

const testApp = useTestApp();
let app: App;
let author: SignedIn;
let postId: number;

const PAGE_CACHE = 'public, max-age=0, s-maxage=60, stale-while-revalidate=30';

beforeAll(async () => {
  ({ app } = await testApp());
  author = await signedInUser(app, 'deliverer');
  // Enough posts for a page of them to pass the compression threshold.
  for (let i = 0; i < 6; i++) await createPost(app, author.headers, `Delivered ${i}`, 'Parcel text. '.repeat(40));
  postId = (await createPost(app, author.headers, 'The parcel', 'A parcel worth compressing. '.repeat(60))).id;
});

const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
  app.inject({ method, url, headers });

/** Every signed-out read that answers If-None-Match ({post} and {user}: the test's post and its author), with its Cache-Control. */
const CONDITIONAL_READS: [string, string][] = [
  ...['/', '/posts', '/?skip=1', '/posts/{post}', '/users/{user}/posts', '/search?q=parcel'].map(
    (url): [string, string] => [url, PAGE_CACHE],
  ),
  ...['/feed.xml', '/users/{user}/feed.xml', '/sitemap.xml'].map((url): [string, string] => [
    url,
    'public, max-age=300',
  ]),
  ...['/api/posts', '/api/posts?q=parcel', '/api/posts/{post}', '/api/users/{user}', '/api/users/{user}/posts'].map(
    (url): [string, string] => [url, 'no-cache'],
  ),
];

const resolve = (url: string) => url.replace('{post}', String(postId)).replace('{user}', String(author.id));

/** The URLs of CONDITIONAL_READS, resolved. */
const conditionalUrls = (cache?: string) =>
  CONDITIONAL_READS.filter(([, kind]) => cache === undefined || kind === cache).map(([url]) => resolve(url));

async function etagOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await get(url, headers);
  expect(response.statusCode, url).toBe(200);
  return defined(response.headers.etag, `${url} ETag`);
}

describe('compression', () => {
  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ])('%s for pages, JSON and feeds above 1 KB, with Vary: Accept-Encoding', async (encoding, decode) => {
    for (const url of ['/', '/api/posts', `/posts/${postId}`, '/feed.xml']) {
      const plain = await get(url);
      const packed = await get(url, { 'accept-encoding': `${encoding}, identity` });
      expect(packed.headers['content-encoding'], url).toBe(encoding);
      expect(packed.headers.vary, url).toMatch(/accept-encoding/);
      expect(packed.rawPayload.length, url).toBeLessThan(plain.rawPayload.length / 2);
      expect(decode(packed.rawPayload).toString(), url).toBe(plain.body);
    }
  });

  it('compresses an answer once: the next client gets the same bytes, until it changes', async () => {
    const url = `/posts/${postId}`;
    const ask = () => get(url, { 'accept-encoding': 'br' });
    const first = await ask();
    const second = await ask();
    expect(second.headers['content-encoding']).toBe('br');
    expect(second.headers['content-length']).toBe(String(second.rawPayload.length));
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/posts/${postId}`,
      headers: author.headers,
      payload: { title: 'The parcel, re-addressed' },
    });
    expect(edited.statusCode).toBe(200);
    const after = await ask();
    expect(brotliDecompressSync(after.rawPayload).toString()).toBe((await get(url)).body);
    expect(brotliDecompressSync(after.rawPayload).toString()).toContain('The parcel, re-addressed');
    // A signed-in reader's page is compressed for them alone, never kept for others.
    const reader = await webUser(app, 'parcel-reader');
    const mine = await app.inject({
      method: 'GET',
      url,
      cookies: reader.cookies,
      headers: { 'accept-encoding': 'br' },
    });
    expect(brotliDecompressSync(mine.rawPayload).toString()).toContain('parcel-reader');
    expect(brotliDecompressSync((await ask()).rawPayload).toString()).not.toContain('parcel-reader');
  });

  it('prefers brotli, and sends identity to a client that asks for nothing else', async () => {
    expect((await get('/api/posts', { 'accept-encoding': 'gzip, deflate, br' })).headers['content-encoding']).toBe(
      'br',
    );
    const plain = await get('/api/posts', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    // A cache still learns that the answer depends on the header.
    expect(plain.headers.vary).toMatch(/accept-encoding/);
    expect((await get('/api/posts')).headers['content-encoding']).toBeUndefined();
  });

  it('leaves a response under 1 KB as it is', async () => {
    const small = await get(`/api/users/${author.id}`, { 'accept-encoding': 'br, gzip' });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toMatchObject({ id: author.id });
  });

  it('compresses a static asset once at most: what arrives decodes to the file', async () => {
    const manifest = JSON.parse(readFileSync(path.join(BUILD_DIRECTORY, 'manifest.json'), 'utf8')) as Record<
      string,
      string
    >;
    const name = defined(manifest['app.js']);
    const file = readFileSync(path.join(BUILD_DIRECTORY, name));
    for (const encoding of ['br', 'gzip', 'identity']) {
      const response = await get(`${BUILD_URL_PREFIX}${name}`, { 'accept-encoding': encoding });
      expect(response.statusCode).toBe(200);
      const sent = response.headers['content-encoding'];
      const body =
        sent === 'br'
          ? brotliDecompressSync(response.rawPayload)
          : sent === 'gzip'
            ? gunzipSync(response.rawPayload)
            : response.rawPayload;
      expect(body.equals(file), `${encoding}: ${String(sent)}`).toBe(true);
    }
  });

  it('never compresses a picture (a JPEG is compressed already)', async () => {
    const owner = await signedInUser(app, 'pictured');
    const uploaded = await uploadPicture(app, owner.id, owner.headers, await pngOf('#3366aa', 600, 400));
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const picture = await get(uploaded.json<{ image_path: string }>().image_path, { 'accept-encoding': 'br, gzip' });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/jpeg');
    expect(picture.headers['content-encoding']).toBeUndefined();
  });
});

describe('conditional GETs', () => {
  it.each(CONDITIONAL_READS)('%s: a weak ETag, then 304 for If-None-Match (GET and HEAD)', async (template, cache) => {
    const url = resolve(template);
    const first = await get(url, { 'accept-encoding': 'br' });
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    expect(first.headers['cache-control']).toBe(cache);
    expect(await etagOf(url), 'the same without compression').toBe(etag);

    for (const method of ['GET', 'HEAD'] as const) {
      const again = await get(url, { 'if-none-match': etag, 'accept-encoding': 'br' }, method);
      expect(again.statusCode, method).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe(cache);
    }
    // One of a list, or the strong form: both match; another tag, or * (checked before the resource is found), do not.
    expect((await get(url, { 'if-none-match': `W/"other", ${etag.slice(2)}` })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': '*' })).statusCode).toBe(200);
    expect((await get(url, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
    const head = await get(url, {}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(etag);
  });

  it('pages vary by cookie, API reads by their credentials too', async () => {
    expect((await get('/feed.xml')).headers.vary).toBe('accept-encoding');
    expect((await get('/')).headers.vary).toBe('cookie, accept-encoding');
    expect((await get('/api/posts')).headers.vary).toBe('authorization, cookie, accept-encoding');
  });

  it('another query string is another ETag', async () => {
    expect(await etagOf('/?skip=1')).not.toBe(await etagOf('/'));
    expect(await etagOf('/api/posts?limit=2')).not.toBe(await etagOf('/api/posts'));
  });

  it('an API read with a token is private and has an ETag of its own (a draft, an admin view)', async () => {
    const anonymous = await etagOf(`/api/posts/${postId}`);
    const withToken = await get(`/api/posts/${postId}`, author.headers);
    expect(withToken.headers['cache-control']).toBe('private, no-cache');
    expect(withToken.headers.etag).not.toBe(anonymous);
    expect((await get(`/api/posts/${postId}`, { ...author.headers, 'if-none-match': anonymous })).statusCode).toBe(200);
    const admin = await signedInAdmin(app, 'delivery-admin');
    expect(await etagOf(`/api/posts/${postId}`, admin.headers)).not.toBe(withToken.headers.etag);
  });

  it('a signed-in page is no-store, without an ETag, and never answered from a signed-out one', async () => {
    const reader = await webUser(app, 'page-reader');
    for (const url of conditionalUrls(PAGE_CACHE)) {
      const signedOut = await etagOf(url);
      const page = await app.inject({
        method: 'GET',
        url,
        cookies: reader.cookies,
        headers: { 'if-none-match': signedOut },
      });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers.etag, url).toBeUndefined();
      expect(page.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('errors carry no ETag and are not kept', async () => {
    for (const url of ['/posts/999999', '/api/posts/999999', '/api/users/999999', '/api/posts?limit=0']) {
      const response = await get(url, { 'if-none-match': '*' });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.headers.etag, url).toBeUndefined();
      expect(String(response.headers['cache-control']), url).not.toMatch(/public/);
    }
  });
});

describe('every ETag moves when what it shows changes', () => {
  /** Runs the change, then checks that no signed-out read still answers 304 to its old ETag. */
  async function expectAllMoved(change: () => Promise<{ statusCode: number; body: string }>) {
    const before = new Map<string, string>();
    for (const url of conditionalUrls()) before.set(url, await etagOf(url));
    const response = await change();
    expect(response.statusCode, response.body).toBeLessThan(300);
    for (const [url, etag] of before) {
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).not.toBe(304);
    }
  }

  it('a new post', async () => {
    await expectAllMoved(() =>
      app.inject({
        method: 'POST',
        url: '/api/posts',
        headers: author.headers,
        payload: { title: 'Fresh', content: 'x' },
      }),
    );
  });

  it('an edit', async () => {
    await expectAllMoved(() =>
      app.inject({
        method: 'PATCH',
        url: `/api/posts/${postId}`,
        headers: author.headers,
        payload: { title: 'Edited' },
      }),
    );
  });

  it('a deletion', async () => {
    const doomed = await createPost(app, author.headers, 'Doomed', 'Soon gone');
    await expectAllMoved(() =>
      app.inject({ method: 'DELETE', url: `/api/posts/${doomed.id}`, headers: author.headers }),
    );
  });

  it("the author's rename", async () => {
    await expectAllMoved(() =>
      app.inject({
        method: 'PATCH',
        url: `/api/users/${author.id}`,
        headers: author.headers,
        payload: { username: 'renamed-deliverer' },
      }),
    );
  });

  it("the author's new picture", async () => {
    const png = await pngOf('#aa3366');
    await expectAllMoved(() => uploadPicture(app, author.id, author.headers, png));
  });

  it("an admin's suspension of an author without posts (their profile), and deleting an account", async () => {
    const admin = await signedInAdmin(app, 'suspender');
    const quiet = await signedInUser(app, 'quiet');
    const profile = await etagOf(`/api/users/${quiet.id}`);
    const suspended = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${quiet.id}/suspend`,
      headers: admin.headers,
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect((await get(`/api/users/${quiet.id}`, { 'if-none-match': profile })).statusCode).toBe(404);

    const leaving = await signedInUser(app, 'leaving');
    const leavingProfile = await etagOf(`/api/users/${leaving.id}`);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/users/${leaving.id}`, headers: leaving.headers });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await get(`/api/users/${leaving.id}`, { 'if-none-match': leavingProfile })).statusCode).toBe(404);
  });

  it("an admin's suspension of an author with posts", async () => {
    const admin = await signedInAdmin(app, 'moderator');
    await expectAllMoved(() =>
      app.inject({ method: 'POST', url: `/api/admin/users/${author.id}/suspend`, headers: admin.headers }),
    );
    await app.inject({ method: 'POST', url: `/api/admin/users/${author.id}/unsuspend`, headers: admin.headers });
  });
});

describe('over a real connection', () => {
  it('a compressed page, then 304 for its ETag', async () => {
    const context = await testApp();
    const port = await listen(context);
    const first = await rawRequest(port, { method: 'GET', path: '/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    const html = brotliDecompressSync(Buffer.from(first.body, 'latin1')).toString();
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    const etag = defined(first.headers.etag);
    const again = await rawRequest(port, { method: 'GET', path: '/', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['x-request-id']).toMatch(/^[\w-]{36}$/);
  });
});
