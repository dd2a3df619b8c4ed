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
      expect(lines.length).toBeGreaterThan(10); // the requests were logged
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
