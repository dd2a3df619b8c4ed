// End-to-end, moderation (docs/api.md, "Moderation"), in Chromium against a
// real server: an admin finds a spammer with the admin page's search box and
// suspends them through the confirmation modal; the spammer's post is gone
// for an anonymous visitor and the spammer's own session is over;
// unsuspending brings the post back; the audit log shows both; an admin
// deletes another author's post from its page as a moderator. And the admin
// page's other controls: refusals as toasts, invitations, Load more.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defined, grantAdmin, newAccount, useCleanups } from '../helpers/index.js';
import { expectAccessible, expectNoProblems, logIn, openPage, signUp, startSite, type Site } from './harness.js';

const LONG = 120_000;
const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** An account made on the server, optionally an admin. */
async function account(prefix: string, admin = false) {
  const values = newAccount(prefix);
  const user = await site.context.app.services.accounts.register(values);
  if (admin) await grantAdmin(site.context.app, values.email);
  return { ...values, user };
}

const toast = (page: Page, text: string) => page.locator('#toasts .toast', { hasText: text });

/** The entries of the audit log shown, newest first: "who what target". */
const auditLines = (page: Page) =>
  page
    .locator('[data-admin-list="audit"] [data-entry-id]')
    .evaluateAll((items) =>
      items.map((item) =>
        ['actor', 'action', 'target']
          .map((name) => item.querySelector(`[data-field="${name}"]`)?.textContent)
          .join(' '),
      ),
    );

/** Clicks `opener` and waits until its modal is fully open (its fade-in over: colours are final). */
async function openModal(page: Page, opener: Locator, modalId: string): Promise<Locator> {
  const modal = page.locator(`#${modalId}`);
  const shown = modal.evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        element.addEventListener(
          'shown.bs.modal',
          () => {
            resolve();
          },
          { once: true },
        );
      }),
  );
  await opener.click();
  await shown;
  return modal;
}

/** Opens a row's button's confirmation modal and confirms it with `confirm`. */
async function confirmInModal(page: Page, rowButton: string, modalId: string, confirm: string) {
  const modal = await openModal(page, page.getByRole('button', { name: rowButton, exact: true }), modalId);
  const text = await modal.innerText();
  await modal.getByRole('button', { name: confirm, exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
  return text;
}

/** The server's refusals to fetch() are logged by the browser; those, and nothing else, are expected. */
const unexpected = (problems: string[], statuses: RegExp) => problems.filter((problem) => !statuses.test(problem));

describe('moderation in the browser', () => {
  it(
    'suspends a spammer found by search: their post is gone and their session over, until unsuspended; the audit log shows both',
    async () => {
      const admin = await account('boss', true);
      const spammerAccount = newAccount('spammer');
      const spamTitle = `Cheap pills ${process.pid}`;

      // The spammer signs up and posts in a browser of their own.
      const spammer = await openPage(site);
      await signUp(spammer.page, spammerAccount);
      const spammerUser = defined(await site.context.app.repositories.users.findByEmail(spammerAccount.email));
      await site.context.app.services.posts.create(spammerUser, { title: spamTitle, content: 'Buy now.' });
      const visitor = await openPage(site);
      await visitor.page.goto('/');
      await visitor.page.getByRole('link', { name: spamTitle, exact: true }).waitFor();

      // The admin reaches /admin from the navigation bar and searches, without JavaScript's help.
      const watched = await openPage(site);
      const { page } = watched;
      await logIn(page, admin.email, admin.password);
      await Promise.all([page.waitForURL('/admin'), page.getByRole('link', { name: 'Admin', exact: true }).click()]);
      await page.getByLabel('Search users by username or email').fill(spammerAccount.username.toUpperCase());
      await Promise.all([
        page.waitForURL(/\/admin\?q=/),
        page.getByRole('search', { name: 'Users' }).getByRole('button', { name: 'Search' }).click(),
      ]);
      const rows = page.locator('[data-admin-list="users"] [data-user-id]');
      expect(await rows.count()).toBe(1);
      const row = rows.first();
      expect(await row.locator('[data-field="username"]').innerText()).toBe(spammerAccount.username);
      expect(await row.locator('[data-field="suspended"]').isVisible()).toBe(false);
      await expectAccessible(page);

      const said = await confirmInModal(page, `Suspend ${spammerAccount.username}`, 'suspend-user-modal', 'Suspend');
      expect(said).toContain(`${spammerAccount.username} is signed out everywhere at once`);
      await toast(page, `${spammerAccount.username} is suspended.`).waitFor();
      // The row changes in place: the badge, and Unsuspend instead of Suspend.
      await row.locator('[data-field="suspended"]').waitFor({ state: 'visible' });
      await page.getByRole('button', { name: `Unsuspend ${spammerAccount.username}`, exact: true }).waitFor();
      expect(
        await page.getByRole('button', { name: `Suspend ${spammerAccount.username}`, exact: true }).isVisible(),
      ).toBe(false);

      // Gone for the anonymous visitor; the spammer is signed out and their session answers 401.
      await visitor.page.reload();
      expect(await visitor.page.getByRole('link', { name: spamTitle, exact: true }).count()).toBe(0);
      expect((await spammer.page.request.get('/api/users/me')).status()).toBe(401);
      await spammer.page.goto('/');
      await spammer.page.getByRole('link', { name: 'Login' }).waitFor();
      expect(await spammer.page.getByRole('button', { name: 'Logout' }).count()).toBe(0);

      // The admin still finds the held-back post, marked, on the spammer's page.
      await page.goto(`/users/${spammerUser.id}/posts`);
      await page.locator('[data-suspended-banner]').waitFor();
      expect(await page.locator('.post-card [data-field="withheld"]').first().isVisible()).toBe(true);

      // Unsuspended: the post is back.
      await page.goto(`/admin?q=${spammerAccount.username}`);
      await confirmInModal(page, `Unsuspend ${spammerAccount.username}`, 'unsuspend-user-modal', 'Unsuspend');
      await toast(page, `${spammerAccount.username} is unsuspended.`).waitFor();
      await page.getByRole('button', { name: `Suspend ${spammerAccount.username}`, exact: true }).waitFor();
      await visitor.page.reload();
      await visitor.page.getByRole('link', { name: spamTitle, exact: true }).waitFor();

      await page.goto('/admin');
      expect((await auditLines(page)).slice(0, 2)).toEqual([
        `${admin.username} unsuspended ${spammerAccount.username}`,
        `${admin.username} suspended ${spammerAccount.username}`,
      ]);
      expectNoProblems(watched);
      expectNoProblems(visitor);
      expect(unexpected(spammer.problems, /status of 401/)).toEqual([]);
      for (const each of [watched, visitor, spammer]) await each.browserContext.close();
    },
    LONG,
  );

  it(
    "deletes another author's post from its page, as a moderator, and the audit log says so",
    async () => {
      const admin = await account('mod', true);
      const author = await account('author');
      const post = await site.context.app.services.posts.create(author.user, { title: 'Off-topic rant', content: 'x' });
      const watched = await openPage(site);
      const { page } = watched;
      await logIn(page, admin.email, admin.password);
      await page.goto(`/posts/${post.id}`);
      const remove = page.getByRole('button', { name: 'Delete Moderator', exact: true });
      const modal = await openModal(page, remove, 'delete-post-modal');
      expect(await modal.innerText()).toContain(
        'You are deleting another author’s post as a moderator; it is recorded in the audit log.',
      );
      await expectAccessible(page);
      await Promise.all([page.waitForURL('/'), modal.getByRole('button', { name: 'Delete post' }).click()]);
      expect(await page.getByRole('link', { name: 'Off-topic rant' }).count()).toBe(0);
      expect((await page.request.get(`/api/posts/${post.id}`)).status()).toBe(404);
      await page.goto('/admin');
      expect((await auditLines(page))[0]).toBe(`${admin.username} deleted the post “Off-topic rant”`);
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'shows a refusal as a toast, deletes an account behind its modal, invites and revokes, and loads more accounts',
    async () => {
      const admin = await account('chief', true);
      const prefix = `crowd${process.pid}`;
      const crowd = [];
      for (let index = 0; index < 11; index += 1) crowd.push(await account(prefix));
      const watched = await openPage(site);
      const { page } = watched;
      await logIn(page, admin.email, admin.password);

      // Suspending yourself is refused (400): a toast, and the row stays as it was. The
      // modal opens slowly here, so the answer comes while it is opening: it still closes.
      await page.goto(`/admin?q=${admin.username}`);
      await page.evaluate(() => {
        const dialog = document.querySelector<HTMLElement>('#suspend-user-modal .modal-dialog');
        if (dialog) dialog.style.transitionDuration = '3s';
      });
      await page.getByRole('button', { name: `Suspend ${admin.username}`, exact: true }).click();
      const opening = page.locator('#suspend-user-modal');
      await opening.waitFor({ state: 'visible' });
      // Forced: Playwright would otherwise wait for the modal to stop moving.
      await opening.getByRole('button', { name: 'Suspend', exact: true }).click({ force: true });
      await toast(page, 'You cannot suspend your own account').waitFor();
      await opening.waitFor({ state: 'hidden' });
      expect(await page.locator('[data-admin-list="users"] [data-field="suspended"]').isVisible()).toBe(false);

      // Ten accounts, then Load more appends the eleventh in place and goes away.
      await page.goto(`/admin?q=${prefix}`);
      const rows = page.locator('[data-admin-list="users"] [data-user-id]');
      expect(await rows.count()).toBe(10);
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-admin-list="users"] [data-user-id]').length === 11,
      );
      await page.locator('[data-admin-more="users"]').waitFor({ state: 'detached' });
      const oldest = defined(crowd[0]);
      expect(await rows.last().locator('[data-field="username"]').innerText()).toBe(oldest.username);
      expect(page.url()).toContain(`/admin?q=${prefix}`);

      // A loaded row works like the others: deleting it names the account and what goes with it.
      const said = await confirmInModal(page, `Delete ${oldest.username}`, 'delete-user-modal', 'Delete for good');
      expect(said).toContain(
        `This deletes the account ${oldest.username}, its posts (none) and its profile picture, for good.`,
      );
      await toast(page, `The account ${oldest.username} is deleted.`).waitFor();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-admin-list="users"] [data-user-id]').length === 10,
      );
      expect(await site.context.app.repositories.users.findByEmail(oldest.email)).toBeUndefined();

      // Invited, listed on top without a reload, then revoked.
      const address = `guest${process.pid}@example.com`;
      await page.getByLabel('Invite by email').fill(address);
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
      await toast(page, `${address} is invited.`).waitFor();
      const pending = page.locator('[data-admin-list="invitations"] [data-invitation-id]');
      expect(await pending.first().locator('[data-field="email"]').innerText()).toBe(address);
      expect(await page.locator('[data-empty-invitations]').isVisible()).toBe(false);
      expect(await page.getByLabel('Invite by email').inputValue()).toBe('');
      await page.getByRole('button', { name: `Revoke the invitation of ${address}`, exact: true }).click();
      await toast(page, `The invitation of ${address} is revoked.`).waitFor();
      await pending.first().waitFor({ state: 'detached' });
      await page.locator('[data-empty-invitations]').waitFor({ state: 'visible' });
      // An address that has an account already is refused on the form.
      await page.getByLabel('Invite by email').fill(admin.email);
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
      await page.locator('#invite-form [data-form-error]', { hasText: 'An account already has this email' }).waitFor();

      await page.reload();
      expect((await auditLines(page)).slice(0, 3)).toEqual([
        `${admin.username} revoked the invitation of ${address}`,
        `${admin.username} invited ${address}`,
        `${admin.username} deleted the account of ${oldest.username}`,
      ]);
      expect(unexpected(watched.problems, /status of 400/)).toEqual([]);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'the admin page keeps its contrast in dark mode and fits a 375 px screen',
    async () => {
      const admin = await account('night', true);
      await account('suspendme');
      const watched = await openPage(site, { colorScheme: 'dark', viewport: { width: 375, height: 800 } });
      const { page } = watched;
      await logIn(page, admin.email, admin.password);
      await page.goto('/admin');
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe('dark');
      await expectAccessible(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const remove = page.locator('[data-admin-list="users"] button[data-user-action="delete"]').first();
      await openModal(page, remove, 'delete-user-modal');
      await expectAccessible(page);
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );
});
