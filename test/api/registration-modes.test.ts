// Registration modes (docs/api.md, "More settings" and "Moderation"):
// REGISTRATION=open (the default) lets anyone register; `closed` answers
// POST /api/users with 403 "Registration is closed"; `invite` needs `invite`,
// the token of a pending invitation to that same address (case aside), else
// 403 "Invitation required". INVITATION_EXPIRE_DAYS (7, 1..365) is how long
// an invitation works.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import {
  expect422At,
  expectDetail,
  newAccount,
  privateProfile,
  register,
  useTestApp,
  type Account,
} from '../helpers/index.js';
import { INVITE_ONLY, invite, ownersAdmin, registerWithInvite } from '../helpers/invitations.js';

const INVITATION_REQUIRED = 'Invitation required';

async function accountsWithEmail(app: App, email: string) {
  return app.db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).execute();
}

/** A registration that the mode refused left no account behind. */
async function expectNoAccount(app: App, account: Account) {
  expect(await accountsWithEmail(app, account.email)).toEqual([]);
}

describe('configuration', () => {
  const dataDir = path.join('/nonexistent', 'blog-registration-modes');
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, SECRET_KEY: 'k'.repeat(40), ...env });

  it('defaults to REGISTRATION=open and INVITATION_EXPIRE_DAYS=7, and reads both', () => {
    expect(load({})).toMatchObject({ registration: 'open', invitationExpireDays: 7 });
    for (const mode of ['open', 'invite', 'closed'] as const) {
      expect(load({ REGISTRATION: mode }).registration).toBe(mode);
    }
    expect(load({ INVITATION_EXPIRE_DAYS: '1' }).invitationExpireDays).toBe(1);
    expect(load({ INVITATION_EXPIRE_DAYS: '365' }).invitationExpireDays).toBe(365);
  });

  it.each([
    ['REGISTRATION', 'sometimes', 'REGISTRATION must be one of open, invite, closed (got "sometimes")'],
    ['REGISTRATION', 'Open', 'REGISTRATION must be one of open, invite, closed (got "Open")'],
    ['INVITATION_EXPIRE_DAYS', '0', 'INVITATION_EXPIRE_DAYS must be an integer from 1 to 365 (got "0")'],
    ['INVITATION_EXPIRE_DAYS', '366', 'INVITATION_EXPIRE_DAYS must be an integer from 1 to 365 (got "366")'],
    ['INVITATION_EXPIRE_DAYS', 'a week', 'INVITATION_EXPIRE_DAYS must be an integer from 1 to 365 (got "a week")'],
  ])('refuses %s=%s with one line naming it', (name, value, message) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(message);
  });
});

describe('REGISTRATION=open (the default)', () => {
  const context = useTestApp();

  it('registers without an invitation, and ignores one given', async () => {
    const { app } = await context();
    await register(app, newAccount('open'));
    for (const invite of ['', 'made-up-token', 'x'.repeat(200)]) {
      const account = newAccount('openinvite');
      const response = await registerWithInvite(app, account, invite);
      expect(response.statusCode, invite).toBe(201);
      expect(response.json()).toEqual(privateProfile({ ...account, id: response.json<{ id: number }>().id }));
    }
  });

  it('documents `invite` in the registration body and the 403 among its answers', async () => {
    const { app } = await context();
    const document = (await app.inject('/openapi.json')).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    const registration = document.paths['/api/users']?.post;
    expect(Object.keys(registration?.responses ?? {})).toContain('403');
    expect(JSON.stringify(registration)).toContain('"invite"');
  });
});

describe('REGISTRATION=closed', () => {
  const context = useTestApp({ REGISTRATION: 'closed' });

  it('answers POST /api/users with 403 "Registration is closed", even with a valid invitation', async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const plain = newAccount('closed');
    expectDetail(await registerWithInvite(app, plain), 403, 'Registration is closed');
    await expectNoAccount(app, plain);
    const invited = newAccount('closedinvited');
    const { token } = await invite(app, dataDir, admin.headers, invited.email);
    expectDetail(await registerWithInvite(app, invited, token), 403, 'Registration is closed');
    await expectNoAccount(app, invited);
  });

  it('still validates the body first: 422', async () => {
    const { app } = await context();
    expect422At(await registerWithInvite(app, { ...newAccount('closed422'), password: 'short' }), ['body', 'password']);
  });
});

describe('REGISTRATION=invite', () => {
  const context = useTestApp(INVITE_ONLY);

  it('answers 403 "Invitation required" without an invitation, or with a made-up or empty token', async () => {
    const { app } = await context();
    for (const token of [undefined, '', 'made-up-token', 'A'.repeat(43)]) {
      const account = newAccount('uninvited');
      expectDetail(await registerWithInvite(app, account, token), 403, INVITATION_REQUIRED);
      await expectNoAccount(app, account);
    }
  });

  it("refuses another address's invitation, which still works for its own address", async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const invited = newAccount('invitee');
    const { token } = await invite(app, dataDir, admin.headers, invited.email);
    const other = newAccount('borrower');
    expectDetail(await registerWithInvite(app, other, token), 403, INVITATION_REQUIRED);
    await expectNoAccount(app, other);
    expect((await registerWithInvite(app, invited, token)).statusCode).toBe(201);
  });

  it('registers the invited address, however it is written, and the invitation is no longer pending', async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const account = newAccount('welcome');
    const { invitation, token } = await invite(app, dataDir, admin.headers, account.email);
    const response = await registerWithInvite(app, { ...account, email: account.email.toUpperCase() }, token);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(privateProfile({ ...account, id: response.json<{ id: number }>().id }));
    const pending = await app.inject({ url: '/api/admin/invitations?limit=100', headers: admin.headers });
    expect(pending.json<{ invitations: { id: number }[] }>().invitations.map((item) => item.id)).not.toContain(
      invitation.id,
    );
  });

  it('refuses before telling whether a username or address is taken', async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const { token } = await invite(app, dataDir, admin.headers, newAccount('holder').email);
    const taken = { ...newAccount('nosy'), username: admin.username, email: admin.email };
    expectDetail(await registerWithInvite(app, taken), 403, INVITATION_REQUIRED);
    expectDetail(await registerWithInvite(app, taken, token), 403, INVITATION_REQUIRED);
  });

  it('answers 422 for an over-long or malformed invite', async () => {
    const { app } = await context();
    expect422At(await registerWithInvite(app, newAccount('long'), 'x'.repeat(201)), ['body', 'invite']);
    expect422At(await registerWithInvite(app, newAccount('nul'), 'abc\u0000def'), ['body', 'invite']);
  });
});
