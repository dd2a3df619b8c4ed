// Accessibility in both colour themes (axe-core: contrast above all, since
// Bootstrap's dark theme keeps some light-theme colours): the pages with the
// most kinds of controls, signed in as an admin, and the New Post modal open.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPost, sessionFor, signedInAdmin, signedInUser, useCleanups } from '../helpers/index.js';
import { expectAccessible, expectNoProblems, openPage, startSite, type Site } from './harness.js';

const LONG = 120_000;

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

describe('the colours of the site', () => {
  for (const theme of ['dark', 'light'] as const) {
    it(
      `pass axe-core's checks in the ${theme} theme: home, a post, the account page, the admin page, the modals, form errors`,
      async () => {
        const { app } = site.context;
        const admin = await signedInAdmin(app, `${theme}admin`);
        const author = await signedInUser(app, `${theme}author`);
        const post = await createPost(app, author.headers, 'A post to read', 'Some **Markdown** and `code`.');
        const watched = await openPage(site, { colorScheme: theme });
        const { page, browserContext } = watched;
        const session = await sessionFor(app, admin.email, admin.password);
        await browserContext.addCookies([{ name: 'session', value: session, url: site.baseUrl }]);

        for (const url of ['/', `/posts/${post.id}`, '/account', '/admin']) {
          await page.goto(url);
          expect(await page.locator('html').getAttribute('data-bs-theme')).toBe(theme);
          await expectAccessible(page);
        }
        await page.getByRole('button', { name: 'New Post' }).click();
        const modal = page.locator('#new-post-modal');
        await modal.waitFor({ state: 'visible' });
        await expectAccessible(page);
        // Its fields' error messages, red on the modal's background.
        await modal.getByRole('button', { name: 'Publish' }).click();
        await modal.locator('[data-error-for="title"]').filter({ hasText: /./ }).waitFor();
        await expectAccessible(page);
        // A form's messages on the page: the password form, sent empty.
        await page.goto('/account');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.locator('[data-error-for="current_password"]').filter({ hasText: /./ }).waitFor();
        await expectAccessible(page);
        // The delete confirmation: a danger button beside the grey Cancel.
        await page.getByRole('button', { name: 'Delete account' }).click();
        await page.locator('#delete-account-modal').waitFor({ state: 'visible' });
        await expectAccessible(page);
        expectNoProblems(watched);
      },
      LONG,
    );
  }
});
