// End-to-end, the life of a post (docs/api.md, "Publishing"): written in
// Markdown and previewed, saved as a draft (which only its author sees),
// published from its page, then found with the navigation bar's search box
// and read in the site's Atom feed.
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPost, newAccount, signedInUser, useCleanups } from '../helpers/index.js';
import { expectNoProblems, openPage, signUp, startSite, type Site } from './harness.js';

interface AtomEntry {
  title: { '#text': string };
  link: { href: string };
  content: { '#text': string };
}

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

const WORD = `quokka${process.pid}`;
const TITLE = `Notes on the ${WORD}`;
const SOURCE = `The **${WORD}** is a small marsupial.\n\n- lives on Rottnest Island\n- smiles`;

describe('a post from draft to feed', () => {
  it('is previewed, saved as a draft, published, found by search and read in the feed', async () => {
    const watched = await openPage(site);
    const { page } = watched;
    await signUp(page, newAccount('publisher'));

    // Written and previewed in the New Post modal, then saved as a draft: its own page opens.
    await page.getByRole('button', { name: 'New Post' }).click();
    const modal = page.locator('#new-post-modal');
    await modal.waitFor({ state: 'visible' });
    await modal.getByLabel('Title').fill(TITLE);
    await modal.getByLabel('Content').fill(SOURCE);
    await modal.getByRole('tab', { name: 'Preview' }).click();
    await modal.locator('[data-preview] strong', { hasText: WORD }).waitFor();
    await Promise.all([page.waitForURL(/\/posts\/\d+$/), modal.getByRole('button', { name: 'Save draft' }).click()]);
    const postUrl = new URL(page.url()).pathname;
    await page.locator('[data-field="draft"]').waitFor({ state: 'visible' });
    expect(await page.locator('.post-content li').allInnerTexts()).toEqual(['lives on Rottnest Island', 'smiles']);

    // Listed among the author's drafts; nobody else can open it, and search does not find it.
    await page.goto('/drafts');
    await page.getByRole('link', { name: TITLE, exact: true }).waitFor();
    const visitor = await openPage(site);
    expect((await visitor.page.goto(postUrl))?.status()).toBe(404);
    await visitor.page.goto(`/search?q=${WORD}`);
    expect(await visitor.page.locator('mark').count()).toBe(0);
    await visitor.browserContext.close();

    // Published from its page: the page comes back without the Draft mark.
    await page.goto(postUrl);
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.locator('#edit-post-modal');
    await edit.waitFor({ state: 'visible' });
    await Promise.all([page.waitForEvent('load'), edit.getByRole('button', { name: 'Publish' }).click()]);
    await page.locator('[data-field="draft"]').waitFor({ state: 'hidden' });

    // Found with the search box of the navigation bar, the word highlighted.
    await page.goto('/');
    const box = page.getByRole('searchbox');
    await box.fill(WORD);
    await Promise.all([page.waitForURL(/\/search\?q=/), box.press('Enter')]);
    await page.locator('mark', { hasText: WORD }).first().waitFor();
    await page.getByRole('link', { name: TITLE }).waitFor();

    // In the site's feed, with its absolute link and rendered content.
    const feed = await page.request.get('/feed.xml');
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toMatch(/^application\/atom\+xml/);
    const atom = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await feed.text()) as {
      feed: { entry: AtomEntry | AtomEntry[] };
    };
    const entry = [atom.feed.entry].flat().find((candidate) => candidate.title['#text'] === TITLE);
    // Absolute, from PUBLIC_URL.
    expect(entry?.link.href).toBe(`${site.context.config.publicUrl}${postUrl}`);
    expect(entry?.content['#text']).toContain(`<strong>${WORD}</strong>`);
    expectNoProblems(watched);
  }, 60_000);

  it('search results load more in place, highlighted like the first page', async () => {
    const { app } = site.context;
    const author = await signedInUser(app, 'many');
    const word = `wombat${process.pid}`;
    // One more than a page (POSTS_PER_PAGE is 10), the oldest with the word in its title.
    await createPost(app, author.headers, `The ${word} at last`, 'Found on the second page.');
    for (let index = 0; index < 11; index += 1) {
      await createPost(app, author.headers, `Result ${index}`, `A ${word} and the number ${index}.`);
    }
    const watched = await openPage(site);
    const { page } = watched;
    await page.goto(`/search?q=${word}`);
    const results = page.locator('[data-search-results] [data-post-id]');
    expect(await results.count()).toBe(10);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.click();
    await results.nth(11).waitFor();
    expect(await results.count()).toBe(12);
    // Title matches come first: the post with the word in its title leads.
    expect(await results.first().locator('mark').first().innerText()).toBe(word);
    expect(await results.nth(11).locator('mark').innerText()).toBe(word);
    // Nothing follows: the button is gone.
    await more.waitFor({ state: 'detached' });
    expect(await page.locator('[data-search-more]').count()).toBe(0);
    expectNoProblems(watched);
  }, 60_000);
});
