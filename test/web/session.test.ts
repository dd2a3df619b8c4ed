// The cookie session of the web pages: form login, registration and logout
// (with and without JavaScript), the cookie's attributes, the API accepting the
// cookie as well as the Bearer header, CSRF protection of cookie-authenticated
// state changes and of the login form, and the `next` redirect after login.
import type { ValidationDetail } from '../../src/errors.js';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  createPost,
  defined,
  expectHtml,
  expectNoSessionSet,
  expectSessionSet,
  fieldError,
  formPost,
  inputValue,
  JSON_ACCEPT,
  newAccount,
  ofType,
  register,
  SAME_ORIGIN,
  sessionCookie,
  signedInUser,
  useTestApp,
  webUser,
  type Fields,
} from '../helpers/index.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

async function postCount(app: App): Promise<number> {
  const row = await app.db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ================================================================ tests

describe('POST /login (form, without JavaScript)', () => {
  it('success sets an HttpOnly, SameSite=Lax, Path=/ cookie (not Secure over http) and redirects 303 to /', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('login'));
    const response = await formPost(app, '/login', { email: user.email, password: user.password });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = defined(sessionCookie(response));
    expectSessionSet(response);
    expect(cookie.httpOnly).toBe(true);
    expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
    expect(cookie.path).toBe('/');
    expect(cookie.secure ?? false).toBe(false);
    const raw = String(response.headers['set-cookie']);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    expect(raw).not.toMatch(/;\s*Secure/i);
    // The token does not leak into the page or a URL.
    expect(response.body).not.toContain(cookie.value);
    expect(String(response.headers.location)).not.toContain(cookie.value);
  });

  it('the email is matched case-insensitively, as in the API', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('case'));
    const response = await formPost(app, '/login', { email: user.email.toUpperCase(), password: user.password });
    expect(response.statusCode).toBe(303);
    expectSessionSet(response);
  });

  it('the cookie signs the visitor in on the pages and on the API', async () => {
    const app = await getApp();
    const user = await webUser(app, 'cookieuse');
    const home = expectHtml(await app.inject({ url: '/', cookies: user.cookies }), 200);
    expect(home).toMatch(new RegExp(`<a\\b[^>]*href="/account"[^>]*>\\s*${user.username}\\s*</a>`));
    const me = await app.inject({ url: '/api/users/me', cookies: user.cookies });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, username: user.username, email: user.email });
  });

  it('a wrong password re-renders the form with 401, the message next to the field, the email kept, and no cookie', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('badpw'));
    const response = await formPost(app, '/login', { email: user.email, password: 'wrong password', next: '/account' });
    const html = expectHtml(response, 401);
    expectNoSessionSet(response);
    expect(html).toMatch(/<form\b[^>]*action="\/login"/);
    const messages = [fieldError(html, 'email'), fieldError(html, 'password')].join(' ');
    expect(messages).toContain('Incorrect email or password');
    expect(html).toMatch(/<input\b[^>]*class="[^"]*is-invalid[^"]*"/);
    expect(inputValue(html, 'email')).toBe(user.email);
    expect(html).not.toContain('wrong password');
    // The destination survives the failed attempt.
    expect(inputValue(html, 'next')).toBe('/account');
  });

  it('an unknown email and empty fields are refused the same way (401, no cookie)', async () => {
    const app = await getApp();
    for (const fields of [
      { email: 'nobody@example.com', password: 'whatever pw' },
      { email: '', password: '' },
      {},
    ] as Fields[]) {
      const response = await formPost(app, '/login', fields);
      const html = expectHtml(response, 401);
      expectNoSessionSet(response);
      expect(html).toContain('Incorrect email or password');
    }
  });

  it('with Accept: application/json answers {redirect} on success and {detail} 401 on failure', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('jsonlogin'));
    const ok = await formPost(
      app,
      '/login',
      { email: user.email, password: user.password, next: '/account' },
      { ...SAME_ORIGIN, ...JSON_ACCEPT },
    );
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers['content-type'])).toMatch(/^application\/json/);
    expect(ok.json()).toEqual({ redirect: '/account' });
    const session = expectSessionSet(ok);
    expect((await app.inject({ url: '/api/users/me', cookies: { session } })).statusCode).toBe(200);

    const bad = await formPost(
      app,
      '/login',
      { email: user.email, password: 'nope nope' },
      { ...SAME_ORIGIN, ...JSON_ACCEPT },
    );
    expect(bad.statusCode).toBe(401);
    expect(String(bad.headers['content-type'])).toMatch(/^application\/json/);
    expect(bad.json()).toEqual({ detail: 'Incorrect email or password' });
    expectNoSessionSet(bad);
  });

  it('is refused (403, no cookie) when the browser says the form came from another site (login CSRF)', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('logincsrf'));
    const cases: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site', ...JSON_ACCEPT },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      {},
    ];
    for (const headers of cases) {
      const response = await formPost(app, '/login', { email: user.email, password: user.password }, headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expectNoSessionSet(response);
    }
  });

  it('is accepted without Sec-Fetch-Site when Origin matches the Host header', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('origin'));
    const response = await formPost(
      app,
      '/login',
      { email: user.email, password: user.password },
      { origin: 'http://localhost:8000', host: 'localhost:8000' },
    );
    expect(response.statusCode).toBe(303);
    expectSessionSet(response);
  });

  it('is accepted with Origin http://localhost:80 and Host localhost:80 (same origin, explicit default port)', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('origin80'));
    const response = await formPost(
      app,
      '/login',
      { email: user.email, password: user.password },
      { origin: 'http://localhost:80', host: 'localhost:80' },
    );
    expect(response.statusCode).toBe(303);
    expectSessionSet(response);
  });
});

describe('POST /register (form, without JavaScript)', () => {
  it('success creates the account, sets the session cookie and redirects 303', async () => {
    const app = await getApp();
    const account = newAccount('formreg');
    const response = await formPost(app, '/register', account);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const session = expectSessionSet(response);
    const cookie = defined(sessionCookie(response));
    expect(cookie.httpOnly).toBe(true);
    expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
    expect(cookie.path).toBe('/');
    const me = await app.inject({ url: '/api/users/me', cookies: { session } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: account.username, email: account.email });
  });

  it('invalid values re-render the form with 422 and the messages next to the fields, values kept', async () => {
    const app = await getApp();
    const response = await formPost(app, '/register', { username: 'keepme', email: 'not-an-email', password: 'short' });
    const html = expectHtml(response, 422);
    expectNoSessionSet(response);
    expect(html).toMatch(/<form\b[^>]*action="\/register"/);
    expect(fieldError(html, 'email')).toMatch(/email/i);
    expect(fieldError(html, 'password')).toMatch(/8/);
    expect(fieldError(html, 'username')).toBe('');
    expect(inputValue(html, 'username')).toBe('keepme');
    expect(inputValue(html, 'email')).toBe('not-an-email');
    expect(html).not.toMatch(/<input\b[^>]*name="password"[^>]*value="short"/);
    const found = await app.db.selectFrom('users').select('id').where('username', '=', 'keepme').execute();
    expect(found).toEqual([]);
  });

  it('a taken username or email re-renders the form with 400 and the message next to that field', async () => {
    const app = await getApp();
    const existing = await register(app, newAccount('taken'));
    const byName = await formPost(app, '/register', { ...newAccount('x'), username: existing.username.toUpperCase() });
    const nameHtml = expectHtml(byName, 400);
    expectNoSessionSet(byName);
    expect(fieldError(nameHtml, 'username')).toBe('Username already exists');

    const byEmail = await formPost(app, '/register', { ...newAccount('y'), email: existing.email });
    const emailHtml = expectHtml(byEmail, 400);
    expectNoSessionSet(byEmail);
    expect(fieldError(emailHtml, 'email')).toBe('Email already exists');
  });

  it('with Accept: application/json answers like the API: 422 detail array, 400 {detail}, {redirect} on success', async () => {
    const app = await getApp();
    const headers = { ...SAME_ORIGIN, ...JSON_ACCEPT };
    const invalid = await formPost(app, '/register', { username: '', email: 'bad', password: 'short' }, headers);
    expect(invalid.statusCode).toBe(422);
    expect(String(invalid.headers['content-type'])).toMatch(/^application\/json/);
    const { detail } = invalid.json<{ detail: ValidationDetail[] }>();
    expect(Array.isArray(detail)).toBe(true);
    for (const item of detail) {
      expect(item).toEqual({ loc: ofType(Array), msg: ofType(String), type: ofType(String) });
    }
    expect(detail.map((item) => item.loc)).toEqual(
      expect.arrayContaining([
        ['body', 'username'],
        ['body', 'email'],
        ['body', 'password'],
      ]),
    );

    const existing = await register(app, newAccount('jtaken'));
    const taken = await formPost(app, '/register', { ...newAccount('z'), username: existing.username }, headers);
    expect(taken.statusCode).toBe(400);
    expect(taken.json()).toEqual({ detail: 'Username already exists' });

    const account = newAccount('jreg');
    const ok = await formPost(app, '/register', account, headers);
    expect(ok.statusCode).toBeGreaterThanOrEqual(200);
    expect(ok.statusCode).toBeLessThan(300);
    expect(ok.json()).toEqual({ redirect: '/' });
    const session = expectSessionSet(ok);
    expect(
      (await app.inject({ url: '/api/users/me', cookies: { session } })).json<{ username: string }>().username,
    ).toBe(account.username);
  });

  it('is refused (403) from another site and creates no account', async () => {
    const app = await getApp();
    const account = newAccount('regcsrf');
    const cases: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'http://evil.example' }];
    for (const headers of cases) {
      const response = await formPost(app, '/register', account, headers);
      expect(response.statusCode).toBe(403);
      expectNoSessionSet(response);
    }
    const found = await app.db.selectFrom('users').select('id').where('username', '=', account.username).execute();
    expect(found).toEqual([]);
  });
});

describe('POST /logout', () => {
  it('clears the session cookie and redirects 303; the pages are then signed out', async () => {
    const app = await getApp();
    const user = await webUser(app, 'logout');
    const response = await app.inject({ method: 'POST', url: '/logout', headers: SAME_ORIGIN, cookies: user.cookies });
    expect(response.statusCode).toBe(303);
    expect(sessionCookie(response)).toBeDefined();
    const cleared = defined(sessionCookie(response), 'the cleared session cookie');
    expect(cleared.value).toBe('');
    const expired =
      (cleared.maxAge !== undefined && cleared.maxAge <= 0) ||
      (cleared.expires !== undefined && cleared.expires.getTime() <= Date.now());
    expect(expired).toBe(true);
    expect(cleared.path).toBe('/');

    // The browser now has no cookie: signed-out navigation, /account redirects.
    const home = expectHtml(await app.inject({ url: '/' }), 200);
    expect(home).toMatch(/<a\b[^>]*href="\/login"[^>]*>\s*Login\s*<\/a>/);
    expect((await app.inject({ url: '/account' })).statusCode).toBe(303);
  });

  it('with Accept: application/json also clears the cookie', async () => {
    const app = await getApp();
    const user = await webUser(app, 'jlogout');
    const response = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { ...SAME_ORIGIN, ...JSON_ACCEPT },
      cookies: user.cookies,
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(sessionCookie(response)?.value).toBe('');
  });
});

describe('/account and the next redirect', () => {
  it('signed out -> 303 /login?next=%2Faccount -> login form -> 303 back to /account -> profile', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('nextflow'));
    const first = await app.inject({ url: '/account' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login?next=%2Faccount');

    const form = expectHtml(await app.inject({ url: String(first.headers.location) }), 200);
    const next = inputValue(form, 'next');
    expect(next).toBe('/account');

    const loggedIn = await formPost(app, '/login', { email: user.email, password: user.password, next: defined(next) });
    expect(loggedIn.statusCode).toBe(303);
    expect(loggedIn.headers.location).toBe('/account');
    const session = expectSessionSet(loggedIn);

    const account = expectHtml(await app.inject({ url: '/account', cookies: { session } }), 200);
    expect(inputValue(account, 'username')).toBe(user.username);
    expect(inputValue(account, 'email')).toBe(user.email);
  });

  it('keeps a same-site path with a query string', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('nextq'));
    const response = await formPost(app, '/login', {
      email: user.email,
      password: user.password,
      next: '/posts?skip=10',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/posts?skip=10');
  });

  it('a next pointing to another site falls back to / (form and JSON)', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('nextevil'));
    for (const next of [
      '//evil.example',
      'https://evil.example',
      '/\\evil',
      'http://evil.example/account',
      'javascript:alert(1)',
      'evil.example',
    ]) {
      const form = await formPost(app, '/login', { email: user.email, password: user.password, next });
      expect(form.statusCode, next).toBe(303);
      expect(form.headers.location, next).toBe('/');
      const json = await formPost(
        app,
        '/login',
        { email: user.email, password: user.password, next },
        { ...SAME_ORIGIN, ...JSON_ACCEPT },
      );
      expect(json.json(), next).toEqual({ redirect: '/' });
    }
  });

  it('a next with a tab inside "//" (which browsers strip, making "//evil.example") falls back to / (form and JSON)', async () => {
    // Browsers remove ASCII tab and newline from URLs, so "/\t/evil.example" navigates to //evil.example.
    const app = await getApp();
    const user = await register(app, newAccount('nexttab'));
    const next = '/\t/evil.example';
    const form = await formPost(app, '/login', { email: user.email, password: user.password, next });
    expect(form.statusCode).toBe(303);
    const location = String(form.headers.location);
    expect(new URL(location, 'http://localhost').host, JSON.stringify(location)).toBe('localhost');
    const json = await formPost(
      app,
      '/login',
      { email: user.email, password: user.password, next },
      { ...SAME_ORIGIN, ...JSON_ACCEPT },
    );
    expect(json.json()).toEqual({ redirect: '/' });
  });

  it('a next with a newline neither breaks the response (no 500, no JSON) nor leads off-site', async () => {
    const app = await getApp();
    const user = await register(app, newAccount('nextnl'));
    for (const next of ['/\n/evil.example', '/\r\n/evil.example', '/account\r\nSet-Cookie: x=1']) {
      const form = await formPost(app, '/login', { email: user.email, password: user.password, next });
      expect(form.statusCode, JSON.stringify(next)).toBe(303);
      const location = String(form.headers.location);
      expect(new URL(location, 'http://localhost').host, JSON.stringify(location)).toBe('localhost');
      expectSessionSet(form);
      const json = await formPost(
        app,
        '/login',
        { email: user.email, password: user.password, next },
        { ...SAME_ORIGIN, ...JSON_ACCEPT },
      );
      const redirect = String(json.json<{ redirect: unknown }>().redirect);
      expect(new URL(redirect, 'http://localhost').host, JSON.stringify(redirect)).toBe('localhost');
      expect(redirect, JSON.stringify(redirect)).not.toMatch(/[\r\n\t]/);
    }
  });

  it('GET /login while signed in redirects to a safe next, never to another site', async () => {
    const app = await getApp();
    const user = await webUser(app, 'loginsigned');
    const inside = await app.inject({ url: '/login?next=%2Faccount', cookies: user.cookies });
    expect(inside.statusCode).toBe(303);
    expect(inside.headers.location).toBe('/account');
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil']) {
      const response = await app.inject({ url: `/login?next=${encodeURIComponent(next)}`, cookies: user.cookies });
      expect(response.statusCode, next).toBe(303);
      expect(response.headers.location, next).toBe('/');
    }
  });
});

describe('the API accepts the session cookie as well as the Bearer header', () => {
  it('GET /api/users/me with only the cookie answers 200; with a bad cookie 401', async () => {
    const app = await getApp();
    const user = await webUser(app, 'apime');
    const me = await app.inject({ url: '/api/users/me', cookies: user.cookies });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ id: number }>().id).toBe(user.id);
    const bad = await app.inject({ url: '/api/users/me', cookies: { session: 'garbage' } });
    expect(bad.statusCode).toBe(401);
    expect(String(bad.headers['content-type'])).toMatch(/^application\/json/);
  });

  it('POST /api/posts with the cookie and Sec-Fetch-Site: same-origin creates the post (201)', async () => {
    const app = await getApp();
    const user = await webUser(app, 'apipost');
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: SAME_ORIGIN,
      cookies: user.cookies,
      payload: { title: 'Cookie post', content: 'Made with the cookie' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ title: 'Cookie post', user_id: user.id });
  });

  it('POST /api/posts with the cookie and a matching Origin (no Sec-Fetch-Site) creates the post (201)', async () => {
    const app = await getApp();
    const user = await webUser(app, 'apiorigin');
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { origin: 'http://blog.example:8000', host: 'blog.example:8000' },
      cookies: user.cookies,
      payload: { title: 'Origin post', content: 'Made with the cookie' },
    });
    expect(response.statusCode).toBe(201);
  });

  it('POST /api/posts with the cookie from another site is refused with 403 and creates nothing', async () => {
    const app = await getApp();
    const user = await webUser(app, 'apicsrf');
    const cases: [string, Record<string, string>][] = [
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      [
        'Sec-Fetch-Site: cross-site with a matching Origin',
        { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:8000', host: 'localhost:8000' },
      ],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
      ['no Sec-Fetch-Site and no Origin', {}],
      ['Origin: http://evil.example', { origin: 'http://evil.example' }],
      ['Origin: null', { origin: 'null' }],
    ];
    for (const [label, headers] of cases) {
      const before = await postCount(app);
      const response = await app.inject({
        method: 'POST',
        url: '/api/posts',
        headers,
        cookies: user.cookies,
        payload: { title: `csrf ${label}`, content: 'should not exist' },
      });
      expect(response.statusCode, label).toBe(403);
      expect(String(response.headers['content-type']), label).toMatch(/^application\/json/);
      expect(typeof response.json<{ detail: unknown }>().detail, label).toBe('string');
      expect(await postCount(app), label).toBe(before);
    }
  });

  it('changing or deleting a post with the cookie from another site is refused and changes nothing', async () => {
    const app = await getApp();
    const user = await webUser(app, 'apicsrf2');
    const post = await createPost(app, user.headers, 'Keep me', 'Unchanged');
    const cross = { 'sec-fetch-site': 'cross-site' };
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/posts/${post.id}`,
      headers: cross,
      cookies: user.cookies,
      payload: { title: 'Hacked' },
    });
    expect(patch.statusCode).toBe(403);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/posts/${post.id}`,
      headers: cross,
      cookies: user.cookies,
    });
    expect(del.statusCode).toBe(403);
    const deleteAccount = await app.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}`,
      headers: { origin: 'http://evil.example' },
      cookies: user.cookies,
    });
    expect(deleteAccount.statusCode).toBe(403);
    const still = await app.inject({ url: `/api/posts/${post.id}` });
    expect(still.statusCode).toBe(200);
    expect(still.json<{ title: string }>().title).toBe('Keep me');
    expect((await app.inject({ url: `/api/users/${user.id}` })).statusCode).toBe(200);
  });

  it('a Bearer request needs none of these headers', async () => {
    const app = await getApp();
    const user = await signedInUser(app, 'bearer');
    const before = await postCount(app);
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: user.headers,
      payload: { title: 'Bearer post', content: 'fine' },
    });
    expect(response.statusCode).toBe(201);
    expect(await postCount(app)).toBe(before + 1);
  });

  it('without any credentials the API still answers 401 (not 403)', async () => {
    const app = await getApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { title: 't', content: 'c' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});
