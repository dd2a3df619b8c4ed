// Access tokens on a protected endpoint (GET /api/users/me): every forged,
// expired or malformed token is a 401 with `WWW-Authenticate: Bearer`, and a
// genuine token carries `sub` = the user id as a string and `exp` = now +
// ACCESS_TOKEN_EXPIRE_MINUTES.
import { randomUUID } from 'node:crypto';
import { decodeJwt, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  createTestApp,
  defined,
  expect401,
  privateProfile,
  requestMe,
  signedInUser,
  TEST_SECRET,
  useTestApp,
} from '../helpers/index.js';

const context = useTestApp();

const secret = new TextEncoder().encode(TEST_SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A token signed with TEST_SECRET (HS256 unless told otherwise) with the given
 * claims, plus a fresh `jti` and token version 0 (what the server issues) unless given.
 */
function sign(claims: JWTPayload, options: { alg?: string; key?: Uint8Array } = {}) {
  return new SignJWT({ jti: randomUUID(), ver: 0, ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(options.key ?? secret);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** GET /api/users/me with this Authorization header (none if undefined). */
const me = (app: App, authorization?: string) => requestMe(app, authorization === undefined ? {} : { authorization });

async function expectUnauthorized(app: App, authorization: string | undefined, detail?: string) {
  const response = await me(app, authorization);
  const body = expect401(response, detail);
  // Nothing about the user leaks into a refusal.
  expect(response.body).not.toMatch(/email|username/);
  return body;
}

describe('tokens that must be refused', () => {
  it('a control: a genuine token signed the same way as the forgeries is accepted', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const token = await sign({ sub: String(user.id), exp: nowSeconds() + 600 });
    const response = await me(app, `Bearer ${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: user.id, email: user.email });
  });

  it('an expired token', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const token = await sign({ sub: String(user.id), iat: nowSeconds() - 3600, exp: nowSeconds() - 60 });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token signed with another secret', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const otherKey = new TextEncoder().encode('another-secret-key-that-is-long-enough-for-hs256');
    const token = await sign({ sub: String(user.id), exp: nowSeconds() + 600 }, { key: otherKey });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a genuine token whose signature was altered', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const [header, payload, signature] = user.token.split('.') as [string, string, string];
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expectUnauthorized(app, `Bearer ${header}.${payload}.${flipped}`, 'Invalid or expired token');
  });

  it('a genuine signature on a payload changed to another user', async () => {
    const { app } = await context();
    const victim = await signedInUser(app, 'victim');
    const attacker = await signedInUser(app, 'attacker');
    const [header, payload, signature] = attacker.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload;
    const forged = base64url({ ...claims, sub: String(victim.id) });
    await expectUnauthorized(app, `Bearer ${header}.${forged}.${signature}`, 'Invalid or expired token');
  });

  it('an unsigned token (alg "none"), with and without a trailing signature part', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const payload = base64url({ sub: String(user.id), exp: nowSeconds() + 600 });
    for (const header of [
      base64url({ alg: 'none' }),
      base64url({ alg: 'none', typ: 'JWT' }),
      base64url({ alg: 'None' }),
    ]) {
      await expectUnauthorized(app, `Bearer ${header}.${payload}.`, 'Invalid or expired token');
    }
    // A genuine token's signature kept, but the header switched to "none".
    const [, , signature] = user.token.split('.') as [string, string, string];
    await expectUnauthorized(
      app,
      `Bearer ${base64url({ alg: 'none' })}.${payload}.${signature}`,
      'Invalid or expired token',
    );
  });

  it('a token signed with HS512 and the same secret', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const token = await sign({ sub: String(user.id), exp: nowSeconds() + 600 }, { alg: 'HS512' });
    expect(JSON.parse(Buffer.from(defined(token.split('.')[0]), 'base64url').toString())).toMatchObject({
      alg: 'HS512',
    });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token signed with RS256 by a generated key pair', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: String(user.id) })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setExpirationTime('10m')
      .sign(privateKey);
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token without sub', async () => {
    const { app } = await context();
    await signedInUser(app);
    const token = await sign({ exp: nowSeconds() + 600 });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token without exp', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const token = await sign({ sub: String(user.id), iat: nowSeconds() });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token whose sub is not a user id', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const exp = nowSeconds() + 600;
    for (const sub of [
      'abc',
      '',
      '0',
      '-1',
      `${user.id}.0`,
      ` ${user.id}`,
      `0${user.id}`,
      '1e1',
      '99999999999999999999',
    ]) {
      await expectUnauthorized(app, `Bearer ${await sign({ sub, exp })}`, 'Invalid or expired token');
    }
  });

  it('a token whose sub is a number instead of a string', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    const token = await sign({ sub: user.id as unknown as string, exp: nowSeconds() + 600 });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a token whose sub is a user id that was never issued', async () => {
    const { app } = await context();
    const token = await sign({ sub: '2147483000', exp: nowSeconds() + 600 });
    await expectUnauthorized(app, `Bearer ${token}`, 'Invalid or expired token');
  });

  it('a genuine token of a user who deleted the account', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    expect((await me(app, `Bearer ${user.token}`)).statusCode).toBe(200);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: user.headers });
    expect(deleted.statusCode).toBe(204);
    await expectUnauthorized(app, `Bearer ${user.token}`, 'Invalid or expired token');
  });
});

describe('the Authorization header', () => {
  it('missing: 401 "Not authenticated"', async () => {
    const { app } = await context();
    await expectUnauthorized(app, undefined, 'Not authenticated');
  });

  it('empty, scheme only, another scheme, or no scheme: 401', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    for (const value of [
      '',
      'Bearer',
      'Bearer ',
      'Basic xyz',
      `Basic ${user.token}`,
      user.token,
      `Token ${user.token}`,
      `Bearer${user.token}`,
    ]) {
      await expectUnauthorized(app, value);
    }
  });

  it('a token that is not a JWT: 401 "Invalid or expired token"', async () => {
    const { app } = await context();
    for (const value of ['Bearer a.b.c', 'Bearer abc', 'Bearer ...', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.']) {
      await expectUnauthorized(app, value, 'Invalid or expired token');
    }
  });

  it('two tokens in one header: 401', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    await expectUnauthorized(app, `Bearer ${user.token} ${user.token}`);
  });

  it('a valid token is accepted, whatever the case of the scheme', async () => {
    const { app } = await context();
    const user = await signedInUser(app);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await me(app, `${scheme} ${user.token}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(privateProfile(user));
    }
  });
});

describe('issued tokens', () => {
  it('are HS256 JWTs with sub = the user id as a string and exp = now + 30 minutes', async () => {
    const { app } = await context();
    const before = nowSeconds();
    const user = await signedInUser(app);
    const after = nowSeconds();
    const header = JSON.parse(Buffer.from(defined(user.token.split('.')[0]), 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('HS256');
    const claims = decodeJwt(user.token);
    expect(claims.sub).toBe(String(user.id));
    expect(typeof claims.sub).toBe('string');
    expect(typeof claims.exp).toBe('number');
    expect(defined(claims.exp)).toBeGreaterThanOrEqual(before + 30 * 60 - 2);
    expect(defined(claims.exp)).toBeLessThanOrEqual(after + 30 * 60 + 2);
  });

  describe('with ACCESS_TOKEN_EXPIRE_MINUTES=5', () => {
    let fiveMinutes: Awaited<ReturnType<typeof createTestApp>> | undefined;
    afterAll(async () => {
      await fiveMinutes?.close();
    });

    it('expire 5 minutes after issue, and are accepted until then', async () => {
      fiveMinutes = await createTestApp({ ACCESS_TOKEN_EXPIRE_MINUTES: '5' });
      const { app } = fiveMinutes;
      const before = nowSeconds();
      const user = await signedInUser(app);
      const after = nowSeconds();
      const claims = decodeJwt(user.token);
      expect(claims.sub).toBe(String(user.id));
      expect(defined(claims.exp)).toBeGreaterThanOrEqual(before + 5 * 60 - 2);
      expect(defined(claims.exp)).toBeLessThanOrEqual(after + 5 * 60 + 2);
      expect((await me(app, `Bearer ${user.token}`)).statusCode).toBe(200);
    });
  });
});
