// Two-factor sign-in (docs/api.md, "Accounts, further"): TOTP codes as an
// authenticator app makes them (Debian's oathtool), one step of clock skew
// either side, each code once, ten recovery codes once each, the secret
// stored sealed, wrong codes counted by the login limits.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  beginTwoFactor,
  enableTwoFactor,
  inbox,
  oathtoolCode,
  requestMe,
  requestToken,
  signedInUser,
  testClock,
  useTestApp,
} from '../helpers/index.js';

const STEP = 30_000;
const clock = testClock();
const context = useTestApp({ SITE_NAME: 'Two Factor Blog' }, { now: clock.now });
const appOf = async () => (await context()).app;

/** Moves the clock well past every step used so far: the next code is fresh. */
const nextMinutes = () => {
  clock.advance(10 * 60_000);
};

function confirm(app: App, headers: Record<string, string>, code: string) {
  return app.inject({ method: 'POST', url: '/api/users/me/2fa/confirm', headers, payload: { code } });
}

function disable(app: App, headers: Record<string, string>, current_password: string, code: string) {
  return app.inject({ method: 'DELETE', url: '/api/users/me/2fa', headers, payload: { current_password, code } });
}

describe('enrolment', () => {
  it('gives a secret, its otpauth URL and a QR code made on the server', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'enrol');
    const enrolment = await beginTwoFactor(app, user);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(enrolment.otpauth_url);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/Two Factor Blog:${user.email}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Two Factor Blog',
      secret: enrolment.secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(enrolment.qr_svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>\s*$/s);
    expect(enrolment.qr_svg).not.toMatch(/<script|style=|href/i);
    // Nothing changes until it is confirmed.
    expect((await requestMe(app, user.headers)).json()).toMatchObject({ two_factor: false });
    expect((await requestToken(app, user.email, user.password)).statusCode).toBe(200);
  });

  it('needs the current password', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'enrolpw');
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/me/2fa',
      headers: user.headers,
      payload: { current_password: 'not my password' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'Incorrect password' });
    expect((await app.inject({ method: 'POST', url: '/api/users/me/2fa', payload: {} })).statusCode).toBe(401);
  });

  it('is confirmed only by a right code, and then gives ten distinct recovery codes', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'confirm');
    expect((await confirm(app, user.headers, '123456')).json()).toEqual({
      detail: 'No two-factor enrolment in progress: start one first',
    });
    const { secret } = await beginTwoFactor(app, user);
    const wrong = await confirm(
      app,
      user.headers,
      (Number(await oathtoolCode(secret, clock.now())) ^ 1).toString().padStart(6, '0'),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ detail: 'Invalid two-factor code' });
    const right = await confirm(app, user.headers, await oathtoolCode(secret, clock.now()));
    expect(right.statusCode).toBe(200);
    const codes = right.json<{ recovery_codes: string[] }>().recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    expect((await requestMe(app, user.headers)).json()).toMatchObject({ two_factor: true });
    // On already: a new enrolment would replace the secret in use.
    const again = await app.inject({
      method: 'POST',
      url: '/api/users/me/2fa',
      headers: user.headers,
      payload: { current_password: user.password },
    });
    expect(again.statusCode).toBe(409);
  });

  it('keeps the secret sealed in the database, and the recovery codes only hashed', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'sealed');
    const { secret, recoveryCodes } = await enableTwoFactor(app, user, clock);
    const stored = await app.db.selectFrom('two_factor_secrets').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.secret_sealed).toMatch(/^v1\./);
    expect(stored[0]?.secret_sealed).not.toContain(secret);
    const hashes = await app.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.id)
      .execute();
    expect(hashes).toHaveLength(10);
    const dump = JSON.stringify(hashes);
    for (const code of recoveryCodes) expect(dump).not.toContain(code.replace(/-/g, ''));
  });
});

describe('signing in with two-factor on', () => {
  it('asks for a code after a right password only, refuses a wrong one, takes a right one once', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'signin');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();

    const wrongPassword = await requestToken(app, user.email, 'wrong password');
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual({ detail: 'Incorrect email or password' });

    const missing = await requestToken(app, user.email, user.password);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toEqual({ detail: 'Two-factor code required' });

    const code = await oathtoolCode(secret, clock.now());
    const wrong = await requestToken(app, user.email, user.password, code === '000000' ? '000001' : '000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ detail: 'Invalid two-factor code' });
    // A right code with a wrong password is still a wrong password.
    expect((await requestToken(app, user.email, 'wrong password', code)).json()).toEqual({
      detail: 'Incorrect email or password',
    });

    const right = await requestToken(app, user.email, user.password, code);
    expect(right.statusCode).toBe(200);
    const token = right.json<{ access_token: string }>().access_token;
    expect((await requestMe(app, { authorization: `Bearer ${token}` })).statusCode).toBe(200);

    const replayed = await requestToken(app, user.email, user.password, code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json()).toEqual({ detail: 'Invalid two-factor code' });
  });

  it('accepts a clock one step off either way, not two', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'skew');
    const { secret } = await enableTwoFactor(app, user, clock);
    const tryAt = async (offsetSteps: number) => {
      nextMinutes();
      const code = await oathtoolCode(secret, clock.now() + offsetSteps * STEP);
      return (await requestToken(app, user.email, user.password, code)).statusCode;
    };
    expect(await tryAt(-1)).toBe(200);
    expect(await tryAt(1)).toBe(200);
    expect(await tryAt(-2)).toBe(401);
    expect(await tryAt(2)).toBe(401);
    expect(await tryAt(0)).toBe(200);
  });

  it('refuses a code older than one already used (no replay within the window)', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'older');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();
    const previous = await oathtoolCode(secret, clock.now() - STEP);
    expect(
      (await requestToken(app, user.email, user.password, await oathtoolCode(secret, clock.now()))).statusCode,
    ).toBe(200);
    expect((await requestToken(app, user.email, user.password, previous)).statusCode).toBe(401);
  });

  it('takes each recovery code once, however it is typed', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'recovery');
    const { recoveryCodes } = await enableTwoFactor(app, user, clock);
    const [first = '', second = ''] = recoveryCodes;
    expect((await requestToken(app, user.email, user.password, first)).statusCode).toBe(200);
    expect((await requestToken(app, user.email, user.password, first)).json()).toEqual({
      detail: 'Invalid two-factor code',
    });
    const typed = ` ${second.replace(/-/g, '').toLowerCase()} `;
    expect((await requestToken(app, user.email, user.password, typed)).statusCode).toBe(200);
    expect(await app.services.twoFactor.unusedRecoveryCodes({ id: user.id })).toBe(8);
  });
});

describe('turning it off', () => {
  it('takes the password and a code, then signing in takes the password alone', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'disable');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();
    const code = await oathtoolCode(secret, clock.now());
    expect((await disable(app, user.headers, 'wrong password', code)).json()).toEqual({ detail: 'Incorrect password' });
    expect((await disable(app, user.headers, user.password, code === '000000' ? '000001' : '000000')).json()).toEqual({
      detail: 'Invalid two-factor code',
    });
    expect((await disable(app, user.headers, user.password, code)).statusCode).toBe(204);
    expect((await requestMe(app, user.headers)).json()).toMatchObject({ two_factor: false });
    expect((await requestToken(app, user.email, user.password)).statusCode).toBe(200);
    expect(
      await app.db.selectFrom('two_factor_secrets').select('user_id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
    expect((await disable(app, user.headers, user.password, code)).statusCode).toBe(409);

    const subjects = (await inbox(app, dataDir, user.email)).map((mail) => mail.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'Two-factor sign-in was turned on on Two Factor Blog',
        'Two-factor sign-in was turned off on Two Factor Blog',
      ]),
    );
  });

  it('takes a recovery code in place of the app (a lost phone)', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'lostphone');
    const { recoveryCodes } = await enableTwoFactor(app, user, clock);
    expect((await disable(app, user.headers, user.password, recoveryCodes[3] ?? '')).statusCode).toBe(204);
  });
});

describe('limits', () => {
  const limited = useTestApp(
    { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOGIN_FAILURES: '3', RATE_LIMIT_REGISTRATIONS: '100' },
    { now: clock.now },
  );

  it('counts wrong codes as failed logins, and a missing code not at all', async () => {
    const { app } = await limited();
    const user = await signedInUser(app, 'guess');
    const { secret } = await enableTwoFactor(app, user, clock);
    nextMinutes();
    for (let i = 0; i < 5; i++) expect((await requestToken(app, user.email, user.password)).statusCode).toBe(401);
    const code = await oathtoolCode(secret, clock.now());
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 3; i++)
      expect((await requestToken(app, user.email, user.password, wrong)).statusCode).toBe(401);
    const blocked = await requestToken(app, user.email, user.password, code);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('holds a signed-in user to the same rule when confirming', async () => {
    const { app } = await limited();
    const user = await signedInUser(app, 'confirmguess');
    const { secret } = await beginTwoFactor(app, user);
    const code = await oathtoolCode(secret, clock.now());
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 3; i++) expect((await confirm(app, user.headers, wrong)).statusCode).toBe(400);
    expect((await confirm(app, user.headers, code)).statusCode).toBe(429);
  });
});
