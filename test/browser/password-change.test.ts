// End-to-end: a user changes the password on /account in Chromium, with
// JavaScript (errors in place) and without (a plain form post): a wrong
// current password is refused next to its field, then the change keeps this
// browser signed in, signs out the other one, and only the new password logs in.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount, useCleanups } from '../helpers/index.js';
import { expectAccessible, logIn, openPage, signUp, startSite, type Site, type WatchedPage } from './harness.js';

const LONG = 120_000;
const NEW_PASSWORD = 'a brand new passphrase';

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** The problems the browser reported, but for the statuses of answers the test asked for. */
const unexpectedProblems = (watched: WatchedPage, statuses: number[]) =>
  watched.problems.filter((problem) => !statuses.some((status) => problem.includes(`status of ${status}`)));

async function submitPasswordForm(page: Page, current: string, next: string) {
  const form = page.locator('#password-form');
  await form.getByLabel('Current password').fill(current);
  await form.getByLabel('New password').fill(next);
  await form.getByRole('button', { name: 'Change password' }).click();
}

describe('changing the password in the browser', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(
      `refuses a wrong current password, then changes it and signs out the other browser (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`,
      async () => {
        const account = newAccount(javaScriptEnabled ? 'jspassword' : 'plainpassword');
        const watched = await openPage(site, { javaScriptEnabled });
        const { page } = watched;
        await signUp(page, account);
        const other = await openPage(site);
        await logIn(other.page, account.email, account.password);

        await page.goto('/account');
        await submitPasswordForm(page, 'not my password', NEW_PASSWORD);
        const error = page.locator('#password-form [data-error-for="current_password"]');
        await error.filter({ hasText: 'Incorrect password' }).waitFor();
        expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
        // With JavaScript the page stays; without, the form's answer is the page again.
        expect(new URL(page.url()).pathname).toBe(javaScriptEnabled ? '/account' : '/account/password');
        if (javaScriptEnabled) await expectAccessible(page);

        await submitPasswordForm(page, account.password, NEW_PASSWORD);
        await page.waitForURL('/account?password=changed');
        await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
        expect(await page.locator('nav').getByRole('link', { name: account.username }).isVisible()).toBe(true);

        await other.page.reload();
        await other.page.locator('nav').getByRole('link', { name: 'Login' }).waitFor();
        await Promise.all([page.waitForURL('/'), page.getByRole('button', { name: 'Logout' }).click()]);
        await logIn(page, account.email, NEW_PASSWORD);
        expect(await page.locator('nav').getByRole('link', { name: account.username }).isVisible()).toBe(true);
        expect(unexpectedProblems(watched, [400])).toEqual([]);
        expect(other.problems).toEqual([]);
      },
      LONG,
    );
  }
});
