// Posts' Markdown on the pages (docs/api.md, "Publishing", Markdown, and
// "Delivery"): a post's own page shows its rendered content_html, the lists
// its excerpt as plain text (markup and all as text, never HTML), raw HTML in the
// source is text, the editors have a Write/Preview switch with a Markdown
// help line, and the preview answers the page's session cookie.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  card,
  createPost,
  expectHtml,
  expectNoInlineCode,
  SAME_ORIGIN,
  startTags,
  textOf,
  useTestApp,
  webUser,
} from '../helpers/index.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

const MARKDOWN = [
  'Some **bold** words and [a link](https://example.com/docs).',
  '',
  '| Left | Right |',
  '|:-----|------:|',
  '| a    | b     |',
].join('\n');

/** The lists that show the post (by its excerpt). */
const listsOf = (post: { user_id: number }) => ['/', '/posts', `/users/${post.user_id}/posts`];

/** The post's own page, to a visitor and to its author. */
function pagesOf(post: { id: number }, cookies: Record<string, string>) {
  return [
    [`/posts/${post.id}`, undefined],
    [`/posts/${post.id}`, cookies],
  ] as const;
}

describe('a Markdown post on the pages', () => {
  it('the lists and the post page show the rendered HTML: bold, a link, a table', async () => {
    const app = await getApp();
    const author = await webUser(app, 'mdpages');
    const post = await createPost(app, author.headers, 'Rendered post', MARKDOWN);
    for (const [url, cookies] of pagesOf(post, author.cookies)) {
      const html = expectHtml(await app.inject({ url, ...(cookies ? { cookies } : {}) }), 200);
      const one = card(html, post.id);
      // The card holds the API's content_html as it is, and never the source.
      expect(one, url).toContain(`data-field="content">${post.content_html}</div>`);
      expect(one, url).not.toContain('**bold**');
      expect(one, url).toContain('<strong>bold</strong>');
      const link = startTags(one).find((t) => t.name === 'a' && t.attrs.get('href') === 'https://example.com/docs');
      expect(link?.attrs.get('rel'), url).toBe('nofollow ugc noopener');
      expect(one, url).toMatch(/<table>[\s\S]*<th class="text-start">Left<\/th>[\s\S]*<td class="text-end">b<\/td>/);
      expectNoInlineCode(html);
    }
    for (const url of listsOf(post)) {
      const one = card(expectHtml(await app.inject({ url }), 200), post.id);
      expect(textOf(one, 'data-field="excerpt"'), url).toBe('Some bold words and a link. Left Right a b');
      expect(
        startTags(one).filter((t) => ['strong', 'table'].includes(t.name)),
        url,
      ).toEqual([]);
    }
  });

  it('raw <script> in a post shows as text and is never an element of the page', async () => {
    const app = await getApp();
    const author = await webUser(app, 'mdscript');
    const source = 'Look: <script>alert(1)</script> and <b onclick="alert(2)">this</b>';
    const post = await createPost(app, author.headers, 'Raw HTML', source);
    for (const [url, cookies] of pagesOf(post, author.cookies)) {
      const html = expectHtml(await app.inject({ url, ...(cookies ? { cookies } : {}) }), 200);
      const one = card(html, post.id);
      expect(textOf(one, 'data-field="content"')?.trim(), url).toBe(source);
      expect(one, url).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html, url).not.toContain('<script>alert');
      expect(
        startTags(one).some((t) => t.name === 'b' || t.attrs.has('onclick')),
        url,
      ).toBe(false);
      expectNoInlineCode(html);
    }
    for (const url of listsOf(post)) {
      const one = card(expectHtml(await app.inject({ url }), 200), post.id);
      expect(textOf(one, 'data-field="excerpt"'), url).toBe(source);
      expect(startTags(one).some((t) => t.name === 'b' || t.attrs.has('onclick'))).toBe(false);
    }
  });
});

/** The tab of an editor's Write/Preview switch, by its pane's id. */
function tabFor(html: string, pane: string) {
  return startTags(html).find((t) => t.name === 'button' && t.attrs.get('aria-controls') === pane);
}

describe('the post editors', () => {
  it('New Post and Edit have a Write/Preview switch and a Markdown help line under the content', async () => {
    const app = await getApp();
    const author = await webUser(app, 'mdeditor');
    const post = await createPost(app, author.headers, 'Edit me', '_as it was_');
    const pages = [
      ['/', 'new-post'],
      [`/posts/${post.id}`, 'edit-post'],
    ] as const;
    for (const [url, form] of pages) {
      const html = expectHtml(await app.inject({ url, cookies: author.cookies }), 200);
      const write = tabFor(html, `${form}-write`);
      const preview = tabFor(html, `${form}-preview`);
      expect(write?.attrs.get('role'), url).toBe('tab');
      expect(write?.attrs.get('aria-selected'), url).toBe('true');
      expect(preview?.attrs.get('aria-selected'), url).toBe('false');
      expect(html, url).toMatch(/role="tab"[^>]*>Write<\/button>[\s\S]*role="tab"[^>]*>Preview<\/button>/);
      const pane = startTags(html).find((t) => t.attrs.get('id') === `${form}-preview`);
      expect(pane?.attrs.get('role'), url).toBe('tabpanel');
      // The help line describes the textarea, so screen readers hear it too.
      const textarea = startTags(html).find((t) => t.name === 'textarea' && t.attrs.get('id') === `${form}-content`);
      expect(String(textarea?.attrs.get('aria-describedby')).split(' '), url).toContain(`${form}-content-hint`);
      expect(textOf(html, `id="${form}-content-hint"`), url).toContain('**bold**, _italic_, [link](https://…)');
    }
    // The Edit form holds the source, not the HTML.
    const edit = expectHtml(await app.inject({ url: `/posts/${post.id}`, cookies: author.cookies }), 200);
    expect(edit).toMatch(/<textarea\b[^>]*name="content"[^>]*>_as it was_<\/textarea>/);
  });

  it('the preview answers the session cookie from the site with the HTML that publishing stores', async () => {
    const app = await getApp();
    const author = await webUser(app, 'mdpreview');
    const preview = await app.inject({
      method: 'POST',
      url: '/api/posts/preview',
      headers: SAME_ORIGIN,
      cookies: author.cookies,
      payload: { content: MARKDOWN },
    });
    expect(preview.statusCode).toBe(200);
    const published = await createPost(app, author.headers, 'Same HTML', MARKDOWN);
    expect(preview.json()).toEqual({ content_html: published.content_html });

    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/posts/preview',
      headers: { 'sec-fetch-site': 'cross-site' },
      cookies: author.cookies,
      payload: { content: MARKDOWN },
    });
    expect(crossSite.statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'POST', url: '/api/posts/preview', payload: { content: 'x' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
