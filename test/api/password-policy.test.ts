// Passwords people actually choose (docs/api.md, "Accounts, further"): a
// password on the shipped list of common and breached ones, or the account's
// own username or email, is refused with 422 on its field, at registration,
// password change and reset alike; nothing is changed or used up. The policy
// on its own: test/unit/password-policy.test.ts; the pages: test/web.
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD, PERSONAL_PASSWORD } from '../../src/services/password-policy.js';
import { login, newAccount, register, requestResetToken, signedInUser, useTestApp } from '../helpers/index.js';

const context = useTestApp();
const appOf = async () => (await context()).app;

const refusal = (field: string, msg: string, type: string) => ({
  detail: [{ loc: ['body', field], msg, type }],
});

describe('registration', () => {
  it('refuses a common password, whatever its case, with 422 on the password field, and creates nothing', async () => {
    const app = await appOf();
    for (const password of ['password1', 'PassWord1', 'QWERTYUIOP']) {
      const account = { ...newAccount('common'), password };
      const response = await app.inject({ method: 'POST', url: '/api/users', payload: account });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual(refusal('password', COMMON_PASSWORD, 'password_common'));
      const stored = await app.db.selectFrom('users').select('id').where('email', '=', account.email).execute();
      expect(stored).toEqual([]);
    }
  });

  it('refuses the username, the email or its local part as the password', async () => {
    const app = await appOf();
    const account = newAccount('personal');
    for (const password of [account.username.toUpperCase(), account.email, ` ${account.email.split('@')[0]} `]) {
      const response = await app.inject({ method: 'POST', url: '/api/users', payload: { ...account, password } });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual(refusal('password', PERSONAL_PASSWORD, 'password_personal'));
    }
    expect((await app.inject({ method: 'POST', url: '/api/users', payload: account })).statusCode).toBe(201);
  });
});

describe('changing and resetting a password', () => {
  it('refuses a common new password and keeps the old one', async () => {
    const app = await appOf();
    const user = await signedInUser(app, 'change');
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: user.headers,
      payload: { current_password: user.password, new_password: 'BaseBall1' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual(refusal('new_password', COMMON_PASSWORD, 'password_common'));
    expect(await login(app, user.email, user.password)).toEqual(expect.any(String));
    // Nothing ended: the token the refused request carried still works.
    expect((await app.inject({ url: '/api/users/me', headers: user.headers })).statusCode).toBe(200);
    const own = await app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: user.headers,
      payload: { current_password: user.password, new_password: user.username },
    });
    expect(own.json()).toEqual(refusal('new_password', PERSONAL_PASSWORD, 'password_personal'));
  });

  it('refuses a common password on reset without using up the link', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'reset');
    const token = await requestResetToken(app, dataDir, user.email);
    const confirm = (new_password: string) =>
      app.inject({ method: 'POST', url: '/api/users/password-reset/confirm', payload: { token, new_password } });
    const refused = await confirm('football1');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual(refusal('new_password', COMMON_PASSWORD, 'password_common'));
    expect((await confirm('a much better passphrase')).statusCode).toBe(204);
    expect(await login(app, user.email, 'a much better passphrase')).toEqual(expect.any(String));
  });

  it('does not judge a password already set: one on the list still logs in', async () => {
    const app = await appOf();
    const user = await register(app, newAccount('legacy'));
    // As an account made before the policy (or imported) would have it.
    const passwordHash = await app.services.passwords.hash('password1');
    await app.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    expect(await login(app, user.email, 'password1')).toEqual(expect.any(String));
  });
});
