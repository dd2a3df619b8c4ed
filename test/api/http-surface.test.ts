// The HTTP surface beyond the contract: security headers on every response,
// HSTS only over HTTPS (and X-Forwarded-* only from a trusted proxy),
// per-route body limits answered 413 {detail}, served media headers, no path
// traversal out of /static or /media, and uploads judged by decoding.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import {
  bmp,
  completePng,
  defined,
  expectPicturesConsistent,
  expectSecurityHeaders,
  listen,
  me,
  measureRssGrowth,
  multipart,
  newAccount,
  ofType,
  parseCsp,
  pngDeclaring,
  pngOf,
  rawRequest,
  signedInUser,
  uploadPicture,
  useTestApp,
  type HeaderValues,
  type SignedIn,
  type TestContext,
} from '../helpers/index.js';

const MiB = 1024 * 1024;
const KiB = 1024;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function upload(app: App, user: SignedIn, file: Buffer, filename: string, type: string) {
  return uploadPicture(app, user.id, user.headers, file, filename, type);
}

// ---------------------------------------------------------------------------
// 1. Security headers
// ---------------------------------------------------------------------------

describe('security headers on every response', () => {
  const context = useTestApp();
  let pictureUrl: string | undefined;

  beforeAll(async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'hdr');
    const response = await upload(app, user, await pngOf('#3366cc'), 'me.png', 'image/png');
    expect(response.statusCode, response.body).toBe(200);
    pictureUrl = response.json<{ image_path: string }>().image_path;
    expect(pictureUrl).toMatch(/^\/media\/profile_pics\/[^/]+\.jpg$/);
  });

  const cases: { url: () => string | undefined; status: number; type: RegExp }[] = [
    { url: () => '/', status: 200, type: /^text\/html/ },
    { url: () => '/login', status: 200, type: /^text\/html/ },
    { url: () => '/no/such/page', status: 404, type: /^text\/html/ },
    { url: () => '/api/posts', status: 200, type: /^application\/json/ },
    { url: () => '/api/no-such-endpoint', status: 404, type: /^application\/json/ },
    { url: () => '/static/favicon.svg', status: 200, type: /^image\/svg\+xml/ },
    { url: () => DEFAULT_AVATAR_URL, status: 200, type: /^image\/jpeg/ },
    { url: () => pictureUrl, status: 200, type: /^image\/jpeg/ },
    { url: () => '/media/profile_pics/0123456789abcdef0123456789abcdef.jpg', status: 404, type: /^text\/html/ },
  ];

  for (const testCase of cases) {
    it(`${testCase.status} ${testCase.url() ?? 'a media picture'}`, async () => {
      const { app } = await context();
      const url = defined(testCase.url(), 'the URL');
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(testCase.status);
      expect(String(response.headers['content-type'])).toMatch(testCase.type);
      const csp = expectSecurityHeaders(url, response.headers);
      // Outside /docs, styles are strict too: only the docs may relax style-src (the API and files allow no style at all).
      if (String(response.headers['content-type']).startsWith('text/html'))
        expect(csp.get('style-src'), `${url} style-src`).toEqual(["'self'"]);
    });
  }

  it('the 404 of an /api path is the JSON error shape, with the headers', async () => {
    const { app } = await context();
    const response = await app.inject({ method: 'GET', url: '/api/no-such-endpoint' });
    expect(response.json()).toEqual({ detail: ofType(String) });
  });

  it('/docs/ (Swagger UI) relaxes style-src only; script-src stays self', async () => {
    const { app } = await context();
    const site = parseCsp((await app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    for (const url of ['/docs/', '/docs']) {
      let response = await app.inject({ method: 'GET', url });
      // Swagger UI may redirect to its index; follow one same-site redirect.
      if (response.statusCode >= 300 && response.statusCode < 400) {
        expectSecurityHeaders(url, response.headers);
        const location = String(response.headers.location);
        expect(location.startsWith('/') || location.startsWith('./') || !location.includes('//')).toBe(true);
        response = await app.inject({ method: 'GET', url: new URL(location, `http://localhost${url}`).pathname });
      }
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
      expect(response.body).toContain('swagger');
      const csp = expectSecurityHeaders(url, response.headers);
      // Everything but style-src is exactly the site policy.
      const withoutStyle = (map: Map<string, string[]>) => [...map].filter(([name]) => name !== 'style-src').sort();
      expect(withoutStyle(csp)).toEqual(withoutStyle(site));
      expect(csp.get('style-src')?.[0]).toBe("'self'");
    }
  });

  it('/docs static assets (the Swagger UI scripts) carry the headers; the page has no inline script', async () => {
    const { app } = await context();
    const index = await app.inject({ method: 'GET', url: '/docs/' });
    expect(index.statusCode).toBe(200);
    const tags = [...index.body.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
    expect(tags.length).toBeGreaterThan(0);
    // script-src 'self' would block an inline script: every script is a file of this origin.
    for (const tag of tags) expect(tag, tag).toMatch(/\ssrc="[^"]+"/);
    const scripts = tags.map((tag) => defined(defined(/\ssrc="([^"]+)"/.exec(tag))[1]));
    for (const script of scripts) {
      const url = new URL(script, 'http://localhost/docs/');
      expect(url.origin, script).toBe('http://localhost');
      const response = await app.inject({ method: 'GET', url: url.pathname });
      expect(response.statusCode, url.pathname).toBe(200);
      expect(String(response.headers['content-type'])).toMatch(/javascript/);
      expectSecurityHeaders(url.pathname, response.headers);
    }
  });
});

// ---------------------------------------------------------------------------
// 2. HSTS and trusted proxies
// ---------------------------------------------------------------------------

const HSTS_MIN_MAX_AGE = 15_552_000;

function expectHsts(headers: HeaderValues) {
  const value = headers['strict-transport-security'];
  expect(typeof value, 'Strict-Transport-Security header').toBe('string');
  const maxAge = /max-age=(\d+)/i.exec(String(value));
  expect(maxAge, String(value)).not.toBeNull();
  expect(Number(defined(maxAge)[1])).toBeGreaterThanOrEqual(HSTS_MIN_MAX_AGE);
}

/** POST /login as a browser form from this site; returns the Set-Cookie headers. */
async function browserLogin(
  app: App,
  email: string,
  password: string,
  headers: Record<string, string> = {},
  remoteAddress?: string,
) {
  const response = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers },
    payload: new URLSearchParams({ email, password, next: '/' }).toString(),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
  const setCookie = [response.headers['set-cookie'] ?? []].flat().map(String);
  expect(setCookie.length).toBeGreaterThan(0);
  return setCookie;
}

const isSecureCookie = (cookie: string) =>
  cookie.split(';').some((attribute) => attribute.trim().toLowerCase() === 'secure');

describe('HSTS with TRUST_PROXY off (the default)', () => {
  const context = useTestApp();

  it('no HSTS over plain http', async () => {
    const { app } = await context();
    for (const url of ['/', '/api/posts', '/static/favicon.svg']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('no HSTS when a client (not a trusted proxy) claims X-Forwarded-Proto: https', async () => {
    const { app } = await context();
    for (const url of ['/', '/api/posts']) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('the session cookie is not marked Secure on a forged X-Forwarded-Proto: https', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'nossl');
    const cookies = await browserLogin(app, user.email, user.password, { 'x-forwarded-proto': 'https' });
    expect(cookies.some(isSecureCookie), cookies.join(' | ')).toBe(false);
  });
});

describe('HSTS with TRUST_PROXY=true', () => {
  const context = useTestApp({ TRUST_PROXY: 'true' });

  it('HSTS present (max-age >= 180 days) when the proxy says X-Forwarded-Proto: https', async () => {
    const { app } = await context();
    for (const url of ['/', '/api/posts', '/static/favicon.svg', '/api/no-such-endpoint']) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      expectHsts(response.headers);
    }
  });

  it('still no HSTS for a plain-http request through the proxy', async () => {
    const { app } = await context();
    const plain = await app.inject({ method: 'GET', url: '/' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const forwardedHttp = await app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'http' } });
    expect(forwardedHttp.headers['strict-transport-security']).toBeUndefined();
  });

  it('the session cookie gets Secure only when the proxy says https', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'ssl');
    const overHttps = await browserLogin(app, user.email, user.password, { 'x-forwarded-proto': 'https' });
    expect(overHttps.some(isSecureCookie), overHttps.join(' | ')).toBe(true);
    const overHttp = await browserLogin(app, user.email, user.password);
    expect(overHttp.some(isSecureCookie), overHttp.join(' | ')).toBe(false);
  });
});

describe('HSTS with TRUST_PROXY=10.0.0.1 (one trusted proxy address)', () => {
  const context = useTestApp({ TRUST_PROXY: '10.0.0.1' });

  it('X-Forwarded-Proto is believed from 10.0.0.1 only', async () => {
    const { app } = await context();
    const fromProxy = await app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(fromProxy.statusCode).toBe(200);
    expectHsts(fromProxy.headers);

    for (const remoteAddress of ['10.0.0.2', '127.0.0.1', '203.0.113.9']) {
      const fromElsewhere = await app.inject({
        method: 'GET',
        url: '/',
        remoteAddress,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(fromElsewhere.statusCode).toBe(200);
      expect(fromElsewhere.headers['strict-transport-security'], remoteAddress).toBeUndefined();
    }
  });

  it('the session cookie is Secure only through the trusted proxy', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'proxy');
    const viaProxy = await browserLogin(app, user.email, user.password, { 'x-forwarded-proto': 'https' }, '10.0.0.1');
    expect(viaProxy.some(isSecureCookie), viaProxy.join(' | ')).toBe(true);
    const direct = await browserLogin(app, user.email, user.password, { 'x-forwarded-proto': 'https' }, '10.0.0.2');
    expect(direct.some(isSecureCookie), direct.join(' | ')).toBe(false);
  });
});

describe('X-Forwarded-For decides the client address only behind a trusted proxy', () => {
  // Observable effect of request.ip: registrations are rate-limited per client address.
  const limits = {
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_REGISTRATIONS: '1',
    RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: '3600',
  };
  const trusted = useTestApp({ ...limits, TRUST_PROXY: 'true' });
  const untrusted = useTestApp(limits);

  const registerFrom = (app: App, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { 'x-forwarded-for': forwardedFor },
      payload: newAccount('xff'),
    });

  it('TRUST_PROXY=true: each X-Forwarded-For address has its own registration budget', async () => {
    const { app } = await trusted();
    expect((await registerFrom(app, '203.0.113.1')).statusCode).toBe(201);
    const again = await registerFrom(app, '203.0.113.1');
    expect(again.statusCode, again.body).toBe(429);
    expect(again.headers['retry-after']).toBeDefined();
    // Another client behind the same proxy is not blocked by the first one.
    expect((await registerFrom(app, '203.0.113.2')).statusCode).toBe(201);
  });

  it('TRUST_PROXY off: a forged X-Forwarded-For does not escape the limit', async () => {
    const { app } = await untrusted();
    expect((await registerFrom(app, '198.51.100.1')).statusCode).toBe(201);
    const forged = await registerFrom(app, '198.51.100.2');
    expect(forged.statusCode, forged.body).toBe(429);
  });
});

// ---------------------------------------------------------------------------
// 3. Body size limits
// ---------------------------------------------------------------------------

function expectTooLarge(response: { statusCode: number; headers: HeaderValues; body: string }, what: string) {
  expect(response.statusCode, `${what}: ${response.body.slice(0, 200)}`).toBe(413);
  expect(String(response.headers['content-type']), what).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as unknown;
  expect(body, what).toEqual({ detail: ofType(String) });
  expect((body as { detail: string }).detail.length).toBeGreaterThan(0);
}

describe('body size limits per route', () => {
  const context = useTestApp();
  let user: SignedIn;

  beforeAll(async () => {
    const { app } = await context();
    user = await signedInUser(app, 'limits');
  });

  it('POST /api/posts with a 2 MiB JSON body: 413 {detail}', async () => {
    const { app } = await context();
    const payload = JSON.stringify({ title: 'Big', content: 'x'.repeat(2 * MiB) });
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload,
    });
    expectTooLarge(response, 'POST /api/posts 2 MiB');
  });

  it('POST /api/posts with 100,000 characters of content (~100 KB) is accepted: 201', async () => {
    const { app } = await context();
    const content = 'Lorem ipsum dolor sit amet. '.repeat(4000).slice(0, 100_000);
    expect(content.length).toBe(100_000);
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: user.headers,
      payload: { title: 'Long post', content },
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(201);
    expect(response.json<{ content: string }>().content).toBe(content);
  });

  it('POST /api/users with a 20 KiB JSON body: 413 {detail}, and nobody is registered', async () => {
    const { app } = await context();
    const account = newAccount('bigreg');
    const payload = JSON.stringify({ ...account, padding: 'p'.repeat(20 * KiB) });
    const response = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectTooLarge(response, 'POST /api/users 20 KiB');
    // The same account without the padding registers: it was the size that was refused.
    const normal = await app.inject({ method: 'POST', url: '/api/users', payload: account });
    expect(normal.statusCode, normal.body).toBe(201);
  });

  it('POST /api/users/token with a 20 KiB form body: 413 {detail}', async () => {
    const { app } = await context();
    const payload = new URLSearchParams({
      username: user.email,
      password: user.password,
      padding: 'p'.repeat(20 * KiB),
    }).toString();
    expect(payload.length).toBeGreaterThan(20 * KiB);
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    expectTooLarge(response, 'POST /api/users/token 20 KiB');
  });

  it('PATCH /api/users/{id} with a 20 KiB JSON body: 413 {detail}, the user unchanged', async () => {
    const { app } = await context();
    const payload = JSON.stringify({ username: `renamed${process.pid}`, padding: 'p'.repeat(20 * KiB) });
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload,
    });
    expectTooLarge(response, 'PATCH /api/users/{id} 20 KiB');
    const current = await app.inject({ method: 'GET', url: `/api/users/${user.id}` });
    expect(current.json<{ username: string }>().username).toBe(user.username);
  });

  it('POST /api/users/me/password with a 20 KiB JSON body: 413 {detail}, the password unchanged', async () => {
    const { app } = await context();
    const payload = JSON.stringify({
      current_password: user.password,
      new_password: 'new password 123',
      padding: 'p'.repeat(20 * KiB),
    });
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload,
    });
    expectTooLarge(response, 'POST /api/users/me/password 20 KiB');
    // The token still works (a password change would have revoked it).
    expect((await app.inject({ method: 'GET', url: '/api/users/me', headers: user.headers })).statusCode).toBe(200);
  });
});

describe('body size limits on a listening server', () => {
  const testApp = useTestApp();
  let context: TestContext;
  let port: number;
  let user: SignedIn;

  beforeAll(async () => {
    context = await testApp();
    user = await signedInUser(context.app, 'stream');
    port = await listen(context);
  });

  it('a 50 MiB JSON body streamed (chunked) to POST /api/posts: 413 {detail} well under 5 s; /healthz still answers', async () => {
    const total = 50 * MiB;
    const chunk = Buffer.alloc(64 * KiB, 'x'.charCodeAt(0));
    let sent = 0;
    let stop = false;
    let sentWhenAnswered = -1;
    function* generate() {
      yield Buffer.from('{"title":"huge","content":"');
      sent += 27;
      while (!stop && sent < total) {
        sent += chunk.length;
        yield chunk;
      }
      yield Buffer.from('"}');
    }
    const answer = await rawRequest(port, {
      method: 'POST',
      path: '/api/posts',
      headers: { ...user.headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: Readable.from(generate()),
      onResponse: () => {
        stop = true;
        sentWhenAnswered = sent;
      },
    });
    expectTooLarge(
      { statusCode: answer.status, headers: answer.headers, body: answer.body },
      'chunked 50 MiB POST /api/posts',
    );
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect(sentWhenAnswered).toBeGreaterThan(MiB);

    const health = await rawRequest(port, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    // And the API is still usable.
    const posts = await rawRequest(port, { method: 'GET', path: '/api/posts' });
    expect(posts.status).toBe(200);
  });

  it('a 50 MiB JSON body with Content-Length: 413 {detail} before the body is sent', async () => {
    let sent = 0;
    let stop = false;
    const chunk = Buffer.alloc(64 * KiB, 'x'.charCodeAt(0));
    const total = 50 * MiB;
    function* generate() {
      while (!stop && sent < total) {
        sent += chunk.length;
        yield chunk;
      }
    }
    const answer = await rawRequest(port, {
      method: 'POST',
      path: '/api/posts',
      headers: { ...user.headers, 'content-type': 'application/json', 'content-length': String(total) },
      body: Readable.from(generate()),
      onResponse: () => {
        stop = true;
      },
    });
    expectTooLarge(
      { statusCode: answer.status, headers: answer.headers, body: answer.body },
      'declared 50 MiB POST /api/posts',
    );
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect((await rawRequest(port, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------
// 4. Served media and path traversal
// ---------------------------------------------------------------------------

describe('served media and path traversal', () => {
  let context: TestContext;
  let port: number;
  let user: SignedIn;
  let picture: string;
  const SECRET_MARKER = 'not-the-real-secret-marker-5f1d2c3b4a';

  const testApp = useTestApp();

  beforeAll(async () => {
    context = await testApp();
    // The test app gets its key from the environment; put a secret_key file where a
    // default install keeps it, so that traversal to it would be visible.
    writeFileSync(path.join(context.dataDir, 'secret_key'), `${SECRET_MARKER}\n`);
    // On PostgreSQL there is no database file in DATA_DIR: put a stand-in there too.
    const databaseFile = path.join(context.dataDir, 'blog.db');
    if (!existsSync(databaseFile))
      writeFileSync(databaseFile, 'SQLite format 3\u0000 stand-in for the traversal tests');
    user = await signedInUser(context.app, 'media');
    const response = await upload(context.app, user, await pngOf('#22aa55'), 'me.png', 'image/png');
    expect(response.statusCode, response.body).toBe(200);
    picture = response.json<{ image_path: string }>().image_path;
    port = await listen(context);
  });

  it('the data directory holds what a traversal would be after', () => {
    expect(readFileSync(path.join(context.dataDir, 'blog.db')).subarray(0, 15).toString('latin1')).toBe(
      'SQLite format 3',
    );
    expect(readFileSync(path.join(context.dataDir, 'secret_key'), 'utf8')).toContain(SECRET_MARKER);
    expect(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')).toContain('"name"');
  });

  it('an uploaded picture: image/jpeg, nosniff, cached for a year as immutable', async () => {
    for (const response of [
      await context.app.inject({ method: 'GET', url: picture }),
      await rawRequest(port, { method: 'GET', path: picture }).then((a) => ({
        statusCode: a.status,
        headers: a.headers,
        rawPayload: Buffer.from(a.body, 'latin1'),
      })),
    ]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/jpeg');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const cacheControl = String(response.headers['cache-control']);
      expect(cacheControl).toMatch(/(^|[,\s])max-age=31536000($|[,\s])/);
      expect(cacheControl).toMatch(/(^|[,\s])immutable($|[,\s])/);
      expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
  });

  const traversals = [
    '/media/profile_pics/../../blog.db',
    '/media/profile_pics/../../secret_key',
    '/media/profile_pics/..%2f..%2fblog.db',
    '/media/profile_pics/..%2F..%2Fsecret_key',
    '/media/profile_pics/%2e%2e/%2e%2e/secret_key',
    '/media/profile_pics/%2e%2e/%2e%2e/blog.db',
    '/media/profile_pics/%2e%2e%2f%2e%2e%2fblog.db',
    '/media/profile_pics/..%5c..%5cblog.db',
    '/media/profile_pics/..\\..\\blog.db',
    '/media/profile_pics/..\\..\\secret_key',
    '/media/profile_pics/x.jpg%00.png',
    '/media/profile_pics/..%2f..%2fblog.db%00.jpg',
    '/media/profile_pics/%252e%252e%252f%252e%252e%252fblog.db',
    '/media/profile_pics/..%252f..%252fsecret_key',
    '/media/profile_pics/....//....//blog.db',
    '/media/profile_pics/%c0%ae%c0%ae/%c0%ae%c0%ae/blog.db',
    '/media/../blog.db',
    '/media/profile_pics//../../blog.db',
    '/static/../data/blog.db',
    '/static/../package.json',
    '/static/..%2fpackage.json',
    '/static/..%2f..%2fpackage.json',
    '/static/%2e%2e/package.json',
    '/static/..%5cpackage.json',
    '/static/..\\package.json',
    '/static/%252e%252e%252fpackage.json',
  ];

  function expectNothingLeaked(url: string, statusCode: number, body: string) {
    expect(statusCode, `${url} -> ${statusCode}`).toBeGreaterThanOrEqual(400);
    expect(statusCode, `${url} -> ${statusCode}`).toBeLessThan(500);
    expect(body, url).not.toContain('SQLite format');
    expect(body, url).not.toContain(SECRET_MARKER);
    expect(body, url).not.toContain('"name"');
    expect(body, url).not.toContain('"dependencies"');
  }

  it('app.inject: no traversal out of /media/profile_pics or /static', async () => {
    for (const url of traversals) {
      const response = await context.app.inject({ method: 'GET', url });
      expectNothingLeaked(url, response.statusCode, response.body);
    }
  });

  it('raw HTTP (path sent as is, no client normalisation): no traversal either', async () => {
    for (const url of traversals) {
      const answer = await rawRequest(port, { method: 'GET', path: url });
      expectNothingLeaked(url, answer.status, answer.body);
    }
  });

  it('the server is healthy after the traversal attempts and still serves the picture', async () => {
    expect((await rawRequest(port, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await rawRequest(port, { method: 'GET', path: picture })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------
// 5. Uploads judged by decoding
// ---------------------------------------------------------------------------

describe('uploads: only JPEG, PNG, GIF and WebP, judged by decoding', () => {
  const context = useTestApp();

  /** The upload is refused with 400 "Invalid image file..." and nothing is stored. */
  async function expectRefused(file: Buffer, filename: string, type: string) {
    const ctx = await context();
    const user = await signedInUser(ctx.app, 'refuse');
    const response = await upload(ctx.app, user, file, filename, type);
    expect(response.statusCode, `${filename}: ${response.body}`).toBe(400);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    expect(response.json<{ detail: string }>().detail).toMatch(/^Invalid image file/);
    expect((await me(ctx.app, user.headers)).image_file).toBeNull();
    await expectPicturesConsistent(ctx);
    return response;
  }

  it('an SVG named .png with type image/png: 400', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/>' +
        '<script>alert(document.cookie)</script></svg>',
    );
    // libvips would render it: only the allow-list stops it.
    expect((await sharp(svg).metadata()).format).toBe('svg');
    await expectRefused(svg, 'avatar.png', 'image/png');
  });

  it('an HTML file: 400 (as .html and disguised as .jpg)', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    await expectRefused(html, 'page.html', 'text/html');
    await expectRefused(html, 'photo.jpg', 'image/jpeg');
  });

  it('a GIF/JavaScript polyglot (GIF89a header, not a decodable GIF): 400', async () => {
    const polyglot = Buffer.concat([
      Buffer.from('GIF89a/*'),
      Buffer.alloc(64, 0x20),
      Buffer.from('*/=alert(1)//'),
      Buffer.alloc(256, 0x20),
    ]);
    expect(polyglot.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    await expectRefused(polyglot, 'script.gif', 'image/gif');
  });

  it('a TIFF (decodable by libvips, not allowed): 400', async () => {
    const tiff = await sharp(await pngOf('#ff0000'))
      .tiff()
      .toBuffer();
    expect((await sharp(tiff).metadata()).format).toBe('tiff');
    await expectRefused(tiff, 'photo.tiff', 'image/tiff');
    await expectRefused(tiff, 'photo.png', 'image/png');
  });

  it('an AVIF/HEIF (decodable by libvips, not allowed): 400', async () => {
    const avif = await sharp(await pngOf('#ff0000', 32, 32))
      .avif()
      .toBuffer();
    expect((await sharp(avif).metadata()).format).toBe('heif');
    await expectRefused(avif, 'photo.jpg', 'image/jpeg');
  });

  it('a BMP: 400', async () => {
    const bitmap = bmp();
    expect(bitmap.subarray(0, 2).toString('latin1')).toBe('BM');
    await expectRefused(bitmap, 'photo.bmp', 'image/bmp');
    await expectRefused(bitmap, 'photo.png', 'image/png');
  });

  it('a valid PNG with an HTML document after IEND: accepted, stored as a fresh JPEG without the HTML', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app, 'polyglot');
    const marker = 'polyglot-marker-7c1e';
    const html = Buffer.from(`<html><body><script>alert("${marker}")</script></body></html>`);
    const file = Buffer.concat([await pngOf('#aa3300', 200, 150), html]);
    const response = await upload(ctx.app, user, file, 'innocent.png', 'image/png');
    expect(response.statusCode, response.body).toBe(200);
    const imageFile = response.json<{ image_file: string }>().image_file;
    expect(imageFile).toMatch(/^[0-9a-f]{32}\.jpg$/);

    const stored = readFileSync(path.join(ctx.dataDir, 'media', 'profile_pics', imageFile));
    expect(stored.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(stored.includes(Buffer.from(marker))).toBe(false);
    expect(stored.includes(Buffer.from('<script'))).toBe(false);
    expect(stored.includes(Buffer.from('<html'))).toBe(false);
    expect(stored.includes(Buffer.from('IEND'))).toBe(false);
    const metadata = await sharp(stored).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 300, 300]);

    const served = await ctx.app.inject({ method: 'GET', url: `/media/profile_pics/${imageFile}` });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(stored)).toBe(true);
    expect(served.body).not.toContain(marker);
  });

  /** Uploads `bomb` and measures time and the peak RSS growth of this process (inject runs in-process). */
  async function uploadMeasured(ctx: TestContext, user: SignedIn, bomb: Buffer) {
    const { payload, contentType } = await multipart([
      { name: 'file', value: bomb, filename: 'bomb.png', type: 'image/png' },
    ]);
    const started = performance.now();
    const { result: response, rssGrowth } = await measureRssGrowth(
      () =>
        ctx.app.inject({
          method: 'PATCH',
          url: `/api/users/${user.id}/picture`,
          headers: { ...user.headers, 'content-type': contentType },
          payload,
        }),
      5,
    );
    return { response, elapsedMs: performance.now() - started, rssGrowth };
  }

  async function expectBombRefused(ctx: TestContext, user: SignedIn, bomb: Buffer) {
    const { response, elapsedMs, rssGrowth } = await uploadMeasured(ctx, user, bomb);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ detail: string }>().detail).toMatch(/^Invalid image file/);
    expect(elapsedMs).toBeLessThan(2_000);
    expect(rssGrowth).toBeLessThan(100 * MiB);
    expect((await me(ctx.app, user.headers)).image_file).toBeNull();
    await expectPicturesConsistent(ctx);
  }

  it('a decompression bomb (PNG declaring 30000x30000, tiny IDAT) through the API: 400 in < 2 s, RSS grows < 100 MB', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app, 'bomb');
    // The hand-made PNG is well formed: a small one of the same make is accepted.
    const small = await upload(ctx.app, user, pngDeclaring(64, 64, 64), 'small.png', 'image/png');
    expect(small.statusCode, small.body).toBe(200);
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}/picture`,
      headers: user.headers,
    });
    expect(removed.statusCode).toBe(200);

    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(64 * KiB);
    const declared = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([declared.width, declared.height]).toEqual([30_000, 30_000]);
    await expectBombRefused(ctx, user, bomb);
  });

  it('a complete 30000x30000 PNG (every row present, ~110 KB compressed) is refused by the pixel limit, not decoded', async () => {
    // Unlike the tiny-IDAT bomb, this one does not fail on missing data: without
    // the pixel limit libvips decodes all 900 million pixels and the upload succeeds.
    const ctx = await context();
    const user = await signedInUser(ctx.app, 'bomb2');
    const same = await completePng(640, 480);
    const sameMetadata = await sharp(same).metadata();
    expect([sameMetadata.format, sameMetadata.width, sameMetadata.height]).toEqual(['png', 640, 480]);
    const small = await upload(ctx.app, user, same, 'small.png', 'image/png');
    expect(small.statusCode, small.body).toBe(200);
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}/picture`,
      headers: user.headers,
    });
    expect(removed.statusCode).toBe(200);

    const bomb = await completePng(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1 * MiB);
    await expectBombRefused(ctx, user, bomb);
  });
});
