// Drafts on the pages (docs/api.md, "Publishing", "Drafts"): the editors
// save a draft or publish; a draft's page is its author's alone; /drafts
// lists the author's drafts with "Load more"; a changed post says "edited".
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  card,
  cardIds,
  createPost,
  expectHtml,
  loadMoreHref,
  startTags,
  useTestApp,
  webUser,
  type Tag,
} from '../helpers/index.js';

const context = useTestApp({ POSTS_PER_PAGE: '2' });
const getApp = async (): Promise<App> => (await context()).app;

const page = (app: App, url: string, cookies?: Record<string, string>) =>
  app.inject({ url, ...(cookies && { cookies }) });

/** The submit buttons of a form, as [label-less attributes]: name=value pairs. */
function submitChoices(html: string, formId: string): string[] {
  const start = html.indexOf(`id="${formId}"`);
  expect(start, formId).toBeGreaterThan(-1);
  const form = html.slice(start, html.indexOf('</form>', start));
  return startTags(form)
    .filter((tag: Tag) => tag.name === 'button' && tag.attrs.get('type') === 'submit')
    .map((tag: Tag) => `${String(tag.attrs.get('name') ?? '')}=${String(tag.attrs.get('value') ?? '')}`);
}

/** Whether the element carrying data-field=`name` in this card is hidden. */
function fieldHidden(cardHtml: string, name: string): boolean {
  const tag = startTags(cardHtml).find((t: Tag) => t.attrs.get('data-field') === name);
  expect(tag, name).toBeDefined();
  return Boolean(tag?.attrs.has('hidden'));
}

describe('the editors', () => {
  it('New Post saves a draft or publishes (the button sends the status)', async () => {
    const app = await getApp();
    const author = await webUser(app, 'editor');
    const html = expectHtml(await page(app, '/', author.cookies), 200);
    expect(submitChoices(html, 'new-post-form')).toEqual(['status=draft', 'status=published']);
  });

  it("a draft's Edit saves it again or publishes it; a published post's Edit saves its changes", async () => {
    const app = await getApp();
    const author = await webUser(app, 'editor');
    const draft = await createPost(app, author.headers, 'Draft', 'x', 'draft');
    const published = await createPost(app, author.headers, 'Out', 'x');
    const draftPage = expectHtml(await page(app, `/posts/${draft.id}`, author.cookies), 200);
    expect(submitChoices(draftPage, 'edit-post-form')).toEqual(['status=draft', 'status=published']);
    const publishedPage = expectHtml(await page(app, `/posts/${published.id}`, author.cookies), 200);
    expect(submitChoices(publishedPage, 'edit-post-form')).toEqual(['=']);
  });
});

describe("a draft's page", () => {
  it('is its author\'s alone: 404 for visitors and other users, and marked "Draft"', async () => {
    const app = await getApp();
    const author = await webUser(app, 'author');
    const other = await webUser(app, 'other');
    const draft = await createPost(app, author.headers, 'Unfinished thoughts', 'x', 'draft');
    const html = expectHtml(await page(app, `/posts/${draft.id}`, author.cookies), 200);
    expect(fieldHidden(card(html, draft.id), 'draft')).toBe(false);
    expectHtml(await page(app, `/posts/${draft.id}`), 404);
    expectHtml(await page(app, `/posts/${draft.id}`, other.cookies), 404);
  });

  it('is on no public page', async () => {
    const app = await getApp();
    const author = await webUser(app, 'author');
    const draft = await createPost(app, author.headers, 'Hidden', 'x', 'draft');
    for (const url of ['/', `/users/${author.id}/posts`]) {
      expect(cardIds(expectHtml(await page(app, url, author.cookies), 200))).not.toContain(draft.id);
    }
  });
});

describe('/drafts', () => {
  it('sends a visitor to log in first', async () => {
    const app = await getApp();
    const response = await page(app, '/drafts');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fdrafts');
  });

  it("lists the author's drafts only, newest first, with Load more to the API and without JavaScript", async () => {
    const app = await getApp();
    const author = await webUser(app, 'drafter');
    const other = await webUser(app, 'other');
    await createPost(app, other.headers, 'Not mine', 'x', 'draft');
    await createPost(app, author.headers, 'Published', 'x');
    const drafts = [];
    for (let index = 0; index < 3; index += 1)
      drafts.push(await createPost(app, author.headers, `D${index}`, 'x', 'draft'));
    const first = expectHtml(await page(app, '/drafts', author.cookies), 200);
    expect(cardIds(first)).toEqual([drafts[2]?.id, drafts[1]?.id]);
    expect(loadMoreHref(first)).toBe('/drafts?skip=2');
    const button = startTags(first).find((tag: Tag) => tag.attrs.has('data-load-more'));
    expect(button?.attrs.get('data-api')).toBe('/api/users/me/posts?status=draft');
    const second = expectHtml(await page(app, '/drafts?skip=2', author.cookies), 200);
    expect(cardIds(second)).toEqual([drafts[0]?.id]);
    expect(loadMoreHref(second)).toBeUndefined();
  });

  it('says so when there is none, and the account page links it with the count', async () => {
    const app = await getApp();
    const author = await webUser(app, 'empty');
    expect(expectHtml(await page(app, '/drafts', author.cookies), 200)).toContain('You have no drafts.');
    await createPost(app, author.headers, 'One', 'x', 'draft');
    expect(expectHtml(await page(app, '/account', author.cookies), 200)).toMatch(
      /<a href="\/drafts"[^>]*>Your draft \(1\)<\/a>/,
    );
  });
});

describe('"edited"', () => {
  it('shows on a post once it was changed, not before', async () => {
    const app = await getApp();
    const author = await webUser(app, 'writer');
    const post = await createPost(app, author.headers, 'Fresh', 'x');
    const before = expectHtml(await page(app, `/posts/${post.id}`), 200);
    expect(fieldHidden(card(before, post.id), 'edited')).toBe(true);
    await app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: author.headers,
      payload: { content: 'y' },
    });
    for (const url of [`/posts/${post.id}`, '/']) {
      const after = expectHtml(await page(app, url), 200);
      expect(fieldHidden(card(after, post.id), 'edited')).toBe(false);
      expect(fieldHidden(card(after, post.id), 'draft')).toBe(true);
    }
  });
});
