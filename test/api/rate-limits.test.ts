// Brute force: failed logins are limited per account and per client address,
// registrations per address; past the limit, 429 with Retry-After. Limits
// live in the database and end with their window.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { createTestApp, newAccount, register, sleep, useTestApp } from '../helpers/index.js';

const LIMITED = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_LOGIN_FAILURES: '3',
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: '2',
  RATE_LIMIT_REGISTRATIONS: '2',
  RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: '60',
};

function login(app: App, email: string, password: string, remoteAddress = '127.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/api/users/token',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: email, password }).toString(),
  });
}

function expectLimited(response: Awaited<ReturnType<typeof login>>, windowSeconds = 2) {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(response.json<{ detail: unknown }>().detail).toMatch(/^Too many .* Try again in \d+ seconds\.$/);
}

describe('login limits', () => {
  const context = useTestApp({ ...LIMITED, RATE_LIMIT_REGISTRATIONS: '100' });

  it('after 3 failures on an account, even the right password waits for the window to end', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('victim'));
    for (let i = 0; i < 3; i++)
      expect((await login(app, account.email, 'wrong password', `10.1.0.${i}`)).statusCode).toBe(401);
    expectLimited(await login(app, account.email, 'wrong password', '10.1.0.9'));
    expectLimited(await login(app, account.email, account.password, '10.1.0.10'));
    await sleep(2_100);
    expect((await login(app, account.email, account.password, '10.1.0.11')).statusCode).toBe(200); // never locked out for good
  });

  it('limits unknown emails the same way, so the answer reveals nothing', async () => {
    const { app } = await context();
    const email = 'nobody-here@example.com';
    for (let i = 0; i < 3; i++) expect((await login(app, email, 'guess', `10.2.0.${i}`)).statusCode).toBe(401);
    expectLimited(await login(app, email, 'guess', '10.2.0.9'));
  });

  it('limits one address that tries many accounts', async () => {
    const { app } = await context();
    for (let i = 0; i < 3; i++)
      expect((await login(app, `spray${i}@example.com`, 'guess', '10.3.0.1')).statusCode).toBe(401);
    expectLimited(await login(app, 'spray9@example.com', 'guess', '10.3.0.1'));
    // Another address is not affected.
    expect((await login(app, 'spray9@example.com', 'guess', '10.3.0.2')).statusCode).toBe(401);
  });

  it('counts in the database atomically: parallel guesses cannot slip past the limit', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('parallel'));
    const answers = await Promise.all(Array.from({ length: 12 }, () => login(app, account.email, 'wrong', '10.4.0.1')));
    const statuses = answers.map((answer) => answer.statusCode);
    // Each attempt counts in two buckets (account and address). Serialised
    // (SQLite), exactly 3 get through; with parallel connections (PostgreSQL)
    // an attempt may see one bucket already past the limit, so fewer may. Never more.
    const refused = statuses.filter((status) => status === 401).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - refused);
  });

  it('a successful login is not counted as a failure', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('regular'));
    for (let i = 0; i < 6; i++)
      expect((await login(app, account.email, account.password, '10.5.0.1')).statusCode).toBe(200);
    expect((await login(app, account.email, 'typo', '10.5.0.1')).statusCode).toBe(401);
  });

  it('the web login form is limited too, with the message on the form', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('webform'));
    const post = (accept: string) =>
      app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '10.6.0.1',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', accept },
        payload: new URLSearchParams({ email: account.email, password: 'wrong', next: '/' }).toString(),
      });
    for (let i = 0; i < 3; i++) expect((await post('text/html')).statusCode).toBe(401);
    const page = await post('text/html');
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toMatch(/^\d+$/);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Too many failed login attempts.');
    const json = await post('application/json');
    expect(json.statusCode).toBe(429);
    expect(json.json<{ detail: unknown }>().detail).toMatch(/^Too many failed login attempts/);
  });
});

describe('registration limits', () => {
  const context = useTestApp(LIMITED);

  it('allows 2 registrations per address per window, then 429, other addresses unaffected', async () => {
    const { app } = await context();
    const registerFrom = (remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/users', remoteAddress, payload: newAccount('signup') });
    expect((await registerFrom('10.7.0.1')).statusCode).toBe(201);
    expect((await registerFrom('10.7.0.1')).statusCode).toBe(201);
    expectLimited(await registerFrom('10.7.0.1'), 60);
    expect((await registerFrom('10.7.0.2')).statusCode).toBe(201);
  });
});

describe('turning the limits off', () => {
  it('RATE_LIMIT_ENABLED=false never answers 429', async () => {
    const context = await createTestApp({ ...LIMITED, RATE_LIMIT_ENABLED: 'false' });
    try {
      const { app } = context;
      for (let i = 0; i < 8; i++) expect((await login(app, 'any@example.com', 'guess')).statusCode).toBe(401);
      for (let i = 0; i < 4; i++) {
        expect((await app.inject({ method: 'POST', url: '/api/users', payload: newAccount('free') })).statusCode).toBe(
          201,
        );
      }
    } finally {
      await context.close();
    }
  });

  it('limit settings are validated', () => {
    expect(() => loadConfig({ DATA_DIR: '/tmp/unused-limits', RATE_LIMIT_LOGIN_FAILURES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: '/tmp/unused-limits', RATE_LIMIT_LOGIN_WINDOW_SECONDS: 'a minute' })).toThrow(
      /RATE_LIMIT_LOGIN_WINDOW_SECONDS/,
    );
  });
});
