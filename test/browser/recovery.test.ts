// End-to-end: a visitor who forgot their password gets back in, in Chromium,
// with JavaScript and without: from /login to the mail the server wrote into
// its DATA_DIR/mail, through the reset page, to a signed-in home page.
import { beforeAll, describe, expect, it } from 'vitest';
import { defined, inbox, newAccount, requestResetToken, resetLinkOf, useCleanups } from '../helpers/index.js';
import { expectAccessible, openPage, startSite, type Site, type WatchedPage } from './harness.js';

const LONG = 120_000;
const NEW_PASSWORD = 'a brand new passphrase';

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** The path and query of the newest reset link mailed to `email`: the mail links to PUBLIC_URL, not this test port. */
async function mailedResetPath(email: string): Promise<string> {
  const { app, dataDir } = site.context;
  const { url } = resetLinkOf(defined((await inbox(app, dataDir, email)).at(-1), `a reset mail to ${email}`));
  return `${url.pathname}${url.search}`;
}

/** The problems the browser reported, but for the status of an answer the test asked for. */
const unexpectedProblems = (watched: WatchedPage, status: number) =>
  watched.problems.filter((problem) => !problem.includes(`status of ${status}`));

describe('a visitor who forgot their password', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(
      `gets a link by mail, chooses a new password and is signed in (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`,
      async () => {
        const account = newAccount(javaScriptEnabled ? 'jsreset' : 'plainreset');
        await site.context.app.services.accounts.register(account);
        const watched = await openPage(site, { javaScriptEnabled });
        const { page } = watched;

        await page.goto('/login');
        await Promise.all([
          page.waitForURL('/forgot-password'),
          page.getByRole('link', { name: 'Forgot your password?' }).click(),
        ]);
        await page.getByLabel('Email').fill(account.email);
        await Promise.all([
          page.waitForURL('/forgot-password?sent=1'),
          page.getByRole('button', { name: 'Send the link' }).click(),
        ]);
        expect(await page.getByRole('status').innerText()).toContain('If an account uses this address');

        await page.goto(await mailedResetPath(account.email));
        const newPassword = page.getByLabel('New password', { exact: true });
        const confirmation = page.getByLabel('Repeat the new password');
        const submit = page.getByRole('button', { name: 'Set the password' });
        expect(await newPassword.getAttribute('autocomplete')).toBe('new-password');

        // A confirmation that differs: the server's message appears next to its field
        // (in place with JavaScript, on the page sent again without).
        await newPassword.fill(NEW_PASSWORD);
        await confirmation.fill('another passphrase');
        await submit.click();
        const mismatch = page.locator('[data-error-for="confirm_password"]', {
          hasText: 'The two passwords do not match',
        });
        await mismatch.waitFor();
        expect(await confirmation.getAttribute('aria-invalid')).toBe('true');
        // The page was not sent again with JavaScript, which keeps what was typed; a page never holds a password.
        expect(await newPassword.inputValue()).toBe(javaScriptEnabled ? NEW_PASSWORD : '');

        await newPassword.fill(NEW_PASSWORD);
        await confirmation.fill(NEW_PASSWORD);
        await Promise.all([page.waitForURL('/'), submit.click()]);
        await page.locator('nav').getByRole('link', { name: account.username }).waitFor();

        // Signed in with the new password: the old one no longer logs in.
        const { authentication } = site.context.app.services;
        expect(await authentication.logIn(account.email, account.password, '127.0.0.2')).toBeFalsy();
        expect(await authentication.logIn(account.email, NEW_PASSWORD, '127.0.0.2')).toBeTruthy();
        expect(unexpectedProblems(watched, 422)).toEqual([]);
        await watched.browserContext.close();
      },
      LONG,
    );
  }
});

describe('the recovery pages', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(
      `pass the accessibility check in the ${colorScheme} theme`,
      async () => {
        const { app, dataDir } = site.context;
        const account = newAccount(`a11y${colorScheme}`);
        await app.services.accounts.register(account);
        const token = await requestResetToken(app, dataDir, account.email);
        const watched = await openPage(site, { colorScheme });
        const { page } = watched;
        for (const url of [
          '/forgot-password',
          '/forgot-password?sent=1',
          `/reset-password?token=${token}`,
          '/reset-password',
        ]) {
          await page.goto(url);
          expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(colorScheme);
          await expectAccessible(page);
        }
        // The form with its messages shown in place.
        await page.goto(`/reset-password?token=${token}`);
        await page.getByRole('button', { name: 'Set the password' }).click();
        await page.locator('[data-error-for="new_password"]').filter({ hasText: /\S/ }).waitFor();
        await expectAccessible(page);
        expect(unexpectedProblems(watched, 400)).toEqual([]);
        await watched.browserContext.close();
      },
      LONG,
    );
  }
});
