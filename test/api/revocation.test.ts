// Sessions end when they should: logout revokes that token (and the web
// session cookie), a password change revokes every earlier token, and tokens
// carry iat and a unique jti.
import type { ValidationDetail } from '../../src/errors.js';
import { randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  bearer,
  defined,
  login,
  requestMe,
  SAME_ORIGIN,
  sessionFor,
  signedInUser,
  TEST_SECRET,
  useTestApp,
} from '../helpers/index.js';

const context = useTestApp();

describe('tokens', () => {
  it('carry iat and a jti unique to each login', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const other = await login(app, user.email, user.password);
    const [first, second] = [decodeJwt(user.token), decodeJwt(other)];
    expect(first.iat).toBeTypeOf('number');
    expect(Math.abs(defined(first.iat) - Date.now() / 1000)).toBeLessThan(60);
    expect(first.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.jti).not.toBe(first.jti);
  });

  it('without a jti or a token version, or with another version, are refused', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const key = new TextEncoder().encode(TEST_SECRET);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setExpirationTime('5m')
        .sign(key);
    expect((await requestMe(app, bearer(await sign({ jti: randomUUID(), ver: 0 })))).statusCode).toBe(200); // control
    expect((await requestMe(app, bearer(await sign({ ver: 0 })))).statusCode).toBe(401);
    expect((await requestMe(app, bearer(await sign({ jti: randomUUID() })))).statusCode).toBe(401);
    expect((await requestMe(app, bearer(await sign({ jti: randomUUID(), ver: 1 })))).statusCode).toBe(401);
    expect((await requestMe(app, bearer(await sign({ jti: randomUUID(), ver: '0' })))).statusCode).toBe(401);
  });
});

describe('POST /api/users/logout', () => {
  it('ends the token it was called with, and only that one', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const second = await login(app, user.email, user.password);
    const response = await app.inject({ method: 'POST', url: '/api/users/logout', headers: user.headers });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const after = await requestMe(app, user.headers);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer');
    expect((await requestMe(app, bearer(second))).statusCode).toBe(200);
    // Logging out again with the ended token is itself a 401.
    expect((await app.inject({ method: 'POST', url: '/api/users/logout', headers: user.headers })).statusCode).toBe(
      401,
    );
  });

  it('without a token is a 401', async () => {
    const { app } = await context();
    const response = await app.inject({ method: 'POST', url: '/api/users/logout' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Not authenticated' });
  });

  it('ends a web session: the cookie is cleared and its token no longer works', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const session = await sessionFor(app, user.email, user.password);
    expect((await requestMe(app, {}, { session })).statusCode).toBe(200);
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/logout',
      headers: SAME_ORIGIN,
      cookies: { session },
    });
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((cookie) => cookie.name === 'session');
    expect(cleared?.value).toBe('');
    // A copy of the old cookie (stolen, or a second tab) is dead too.
    expect((await requestMe(app, {}, { session })).statusCode).toBe(401);
    expect((await requestMe(app, bearer(session))).statusCode).toBe(401);
  });

  it('the web Logout form revokes the session token as well', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const session = await sessionFor(app, user.email, user.password);
    const response = await app.inject({ method: 'POST', url: '/logout', headers: SAME_ORIGIN, cookies: { session } });
    expect(response.statusCode).toBe(303);
    expect((await requestMe(app, {}, { session })).statusCode).toBe(401);
  });
});

describe('POST /api/users/me/password', () => {
  const change = (app: App, headers: Record<string, string>, body: object, cookies?: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers,
      payload: body,
      ...(cookies ? { cookies } : {}),
    });

  it('needs the current password and a valid new one', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const wrong = await change(app, user.headers, { current_password: 'not it', new_password: 'a brand new password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ detail: 'Incorrect password' });
    const short = await change(app, user.headers, { current_password: user.password, new_password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(defined(short.json<{ detail: ValidationDetail[] }>().detail[0]).loc).toEqual(['body', 'new_password']);
    const long = await change(app, user.headers, { current_password: user.password, new_password: 'x'.repeat(129) });
    expect(long.statusCode).toBe(422);
    expect(
      (await change(app, {}, { current_password: user.password, new_password: 'a brand new password' })).statusCode,
    ).toBe(401);
    // Nothing changed: the old password still logs in.
    expect(await login(app, user.email, user.password)).toBeTypeOf('string');
  });

  it('ends every token issued before, and only the new password logs in', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const second = await login(app, user.email, user.password);
    const response = await change(app, user.headers, {
      current_password: user.password,
      new_password: 'a brand new password',
    });
    expect(response.statusCode).toBe(204);
    expect((await requestMe(app, user.headers)).statusCode).toBe(401);
    expect((await requestMe(app, bearer(second))).statusCode).toBe(401);
    await expect(login(app, user.email, user.password)).rejects.toThrow(/401/);
    const fresh = await login(app, user.email, 'a brand new password');
    expect((await requestMe(app, bearer(fresh))).statusCode).toBe(200);
  });

  it('from a web session, keeps that browser signed in with a new cookie and ends the old one', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const session = await sessionFor(app, user.email, user.password);
    const response = await change(
      app,
      SAME_ORIGIN,
      { current_password: user.password, new_password: 'another new password' },
      { session },
    );
    expect(response.statusCode).toBe(204);
    const renewed = defined(response.cookies.find((cookie) => cookie.name === 'session'));
    expect(renewed.httpOnly).toBe(true);
    expect(renewed.value).not.toBe(session);
    expect((await requestMe(app, {}, { session })).statusCode).toBe(401);
    expect((await requestMe(app, {}, { session: renewed.value })).statusCode).toBe(200);
    expect((await requestMe(app, user.headers)).statusCode).toBe(401);
  });

  it('from a web session, refuses a cross-site request', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const session = await sessionFor(app, user.email, user.password);
    const response = await change(
      app,
      { 'sec-fetch-site': 'cross-site' },
      { current_password: user.password, new_password: 'attacker chosen password' },
      { session },
    );
    expect(response.statusCode).toBe(403);
    expect(await login(app, user.email, user.password)).toBeTypeOf('string');
  });
});

describe('revocation housekeeping', () => {
  it('forgets revocations of tokens that have expired anyway', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    await app.inject({ method: 'POST', url: '/api/users/logout', headers: user.headers });
    const count = async () => (await app.db.selectFrom('revoked_tokens').select('jti').execute()).length;
    expect(await count()).toBeGreaterThan(0);
    await app.repositories.revokedTokens.purgeExpired(Math.floor(Date.now() / 1000));
    expect(await count()).toBeGreaterThan(0); // not expired yet: kept
    await app.repositories.revokedTokens.purgeExpired(Math.floor(Date.now() / 1000) + 31 * 60);
    expect(await count()).toBe(0);
  });
});
