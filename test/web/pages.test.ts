// The server-rendered web pages (docs/api.md, "Pages"), driven with
// app.inject: what each page shows, pagination without JavaScript, owner-only
// controls, the navigation bar rendered from the session cookie, HTML error
// pages, escaping of user content and the security headers.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import {
  card,
  cardIds,
  createPost,
  createTestApp,
  decode,
  defined,
  expectHtml,
  expectLayout,
  expectNoInlineCode,
  expectSecurityHeaders,
  expectSignedInNav,
  expectSignedOutNav,
  formPost,
  hasButton,
  loadMoreHref,
  login,
  newAccount,
  register,
  signedInUser,
  startTags,
  textOf,
  useTestApp,
  webUser,
} from '../helpers/index.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

// ================================================================ tests

describe('/ and /posts', () => {
  it('render the newest posts on the server, each with avatar, author link, date, title link, excerpt and "Read more"', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'home');
    const older = await createPost(app, author.headers, 'Older home post', 'Older content');
    const newer = await createPost(app, author.headers, 'Newer home post', 'Newer content\nsecond line');

    for (const url of ['/', '/posts']) {
      const response = await app.inject({ url });
      const html = expectHtml(response, 200);
      expectLayout(html);
      const ids = cardIds(html);
      expect(ids.slice(0, 2), url).toEqual([newer.id, older.id]);

      const one = card(html, newer.id);
      const tags = startTags(one);
      const avatar = tags.find((t) => t.name === 'img');
      expect(avatar?.attrs.get('src')).toBe(DEFAULT_AVATAR_URL);
      expect(String(avatar?.attrs.get('alt'))).toContain(author.username);
      const authorLinks = tags.filter((t) => t.name === 'a' && t.attrs.get('href') === `/users/${author.id}/posts`);
      expect(authorLinks.length).toBeGreaterThan(0);
      expect(one).toMatch(new RegExp(`<a\\b[^>]*href="/users/${author.id}/posts"[^>]*>\\s*${author.username}\\s*</a>`));
      expect(one).toMatch(new RegExp(`<a\\b[^>]*href="/posts/${newer.id}"[^>]*>\\s*Newer home post\\s*</a>`));
      const time = tags.find((t) => t.name === 'time');
      expect(Number.isNaN(Date.parse(String(time?.attrs.get('datetime'))))).toBe(false);
      const year = String(new Date().getUTCFullYear());
      expect(textOf(one, 'datetime')).toContain(year);
      // A list shows the excerpt (plain text) and links to the whole post; its own page shows that.
      expect(one).not.toContain('data-field="content"');
      expect(textOf(one, 'data-field="excerpt"')).toBe('Newer content second line');
      const readMore = tags.find((t) => t.attrs.get('data-field') === 'read-more');
      expect(readMore?.attrs.get('href')).toBe(`/posts/${newer.id}`);
      expect(textOf(one, 'data-field="read-more"')).toBe('Read more about Newer home post');
    }
    const own = card(expectHtml(await app.inject({ url: `/posts/${newer.id}` }), 200), newer.id);
    // The post's page: its rendered Markdown, inserted as the API gives it; a line break stays one.
    expect(own).toContain(`data-field="content">${newer.content_html}</div>`);
    expect(own).toContain('<p>Newer content<br />');
    expect(textOf(own, 'data-field="content"')?.trim()).toBe('Newer content\nsecond line');
    expect(own).not.toContain('data-field="read-more"');
  });

  it('are public and answer 200 to an anonymous visitor, with the signed-out navigation', async () => {
    const app = await getApp();
    const html = expectHtml(await app.inject({ url: '/' }), 200);
    expectSignedOutNav(html);
  });
});

describe('pagination without JavaScript', () => {
  it('the home page links to ?skip=N for the next page, and the last page has no such link', async () => {
    const ctx = await createTestApp({ POSTS_PER_PAGE: '3' });
    try {
      const { app } = ctx;
      const author = await signedInUser(app, 'pager');
      const created: number[] = [];
      for (let i = 0; i < 7; i++) created.push((await createPost(app, author.headers, `paged ${i}`, `body ${i}`)).id);
      const newestFirst = [...created].reverse();

      for (const path of ['/', '/posts']) {
        const first = expectHtml(await app.inject({ url: path }), 200);
        expect(cardIds(first), path).toEqual(newestFirst.slice(0, 3));
        const next = loadMoreHref(first);
        expect(next, path).toMatch(/^\/(posts)?\?skip=3$/);
        expect(startTags(first).some((t) => t.name === 'a' && t.attrs.get('href') === next)).toBe(true);

        const second = expectHtml(await app.inject({ url: defined(next) }), 200);
        expect(cardIds(second)).toEqual(newestFirst.slice(3, 6));
        const third = loadMoreHref(second);
        expect(third).toMatch(/\?skip=6$/);

        const last = expectHtml(await app.inject({ url: defined(third) }), 200);
        expect(cardIds(last)).toEqual(newestFirst.slice(6));
        expect(loadMoreHref(last)).toBeUndefined();
      }

      const beyond = expectHtml(await app.inject({ url: '/?skip=50' }), 200);
      expect(cardIds(beyond)).toEqual([]);
      expect(loadMoreHref(beyond)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });

  it("a user page pages through only that user's posts with /users/{id}/posts?skip=N", async () => {
    const ctx = await createTestApp({ POSTS_PER_PAGE: '2' });
    try {
      const { app } = ctx;
      const author = await signedInUser(app, 'upager');
      const other = await signedInUser(app, 'unoise');
      const created: number[] = [];
      for (let i = 0; i < 3; i++) {
        created.push((await createPost(app, author.headers, `mine ${i}`)).id);
        await createPost(app, other.headers, `noise ${i}`);
      }
      const newestFirst = [...created].reverse();
      const first = expectHtml(await app.inject({ url: `/users/${author.id}/posts` }), 200);
      expect(cardIds(first)).toEqual(newestFirst.slice(0, 2));
      const next = loadMoreHref(first);
      expect(next).toBe(`/users/${author.id}/posts?skip=2`);
      const second = expectHtml(await app.inject({ url: defined(next) }), 200);
      expect(cardIds(second)).toEqual(newestFirst.slice(2));
      expect(loadMoreHref(second)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });

  it('with fewer posts than a page there is no "Load more" link', async () => {
    const ctx = await createTestApp();
    try {
      const author = await signedInUser(ctx.app, 'few');
      await createPost(ctx.app, author.headers, 'only one');
      const html = expectHtml(await ctx.app.inject({ url: '/' }), 200);
      expect(cardIds(html)).toHaveLength(1);
      expect(loadMoreHref(html)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });
});

describe('/posts/{id}', () => {
  it('shows the post with its author, date, title and content', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'single');
    const post = await createPost(app, author.headers, 'A single post', 'Its content');
    const html = expectHtml(await app.inject({ url: `/posts/${post.id}` }), 200);
    expectLayout(html);
    expect(cardIds(html)).toEqual([post.id]);
    const one = card(html, post.id);
    expect(textOf(one, 'data-field="title"')).toBe('A single post');
    expect(one).toContain(`data-field="content">${post.content_html}</div>`);
    expect(textOf(one, 'data-field="content"')?.trim()).toBe('Its content');
    expect(one).toContain(`href="/users/${author.id}/posts"`);
    expect(one).toContain(`src="${DEFAULT_AVATAR_URL}"`);
    expect(one).toMatch(/<time\b[^>]*datetime="[^"]+"/);
    expect(html).toMatch(/<title>[^<]*A single post/);
  });

  it('the owner sees Edit and Delete buttons and their modals', async () => {
    const app = await getApp();
    const owner = await webUser(app);
    const post = await createPost(app, owner.headers, 'Owned post', 'Owned content');
    const html = expectHtml(await app.inject({ url: `/posts/${post.id}`, cookies: owner.cookies }), 200);
    expect(hasButton(html, 'Edit')).toBe(true);
    expect(hasButton(html, 'Delete')).toBe(true);
    expect(html).toContain('id="edit-post-modal"');
    expect(html).toContain('id="delete-post-modal"');
    expect(html).toContain('data-bs-target="#edit-post-modal"');
    expect(html).toContain('data-bs-target="#delete-post-modal"');
    // The edit form is filled with the current values.
    expect(html).toMatch(/<input\b[^>]*name="title"[^>]*value="Owned post"/);
    expect(html).toMatch(/<textarea\b[^>]*name="content"[^>]*>Owned content<\/textarea>/);
  });

  it('another signed-in user and an anonymous visitor see neither the buttons nor the modals', async () => {
    const app = await getApp();
    const owner = await signedInUser(app, 'owner');
    const other = await webUser(app);
    const post = await createPost(app, owner.headers, 'Not yours', 'Hands off');
    for (const cookies of [other.cookies, undefined]) {
      const html = expectHtml(await app.inject({ url: `/posts/${post.id}`, ...(cookies ? { cookies } : {}) }), 200);
      expect(textOf(html, 'data-field="title"')).toBe('Not yours');
      expect(hasButton(html, 'Edit')).toBe(false);
      expect(hasButton(html, 'Delete')).toBe(false);
      expect(html).not.toContain('edit-post-modal');
      expect(html).not.toContain('delete-post-modal');
    }
  });

  it('an invalid or stale session cookie is treated as signed out, not as an error', async () => {
    const app = await getApp();
    const owner = await signedInUser(app, 'stale');
    const post = await createPost(app, owner.headers);
    const html = expectHtml(await app.inject({ url: `/posts/${post.id}`, cookies: { session: 'not-a-token' } }), 200);
    expectSignedOutNav(html);
    expect(hasButton(html, 'Edit')).toBe(false);
  });
});

describe('/users/{id}/posts', () => {
  it("shows the user's name, avatar and only their posts, newest first", async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'uposts');
    const other = await signedInUser(app, 'uother');
    const a = await createPost(app, author.headers, 'author first');
    const noise = await createPost(app, other.headers, 'someone else');
    const b = await createPost(app, author.headers, 'author second');
    const html = expectHtml(await app.inject({ url: `/users/${author.id}/posts` }), 200);
    expectLayout(html);
    expect(cardIds(html)).toEqual([b.id, a.id]);
    expect(cardIds(html)).not.toContain(noise.id);
    expect(html).toMatch(new RegExp(`<h1\\b[^>]*>${author.username}</h1>`));
    expect(html).toContain(`src="${DEFAULT_AVATAR_URL}"`);
    expect(html).toContain('2 posts');
  });

  it('a user without posts gets an empty list, not an error', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('empty'));
    const html = expectHtml(await app.inject({ url: `/users/${user.id}/posts` }), 200);
    expect(cardIds(html)).toEqual([]);
    expect(html).toContain(user.username);
  });
});

describe('navigation bar', () => {
  it('signed out: Login and Register links, no New Post, no account link, no Logout', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('navout'));
    const post = await createPost(app, { authorization: `Bearer ${await login(app, user.email, user.password)}` });
    for (const url of ['/', '/posts', `/posts/${post.id}`, `/users/${user.id}/posts`, '/login', '/register']) {
      const html = expectHtml(await app.inject({ url }), 200);
      expectSignedOutNav(html);
    }
  });

  it('signed in (from the cookie): New Post button, the username linking to /account, and Logout', async () => {
    const app = await getApp();
    const user = await webUser(app);
    const post = await createPost(app, user.headers);
    for (const url of ['/', '/posts', `/posts/${post.id}`, `/users/${user.id}/posts`, '/account']) {
      const html = expectHtml(await app.inject({ url, cookies: user.cookies }), 200);
      expectSignedInNav(html, user.username);
      // The New Post modal is rendered for the button to open.
      expect(html).toContain('id="new-post-modal"');
    }
  });

  it('a Bearer header alone does not make a page signed in (pages use the cookie)', async () => {
    const app = await getApp();
    const user = await signedInUser(app, 'bearerpage');
    const html = expectHtml(await app.inject({ url: '/', headers: user.headers }), 200);
    expectSignedOutNav(html);
  });
});

describe('/account', () => {
  it('redirects a signed-out visitor with 303 to /login?next=%2Faccount', async () => {
    const app = await getApp();
    for (const cookies of [undefined, { session: 'garbage' }]) {
      const response = await app.inject({ url: '/account', ...(cookies ? { cookies } : {}) });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/login?next=%2Faccount');
    }
  });

  it("shows the signed-in user's profile form filled with their username and email", async () => {
    const app = await getApp();
    const user = await webUser(app);
    const html = expectHtml(await app.inject({ url: '/account', cookies: user.cookies }), 200);
    expectLayout(html);
    expect(html).toMatch(new RegExp(`<input\\b[^>]*name="username"[^>]*value="${user.username}"`));
    expect(html).toMatch(new RegExp(`<input\\b[^>]*name="email"[^>]*value="${user.email.replace(/\./g, '\\.')}"`));
    expect(html).toContain('id="delete-account-modal"');
    expect(html).toMatch(/<input\b[^>]*type="file"/);
  });
});

describe('login and register pages', () => {
  it('/login is a plain HTML form posting email, password and next to /login', async () => {
    const app = await getApp();
    const html = expectHtml(await app.inject({ url: '/login?next=%2Faccount' }), 200);
    const form = /<form\b[^>]*>[\s\S]*?<\/form>/.exec(html.slice(html.indexOf('action="/login"') - 200))?.[0] ?? '';
    expect(form).toMatch(
      /<form\b[^>]*method="post"[^>]*action="\/login"|<form\b[^>]*action="\/login"[^>]*method="post"/,
    );
    const inputs = startTags(form).filter((t) => t.name === 'input');
    expect(inputs.map((t) => t.attrs.get('name'))).toEqual(expect.arrayContaining(['email', 'password', 'next']));
    expect(inputs.find((t) => t.attrs.get('name') === 'password')?.attrs.get('type')).toBe('password');
    expect(inputs.find((t) => t.attrs.get('name') === 'next')?.attrs.get('value')).toBe('/account');
    expect(startTags(form).some((t) => t.name === 'button' && t.attrs.get('type') === 'submit')).toBe(true);
  });

  it('/login does not carry a foreign next into the form', async () => {
    const app = await getApp();
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil']) {
      const html = expectHtml(await app.inject({ url: `/login?next=${encodeURIComponent(next)}` }), 200);
      const hidden = startTags(html).find((t) => t.name === 'input' && t.attrs.get('name') === 'next');
      expect(hidden?.attrs.get('value'), next).toBe('/');
    }
  });

  it('/register is a plain HTML form posting username, email and password to /register', async () => {
    const app = await getApp();
    const html = expectHtml(await app.inject({ url: '/register' }), 200);
    expect(html).toMatch(
      /<form\b[^>]*method="post"[^>]*action="\/register"|<form\b[^>]*action="\/register"[^>]*method="post"/,
    );
    const names = startTags(html)
      .filter((t) => t.name === 'input')
      .map((t) => t.attrs.get('name'));
    expect(names).toEqual(expect.arrayContaining(['username', 'email', 'password']));
  });
});

describe('error pages', () => {
  it('an unknown path answers an HTML 404 inside the layout', async () => {
    const app = await getApp();
    const response = await app.inject({ url: '/no/such/page' });
    const html = expectHtml(response, 404);
    expectLayout(html);
    expectSignedOutNav(html);
    expect(html).toContain('404');
    expectSecurityHeaders('/no/such/page', response.headers);
  });

  it('an unknown post id answers an HTML 404 inside the layout', async () => {
    const app = await getApp();
    for (const url of ['/posts/999999', '/users/999999/posts']) {
      const html = expectHtml(await app.inject({ url }), 404);
      expectLayout(html);
      expect(html).toContain('404');
    }
  });

  it('a malformed id or skip answers an HTML 422 inside the layout', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('e422'));
    for (const url of [
      '/posts/abc',
      '/?skip=-1',
      '/posts?skip=-1',
      '/?skip=abc',
      '/users/abc/posts',
      `/users/${user.id}/posts?skip=-1`,
    ]) {
      const html = expectHtml(await app.inject({ url }), 422);
      expectLayout(html);
      expect(html, url).toContain('422');
    }
  });

  it('error pages show the signed-in navigation for a visitor with a session cookie', async () => {
    const app = await getApp();
    const user = await webUser(app);
    for (const [url, status] of [
      ['/no/such/page', 404],
      ['/posts/999999', 404],
      ['/posts/abc', 422],
    ] as const) {
      const html = expectHtml(await app.inject({ url, cookies: user.cookies }), status);
      expectSignedInNav(html, user.username);
    }
  });

  it('an unexpected error answers an HTML 500 inside the layout, without internals', async () => {
    const app = await getApp();
    const author = await signedInUser(app, 'e500');
    const post = await createPost(app, author.headers);
    const original = app.services.posts.find;
    app.services.posts.find = () =>
      Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path'));
    try {
      const response = await app.inject({ url: `/posts/${post.id}` });
      const html = expectHtml(response, 500);
      expectLayout(html);
      expect(html).toContain('500');
      expect(html).not.toContain('SQLITE');
      expect(html).not.toContain('/secret/path');
      expectSecurityHeaders(`/posts/${post.id}`, response.headers);
    } finally {
      app.services.posts.find = original;
    }
    expect((await app.inject({ url: `/posts/${post.id}` })).statusCode).toBe(200);
  });

  it('/api paths keep answering JSON errors', async () => {
    const app = await getApp();
    const cases: [string, number][] = [
      ['/api/no/such/thing', 404],
      ['/api/posts/999999', 404],
      ['/api/posts/abc', 422],
      ['/api/posts?skip=-1', 422],
    ];
    for (const [url, status] of cases) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(status);
      expect(String(response.headers['content-type']), url).toMatch(/^application\/json/);
      expect(response.json()).toHaveProperty('detail');
    }
  });
});

describe('escaping of user content (XSS)', () => {
  const TITLE = '<script>alert(1)</script>';
  const CONTENT = '<img src=x onerror=alert(1)>';

  it('a hostile title, content and username appear escaped on every page', async () => {
    const app = await getApp();
    const account = newAccount('xss');
    const username = `<b>${account.username}</b>`.slice(0, 50);
    const user = await webUser(app, { ...account, username });
    const post = await createPost(app, user.headers, TITLE, CONTENT);

    const pages: [string, Record<string, string> | undefined][] = [
      ['/', undefined],
      ['/posts', undefined],
      [`/posts/${post.id}`, undefined],
      [`/posts/${post.id}`, user.cookies],
      [`/users/${user.id}/posts`, undefined],
      ['/account', user.cookies],
    ];
    for (const [url, cookies] of pages) {
      const response = await app.inject({ url, ...(cookies ? { cookies } : {}) });
      const html = expectHtml(response, 200);
      expect(html, url).not.toContain('<script>alert');
      expect(html, url).not.toMatch(/<img\s+src=x/i);
      expect(html, url).not.toContain('<b>');
      expect(html, url).toContain('&lt;b');
      // Every <script> element is one of ours, with a src and no body.
      expectNoInlineCode(html);
      if (url !== '/account') {
        expect(html, url).toContain('&lt;script');
        const one = card(html, post.id);
        expect(textOf(one, 'data-field="title"')).toBe(TITLE);
        // Raw HTML in the Markdown is a paragraph of text; in a list, text of the excerpt.
        if (url.startsWith('/posts/')) {
          expect(one).toContain(`data-field="content">${post.content_html}</div>`);
          expect(one).toContain('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
          expect(textOf(one, 'data-field="content"')?.trim()).toBe(CONTENT);
        } else {
          expect(textOf(one, 'data-field="excerpt"')).toBe(CONTENT);
        }
        expect(textOf(one, 'data-field="author"')).toBe(username);
      } else {
        const input = startTags(html).find((t) => t.name === 'input' && t.attrs.get('name') === 'username');
        expect(input?.attrs.get('value')).toBe(username);
      }
      const account = /<a\b[^>]*href="\/account"[^>]*>([^<]*)<\/a>/.exec(html);
      if (cookies) expect(decode(account?.[1] ?? '').trim(), url).toBe(username);
    }
  });

  it('a hostile value echoed into the login and register forms is escaped', async () => {
    const app = await getApp();
    const login = await formPost(app, '/login', {
      email: '"><script>alert(1)</script>',
      password: 'whatever1',
      next: '/"><script>alert(2)</script>',
    });
    const loginHtml = expectHtml(login, 401);
    expect(loginHtml).not.toContain('<script>alert');
    expectNoInlineCode(loginHtml);

    const registered = await formPost(app, '/register', {
      username: '<script>alert(3)</script>',
      email: 'not-an-email"><b>',
      password: 'x',
    });
    const registerHtml = expectHtml(registered, 422);
    expect(registerHtml).not.toContain('<script>alert');
    expect(registerHtml).not.toContain('<b>');
    expectNoInlineCode(registerHtml);
    const username = startTags(registerHtml).find((t) => t.name === 'input' && t.attrs.get('name') === 'username');
    expect(username?.attrs.get('value')).toBe('<script>alert(3)</script>');
  });
});

describe('security headers and inline code', () => {
  it('every page has a strict CSP, nosniff and a Referrer-Policy, and no inline script, style or handler', async () => {
    const app = await getApp();
    const owner = await webUser(app);
    const post = await createPost(app, owner.headers, 'Headers post', 'Headers content');
    const pages: [string, Record<string, string> | undefined, number][] = [
      ['/', undefined, 200],
      ['/posts', owner.cookies, 200],
      [`/posts/${post.id}`, owner.cookies, 200],
      [`/posts/${post.id}`, undefined, 200],
      [`/users/${owner.id}/posts`, undefined, 200],
      ['/login', undefined, 200],
      ['/register', undefined, 200],
      ['/account', owner.cookies, 200],
      ['/no/such/page', undefined, 404],
      ['/posts/abc', owner.cookies, 422],
    ];
    for (const [url, cookies, status] of pages) {
      const response = await app.inject({ url, ...(cookies ? { cookies } : {}) });
      const html = expectHtml(response, status);
      expectSecurityHeaders(url, response.headers);
      expectNoInlineCode(html);
      // The scripts the pages do load come from this server.
      for (const match of html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)) expect(match[1], url).toMatch(/^\/(?!\/)/);
    }
  });

  it('the checks above do detect inline code (guards against a vacuous pass)', () => {
    expect(() => {
      expectNoInlineCode('<p><script>alert(1)</script></p>');
    }).toThrow();
    expect(() => {
      expectNoInlineCode('<div class="a" style="color:red">x</div>');
    }).toThrow();
    expect(() => {
      expectNoInlineCode('<img alt="a > b" src="/x.png" onerror="alert(1)">');
    }).toThrow();
    expect(() => {
      expectNoInlineCode('<p>&lt;img src=x onerror=alert(1)></p><script src="/a.js"></script>');
    }).not.toThrow();
    expect(startTags('<a href="/x" data-y>t</a><img alt="a > b" src="/s">').map((t) => t.name)).toEqual(['a', 'img']);
  });
});
