// Feeds, the sitemap and robots.txt (docs/api.md, "Publishing": Feeds and
// Search engines): Atom 1.0 of the published posts only, absolute links from
// PUBLIC_URL, well-formed per a real XML parser and xmllint, kept until
// posts_revision moves.
import { execFileSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createPost, signedInUser, useTestApp } from '../helpers/index.js';
import { assertSafeHtml, XSS_PAYLOADS } from '../helpers/xss.js';

const ORIGIN = 'https://blog.example';
const context = useTestApp({ PUBLIC_URL: ORIGIN, SITE_NAME: 'Example & Co' });
const getApp = async (): Promise<App> => (await context()).app;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'entry' });

/** Fails unless xmllint (libxml2) reads `xml` as well-formed. */
function expectWellFormed(xml: string) {
  execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: ['pipe', 'ignore', 'pipe'] });
}

interface AtomEntry {
  id: string;
  title: { type: string; '#text': string };
  link: { href: string };
  author: { name: string; uri: string };
  published: string;
  updated: string;
  content: { type: string; '#text': string };
}
interface AtomFeed {
  xmlns: string;
  id: string;
  title: string;
  updated: string;
  link: { rel: string; href: string }[];
  entry?: AtomEntry[];
}

async function getFeed(app: App, url = '/feed.xml') {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
  expectWellFormed(response.body);
  const feed = (parser.parse(response.body) as { feed: AtomFeed }).feed;
  return { body: response.body, feed, entries: feed.entry ?? [] };
}

// The API refuses NUL in any text: those payloads never become posts.
const STORABLE = XSS_PAYLOADS.filter((payload) => !payload.markdown.includes('\u0000'));

const entryFor = (entries: AtomEntry[], postId: number) => entries.find((e) => e.id === `${ORIGIN}/posts/${postId}`);

describe('GET /feed.xml', () => {
  it('is an Atom 1.0 feed of the newest published posts, with absolute links', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'feeder');
    const post = await createPost(app, author.headers, 'Feed title', 'Some *feed* text');
    const { feed, entries } = await getFeed(app);
    expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(feed.title).toBe('Example & Co');
    expect(feed.id).toBe(`${ORIGIN}/`);
    expect(feed.link).toEqual(
      expect.arrayContaining([
        { rel: 'alternate', href: `${ORIGIN}/` },
        { rel: 'self', href: `${ORIGIN}/feed.xml` },
      ]),
    );
    expect(Date.parse(feed.updated)).not.toBeNaN();
    const entry = entryFor(entries, post.id);
    expect(entry).toMatchObject({
      title: { type: 'html', '#text': 'Feed title' },
      link: { href: `${ORIGIN}/posts/${post.id}` },
      author: { name: author.username, uri: `${ORIGIN}/users/${author.id}/posts` },
      published: post.date_posted,
      updated: post.date_posted,
      content: { type: 'html', '#text': post.content_html },
    });
  });

  it('holds at most 20 posts, newest first, and never a draft', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'many');
    const draft = await createPost(app, author.headers, 'Secret draft', 'not yet', 'draft');
    const made = [];
    for (let i = 0; i < 22; i += 1) made.push(await createPost(app, author.headers, `Post ${i}`));
    const { entries } = await getFeed(app);
    expect(entries.map((e) => e.id)).toEqual(
      made
        .reverse()
        .slice(0, 20)
        .map((p) => `${ORIGIN}/posts/${p.id}`),
    );
    const { entries: own } = await getFeed(app, `/users/${author.id}/feed.xml`);
    expect(own).toHaveLength(20);
    expect(entryFor(own, draft.id)).toBeUndefined();
  });

  it('escapes titles and carries only the sanitised content (the XSS corpus)', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'xss');
    const hostileTitle = '</title>]]><script>alert(1)</script> & ]]> \u0001';
    // A feed holds 20 posts: the corpus goes through it 20 payloads at a time.
    for (let start = 0; start < STORABLE.length; start += 20) {
      const batch = STORABLE.slice(start, start + 20);
      for (const payload of batch) await createPost(app, author.headers, hostileTitle, payload.markdown);
      const { entries } = await getFeed(app, `/users/${author.id}/feed.xml`);
      expect(entries.length).toBeGreaterThanOrEqual(batch.length);
      for (const entry of entries) {
        // An html-typed title is markup: a reader shows the escaped text, never a <script>.
        expect(entry.title['#text']).toBe('&lt;/title&gt;]]&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; ');
        assertSafeHtml(entry.content['#text'], ORIGIN);
      }
    }
  });

  it('shows a new post, an edit, a delete and a rename in the next feed, and the same bytes otherwise', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'cache');
    const first = await getFeed(app);
    expect((await getFeed(app)).body).toBe(first.body);

    const post = await createPost(app, author.headers, 'Fresh');
    expect(entryFor((await getFeed(app)).entries, post.id)?.title['#text']).toBe('Fresh');

    await app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: author.headers,
      payload: { title: 'Edited' },
    });
    const edited = entryFor((await getFeed(app)).entries, post.id);
    expect(edited?.title['#text']).toBe('Edited');
    expect(edited?.updated).not.toBe(edited?.published);

    const renamed = `${author.username}-new`;
    await app.inject({
      method: 'PATCH',
      url: `/api/users/${author.id}`,
      headers: author.headers,
      payload: { username: renamed },
    });
    expect(entryFor((await getFeed(app)).entries, post.id)?.author.name).toBe(renamed);
    expect(entryFor((await getFeed(app, `/users/${author.id}/feed.xml`)).entries, post.id)?.author.name).toBe(renamed);

    await app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: author.headers,
      payload: { status: 'draft' },
    });
    expect(entryFor((await getFeed(app)).entries, post.id)).toBeUndefined();
    await app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: author.headers,
      payload: { status: 'published' },
    });
    expect(entryFor((await getFeed(app)).entries, post.id)).toBeDefined();

    await app.inject({ method: 'DELETE', url: `/api/posts/${post.id}`, headers: author.headers });
    const after = await getFeed(app);
    expect(entryFor(after.entries, post.id)).toBeUndefined();
    expect((await getFeed(app)).body).toBe(after.body);
  });
});

describe('GET /users/{user_id}/feed.xml', () => {
  it("is one author's feed, titled with their name", async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'solo');
    const other = await signedInUser(app, 'other');
    const own = await createPost(app, author.headers, 'Mine');
    await createPost(app, other.headers, 'Theirs');
    const { feed, entries } = await getFeed(app, `/users/${author.id}/feed.xml`);
    expect(feed.title).toBe(`${author.username} · Example & Co`);
    expect(feed.link).toContainEqual({ rel: 'self', href: `${ORIGIN}/users/${author.id}/feed.xml` });
    expect(entries.map((e) => e.id)).toEqual([`${ORIGIN}/posts/${own.id}`]);
  });

  it('is 404 for an unknown user', async () => {
    const app = await getApp();
    expect((await app.inject({ method: 'GET', url: '/users/999999/feed.xml' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/users/nobody/feed.xml' })).statusCode).toBe(422);
  });
});

describe('GET /sitemap.xml', () => {
  it('lists the home page, every published post with lastmod, and the pages of authors who published', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'mapped');
    const silent = await signedInUser(app, 'silent');
    const post = await createPost(app, author.headers, 'Mapped');
    const draft = await createPost(app, silent.headers, 'Hidden', 'draft', 'draft');
    const response = await app.inject({ method: 'GET', url: '/sitemap.xml' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expectWellFormed(response.body);
    const { urlset } = parser.parse(response.body) as {
      urlset: { xmlns: string; url: { loc: string; lastmod?: string }[] };
    };
    expect(urlset.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = urlset.url.map((u) => u.loc);
    expect(locs[0]).toBe(`${ORIGIN}/`);
    expect(urlset.url).toContainEqual({ loc: `${ORIGIN}/posts/${post.id}`, lastmod: post.date_posted });
    expect(locs).toContain(`${ORIGIN}/users/${author.id}/posts`);
    expect(locs).not.toContain(`${ORIGIN}/posts/${draft.id}`);
    expect(locs).not.toContain(`${ORIGIN}/users/${silent.id}/posts`);
    for (const loc of locs) expect(loc.startsWith(`${ORIGIN}/`)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/sitemap-1.xml' })).statusCode).toBe(404);
  });
});

describe('GET /robots.txt', () => {
  it('allows crawling but for the account page and the API, and names the sitemap', async () => {
    const app = await getApp();
    const response = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = response.body.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'User-agent: *',
        'Disallow: /account',
        'Disallow: /api/',
        `Sitemap: ${ORIGIN}/sitemap.xml`,
      ]),
    );
  });
});
