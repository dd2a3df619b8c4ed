// Every page is valid HTML (the Nu HTML Checker, vnu-jar): as the server
// sends it, which is what a parser sees before it repairs anything silently,
// and as Chromium holds it once the browser code has run, in the light and in
// the dark theme (the theme is set on <html data-bs-theme> by that code, so
// only a real browser shows it). Signed out, as an author and as an admin,
// with the form pages' error states and the two-factor steps.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPost,
  defined,
  formPost,
  oathtoolCode,
  requestResetToken,
  SAME_ORIGIN,
  sessionFor,
  signedInAdmin,
  signedInUser,
  useCleanups,
  type Fields,
} from '../helpers/index.js';
import { openPage, startSite, type Site } from './harness.js';
import { htmlErrors, type HtmlDocument } from './validator.js';

const LONG = 120_000;

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
}, 60_000);

type Who = 'visitor' | 'author' | 'admin';

/** The pages each kind of user is shown, by their GET address. */
async function setUpPages() {
  const { app, dataDir } = site.context;
  const author = await signedInUser(app, 'author');
  const admin = await signedInAdmin(app);
  const post = await createPost(app, author.headers, 'First post', 'Some *Markdown* and a [link](/).');
  const draft = await createPost(app, author.headers, 'A draft', 'Not yet.', 'draft');
  const resetToken = await requestResetToken(app, dataDir, (await signedInUser(app, 'forgetful')).email);
  const cookies: Record<Who, Fields> = {
    visitor: {},
    author: { session: await sessionFor(app, author.email, author.password) },
    admin: { session: await sessionFor(app, admin.email, admin.password) },
  };
  const reading = ['/', `/posts/${post.id}`, `/users/${author.id}/posts`, '/search', '/search?q=first', '/nope'];
  const pages: Record<Who, string[]> = {
    visitor: [
      ...reading,
      '/posts/999999',
      '/login',
      '/register',
      '/forgot-password',
      '/forgot-password?sent=1',
      `/reset-password?token=${resetToken}`,
      '/reset-password?token=not-a-token',
    ],
    author: [...reading, `/posts/${draft.id}`, '/drafts', '/account', '/account/two-factor'],
    admin: [...reading, '/admin', '/account'],
  };
  return { pages, cookies };
}

/** The pages that only a form post shows: its errors, and the steps of two-factor sign-in. */
async function formAnswers(): Promise<HtmlDocument[]> {
  const { app } = site.context;
  const answers: HtmlDocument[] = [];
  const keep = (name: string, response: { body: string }) => answers.push({ name, html: response.body });
  keep('POST /login, wrong password', await formPost(app, '/login', { email: 'no@example.com', password: 'x' }));
  keep('POST /register, invalid', await formPost(app, '/register', { username: '', email: 'x', password: 'y' }));
  keep('POST /forgot-password, invalid', await formPost(app, '/forgot-password', { email: 'x' }));

  const guarded = await signedInUser(app, 'guarded');
  const session = { session: await sessionFor(app, guarded.email, guarded.password) };
  const begin = { current_password: guarded.password };
  const change = (fields: Fields) => formPost(app, '/account/password', fields, SAME_ORIGIN, session);
  keep(
    'POST /account/password, wrong password',
    await change({ current_password: 'x', new_password: 'a brand new passphrase' }),
  );
  keep(
    'POST /account/password, common password',
    await change({ current_password: guarded.password, new_password: 'password123' }),
  );
  keep(
    '/account?password=changed',
    await app.inject({ method: 'GET', url: '/account?password=changed', cookies: session }),
  );
  keep(
    'POST /account/two-factor, wrong password',
    await formPost(app, '/account/two-factor', {}, SAME_ORIGIN, session),
  );
  const scan = await formPost(app, '/account/two-factor', begin, SAME_ORIGIN, session);
  keep('POST /account/two-factor (scan)', scan);
  keep(
    'POST /account/two-factor/confirm, wrong code',
    await formPost(app, '/account/two-factor/confirm', { code: '12' }, SAME_ORIGIN, session),
  );
  const secret = /data-two-factor-secret[^>]*>([A-Z2-7]+)</.exec(scan.body)?.[1] ?? '';
  const code = await oathtoolCode(secret, Date.now());
  keep(
    'POST /account/two-factor/confirm (recovery codes)',
    await formPost(app, '/account/two-factor/confirm', { code }, SAME_ORIGIN, session),
  );
  keep('/account/two-factor (on)', await app.inject({ method: 'GET', url: '/account/two-factor', cookies: session }));

  const password = await formPost(app, '/login', { email: guarded.email, password: guarded.password });
  const challenge = defined(
    password.cookies.find((cookie) => cookie.name !== 'session'),
    'the challenge cookie',
  );
  const step = { [challenge.name]: challenge.value };
  keep('/login/two-factor', await app.inject({ method: 'GET', url: '/login/two-factor', cookies: step }));
  keep(
    'POST /login/two-factor, wrong code',
    await formPost(app, '/login/two-factor', { code: '1' }, SAME_ORIGIN, step),
  );
  return answers;
}

async function serverDocuments(pages: Record<Who, string[]>, cookies: Record<Who, Fields>): Promise<HtmlDocument[]> {
  const documents: HtmlDocument[] = [];
  for (const who of Object.keys(pages) as Who[]) {
    for (const url of pages[who]) {
      const response = await site.context.app.inject({ method: 'GET', url, cookies: cookies[who] });
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      documents.push({ name: `${url} (${who}, as sent)`, html: response.body });
    }
  }
  return documents;
}

async function browserDocuments(pages: Record<Who, string[]>, cookies: Record<Who, Fields>): Promise<HtmlDocument[]> {
  const documents: HtmlDocument[] = [];
  for (const theme of ['light', 'dark'] as const) {
    for (const who of Object.keys(pages) as Who[]) {
      const { page, browserContext } = await openPage(site, { colorScheme: theme });
      const session = cookies[who].session;
      if (session) await browserContext.addCookies([{ name: 'session', value: session, url: site.baseUrl }]);
      for (const url of pages[who]) {
        await page.goto(url);
        expect(await page.locator('html').getAttribute('data-bs-theme'), url).toBe(theme);
        documents.push({ name: `${url} (${who}, ${theme})`, html: await page.content() });
        if (url !== '/' || who === 'visitor') continue;
        // Bootstrap changes a modal's attributes while it is open.
        await page.getByRole('button', { name: 'New Post' }).click();
        await page.locator('#new-post-modal').waitFor({ state: 'visible' });
        documents.push({ name: `/ with the New Post modal open (${who}, ${theme})`, html: await page.content() });
      }
      await browserContext.close();
    }
  }
  return documents;
}

describe('the HTML of every page', () => {
  it('is checked by a run that names the page, the line and the message of each error', async () => {
    const page = '<!doctype html>\n<html lang="en"><head><title>t</title></head>\n<body><img alt="x"></body></html>';
    const errors = await htmlErrors([
      { name: 'a valid page', html: page.replace('<img alt="x">', '<p>ok</p>') },
      { name: 'a broken page', html: page },
    ]);
    expect(errors).toEqual([expect.stringMatching(/^a broken page, line 3: Element “img” is missing .*“src”/)]);
  });

  it(
    'has no error the Nu HTML Checker finds, signed in and out, light and dark',
    async () => {
      const { pages, cookies } = await setUpPages();
      const documents = [
        ...(await serverDocuments(pages, cookies)),
        ...(await formAnswers()),
        ...(await browserDocuments(pages, cookies)),
      ];
      expect(documents.length).toBeGreaterThan(60);
      expect(await htmlErrors(documents)).toEqual([]);
    },
    LONG,
  );
});
