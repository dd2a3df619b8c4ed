// The search page (docs/api.md, "Publishing", Search): /search?q= shows the
// first page of results with the matched words in <mark>, escaped (a post's
// text is only ever text), a "Load more" link to the next page, the box alone
// for an empty query, a message when nothing matches; every page's
// navigation bar has a search box that works without JavaScript.
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createPost, expectHtml, signedInUser, startTags, useTestApp, type Tag } from '../helpers/index.js';

const context = useTestApp({ POSTS_PER_PAGE: '2' });
let app: App;

const attributes = (tag: Tag | undefined) => Object.fromEntries(tag?.attrs ?? []);
const page = async (url: string) => expectHtml(await app.inject(url), 200);

describe('/search', () => {
  beforeAll(async () => {
    ({ app } = await context());
    const author = await signedInUser(app, 'websearch');
    await createPost(app, author.headers, 'Quokka <script>alert(1)</script>', 'The quokka & friends.');
    await createPost(app, author.headers, 'Second', 'Another quokka, further down the text.');
    await createPost(app, author.headers, 'Third', 'One more quokka.');
  });

  it('has a labelled search box in the navigation bar of every page, a plain GET form', async () => {
    for (const url of ['/', '/search', '/login']) {
      const html = await page(url);
      const nav = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'));
      const tags = startTags(nav);
      const form = tags.find((tag) => tag.name === 'form' && tag.attrs.get('role') === 'search');
      expect(attributes(form), url).toMatchObject({ action: '/search', method: 'get' });
      const input = tags.find((tag) => tag.name === 'input' && tag.attrs.get('type') === 'search');
      expect(attributes(input), url).toMatchObject({ name: 'q', maxlength: '200', id: 'nav-search' });
      expect(nav).toContain('<label class="visually-hidden" for="nav-search">Search posts</label>');
    }
  });

  it('shows just the box for an empty query', async () => {
    for (const url of ['/search', '/search?q=']) {
      const html = await page(url);
      expect(html).toContain('id="search-page-q"');
      expect(html).not.toContain('data-search-results');
    }
  });

  it('highlights the matched words with <mark>, and shows a title with <script> as text', async () => {
    const html = await page('/search?q=QUOKKA');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('<mark>Quokka</mark> &lt;script>alert(1)&lt;/script>');
    expect(html).toContain('<mark>quokka</mark>');
    expect(html).toContain('3 posts match “QUOKKA”.');
    // The query is shown back in the box, as a value.
    expect(
      startTags(html)
        .find((tag) => tag.attrs.get('id') === 'search-page-q')
        ?.attrs.get('value'),
    ).toBe('QUOKKA');
  });

  it('links each title to its post and has a "Load more" link to the next page', async () => {
    const html = await page('/search?q=quokka');
    const links = startTags(html).filter((tag) => tag.attrs.get('data-field') === 'title-link');
    expect(links.map((tag) => tag.attrs.get('href'))).toEqual(['/posts/1', '/posts/3', undefined]); // the last: the template, filled by the browser
    const more = startTags(html).find((tag) => tag.attrs.has('data-search-more'));
    expect(attributes(more)).toMatchObject({ href: '/search?q=quokka&skip=2', 'data-skip': '2', 'data-q': 'quokka' });
    const next = await page('/search?q=quokka&skip=2');
    expect(next).toContain('data-search-results');
    expect(next).not.toContain('data-search-more');
  });

  it('says so when nothing matches', async () => {
    expect(await page('/search?q=wombat')).toContain('No posts match “wombat”.');
    expect(await page('/search?q=%21%21%21')).toContain('No posts match “!!!”.');
  });
});
