// Two-factor sign-in as a user does it: codes come from Debian's oathtool,
// an implementation of RFC 6238 of its own, at the services' (test) clock.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import type { SignedIn } from './api.js';
import type { TestClock } from './clock.js';

const run = promisify(execFile);

/** The six-digit code an authenticator app shows at `at` (epoch ms) for this base32 secret. */
export async function oathtoolCode(secret: string, at: number): Promise<string> {
  const { stdout } = await run('oathtool', ['--totp', '--base32', `--now=@${Math.floor(at / 1000)}`, secret]);
  return stdout.trim();
}

export interface Enrolment {
  secret: string;
  otpauth_url: string;
  qr_svg: string;
}

export async function beginTwoFactor(app: App, user: SignedIn): Promise<Enrolment> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/me/2fa',
    headers: user.headers,
    payload: { current_password: user.password },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Enrolment>();
}

/** Turns two-factor sign-in on for the user, with a code of the clock's present step (so it is used up). */
export async function enableTwoFactor(app: App, user: SignedIn, clock: Pick<TestClock, 'now'>) {
  const { secret } = await beginTwoFactor(app, user);
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/me/2fa/confirm',
    headers: user.headers,
    payload: { code: await oathtoolCode(secret, clock.now()) },
  });
  expect(response.statusCode, response.body).toBe(200);
  return { secret, recoveryCodes: response.json<{ recovery_codes: string[] }>().recovery_codes };
}

/** POST /api/users/token with an optional `otp`, whatever it answers. */
export function requestToken(app: App, email: string, password: string, otp?: string, remoteAddress = '127.0.0.1') {
  const form = new URLSearchParams({ username: email, password, ...(otp !== undefined && { otp }) });
  return app.inject({
    method: 'POST',
    url: '/api/users/token',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
}
