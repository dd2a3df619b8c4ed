// Two-factor sign-in on the web pages: the login's second step and the
// account's settings, as plain form posts. Between the password and the code
// the browser holds only a signed, HttpOnly challenge of a few minutes, never a session.
import { describe, expect, it } from 'vitest';
import {
  enableTwoFactor,
  expectNoSessionSet,
  expectSessionSet,
  formPost,
  JSON_ACCEPT,
  oathtoolCode,
  SAME_ORIGIN,
  testClock,
  useTestApp,
  webUser,
} from '../helpers/index.js';
import type { App } from '../../src/app.js';

const clock = testClock();
const context = useTestApp({}, { now: clock.now });
const appOf = async () => (await context()).app;
const nextMinutes = () => {
  clock.advance(10 * 60_000);
};

/** The login's first step for a user with two-factor on: the challenge cookie, and where it leads. */
async function passwordStep(app: App, email: string, password: string, next = '/') {
  const response = await formPost(app, '/login', { email, password, next });
  expect(response.statusCode).toBe(303);
  expectNoSessionSet(response);
  const challenge = response.cookies.find((cookie) => cookie.name === 'login_challenge');
  expect(challenge).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/login', maxAge: 300 });
  return { location: response.headers.location, challenge: challenge?.value ?? '' };
}

describe('the login with two-factor on', () => {
  it('asks for the code on a second step, and signs in with it', async () => {
    const app = await appOf();
    const user = await webUser(app, 'webcode');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();
    const { location, challenge } = await passwordStep(app, user.email, user.password, '/account');
    expect(location).toBe('/login/two-factor?next=%2Faccount');
    // The challenge is no session: it opens no page that needs one.
    expect((await app.inject({ url: '/account', cookies: { session: challenge } })).statusCode).toBe(303);
    const page = await app.inject({ url: location ?? '', cookies: { login_challenge: challenge } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('autocomplete="one-time-code"');

    const wrong = await formPost(app, '/login/two-factor', { code: '000000', next: '/account' }, SAME_ORIGIN, {
      login_challenge: challenge,
    });
    expect(wrong.statusCode).toBe(401);
    // Next to the field, not above the form.
    expect(wrong.body).toMatch(/id="login-code-code-error"[^>]*>Invalid two-factor code</);
    expectNoSessionSet(wrong);

    const code = await oathtoolCode(secret, clock.now());
    const right = await formPost(app, '/login/two-factor', { code, next: '/account' }, SAME_ORIGIN, {
      login_challenge: challenge,
    });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/account');
    expectSessionSet(right);
    expect(right.cookies.find((cookie) => cookie.name === 'login_challenge')?.value).toBe('');
  });

  it('answers the browser code with the next step in JSON', async () => {
    const app = await appOf();
    const user = await webUser(app, 'webjson');
    await enableTwoFactor(app, user, clock);
    const response = await formPost(
      app,
      '/login',
      { email: user.email, password: user.password },
      { ...SAME_ORIGIN, ...JSON_ACCEPT },
    );
    expect(response.json()).toEqual({ redirect: '/login/two-factor?next=%2F' });
  });

  it('refuses a forged, expired or outdated challenge', async () => {
    const app = await appOf();
    const user = await webUser(app, 'webforged');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();
    const code = await oathtoolCode(secret, clock.now());
    const { challenge } = await passwordStep(app, user.email, user.password);
    const withChallenge = (value: string) =>
      formPost(app, '/login/two-factor', { code, next: '/' }, SAME_ORIGIN, { login_challenge: value });
    // An access token is signed with another key: it is no challenge.
    for (const forged of ['', 'not a token', user.token, `${challenge.slice(0, -2)}xx`]) {
      const response = await withChallenge(forged);
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('enter your email and password again');
    }
    // Five minutes, and it has ended.
    clock.advance(5 * 60_000 + 1000);
    const expired = await withChallenge(challenge);
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toContain('enter your email and password again');
    clock.advance(-(5 * 60_000 + 1000));
    expect((await withChallenge(challenge)).statusCode).toBe(303);
    const { challenge: second } = await passwordStep(app, user.email, user.password);
    // A password change ends every earlier challenge, as it ends tokens.
    await app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: user.headers,
      payload: { current_password: user.password, new_password: 'a brand new passphrase' },
    });
    const outdated = await withChallenge(second);
    expect(outdated.statusCode).toBe(401);
    expect(outdated.body).toContain('enter your email and password again');
    expect((await app.inject({ url: '/login/two-factor' })).headers.location).toBe('/login?next=%2F');
  });
});

describe('/account/two-factor', () => {
  it('turns it on: password, key and QR code, first code, recovery codes; and off again', async () => {
    const app = await appOf();
    const user = await webUser(app, 'websettings');
    const cookies = user.cookies;
    const off = await app.inject({ url: '/account/two-factor', cookies });
    expect(off.statusCode).toBe(200);
    expect(off.body).toContain('Set up two-factor sign-in');

    const wrongPassword = await formPost(
      app,
      '/account/two-factor',
      { current_password: 'nope' },
      SAME_ORIGIN,
      cookies,
    );
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.body).toContain('Incorrect password');

    const scan = await formPost(app, '/account/two-factor', { current_password: user.password }, SAME_ORIGIN, cookies);
    expect(scan.statusCode).toBe(200);
    expect(scan.headers['cache-control']).toBe('no-store');
    expect(scan.body).toContain('<svg');
    const secret = /data-two-factor-secret[^>]*>([A-Z2-7]+)</.exec(scan.body)?.[1] ?? '';
    expect(secret).toHaveLength(32);

    const wrongCode = await formPost(app, '/account/two-factor/confirm', { code: '000000' }, SAME_ORIGIN, cookies);
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.body).toContain('Invalid two-factor code');
    expect(wrongCode.body).toContain(secret);

    const codes = await formPost(
      app,
      '/account/two-factor/confirm',
      { code: await oathtoolCode(secret, clock.now()) },
      SAME_ORIGIN,
      cookies,
    );
    expect(codes.statusCode).toBe(200);
    expect(codes.body.match(/[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}/g)).toHaveLength(10);

    const on = await app.inject({ url: '/account/two-factor', cookies });
    expect(on.body).toContain('10 recovery codes');
    nextMinutes();
    const disabled = await formPost(
      app,
      '/account/two-factor/disable',
      { current_password: user.password, code: await oathtoolCode(secret, clock.now()) },
      SAME_ORIGIN,
      cookies,
    );
    expect(disabled.statusCode).toBe(303);
    expect((await app.inject({ url: '/account/two-factor', cookies })).body).toContain('Set up two-factor sign-in');
  });

  it('leads to the login when signed out, and refuses a cross-site post', async () => {
    const app = await appOf();
    const user = await webUser(app, 'webcsrf');
    expect((await app.inject({ url: '/account/two-factor' })).headers.location).toBe(
      '/login?next=%2Faccount%2Ftwo-factor',
    );
    const crossSite = await formPost(
      app,
      '/account/two-factor',
      { current_password: user.password },
      { 'sec-fetch-site': 'cross-site' },
      user.cookies,
    );
    expect(crossSite.statusCode).toBe(403);
  });
});
