// End-to-end: a user turns two-factor sign-in on in Chromium, with JavaScript
// and without: from /account through the password, the QR code and the first
// code to the recovery codes; then logs in with a code from the app (after a
// wrong one) and with a recovery code, which works only once. The server runs
// on the real clock, so codes are made by Debian's oathtool at Date.now().
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defined, newAccount, oathtoolCode, useCleanups } from '../helpers/index.js';
import { expectAccessible, openPage, signUp, startSite, type Site, type WatchedPage } from './harness.js';

const LONG = 120_000;
/** One TOTP time step: a code for the next one is accepted (one step of skew) and is not the step used already. */
const STEP_MS = 30_000;
const CODE_LABEL = 'Code from your authenticator app, or a recovery code';

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** The problems the browser reported, but for the statuses of answers the test asked for. */
const unexpectedProblems = (watched: WatchedPage, statuses: number[]) =>
  watched.problems.filter((problem) => !statuses.some((status) => problem.includes(`status of ${status}`)));

/** A six-digit code that the secret's app shows neither now nor one step either side. */
async function wrongCode(secret: string): Promise<string> {
  const now = Date.now();
  const right = await Promise.all([-1, 0, 1, 2].map((step) => oathtoolCode(secret, now + step * STEP_MS)));
  return defined(
    ['000000', '123456', '999999'].find((code) => !right.includes(code)),
    'a code that is wrong',
  );
}

async function logOut(page: Page) {
  await Promise.all([page.waitForURL('/'), page.getByRole('button', { name: 'Logout' }).click()]);
  await page.locator('nav').getByRole('link', { name: 'Login' }).waitFor();
}

/** The login's first step: email and password lead to the code step, not to a session. */
async function passwordStep(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login/two-factor' && url.searchParams.get('next') === '/'),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
  await page.getByLabel(CODE_LABEL).waitFor();
}

/** Types the code on the login's second step and expects to land signed in on the home page. */
async function codeStepSignsIn(page: Page, code: string, username: string) {
  await page.getByLabel(CODE_LABEL).fill(code);
  await Promise.all([page.waitForURL('/'), page.getByRole('button', { name: 'Log in' }).click()]);
  await page.locator('nav').getByRole('link', { name: username }).waitFor();
}

/**
 * Types the code on the login's second step and expects it refused: the
 * message appears next to the field (in place with JavaScript, on the page
 * sent again without), and no session.
 */
async function codeStepRefuses(page: Page, code: string) {
  await page.getByLabel(CODE_LABEL).fill(code);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('[data-error-for="code"]', { hasText: 'Invalid two-factor code' }).waitFor();
  expect(await page.getByLabel(CODE_LABEL).getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('nav').getByRole('link', { name: 'Login' }).isVisible()).toBe(true);
}

describe('a user with two-factor sign-in', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(
      `turns it on by scanning, then logs in with a code and with a recovery code (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`,
      async () => {
        const account = newAccount(javaScriptEnabled ? 'jstwofactor' : 'plaintwofactor');
        const watched = await openPage(site, { javaScriptEnabled });
        const { page } = watched;
        await signUp(page, account);

        // /account → the setup page → password → the scan step.
        await page.goto('/account');
        expect(await page.locator('[data-two-factor-state]').innerText()).toContain('Off');
        await Promise.all([
          page.waitForURL('/account/two-factor'),
          page.getByRole('link', { name: 'Set up two-factor sign-in' }).click(),
        ]);
        await page.getByLabel('Your password').fill(account.password);
        await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
        const qrCode = page.getByRole('img', { name: 'QR code of the two-factor key' });
        await qrCode.waitFor();
        expect(await qrCode.locator('svg').isVisible()).toBe(true);
        const secret = (await page.locator('[data-two-factor-secret]').innerText()).trim();
        expect(secret).toMatch(/^[A-Z2-7]{32}$/);
        // axe-core waits on timers, which a page without JavaScript never runs: checked with it on.
        if (javaScriptEnabled) await expectAccessible(page);

        // The first code turns it on and shows the ten recovery codes, once.
        await page.getByLabel('Code from the app').fill(await oathtoolCode(secret, Date.now()));
        await page.getByRole('button', { name: 'Turn on' }).click();
        await page.getByRole('status').filter({ hasText: 'Two-factor sign-in is on.' }).waitFor();
        const recoveryCodes = await page.locator('[data-recovery-codes] li').allInnerTexts();
        expect(recoveryCodes).toHaveLength(10);
        expect(new Set(recoveryCodes).size).toBe(10);
        const recoveryCode = defined(recoveryCodes[0], 'a recovery code').trim();
        await Promise.all([page.waitForURL('/account'), page.getByRole('link', { name: 'I have saved them' }).click()]);
        expect(await page.locator('[data-two-factor-state]').innerText()).toContain('On');

        // Email and password lead to the code step; a wrong code is refused in place, the right one signs in.
        await logOut(page);
        await passwordStep(page, account.email, account.password);
        if (javaScriptEnabled) await expectAccessible(page);
        await codeStepRefuses(page, await wrongCode(secret));
        if (javaScriptEnabled) {
          // Answered in place: still the page the password step led to, now with the message.
          expect(new URL(page.url()).search).toBe('?next=%2F');
          await expectAccessible(page);
        }
        // The step the first code used is spent: the app's code for the next step (one step of skew).
        await codeStepSignsIn(page, await oathtoolCode(secret, Date.now() + STEP_MS), account.username);

        // A recovery code in place of the app's code signs in once.
        await logOut(page);
        await passwordStep(page, account.email, account.password);
        await codeStepSignsIn(page, recoveryCode, account.username);
        await logOut(page);
        await passwordStep(page, account.email, account.password);
        await codeStepRefuses(page, recoveryCode);

        const user = defined(await site.context.app.repositories.users.findByEmail(account.email));
        expect(await site.context.app.services.twoFactor.unusedRecoveryCodes(user)).toBe(9);
        // Wrong codes are answered 401; nothing else went wrong in the browser.
        expect(unexpectedProblems(watched, [401])).toEqual([]);
        await watched.browserContext.close();
      },
      LONG,
    );
  }
});
