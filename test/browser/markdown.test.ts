// End-to-end: a post written in Markdown (docs/api.md, "Publishing"),
// previewed in the New Post modal by the server's renderer, published, and
// shown rendered on the post page and after an edit; the lists show its
// excerpt (plain text), after "Load more" too (docs/api.md, "Delivery").
import { beforeAll, describe, expect, it } from 'vitest';
import { defined, newAccount, useCleanups } from '../helpers/index.js';
import { expectAccessible, expectNoProblems, openPage, signUp, startSite, type Site } from './harness.js';
import type { Locator, Page } from 'playwright-core';

const LONG = 120_000;
const SOURCE = [
  'Some **bold** words and [a link](https://example.com/docs).',
  '',
  '| Left | Right |',
  '|:-----|------:|',
  '| a    | b     |',
  '',
  '- [x] done',
  '- [ ] to do',
  '',
  'Raw HTML stays text: <script>window.pwned = 1</script>',
].join('\n');
/** SOURCE's excerpt: its text, markup gone, raw HTML still text. */
const EXCERPT =
  'Some bold words and a link. Left Right a b done to do Raw HTML stays text: <script>window.pwned = 1</script>';

/** A list's card of the post: the excerpt as text, no rendered markup, and "Read more" naming the post. */
async function expectExcerpt(card: Locator, title: string) {
  expect(await card.locator('[data-field="excerpt"]').innerText()).toBe(EXCERPT);
  expect(await card.locator('strong, table, script').count()).toBe(0);
  const readMore = card.getByRole('link', { name: `Read more about ${title}` });
  expect(await readMore.getAttribute('href')).toMatch(/^\/posts\/\d+$/);
}

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** What SOURCE renders to, wherever it is shown: bold, a safe link, a table, disabled tasks, raw HTML as text. */
async function expectRendered(content: Locator) {
  await content.locator('strong', { hasText: 'bold' }).waitFor();
  const link = content.getByRole('link', { name: 'a link' });
  expect(await link.getAttribute('href')).toBe('https://example.com/docs');
  expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
  expect(await content.locator('table th').allInnerTexts()).toEqual(['Left', 'Right']);
  expect(await content.locator('table td').allInnerTexts()).toEqual(['a', 'b']);
  expect(await content.locator('td.text-end').innerText()).toBe('b');
  const tasks = content.locator('input[type="checkbox"]');
  expect(await tasks.count()).toBe(2);
  expect(await tasks.evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).disabled))).toEqual([
    true,
    true,
  ]);
  expect(await content.innerText()).toContain('<script>window.pwned = 1</script>');
  expect(await content.locator('script').count()).toBe(0);
}

/** Opens New Post, writes SOURCE and switches to Preview; returns the modal. */
async function previewNewPost(page: Page, title: string): Promise<Locator> {
  await page.getByRole('button', { name: 'New Post' }).click();
  const modal = page.locator('#new-post-modal');
  await modal.waitFor({ state: 'visible' });
  await modal.getByLabel('Title').fill(title);
  await modal.getByLabel('Content').fill(SOURCE);
  await modal.getByRole('tab', { name: 'Preview' }).click();
  await expectRendered(modal.locator('[data-preview]'));
  return modal;
}

describe('a post written in Markdown', () => {
  it(
    'is previewed in the New Post modal, published, shown rendered on its page and after an edit, by its excerpt in the lists',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      const account = newAccount('markdown');
      await signUp(page, account);

      // An empty editor has nothing to preview, and asks the server nothing.
      await page.getByRole('button', { name: 'New Post' }).click();
      const modal = page.locator('#new-post-modal');
      await modal.waitFor({ state: 'visible' });
      await modal.getByRole('tab', { name: 'Preview' }).click();
      await modal.getByText('Nothing to preview yet.').waitFor();
      await modal.getByRole('button', { name: 'Cancel' }).click();
      await modal.waitFor({ state: 'hidden' });

      await previewNewPost(page, 'Markdown post');
      expect(await modal.getByRole('tab', { name: 'Preview' }).getAttribute('aria-selected')).toBe('true');
      // Publishing from the Preview tab: the list shows the card at once, with the excerpt.
      await modal.getByRole('button', { name: 'Publish' }).click();
      await modal.waitFor({ state: 'hidden' });
      const card = page.locator('[data-post-list] .post-card').first();
      expect(await card.locator('[data-field="title"]').innerText()).toBe('Markdown post');
      await expectExcerpt(card, 'Markdown post');
      // The modal opens on Write again, emptied.
      await page.getByRole('button', { name: 'New Post' }).click();
      await modal.waitFor({ state: 'visible' });
      expect(await modal.getByRole('tab', { name: 'Write' }).getAttribute('aria-selected')).toBe('true');
      expect(await modal.getByLabel('Content').inputValue()).toBe('');
      await modal.getByRole('button', { name: 'Cancel' }).click();
      await modal.waitFor({ state: 'hidden' });

      await Promise.all([
        page.waitForURL(/\/posts\/\d+$/),
        card.getByRole('link', { name: 'Markdown post', exact: true }).click(),
      ]);
      await expectRendered(page.locator('.post-card [data-field="content"]'));

      // Ten newer posts push it to the second page of its author's list.
      const author = defined(await site.context.app.repositories.users.findByEmail(account.email));
      for (let i = 1; i <= 10; i++) {
        await site.context.app.services.posts.create(author, { title: `Newer ${i}`, content: `Plain ${i}` });
      }
      await page.goto(`/users/${author.id}/posts`);
      expect(await page.getByText('Markdown post').count()).toBe(0);
      await page.getByRole('button', { name: 'Load more' }).click();
      const loaded = page.locator('[data-post-list] .post-card', { hasText: 'Markdown post' });
      await loaded.waitFor();
      await expectExcerpt(loaded, 'Markdown post');

      // Editing: the preview, then the card, show the new Markdown rendered.
      await Promise.all([
        page.waitForURL(/\/posts\/\d+$/),
        loaded.getByRole('link', { name: 'Markdown post', exact: true }).click(),
      ]);
      await page.getByRole('button', { name: 'Edit' }).click();
      const edit = page.locator('#edit-post-modal');
      await edit.waitFor({ state: 'visible' });
      expect(await edit.getByLabel('Content').inputValue()).toBe(SOURCE);
      await edit.getByLabel('Content').fill('Now _emphasised_ and `coded`.');
      await edit.getByRole('tab', { name: 'Preview' }).click();
      await edit.locator('[data-preview] em', { hasText: 'emphasised' }).waitFor();
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden' });
      const content = page.locator('.post-card [data-field="content"]');
      expect(await content.locator('em').innerText()).toBe('emphasised');
      expect(await content.locator('code').innerText()).toBe('coded');
      expect(await content.locator('table').count()).toBe(0);

      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'says so in the Preview tab when the preview fails, and an empty title sends the writer back to Write',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      await signUp(page, newAccount('mdfail'));
      await page.route('**/api/posts/preview', (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: '{"detail":"The server is busy"}' }),
      );
      await page.getByRole('button', { name: 'New Post' }).click();
      const modal = page.locator('#new-post-modal');
      await modal.waitFor({ state: 'visible' });
      await modal.getByLabel('Content').fill('**never shown**');
      await modal.getByRole('tab', { name: 'Preview' }).click();
      const alert = modal.locator('[data-preview-error]');
      await alert.waitFor({ state: 'visible' });
      expect(await alert.innerText()).toBe('Could not show the preview: The server is busy');
      expect(await modal.locator('[data-preview] strong').count()).toBe(0);

      // Publishing without a title from Preview: the error is shown next to the title, on Write.
      await modal.getByRole('button', { name: 'Publish' }).click();
      expect(await modal.getByRole('tab', { name: 'Write' }).getAttribute('aria-selected')).toBe('true');
      expect(await modal.locator('[data-error-for="title"]').innerText()).not.toBe('');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-post-title');
      expect(watched.problems.filter((problem) => !problem.includes('status of 503'))).toEqual([]);
      await watched.browserContext.close();
    },
    LONG,
  );

  for (const colorScheme of ['light', 'dark'] as const) {
    it(
      `the New Post modal with its Preview shown passes the accessibility check (${colorScheme})`,
      async () => {
        const watched = await openPage(site, { colorScheme });
        const { page } = watched;
        await signUp(page, newAccount(`md${colorScheme}`));
        expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(colorScheme);
        await previewNewPost(page, `Accessible in ${colorScheme}`);
        await expectAccessible(page);
        expectNoProblems(watched);
        await watched.browserContext.close();
      },
      LONG,
    );
  }
});
