// Listing pages show excerpts (docs/api.md, "Delivery"): each card the start
// of its post's text and a "Read more" link named after it, never the whole
// post; the post's own page shows it whole. The card's <template> carries no
// link of its own, and the Nu HTML checker finds no error in it.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { htmlErrors } from '../browser/validator.js';
import {
  card,
  createPost,
  defined,
  expectHtml,
  signedInUser,
  startTags,
  textOf,
  useTestApp,
} from '../helpers/index.js';

const context = useTestApp();
const appAnd = async (): Promise<App> => (await context()).app;

/** About 70 KB of Markdown, the post that used to sit whole on the home page. */
const LONG = Array.from({ length: 700 }, (_, index) => `Paragraph ${index} of a **long** post, with words.`)
  .join('\n\n')
  .padEnd(70_000, ' tail');

/** The <template> elements of a page, as they are written. */
const templatesOf = (html: string) => html.match(/<template\b[^>]*>[\s\S]*?<\/template>/g) ?? [];

describe('listing pages show excerpts', () => {
  it('the home page: every card its excerpt and "Read more", the long post not whole; its page whole', async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerpthome');
    const long = await createPost(app, user.headers, 'The long one', LONG);
    for (let index = 0; index < 9; index += 1)
      await createPost(app, user.headers, `Short ${index}`, `Short *${index}*`);
    const html = expectHtml(await app.inject({ url: '/' }), 200);
    expect(html.length).toBeLessThan(40_000);
    expect(html).not.toContain('Paragraph 100 of');
    const one = card(html, long.id);
    expect(textOf(one, 'data-field="excerpt"')).toBe(long.excerpt);
    expect(long.excerpt).toMatch(/^Paragraph 0 of a long post, with words\. Paragraph 1 .*…$/);
    const readMore = defined(startTags(one).find((tag) => tag.attrs.get('data-field') === 'read-more'));
    expect(readMore.attrs.get('href')).toBe(`/posts/${long.id}`);
    expect(textOf(one, 'data-field="read-more"')).toBe('Read more about The long one');

    const page = expectHtml(await app.inject({ url: `/posts/${long.id}` }), 200);
    expect(page).toContain(long.content_html);
    expect(page).toContain('Paragraph 699 of a <strong>long</strong> post');
  });

  it('the post card and search result templates link nowhere, and are valid HTML', async () => {
    const app = await appAnd();
    const user = await signedInUser(app, 'excerpttemplate');
    await createPost(app, user.headers, 'Findable', 'A wombatish post');
    const templates = [
      ...templatesOf(expectHtml(await app.inject({ url: '/' }), 200)),
      ...templatesOf(expectHtml(await app.inject({ url: '/search?q=wombatish' }), 200)),
    ];
    expect(templates.map((template) => /id="([^"]+)"/.exec(template)?.[1])).toEqual(
      expect.arrayContaining(['post-card-template', 'search-result-template']),
    );
    for (const template of templates) {
      expect(startTags(template).filter((tag) => tag.attrs.has('href'))).toEqual([]);
      expect(template).not.toContain('/posts/0');
    }
    const document = `<!doctype html><html lang="en"><head><title>Templates</title></head><body>${templates.join('')}</body></html>`;
    expect(await htmlErrors([{ name: 'the templates', html: document }])).toEqual([]);
  }, 30_000);
});
