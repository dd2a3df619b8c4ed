// What the pages tell search engines and feed readers (docs/api.md,
// "Publishing": Feeds and Search engines): a title and description of their
// own, canonical links, the feeds, OpenGraph and JSON-LD on post pages, and
// noindex where a page should not be listed.
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createPost, useTestApp, webUser } from '../helpers/index.js';

const ORIGIN = 'https://blog.example';
const context = useTestApp({ PUBLIC_URL: ORIGIN, SITE_NAME: 'Example Blog' });
const getApp = async (): Promise<App> => (await context()).app;

async function headOf(app: App, url: string, cookies?: Record<string, string>) {
  const response = await app.inject({ method: 'GET', url, ...(cookies && { cookies }) });
  expect(response.statusCode, url).toBe(200);
  const document = parseDocument(response.body);
  const find = (test: (attribs: Record<string, string>, name: string) => boolean) =>
    DomUtils.findAll((element) => test(element.attribs, element.name), document.children);
  const meta = (key: string) =>
    find((a, name) => name === 'meta' && (a.name === key || a.property === key)).map((e) => e.attribs.content);
  const links = (rel: string) => find((a, name) => name === 'link' && a.rel === rel).map((e) => e.attribs);
  const jsonLd = find((a, name) => name === 'script' && a.type === 'application/ld+json').map(
    (e) => JSON.parse(DomUtils.textContent(e)) as Record<string, unknown>,
  );
  const title = DomUtils.textContent(find((_a, name) => name === 'title'));
  const scripts = find((_a, name) => name === 'script');
  return { title, meta, links, jsonLd, scripts, body: response.body };
}

describe('search-engine metadata', () => {
  it('a post page has its title, a description from its text, a canonical link, OpenGraph and a BlogPosting', async () => {
    const app = await getApp();
    const author = await webUser(app, 'meta');
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const post = await createPost(app, author.headers, 'A post about things', `# Heading\n\nFirst *line*.\n\n${words}`);
    const head = await headOf(app, `/posts/${post.id}`);
    const url = `${ORIGIN}/posts/${post.id}`;
    expect(head.title).toBe('A post about things · Example Blog');
    const [description] = head.meta('description');
    expect(description).toMatch(/^Heading First line\. word0 word1 /);
    expect(description?.length).toBeLessThanOrEqual(155);
    expect(description).toMatch(/word\d+…$/);
    expect(head.links('canonical')).toEqual([{ rel: 'canonical', href: url }]);
    expect(head.meta('og:type')).toEqual(['article']);
    expect(head.meta('og:title')).toEqual(['A post about things']);
    expect(head.meta('og:description')).toEqual([description]);
    expect(head.meta('og:url')).toEqual([url]);
    expect(head.meta('og:image')).toEqual([`${ORIGIN}/static/profile_pics/default.jpg`]);
    expect(head.meta('og:site_name')).toEqual(['Example Blog']);
    expect(head.meta('robots')).toEqual([]);
    expect(head.jsonLd).toEqual([
      expect.objectContaining({
        '@context': 'https://schema.org',
        '@type': 'BlogPosting',
        headline: 'A post about things',
        datePublished: post.date_posted,
        dateModified: post.date_posted,
        author: { '@type': 'Person', name: author.username, url: `${ORIGIN}/users/${author.id}/posts` },
        url,
        mainEntityOfPage: { '@type': 'WebPage', '@id': url },
        image: `${ORIGIN}/static/profile_pics/default.jpg`,
      }),
    ]);
  });

  it('a title that closes the script stays inside the JSON-LD', async () => {
    const app = await getApp();
    const author = await webUser(app, 'breakout');
    const title = '</script><script>alert(1)</script><!--';
    const post = await createPost(app, author.headers, title, 'text');
    const head = await headOf(app, `/posts/${post.id}`);
    expect(head.jsonLd[0]?.headline).toBe(title);
    // The JSON-LD block and the two bundles: no script came out of the title.
    expect(head.scripts).toHaveLength(3);
    expect(head.body).not.toContain('<script>alert(1)');
  });

  it('home and user pages have a description, a canonical link and their feeds', async () => {
    const app = await getApp();
    const author = await webUser(app, 'lister');
    await createPost(app, author.headers);
    const home = await headOf(app, '/');
    expect(home.title).toBe('Home · Example Blog');
    // The site's name is its brand in the navigation bar too, for visitors and the signed-in.
    for (const cookies of [undefined, author.cookies]) {
      const html = (await app.inject({ url: '/', ...(cookies && { cookies }) })).body;
      expect(html).toMatch(/<a class="navbar-brand[^"]*" href="\/">Example Blog<\/a>/);
    }
    expect(home.meta('description')[0]).toBeTruthy();
    expect(home.links('canonical')).toEqual([{ rel: 'canonical', href: `${ORIGIN}/` }]);
    expect((await headOf(app, '/posts')).links('canonical')[0]?.href).toBe(`${ORIGIN}/`);
    expect((await headOf(app, '/?skip=10')).links('canonical')[0]?.href).toBe(`${ORIGIN}/?skip=10`);
    const siteFeed = {
      rel: 'alternate',
      type: 'application/atom+xml',
      title: 'Example Blog: all posts',
      href: `${ORIGIN}/feed.xml`,
    };
    expect(home.links('alternate')).toEqual([siteFeed]);

    const user = await headOf(app, `/users/${author.id}/posts`);
    expect(user.title).toBe(`Posts by ${author.username} · Example Blog`);
    expect(user.meta('description')).toEqual([`Posts by ${author.username}, newest first.`]);
    expect(user.links('canonical')).toEqual([{ rel: 'canonical', href: `${ORIGIN}/users/${author.id}/posts` }]);
    expect(user.links('alternate')).toEqual([
      { ...siteFeed, title: `Posts by ${author.username}`, href: `${ORIGIN}/users/${author.id}/feed.xml` },
      siteFeed,
    ]);
    expect(user.meta('robots')).toEqual([]);
  });

  it('drafts, the account and drafts pages, search results and the login, register and recovery pages are noindex; the rest is not', async () => {
    const app = await getApp();
    const author = await webUser(app, 'hidden');
    const draft = await createPost(app, author.headers, 'Draft', 'not yet', 'draft');
    const published = await createPost(app, author.headers, 'Public', 'for all');
    for (const url of ['/login', '/register', '/forgot-password', '/reset-password?token=x', '/search?q=public']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.body, url).toContain('<meta name="robots" content="noindex"/>');
    }
    for (const url of ['/account', '/drafts', `/posts/${draft.id}`]) {
      expect((await headOf(app, url, author.cookies)).meta('robots'), url).toEqual(['noindex']);
    }
    const draftHead = await headOf(app, `/posts/${draft.id}`, author.cookies);
    expect(draftHead.jsonLd).toEqual([]);
    expect(draftHead.links('canonical')).toEqual([]);
    for (const url of ['/', `/posts/${published.id}`, `/users/${author.id}/posts`]) {
      expect((await headOf(app, url)).meta('robots'), url).toEqual([]);
      expect((await headOf(app, url, author.cookies)).meta('robots'), url).toEqual([]);
    }
  });
});
