// Brute force (docs/api.md, "Accounts, further": login limits that spare
// bystanders): failed logins are limited per account from one address, per
// account from every address and per address on every account, the last well
// above the others; registrations per address. Past a limit, 429 with
// Retry-After. Limits live in the database and end with their window.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { createTestApp, newAccount, register, testClock, useTestApp } from '../helpers/index.js';

const LIMITED = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_LOGIN_FAILURES: '3',
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: '60',
  RATE_LIMIT_LOGIN_ACCOUNT_FAILURES: '6',
  RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS: '900',
  RATE_LIMIT_LOGIN_ADDRESS_FAILURES: '10',
  RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS: '900',
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

function expectLimited(response: Awaited<ReturnType<typeof login>>, windowSeconds: number) {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(response.json<{ detail: unknown }>().detail).toMatch(/^Too many .* Try again in \d+ seconds\.$/);
}

/** `times` failed logins on this email from this address, each answered 401. */
async function fail(app: App, email: string, remoteAddress: string, times: number) {
  for (let i = 0; i < times; i++)
    expect((await login(app, email, 'wrong password', remoteAddress)).statusCode).toBe(401);
}

describe('login limits', () => {
  const clock = testClock();
  const context = useTestApp({ ...LIMITED, RATE_LIMIT_REGISTRATIONS: '100' }, { now: clock.now });

  it('an attack on two accounts from one address spares the other users behind it', async () => {
    const { app } = await context();
    const first = await register(app, newAccount('first'));
    const second = await register(app, newAccount('second'));
    const bystander = await register(app, newAccount('bystander'));
    for (const attacked of [first, second]) {
      await fail(app, attacked.email, '10.1.0.1', 3);
      expectLimited(await login(app, attacked.email, 'wrong password', '10.1.0.1'), 60);
    }
    expectLimited(await login(app, first.email, first.password, '10.1.0.1'), 60);
    // Nine attempts from the address so far: under its limit of 10.
    expect((await login(app, bystander.email, bystander.password, '10.1.0.1')).statusCode).toBe(200);
    // The attacked accounts are still open to their owners elsewhere.
    expect((await login(app, first.email, first.password, '10.1.0.2')).statusCode).toBe(200);
    clock.advance(60_000); // the strict window ends
    await fail(app, second.email, '10.1.0.1', 1);
  });

  it('an account is limited from every address once the account-wide limit passes, until its window ends', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('victim'));
    for (let i = 0; i < 6; i++) await fail(app, account.email, `10.2.0.${i}`, 1);
    expectLimited(await login(app, account.email, 'wrong password', '10.2.0.9'), 900);
    expectLimited(await login(app, account.email, account.password, '10.2.0.10'), 900);
    clock.advance(900_000);
    expect((await login(app, account.email, account.password, '10.2.0.11')).statusCode).toBe(200); // never locked out for good
  });

  it('limits unknown emails the same way, so the answer reveals nothing', async () => {
    const { app } = await context();
    await fail(app, 'nobody-here@example.com', '10.3.0.1', 3);
    expectLimited(await login(app, 'nobody-here@example.com', 'guess', '10.3.0.1'), 60);
    for (let i = 0; i < 6; i++) await fail(app, 'Nobody-Else@example.com', `10.3.1.${i}`, 1);
    expectLimited(await login(app, 'nobody-else@example.com', 'guess', '10.3.1.9'), 900);
  });

  it('limits an address that tries many accounts only past its own, higher limit', async () => {
    const { app } = await context();
    const user = await register(app, newAccount('office'));
    for (let i = 0; i < 10; i++) await fail(app, `spray${i}@example.com`, '10.4.0.1', 1);
    expectLimited(await login(app, 'spray10@example.com', 'guess', '10.4.0.1'), 900);
    // Past it, even a right password from that address waits.
    expectLimited(await login(app, user.email, user.password, '10.4.0.1'), 900);
    // Another address, and the same user from it, are not affected.
    await fail(app, 'spray10@example.com', '10.4.0.2', 1);
    expect((await login(app, user.email, user.password, '10.4.0.2')).statusCode).toBe(200);
    clock.advance(900_000);
    expect((await login(app, user.email, user.password, '10.4.0.1')).statusCode).toBe(200);
  });

  it('counts in the database atomically: parallel guesses cannot slip past the limit', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('parallel'));
    const answers = await Promise.all(Array.from({ length: 12 }, () => login(app, account.email, 'wrong', '10.5.0.1')));
    const statuses = answers.map((answer) => answer.statusCode);
    // Each attempt counts in three buckets. Serialised (SQLite), exactly 3
    // get through (the strict limit); with parallel connections (PostgreSQL)
    // an attempt may see one bucket already past its limit, so fewer may. Never more.
    const refused = statuses.filter((status) => status === 401).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - refused);
  });

  it('a successful login counts toward none of the limits, the address-wide one included', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('regular'));
    // More successes than any of the three limits allows failures.
    for (let i = 0; i < 12; i++)
      expect((await login(app, account.email, account.password, '10.6.0.1')).statusCode).toBe(200);
    await fail(app, account.email, '10.6.0.1', 1);
    // A user who mistyped and then signed in leaves only the typo behind:
    // the office's address still has 9 of its 10 failures to give.
    expect((await login(app, account.email, account.password, '10.6.0.1')).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) await fail(app, `stranger${i}@example.com`, '10.6.0.1', 1);
    expectLimited(await login(app, 'stranger9@example.com', 'guess', '10.6.0.1'), 900);
  });

  it('the web login form is limited too, with the message on the form', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('webform'));
    const post = (accept: string) =>
      app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '10.7.0.1',
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
    expect(() => loadConfig({ DATA_DIR: '/tmp/unused-limits', RATE_LIMIT_LOGIN_ADDRESS_FAILURES: '0' })).toThrow(
      /RATE_LIMIT_LOGIN_ADDRESS_FAILURES/,
    );
  });
});
