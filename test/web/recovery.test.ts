// The account recovery pages (docs/api.md, "Account recovery"), without and with
// JavaScript: messages by their fields, the private headers on every answer, login
// CSRF, the token only in the hidden field, and the whole way to a new session.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { RESET_REQUESTED } from '../../src/routes/api/users/password-reset.js';
import { COMMON_PASSWORD } from '../../src/services/password-policy.js';
import {
  createTestApp,
  defined,
  expectHtml,
  expectNoInlineCode,
  expectNoSessionSet,
  expectSecurityHeaders,
  expectSessionSet,
  expectSignedInNav,
  fieldError,
  formPost,
  hasLink,
  inbox,
  inputValue,
  JSON_ACCEPT,
  newAccount,
  register,
  requestResetToken,
  resetLinkOf,
  SAME_ORIGIN,
  startTags,
  textOf,
  useTestApp,
  type Fields,
  type Headers,
} from '../helpers/index.js';

type Answer = Awaited<ReturnType<App['inject']>>;
const context = useTestApp();
const JSON_POST = { ...SAME_ORIGIN, ...JSON_ACCEPT };
const NEW_PASSWORD = 'a brand new passphrase';
const CROSS_SITE: Headers[] = [
  { 'sec-fetch-site': 'cross-site' },
  { 'sec-fetch-site': 'same-site', ...JSON_ACCEPT },
  { origin: 'http://evil.example' },
  {},
];

/** The page's usual security headers, no Referer for the token in its URL, and nothing cached. */
function expectPrivate(response: Answer, what: string) {
  expectSecurityHeaders(what, response.headers);
  expect(response.headers['referrer-policy'], `${what} Referrer-Policy`).toBe('no-referrer');
  expect(response.headers['cache-control'], `${what} Cache-Control`).toBe('no-store');
}

/** A registered account and a valid reset token mailed to it. */
async function accountWithToken(prefix: string) {
  const { app, dataDir } = await context();
  const user = await register(app, newAccount(prefix));
  return { app, user, token: await requestResetToken(app, dataDir, user.email) };
}

const resetFields = (token: string, password = NEW_PASSWORD, confirmation = password): Fields => ({
  token,
  new_password: password,
  confirm_password: confirmation,
});

/** The input named `name`, and that its label points at it. */
function labelledInput(html: string, name: string) {
  const input = defined(
    startTags(html).find((tag) => tag.name === 'input' && tag.attrs.get('name') === name),
    name,
  );
  expect(html).toMatch(new RegExp(`<label\\b[^>]*for="${String(input.attrs.get('id'))}"`));
  return Object.fromEntries(input.attrs);
}

/** The token is in the hidden field of the form and nowhere else: not in another tag, text or header. */
function expectTokenOnlyInHiddenField(response: Answer, token: string) {
  const hidden = startTags(response.body).filter((tag) => tag.attrs.get('value') === token);
  expect(hidden.map((tag) => [tag.attrs.get('type'), tag.attrs.get('name')])).toEqual([['hidden', 'token']]);
  expect(response.body.split(token).length - 1, 'occurrences of the token in the page').toBe(1);
  expect(JSON.stringify(response.headers)).not.toContain(token);
}

describe('/forgot-password', () => {
  it('is a plain form asking for an email with the schema rules, linked from /login', async () => {
    const { app } = await context();
    const login = expectHtml(await app.inject({ url: '/login' }), 200);
    expect(hasLink(login, '/forgot-password', 'Forgot your password\\?')).toBe(true);
    const response = await app.inject({ url: '/forgot-password' });
    const html = expectHtml(response, 200);
    expectPrivate(response, 'GET /forgot-password');
    expectNoInlineCode(html);
    expect(html).toMatch(/<form\b[^>]*method="post"[^>]*action="\/forgot-password"[^>]*data-page-form/);
    const email = labelledInput(html, 'email');
    expect(email).toMatchObject({ type: 'email', required: true, maxlength: '120', autocomplete: 'email' });
    expect(html).not.toContain(RESET_REQUESTED);
  });

  it('answers every address alike: a redirect to the confirmation, and a mail only for an account', async () => {
    const { app, dataDir } = await context();
    const user = await register(app, newAccount('forgot'));
    const stranger = `nobody-${user.username}@example.com`;
    for (const email of [user.email, stranger]) {
      const plain = await formPost(app, '/forgot-password', { email });
      expect(plain.statusCode, email).toBe(303);
      expect(plain.headers.location).toBe('/forgot-password?sent=1');
      expectPrivate(plain, `POST /forgot-password ${email}`);
      const withJs = await formPost(app, '/forgot-password', { email }, JSON_POST);
      expect(withJs.statusCode).toBe(200);
      expect(withJs.json()).toEqual({ redirect: '/forgot-password?sent=1' });
      expectPrivate(withJs, 'POST /forgot-password (JSON)');
    }
    expect((await inbox(app, dataDir, user.email)).map(resetLinkOf)).toHaveLength(2);
    expect(await inbox(app, dataDir, stranger)).toEqual([]);
    const sent = await app.inject({ url: '/forgot-password?sent=1' });
    expectPrivate(sent, 'GET /forgot-password?sent=1');
    expect(textOf(expectHtml(sent, 200), 'role="status"')?.trim()).toBe(RESET_REQUESTED);
  });

  it('shows a bad address next to the field (422), kept and escaped', async () => {
    const { app } = await context();
    const email = 'not-an-email"><script>alert(1)</script>';
    const response = await formPost(app, '/forgot-password', { email });
    const html = expectHtml(response, 422);
    expectPrivate(response, 'POST /forgot-password 422');
    expect(fieldError(html, 'email')).toBe('value is not a valid email address');
    expect(labelledInput(html, 'email').value).toBe(email);
    expect(html).not.toContain('<script>alert');
    expectNoInlineCode(html);
    const withJs = await formPost(app, '/forgot-password', {}, JSON_POST);
    expect(withJs.statusCode).toBe(422);
    expect(withJs.json<{ detail: { loc: string[] }[] }>().detail.map((item) => item.loc)).toEqual([['body', 'email']]);
    expectPrivate(withJs, 'POST /forgot-password 422 (JSON)');
  });

  it('shows the limit on the form (429 with Retry-After), without and with JavaScript', async () => {
    const limited = await createTestApp({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PASSWORD_RESETS: '1' });
    try {
      const ask = (headers = SAME_ORIGIN) =>
        formPost(limited.app, '/forgot-password', { email: 'a@example.com' }, headers);
      expect((await ask()).statusCode).toBe(303);
      const plain = await ask();
      const html = expectHtml(plain, 429);
      expectPrivate(plain, 'POST /forgot-password 429');
      expect(Number(plain.headers['retry-after'])).toBeGreaterThan(0);
      expect(textOf(html, 'data-form-error')).toContain('Too many password reset requests');
      expect(inputValue(html, 'email')).toBe('a@example.com');
      const withJs = await ask(JSON_POST);
      expect(withJs.statusCode).toBe(429);
      expect(withJs.json<{ detail: string }>().detail).toContain('Too many password reset requests');
    } finally {
      await limited.close();
    }
  });

  it('refuses a post from another site (403) and mails nothing', async () => {
    const { app, dataDir } = await context();
    const user = await register(app, newAccount('forgotcsrf'));
    for (const headers of CROSS_SITE) {
      const response = await formPost(app, '/forgot-password', { email: user.email }, headers);
      expectHtml(response, 403);
      expectPrivate(response, `POST /forgot-password from ${JSON.stringify(headers)}`);
    }
    expect(await inbox(app, dataDir, user.email)).toEqual([]);
  });
});

describe('/reset-password', () => {
  it("a valid link opens a form with the hidden token and the new password's rules, twice", async () => {
    const { app, token } = await accountWithToken('resetform');
    const response = await app.inject({ url: `/reset-password?token=${token}` });
    const html = expectHtml(response, 200);
    expectPrivate(response, 'GET /reset-password');
    expectNoInlineCode(html);
    expect(html).toMatch(/<form\b[^>]*method="post"[^>]*action="\/reset-password"[^>]*data-page-form/);
    expectTokenOnlyInHiddenField(response, token);
    const rules = { type: 'password', autocomplete: 'new-password', required: true, minlength: '8', maxlength: '128' };
    for (const name of ['new_password', 'confirm_password'])
      expect(labelledInput(html, name), name).toMatchObject(rules);
  });

  it('a missing, made-up, used or expired link says so (400) and leads to /forgot-password', async () => {
    let clock = Date.now();
    const timed = await createTestApp({ PASSWORD_RESET_EXPIRE_MINUTES: '5' }, { now: () => clock });
    try {
      const { app, dataDir } = timed;
      const used = await register(app, newAccount('used'));
      const usedToken = await requestResetToken(app, dataDir, used.email);
      await app.services.passwordReset.confirm(usedToken, NEW_PASSWORD);
      const expiring = await register(app, newAccount('expiring'));
      const expiredToken = await requestResetToken(app, dataDir, expiring.email);
      clock += 6 * 60_000;
      for (const query of ['', '?token=', '?token=made-up', `?token=${usedToken}`, `?token=${expiredToken}`]) {
        const response = await app.inject({ url: `/reset-password${query}` });
        const html = expectHtml(response, 400);
        expectPrivate(response, `GET /reset-password${query}`);
        expect(html).toContain('invalid or has expired');
        expect(hasLink(html, '/forgot-password')).toBe(true);
        expect(html).not.toMatch(/name="new_password"/);
        for (const token of [usedToken, expiredToken]) expect(html).not.toContain(token);
      }
    } finally {
      await timed.close();
    }
  });

  it('shows a wrong confirmation, a short or a common password next to its field (422); the link still works, with JavaScript too', async () => {
    const { app, token } = await accountWithToken('mismatch');
    const cases: [Fields, string, string][] = [
      [resetFields(token, NEW_PASSWORD, 'something else'), 'confirm_password', 'The two passwords do not match'],
      [resetFields(token, 'sh0rt'), 'new_password', 'String should have at least 8 characters'],
      [resetFields(token, 'Sunshine1'), 'new_password', COMMON_PASSWORD],
    ];
    for (const [fields, field, message] of cases) {
      const plain = await formPost(app, '/reset-password', fields);
      const html = expectHtml(plain, 422);
      expectPrivate(plain, `POST /reset-password 422 ${field}`);
      expect(fieldError(html, field)).toBe(message);
      expectTokenOnlyInHiddenField(plain, token);
      expect(html).not.toContain(fields.new_password);
      expectNoSessionSet(plain);
      const withJs = await formPost(app, '/reset-password', fields, JSON_POST);
      expect(withJs.statusCode).toBe(422);
      expect(withJs.json()).toMatchObject({ detail: [{ loc: ['body', field], msg: message }] });
      expect(withJs.body).not.toContain(token);
      expectPrivate(withJs, `POST /reset-password 422 ${field} (JSON)`);
    }
    const corrected = await formPost(app, '/reset-password', resetFields(token), JSON_POST);
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toEqual({ redirect: '/' });
    expectPrivate(corrected, 'POST /reset-password (JSON)');
    const session = expectSessionSet(corrected);
    expect(JSON.stringify(corrected.headers)).not.toContain(token);
    expect((await app.inject({ url: '/api/users/me', cookies: { session } })).statusCode).toBe(200);
  });

  it('shows an invalid token on the form (400), without and with JavaScript', async () => {
    const { app } = await context();
    const plain = await formPost(app, '/reset-password', resetFields('made-up-token'));
    const html = expectHtml(plain, 400);
    expectPrivate(plain, 'POST /reset-password 400');
    expect(textOf(html, 'data-form-error')).toBe('Invalid or expired reset token');
    expect(hasLink(html, '/forgot-password')).toBe(true);
    expectNoSessionSet(plain);
    const withJs = await formPost(app, '/reset-password', resetFields('made-up-token'), JSON_POST);
    expect(withJs.statusCode).toBe(400);
    expect(withJs.json()).toEqual({ detail: 'Invalid or expired reset token' });
    expectPrivate(withJs, 'POST /reset-password 400 (JSON)');
  });

  it('refuses a post from another site (403): the password and the link stay as they were', async () => {
    const { app, user, token } = await accountWithToken('resetcsrf');
    for (const headers of CROSS_SITE) {
      const response = await formPost(app, '/reset-password', resetFields(token), headers);
      expectHtml(response, 403);
      expectPrivate(response, `POST /reset-password from ${JSON.stringify(headers)}`);
      expectNoSessionSet(response);
      expect(response.body).not.toContain(token);
    }
    expect(await app.services.passwordReset.isValid(token)).toBe(true);
    expect((await formPost(app, '/login', { email: user.email, password: user.password })).statusCode).toBe(303);
  });
});

describe('the whole recovery, without JavaScript', () => {
  it('forgot -> mail -> reset page -> new password -> signed in; the old password, session and link end', async () => {
    const lines: string[] = [];
    const logStream = { write: (line: string) => void lines.push(line) };
    const logged = await createTestApp({ LOG_LEVEL: 'trace' }, { logStream });
    try {
      const { app, dataDir } = logged;
      const user = await register(app, newAccount('recover'));
      const login = (password: string) => formPost(app, '/login', { email: user.email, password });
      const oldSession = expectSessionSet(await login(user.password));

      const asked = await formPost(app, '/forgot-password', { email: user.email });
      expect(asked.headers.location).toBe('/forgot-password?sent=1');
      const { url } = resetLinkOf(defined((await inbox(app, dataDir, user.email)).at(-1), 'the reset mail'));
      const page = expectHtml(await app.inject({ url: `${url.pathname}${url.search}` }), 200);
      const token = defined(inputValue(page, 'token'), 'the hidden token');

      const done = await formPost(app, '/reset-password', resetFields(token));
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/');
      expectPrivate(done, 'POST /reset-password');
      expect(JSON.stringify(done.headers)).not.toContain(token);
      const session = expectSessionSet(done);
      expectSignedInNav(expectHtml(await app.inject({ url: '/', cookies: { session } }), 200), user.username);
      expect((await app.inject({ url: '/api/users/me', cookies: { session: oldSession } })).statusCode).toBe(401);
      expect((await login(user.password)).statusCode).toBe(401);
      expect((await login(NEW_PASSWORD)).statusCode).toBe(303);
      expectHtml(await app.inject({ url: `/reset-password?token=${token}` }), 400);
      expect(await inbox(app, dataDir, user.email), 'the reset mail and the password notice').toHaveLength(2);
      // The URL of the reset page is logged, its token never.
      expect(lines.join('')).toContain('/reset-password');
      expect(lines.join('')).not.toContain(token);
    } finally {
      await logged.close();
    }
  });
});
