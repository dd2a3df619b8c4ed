// Notices (docs/api.md, "Account recovery"): "When a password changes in any
// way, or an email address changes, the account's (old) address gets a
// notice." A change that fails or changes neither queues nothing, and a
// changed password or address ends an outstanding reset link. Mail goes to
// DATA_DIR/mail/ (no SMTP_URL) and is read as its recipient reads it.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  defined,
  expectDetail,
  inbox,
  login,
  mailSettled,
  newAccount,
  register,
  requestResetToken,
  signedInUser,
  useTestApp,
  type ReadMail,
  type SignedIn,
} from '../helpers/index.js';

const SITE_NAME = 'Notice Board';
const context = useTestApp({ SITE_NAME, PUBLIC_URL: 'https://notices.example.com' });

const NEW_PASSWORD = 'a brand new password';

const changePassword = (app: App, user: SignedIn, currentPassword: string, newPassword = NEW_PASSWORD) =>
  app.inject({
    method: 'POST',
    url: '/api/users/me/password',
    headers: user.headers,
    payload: { current_password: currentPassword, new_password: newPassword },
  });

const changeAccount = (app: App, user: SignedIn, changes: { username?: string; email?: string }) =>
  app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: user.headers, payload: changes });

const confirmReset = (app: App, token: string, newPassword = NEW_PASSWORD) =>
  app.inject({
    method: 'POST',
    url: '/api/users/password-reset/confirm',
    payload: { token, new_password: newPassword },
  });

/** Every mail queued so far, of any state: what a change put in the outbox. */
const outbox = (app: App) =>
  app.db.selectFrom('mail_outbox').select(['id', 'kind', 'recipient']).orderBy('id').execute();

/** The one mail in the inbox of `address`, which must be its only one. */
async function onlyMail(app: App, dataDir: string, address: string): Promise<ReadMail> {
  const mails = await inbox(app, dataDir, address);
  expect(mails.map((mail) => mail.subject)).toHaveLength(1);
  return defined(mails[0]);
}

/** What every notice is: it names the site, has both parts, and carries no password or reset link. */
function expectNotice(mail: ReadMail, subject: string, secrets: string[]) {
  expect(mail.subject).toBe(subject);
  expect(mail.subject).toContain(SITE_NAME);
  expect(mail.text).toContain(SITE_NAME);
  expect(mail.html).toContain(SITE_NAME);
  for (const secret of secrets) expect(mail.text + mail.html).not.toContain(secret);
  expect(mail.text + mail.html).not.toContain('reset-password?token=');
}

const PASSWORD_CHANGED = `Your password on ${SITE_NAME} was changed`;
const EMAIL_CHANGED = `The email address of your account on ${SITE_NAME} was changed`;

describe('a password change', () => {
  it('through POST /api/users/me/password sends a notice to the account', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'changer');
    expect((await changePassword(app, user, user.password)).statusCode).toBe(204);
    const notice = await onlyMail(app, dataDir, user.email);
    expectNotice(notice, PASSWORD_CHANGED, [user.password, NEW_PASSWORD]);
    expect(notice.text).toContain(`Hello ${user.username},`);
  });

  it('through a reset link sends a notice after the reset mail', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('forgetful'));
    const token = await requestResetToken(app, dataDir, account.email);
    expect((await confirmReset(app, token)).statusCode).toBe(204);
    await mailSettled(app);
    const mails = await inbox(app, dataDir, account.email);
    expect(mails.map((mail) => mail.subject)).toEqual([`Reset your password on ${SITE_NAME}`, PASSWORD_CHANGED]);
    expectNotice(defined(mails[1]), PASSWORD_CHANGED, [account.password, NEW_PASSWORD, token]);
  });

  it('with the wrong current password (400) queues nothing', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'mistyped');
    const before = await outbox(app);
    expectDetail(await changePassword(app, user, 'not the password'), 400, 'Incorrect password');
    expect(await outbox(app)).toEqual(before);
    expect(await inbox(app, dataDir, user.email)).toEqual([]);
  });

  it('ends an outstanding reset link', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'remembered');
    const token = await requestResetToken(app, dataDir, user.email);
    expect((await changePassword(app, user, user.password)).statusCode).toBe(204);
    expectDetail(await confirmReset(app, token, 'what the link would set'), 400, 'Invalid or expired reset token');
    expect(await login(app, user.email, NEW_PASSWORD)).toBeTypeOf('string');
  });
});

describe('an email change', () => {
  it('sends a notice to the old address only, none to the new one', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'mover');
    const newEmail = newAccount('moved').email;
    const response = await changeAccount(app, user, { email: newEmail });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ email: string }>().email).toBe(newEmail);
    const notice = await onlyMail(app, dataDir, user.email);
    expectNotice(notice, EMAIL_CHANGED, [user.password]);
    expect(notice.to).toEqual([user.email]);
    expect(await inbox(app, dataDir, newEmail)).toEqual([]);
  });

  it('together with the username names the account by its new username', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'renamed');
    const changes = { username: `${user.username}-new`, email: newAccount('renamed').email };
    expect((await changeAccount(app, user, changes)).statusCode).toBe(200);
    const notice = await onlyMail(app, dataDir, user.email);
    expect(notice.subject).toBe(EMAIL_CHANGED);
    expect(notice.text).toContain(`Hello ${changes.username},`);
  });

  it('to a duplicate address (400) queues nothing', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'copycat');
    const other = await register(app, newAccount('original'));
    const before = await outbox(app);
    expectDetail(await changeAccount(app, user, { email: other.email.toUpperCase() }), 400, 'Email already exists');
    expect(await outbox(app)).toEqual(before);
    expect(await inbox(app, dataDir, user.email)).toEqual([]);
    expect(await inbox(app, dataDir, other.email)).toEqual([]);
  });

  it('of two accounts racing to one new address: one wins, and only its old address gets a notice', async () => {
    const { app, dataDir } = await context();
    const racers = [await signedInUser(app, 'racer'), await signedInUser(app, 'racer')];
    const contested = newAccount('contested').email;
    const answers = await Promise.all(racers.map((racer) => changeAccount(app, racer, { email: contested })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 400]);
    const winner = defined(racers[answers.findIndex((answer) => answer.statusCode === 200)]);
    const loser = defined(racers[answers.findIndex((answer) => answer.statusCode === 400)]);
    // The loser's change, had it got as far as its transaction, was rolled back with its notice.
    expect((await onlyMail(app, dataDir, winner.email)).subject).toBe(EMAIL_CHANGED);
    expect(await inbox(app, dataDir, loser.email)).toEqual([]);
    expect(await inbox(app, dataDir, contested)).toEqual([]);
  });

  it('to the same address in other capitals is no change: no notice', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'shouty');
    const before = await outbox(app);
    const response = await changeAccount(app, user, { email: user.email.toUpperCase() });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ email: string }>().email).toBe(user.email); // stored lower-cased
    await mailSettled(app);
    expect(await outbox(app)).toEqual(before);
  });

  it('ends an outstanding reset link', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'relocated');
    const token = await requestResetToken(app, dataDir, user.email);
    const newEmail = newAccount('relocated').email;
    expect((await changeAccount(app, user, { email: newEmail })).statusCode).toBe(200);
    // A link mailed to the old address must not take over the account.
    expectDetail(await confirmReset(app, token), 400, 'Invalid or expired reset token');
    expect(await login(app, newEmail, user.password)).toBeTypeOf('string');
  });
});

describe('a username-only change', () => {
  it('sends no mail', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'nicknamed');
    const before = await outbox(app);
    expect((await changeAccount(app, user, { username: `${user.username}-alias` })).statusCode).toBe(200);
    await mailSettled(app);
    expect(await outbox(app)).toEqual(before);
    expect(await inbox(app, dataDir, user.email)).toEqual([]);
  });

  it('leaves an outstanding reset link working', async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'relabelled');
    const token = await requestResetToken(app, dataDir, user.email);
    expect((await changeAccount(app, user, { username: `${user.username}-label` })).statusCode).toBe(200);
    expect((await confirmReset(app, token)).statusCode).toBe(204);
  });
});
