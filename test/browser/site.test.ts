// End-to-end: a visitor does everything in Chromium, against a real server.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import { defined, newAccount, useCleanups } from '../helpers/index.js';
import { expectAccessible, expectNoProblems, logIn, openPage, signUp, startSite, type Site } from './harness.js';

const SCREENSHOTS = path.resolve('docs');
const LONG = 120_000;

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

/** Writes posts straight through the service, oldest first, so they list newest first. */
async function seedPosts(count: number, authorEmail: string, prefix: string) {
  const author = defined(await site.context.app.repositories.users.findByEmail(authorEmail));
  for (let i = 1; i <= count; i++) {
    await site.context.app.services.posts.create(author, {
      title: `${prefix} ${String(i).padStart(2, '0')}`,
      content: `Body of ${prefix} ${i}`,
    });
  }
}

describe('a visitor in the browser', () => {
  it(
    'registers, logs in, writes a post from the modal, sees it, edits it and deletes it',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      const account = newAccount('writer');
      await signUp(page, account);
      // The server renders the signed-in navigation straight away.
      expect(await page.getByRole('link', { name: account.username }).count()).toBeGreaterThan(0);
      expect(await page.locator('nav').getByRole('link', { name: account.username }).getAttribute('href')).toBe(
        '/account',
      );

      // Log out and in again through the login form.
      await Promise.all([page.waitForURL('/'), page.getByRole('button', { name: 'Logout' }).click()]);
      expect(await page.getByRole('link', { name: 'Login' }).isVisible()).toBe(true);
      await logIn(page, account.email, account.password);
      expect(await page.locator('nav').getByRole('link', { name: account.username }).isVisible()).toBe(true);

      // New Post modal: the post appears on the home page without a reload.
      await page.getByRole('button', { name: 'New Post' }).click();
      const modal = page.locator('#new-post-modal');
      await modal.waitFor({ state: 'visible' });
      await expectAccessible(page);
      await modal.getByLabel('Title').fill('My first post');
      await modal.getByLabel('Content').fill('Written in the browser.\nSecond line.');
      await modal.getByRole('button', { name: 'Publish' }).click();
      await modal.waitFor({ state: 'hidden' });
      const card = page.locator('[data-post-list] .post-card').first();
      expect(await card.locator('[data-field="title"]').innerText()).toBe('My first post');
      expect(await card.locator('[data-field="author"]').innerText()).toBe(account.username);
      expect(page.url()).toBe(`${site.baseUrl}/`);

      // Its page: edit in the modal, then delete behind the confirmation.
      await Promise.all([
        page.waitForURL(/\/posts\/\d+$/),
        card.getByRole('link', { name: 'My first post', exact: true }).click(),
      ]);
      await page.getByRole('button', { name: 'Edit' }).click();
      const edit = page.locator('#edit-post-modal');
      await edit.waitFor({ state: 'visible' });
      expect(await edit.getByLabel('Title').inputValue()).toBe('My first post');
      await edit.getByLabel('Title').fill('');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      expect(await edit.locator('[data-error-for="title"]').innerText()).not.toBe(''); // client-side check
      await edit.getByLabel('Title').fill('My edited post');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden' });
      expect(await page.locator('.post-card [data-field="title"]').innerText()).toBe('My edited post');
      await page.reload();
      expect(await page.locator('.post-card [data-field="title"]').innerText()).toBe('My edited post');

      await page.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.locator('#delete-post-modal');
      await confirm.waitFor({ state: 'visible' });
      await Promise.all([page.waitForURL('/'), confirm.getByRole('button', { name: 'Delete post' }).click()]);
      expect(await page.getByText('My edited post').count()).toBe(0);
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'shows login and registration errors next to the fields',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      const account = newAccount('taken');
      await site.context.app.services.accounts.register(account);

      await page.goto('/login');
      await page.getByRole('button', { name: 'Log in' }).click(); // empty: the browser-side checks answer
      expect(await page.locator('#login-email-error').innerText()).not.toBe('');
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('#login-password-error:has-text("Incorrect email or password")').waitFor();

      await page.goto('/register');
      await page.getByLabel('Username').fill(account.username.toUpperCase());
      await page.getByLabel('Email').fill('someone-new@example.com');
      await page.getByLabel('Password').fill('long enough password');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.locator('#register-username-error:has-text("Username already exists")').waitFor();
      expect(await page.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');

      // The server's 4xx answers to fetch are expected here, and nothing else.
      expect(watched.problems.filter((problem) => !/status of 40[01]/.test(problem))).toEqual([]);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    '"Load more" appends every post once and disappears at the end',
    async () => {
      const author = newAccount('prolific');
      await site.context.app.services.accounts.register(author);
      await seedPosts(25, author.email, 'Paged post');
      const watched = await openPage(site);
      const { page } = watched;
      const userId = defined(await site.context.app.repositories.users.findByEmail(author.email)).id;
      await page.goto(`/users/${userId}/posts`);
      const titles = () => page.locator('[data-post-list] [data-field="title"]').allInnerTexts();
      expect(await titles()).toHaveLength(10);
      const loadMore = page.getByRole('button', { name: 'Load more' });
      await loadMore.click();
      await page.waitForFunction(() => document.querySelectorAll('[data-post-list] .post-card').length === 20);
      await loadMore.click();
      await page.waitForFunction(() => document.querySelectorAll('[data-post-list] .post-card').length === 25);
      await page.waitForFunction(() => !document.querySelector('[data-load-more]'));
      const expected = Array.from({ length: 25 }, (_, i) => `Paged post ${String(25 - i).padStart(2, '0')}`);
      expect(await titles()).toEqual(expected);
      // The appended cards are the server's: the excerpt, and "Read more" naming the post.
      const last = page.locator('[data-post-list] .post-card').last();
      expect(await last.locator('[data-field="excerpt"]').innerText()).toBe('Body of Paged post 1');
      const readMore = last.getByRole('link', { name: 'Read more about Paged post 01' });
      const firstId = await last.getAttribute('data-post-id');
      expect(await readMore.getAttribute('href')).toBe(`/posts/${firstId}`);
      expect(await last.locator('[data-field="author"]').getAttribute('href')).toBe(`/users/${userId}/posts`);
      expect(page.url()).toContain(`/users/${userId}/posts`); // appended in place, no navigation
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'without JavaScript, the home page shows the first page and a link to the next',
    async () => {
      const watched = await openPage(site, { javaScriptEnabled: false });
      const { page } = watched;
      await page.goto('/');
      const cards = await page.locator('[data-post-list] .post-card').count();
      expect(cards).toBe(10);
      const next = page.getByRole('button', { name: 'Load more' }); // a link styled as a button
      expect(await next.getAttribute('href')).toBe('/?skip=10');
      await Promise.all([page.waitForURL('/?skip=10'), next.click()]);
      expect(await page.locator('[data-post-list] .post-card').count()).toBeGreaterThan(0);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'another user sees no Edit or Delete on a post that is not theirs',
    async () => {
      const owner = newAccount('owner');
      const ownerUser = await site.context.app.services.accounts.register(owner);
      const post = await site.context.app.services.posts.create(ownerUser, {
        title: 'Not yours',
        content: 'Hands off.',
      });
      const other = newAccount('other');
      await site.context.app.services.accounts.register(other);

      const watched = await openPage(site);
      const { page } = watched;
      await page.goto(`/posts/${post.id}`);
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0); // anonymous
      await logIn(page, other.email, other.password);
      await page.goto(`/posts/${post.id}`);
      expect(await page.locator('.post-card [data-field="title"]').innerText()).toBe('Not yours');
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'account: rename, upload a picture, remove it, then delete the account',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      const account = newAccount('acct');
      await signUp(page, account);
      await page.goto('/account');
      await expectAccessible(page);

      const renamed = `${account.username}-new`;
      await page.locator('#profile-form').getByLabel('Username').fill(renamed);
      await page.locator('#profile-form').getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-form-success]:visible').waitFor();
      expect(await page.locator('nav [data-current-username]').innerText()).toBe(renamed);

      const avatar = page.locator('[data-current-avatar]');
      expect(await avatar.getAttribute('src')).toBe(DEFAULT_AVATAR_URL);
      const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c0392b' } })
        .png()
        .toBuffer();
      await page.setInputFiles('#picture-file', { name: 'me.png', mimeType: 'image/png', buffer: png });
      await page.locator('[data-picture-preview]:visible').waitFor(); // preview before upload
      expect(await page.locator('[data-picture-preview]').getAttribute('src')).toMatch(/^blob:/);
      await page.locator('#picture-form').getByRole('button', { name: 'Upload' }).click();
      await page.waitForFunction(() =>
        document.querySelector('[data-current-avatar]')?.getAttribute('src')?.startsWith('/media/profile_pics/'),
      );
      const pictureUrl = defined(await avatar.getAttribute('src'));
      // The new avatar is everywhere: the user's page shows it after a navigation.
      const me = defined(await site.context.app.repositories.users.findByEmail(account.email));
      await page.goto(`/users/${me.id}/posts`);
      expect(await page.locator('main img.avatar').first().getAttribute('src')).toBe(pictureUrl);
      expect(await page.locator('main h1').innerText()).toBe(renamed);

      await page.goto('/account');
      await page.getByRole('button', { name: 'Remove picture' }).click();
      await page.waitForFunction(
        (avatarUrl) => document.querySelector('[data-current-avatar]')?.getAttribute('src') === avatarUrl,
        DEFAULT_AVATAR_URL,
      );

      await page.getByRole('button', { name: 'Delete account' }).click();
      const confirm = page.locator('#delete-account-modal');
      await confirm.waitFor({ state: 'visible' });
      expect(await confirm.innerText()).toMatch(/your 0 posts and your profile picture/);
      await Promise.all([page.waitForURL('/'), confirm.getByRole('button', { name: 'Delete everything' }).click()]);
      expect(await page.getByRole('link', { name: 'Login' }).isVisible()).toBe(true);
      expect(await site.context.app.repositories.users.findByEmail(account.email)).toBeUndefined();
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'sends a signed-out visitor from /account to the login page, and back after login',
    async () => {
      const account = newAccount('returning');
      await site.context.app.services.accounts.register(account);
      const watched = await openPage(site);
      const { page } = watched;
      await page.goto('/account');
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password);
      await Promise.all([page.waitForURL('/account'), page.getByRole('button', { name: 'Log in' }).click()]);
      expect(await page.locator('h1').innerText()).toBe('Your account');
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'shows the 404 page in the site layout',
    async () => {
      const watched = await openPage(site);
      const { page } = watched;
      const response = await page.goto('/no/such/page');
      expect(response?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('Page not found');
      expect(await page.getByRole('link', { name: 'Home' }).first().isVisible()).toBe(true);
      await expectAccessible(page);
      expect(watched.problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'remembers the theme across reloads',
    async () => {
      const watched = await openPage(site, { colorScheme: 'light' });
      const { page } = watched;
      await page.goto('/');
      const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'));
      expect(await theme()).toBe('light');
      await page.getByRole('button', { name: 'Colour theme' }).click();
      await page.getByRole('button', { name: 'Dark' }).click();
      expect(await theme()).toBe('dark');
      await page.reload();
      expect(await theme()).toBe('dark');
      await expectAccessible(page);
      // Dark mode keeps its contrast on the post page too (owner buttons, modals).
      await page.goto(page.url().replace(/\/$/, '') + '/login');
      expect(await theme()).toBe('dark');
      await expectAccessible(page);
      await page.goto('/');
      await page.getByRole('button', { name: 'Colour theme' }).click();
      await page.getByRole('button', { name: 'Auto' }).click();
      expect(await theme()).toBe('light'); // follows the system again
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'shows a hostile title as text on every page',
    async () => {
      const account = newAccount('mallory');
      const user = await site.context.app.services.accounts.register(account);
      const title = '<script>alert(1)</script>';
      const post = await site.context.app.services.posts.create(user, {
        title,
        content: '<img src=x onerror="window.pwned=1">',
      });
      const watched = await openPage(site);
      const { page } = watched;
      let dialogs = 0;
      page.on('dialog', (dialog) => {
        dialogs += 1;
        void dialog.dismiss();
      });
      for (const url of ['/', `/posts/${post.id}`, `/users/${user.id}/posts`]) {
        await page.goto(url);
        expect(await page.locator('.post-card [data-field="title"]').first().innerText()).toBe(title);
        // Raw HTML in the Markdown is text too: in a list's excerpt, and where content_html is inserted.
        const text = url.startsWith('/posts/') ? 'content' : 'excerpt';
        expect(await page.locator(`.post-card [data-field="${text}"]`).first().innerText()).toBe(
          '<img src=x onerror="window.pwned=1">',
        );
        expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      }
      expect(dialogs).toBe(0);
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );

  it(
    'every page passes the accessibility check and works at 375 px wide',
    async () => {
      const account = newAccount('a11y');
      const user = await site.context.app.services.accounts.register(account);
      const post = await site.context.app.services.posts.create(user, {
        title: 'Accessible',
        content: 'For everyone.',
      });
      const watched = await openPage(site, { viewport: { width: 375, height: 800 } });
      const { page } = watched;
      const anonymousPages = ['/', '/login', '/register', `/posts/${post.id}`, `/users/${user.id}/posts`];
      for (const url of anonymousPages) {
        await page.goto(url);
        await expectAccessible(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal scroll on ${url}`).toBeLessThanOrEqual(0);
      }
      await logIn(page, account.email, account.password);
      for (const url of ['/', '/account', `/posts/${post.id}`]) {
        await page.goto(url);
        await expectAccessible(page);
      }
      // The collapsed navigation opens from its toggle.
      await page.getByRole('button', { name: 'Toggle navigation' }).click();
      await page.getByRole('button', { name: 'New Post' }).waitFor({ state: 'visible' });
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );
});

describe('README screenshots', () => {
  const closeShowcase = useCleanups();
  let showcase: Site;
  beforeAll(async () => {
    showcase = await startSite();
    closeShowcase(() => showcase.close());
  }, 60_000);

  /** A round, coloured avatar so the screenshots show real pictures. */
  const picture = (from: string, to: string) =>
    sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><defs><linearGradient id="g" x2="1" y2="1">` +
          `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
          `<rect width="400" height="400" fill="url(#g)"/><circle cx="200" cy="160" r="70" fill="#fff" opacity=".85"/>` +
          `<ellipse cx="200" cy="400" rx="140" ry="130" fill="#fff" opacity=".85"/></svg>`,
      ),
    )
      .png()
      .toBuffer();

  it(
    'of the home page and of a post page',
    async () => {
      const { app } = showcase.context;
      const ada = await app.services.accounts.register({
        username: 'ada',
        email: 'ada@example.com',
        password: 'analytical engine',
      });
      const grace = await app.services.accounts.register({
        username: 'grace',
        email: 'grace@example.com',
        password: 'compiler pioneer',
      });
      await app.services.profilePictures.set(ada, ada.id, await picture('#6f42c1', '#0d6efd'));
      await app.services.profilePictures.set(grace, grace.id, await picture('#fd7e14', '#d63384'));
      const posts: [typeof ada, string, string][] = [
        [
          grace,
          'Why Argon2id',
          'Passwords are hashed with Argon2id, a memory-hard function that makes guessing expensive even on GPUs.',
        ],
        [ada, '401 or 403?', '401 means we do not know who you are. 403 means we know, and the answer is still no.'],
        [
          grace,
          'Paging through posts',
          'The home page shows the first page; "Load more" asks the API for the next one with skip and limit.',
        ],
        [
          ada,
          'Notes on the engine',
          'The engine weaves algebraical patterns just as the Jacquard loom weaves flowers and leaves.',
        ],
      ];
      let last = 0;
      for (const [author, title, content] of posts)
        last = (await app.services.posts.create(author, { title, content })).id;

      mkdirSync(SCREENSHOTS, { recursive: true });
      const watched = await openPage(showcase, { viewport: { width: 1200, height: 760 } });
      const { page } = watched;
      await page.goto('/');
      expect(await page.locator('.post-card').count()).toBe(4);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png') });
      await logIn(page, 'ada@example.com', 'analytical engine');
      await page.goto(`/posts/${last}`);
      expect(await page.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'post.png') });
      expectNoProblems(watched);
      await watched.browserContext.close();
    },
    LONG,
  );
});
