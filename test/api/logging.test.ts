// Credentials and reset tokens stay out of the logs, and a login takes as long
// for an unknown email as for a wrong password.
import { describe, expect, it } from 'vitest';
import {
  createTestApp,
  defined,
  FORM_TYPE,
  mailSettled,
  newAccount,
  register,
  requestResetToken,
  SAME_ORIGIN,
  sessionFor,
  useTestApp,
} from '../helpers/index.js';

describe('logs', () => {
  it('never contain passwords, tokens or session cookies, even at trace level', async () => {
    const lines: string[] = [];
    const context = await createTestApp(
      { LOG_LEVEL: 'trace' },
      { logStream: { write: (line) => void lines.push(line) } },
    );
    try {
      const { app } = context;
      const account = await register(app, newAccount('logged'));
      const form = (email: string, password: string) => ({
        method: 'POST' as const,
        url: '/api/users/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: email, password }).toString(),
      });
      const good = await app.inject(form(account.email, account.password));
      const token = good.json<{ access_token: string }>().access_token;
      await app.inject(form(account.email, 'the wrong secret password'));
      await app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
      const cookie = await sessionFor(app, account.email, account.password);
      await app.inject({ method: 'GET', url: '/account', cookies: { session: cookie } });
      await app.inject({
        method: 'POST',
        url: '/api/users/me/password',
        headers: { authorization: `Bearer ${token}` },
        payload: { current_password: account.password, new_password: 'the next secret password' },
      });

      const log = lines.join('');
      expect(lines.length).toBeGreaterThanOrEqual(7); // the requests were logged
      expect(log).toContain('/api/users/token');
      for (const secret of [account.password, 'the wrong secret password', 'the next secret password', token, cookie]) {
        expect(log).not.toContain(secret);
      }
      expect(log).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT at all
    } finally {
      await context.close();
    }
  });

  // "[The reset token] never appears in a log line" (docs/api.md, Account recovery).
  it.each(['info', 'trace'])('never contain a password-reset token, at %s level', async (level) => {
    const lines: string[] = [];
    const context = await createTestApp(
      { LOG_LEVEL: level },
      { logStream: { write: (line) => void lines.push(line) } },
    );
    try {
      const { app, dataDir } = context;
      const account = await register(app, newAccount('recovering'));
      const token = await requestResetToken(app, dataDir, account.email);
      // The link as the mail carries it, with the token in another place of the query, and the form post.
      await app.inject({ method: 'GET', url: `/reset-password?token=${token}` });
      await app.inject({ method: 'GET', url: `/reset-password?next=%2F&TOKEN=${token}#${token}` });
      await app.inject({
        method: 'POST',
        url: '/reset-password',
        headers: { ...FORM_TYPE, ...SAME_ORIGIN },
        payload: new URLSearchParams({ token, new_password: 'a form posted password' }).toString(),
      });
      const confirm = (newPassword: string) =>
        app.inject({
          method: 'POST',
          url: '/api/users/password-reset/confirm',
          payload: { token, new_password: newPassword },
        });
      expect((await confirm('the reset secret password')).statusCode).toBe(204);
      expect((await confirm('the second reset password')).statusCode).toBe(400); // the error path too
      await mailSettled(app); // the password-changed notice

      const log = lines.join('');
      expect(log).toContain('/reset-password?token=[redacted]'); // the page request was logged, without it
      expect(log).toContain('/api/users/password-reset/confirm');
      expect(log).toContain('mail sent');
      for (const secret of [
        token,
        'a form posted password',
        'the reset secret password',
        'the second reset password',
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await context.close();
    }
  });
});

interface AccessLine {
  level: number;
  msg: string;
  reqId: string;
  method: string;
  route: string;
  url: string;
  status: number;
  ms: number;
}

// "One line per request, like a proxy's access log" (docs/api.md, Delivery).
describe('the access log', () => {
  const lines: string[] = [];
  const testApp = useTestApp({ LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
  const accessLines = () =>
    lines.map((line) => JSON.parse(line) as AccessLine).filter((line) => line.msg === 'request');

  it('writes one line per request: method, route, URL, status, time and id', async () => {
    const { app } = await testApp();
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/api/posts?limit=2' });
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(accessLines()).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: id,
        method: 'GET',
        route: '/api/posts',
        url: '/api/posts?limit=2',
        status: 200,
        ms: expect.any(Number) as unknown,
      }),
    ]);
  });

  it('takes a sane X-Request-Id from the client and replaces any other', async () => {
    const { app } = await testApp();
    lines.length = 0;
    const given = 'edge-1.abc_DEF-42';
    const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': given } });
    expect(kept.headers['x-request-id']).toBe(given);
    for (const insane of ['', 'a'.repeat(101), 'two words', 'line\nbreak', '"quoted"']) {
      const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': insane } });
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(accessLines().map((line) => line.reqId)[0]).toBe(given);
    expect(new Set(accessLines().map((line) => line.reqId)).size).toBe(6);
  });

  it('sends the id on errors, 404s and 304s, and logs each with its status', async () => {
    const { app } = await testApp();
    lines.length = 0;
    const missing = await app.inject({ method: 'GET', url: '/api/posts/999999' });
    const unknown = await app.inject({ method: 'GET', url: '/no/such/page' });
    const invalid = await app.inject({ method: 'GET', url: '/api/posts?limit=0' });
    const first = await app.inject({ method: 'GET', url: '/api/posts' });
    const etag = String(first.headers.etag);
    const unchanged = await app.inject({ method: 'GET', url: '/api/posts', headers: { 'if-none-match': etag } });
    const responses = [missing, unknown, invalid, first, unchanged];
    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 422, 200, 304]);
    for (const response of responses) expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(accessLines().map((line) => [line.status, line.reqId])).toEqual(
      responses.map((response) => [response.statusCode, response.headers['x-request-id']]),
    );
  });

  it('carries the id on every line of its request', async () => {
    const { app } = await testApp();
    lines.length = 0;
    // A failed login logs a warning of its own beside the access line.
    await app.inject({
      method: 'POST',
      url: '/api/users/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'traced-login' },
      payload: new URLSearchParams({ username: 'nobody@example.com', password: 'not the password' }).toString(),
    });
    const parsed = lines.map((line) => JSON.parse(line) as { reqId?: string });
    expect(parsed.length).toBeGreaterThanOrEqual(1);
    for (const line of parsed) expect(line.reqId).toBe('traced-login');
  });

  it("logs an unexpected error with the request's id, method and route, and none of its credentials", async () => {
    const { app } = await testApp();
    const original = app.services.posts.find;
    app.services.posts.find = () => Promise.reject(new Error('the disk went away'));
    lines.length = 0;
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/api/posts/1',
        headers: { 'x-request-id': 'traced-failure', authorization: 'Bearer not-a-secret-to-log' },
      });
      expect(response.statusCode).toBe(500);
    } finally {
      app.services.posts.find = original;
    }
    const failure = lines
      .map((line) => JSON.parse(line) as { msg: string; reqId: string; method: string; route: string; err?: object })
      .find((line) => line.msg === 'unhandled error');
    expect(failure).toMatchObject({ reqId: 'traced-failure', method: 'GET', route: '/api/posts/:post_id' });
    expect(JSON.stringify(failure?.err)).toContain('the disk went away');
    expect(lines.join('')).not.toContain('not-a-secret-to-log');
  });
});

describe('login timing', () => {
  it('an unknown email costs the same Argon2 work as a wrong password', async () => {
    const context = await createTestApp();
    try {
      const { app } = context;
      const account = await register(app, newAccount('timed'));
      const attempt = async (email: string) => {
        const started = process.hrtime.bigint();
        const response = await app.inject({
          method: 'POST',
          url: '/api/users/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ username: email, password: 'not the password' }).toString(),
        });
        expect(response.statusCode).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 15; i++) {
        // Interleaved, so load on the machine affects both alike.
        unknown.push(await attempt(`nobody${i}@example.com`));
        wrong.push(await attempt(account.email));
      }
      const median = (values: number[]) => defined(values.sort((a, b) => a - b)[Math.floor(values.length / 2)]);
      const ratio = median(unknown) / median(wrong);
      // Without the dummy hash an unknown email answers in well under a tenth of the time.
      expect(median(wrong)).toBeGreaterThan(5);
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.6);
    } finally {
      await context.close();
    }
  });
});
