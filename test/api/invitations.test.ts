// Invitations (docs/api.md, "Moderation"): with REGISTRATION=invite,
// `POST /api/admin/invitations` {email} mails a link
// `<PUBLIC_URL>/register?invite=<token>`, and `POST /api/users` then needs
// `invite`: the token, single use, for that address (else 403 "Invitation
// required"). Admins list the pending invitations and revoke them; every
// change is in the audit log. Mail goes to DATA_DIR/mail/ (no SMTP_URL); the
// mail itself and the token's secrecy are tested in invitation-mail.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { InvitationBody } from '../../src/schemas/invitations.js';
import {
  createTestApp,
  defined,
  expect422At,
  expectDetail,
  newAccount,
  ofType,
  useCleanups,
  type Headers,
  type TestContext,
  testClock,
  type TestClock,
} from '../helpers/index.js';
import {
  INVITE_ONLY,
  invitationLinkOf,
  invite,
  ownersAccount,
  ownersAdmin,
  registerWithInvite,
  requestInvitation,
} from '../helpers/invitations.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PUBLIC_URL = 'https://blog.example.com';
const INVITATION_REQUIRED = 'Invitation required';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** An invite-only test app on this clock for the describe block, closed after it. */
function useInviteOnlyApp(clock: TestClock, env: Record<string, string> = {}) {
  const cleanup = useCleanups();
  let context: TestContext | undefined;
  beforeAll(async () => {
    const made = await createTestApp({ ...INVITE_ONLY, PUBLIC_URL, ...env }, { now: clock.now });
    cleanup(() => made.close());
    context = made;
  });
  return () => defined(context, 'the test app');
}

const listInvitations = (app: App, headers: Headers, query = '') =>
  app.inject({ method: 'GET', url: `/api/admin/invitations${query}`, headers });

const revokeInvitation = (app: App, headers: Headers, id: number | string) =>
  app.inject({ method: 'DELETE', url: `/api/admin/invitations/${id}`, headers });

async function pendingEmails(app: App, headers: Headers): Promise<string[]> {
  const response = await listInvitations(app, headers, '?limit=100');
  expect(response.statusCode).toBe(200);
  return response.json<{ invitations: InvitationBody[] }>().invitations.map((invitation) => invitation.email);
}

async function auditEntries(app: App, headers: Headers) {
  const response = await app.inject({ method: 'GET', url: '/api/admin/audit?limit=100', headers });
  expect(response.statusCode).toBe(200);
  return response.json<{ entries: { action: string; actor: unknown; target: unknown; details: unknown }[] }>().entries;
}

describe('POST /api/admin/invitations', () => {
  const clock = testClock();
  const context = useInviteOnlyApp(clock);

  it('answers 201 with the invitation, the address lower-cased, expiring INVITATION_EXPIRE_DAYS (7) later', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const address = newAccount('invited').email;
    const { invitation, mail } = await invite(app, dataDir, admin.headers, address.toUpperCase());
    expect(invitation).toEqual({
      id: ofType(Number),
      email: address,
      created_at: iso(clock.now()),
      expires_at: iso(clock.now() + 7 * DAY_MS),
      invited_by: admin.username,
    });
    // Mailed to that address, with a link to the register page of PUBLIC_URL.
    expect(mail.to).toEqual([address]);
    const { url } = invitationLinkOf(mail);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/register`);
  });

  it('refuses an address an account already has, whatever its case: 400, nothing stored or mailed', async () => {
    const { app } = context();
    const admin = await ownersAdmin(app);
    const member = await ownersAccount(app, 'member');
    const response = await requestInvitation(app, admin.headers, member.email.toUpperCase());
    expectDetail(response, 400, 'An account already has this email');
    expect(await app.db.selectFrom('invitations').select('id').where('email', '=', member.email).execute()).toEqual([]);
    expect(await app.db.selectFrom('mail_outbox').select('id').where('recipient', '=', member.email).execute()).toEqual(
      [],
    );
  });

  it('answers 422 for a missing or malformed address', async () => {
    const { app } = context();
    const admin = await ownersAdmin(app);
    expect422At(await requestInvitation(app, admin.headers, 'not an address'), ['body', 'email']);
    expect422At(await requestInvitation(app, admin.headers, undefined), ['body', 'email']);
  });

  it('a new invitation to the same address revokes the earlier one: only the newest link works', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const account = newAccount('reinvited');
    const first = await invite(app, dataDir, admin.headers, account.email);
    const second = await invite(app, dataDir, admin.headers, account.email);
    expect(second.token).not.toBe(first.token);
    expect((await pendingEmails(app, admin.headers)).filter((email) => email === account.email)).toHaveLength(1);
    expectDetail(await registerWithInvite(app, account, first.token), 403, INVITATION_REQUIRED);
    expect((await registerWithInvite(app, account, second.token)).statusCode).toBe(201);
    const [created] = (await auditEntries(app, admin.headers)).filter(
      (entry) => entry.action === 'invitation.create' && (entry.target as { id: number }).id === second.invitation.id,
    );
    expect(created?.details).toMatchObject({ revoked: [first.invitation.id] });
  });

  it('is for admins only: 403 "Admins only" to a user, for every operation, and nothing is created', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const user = await ownersAccount(app, 'plain');
    const { invitation } = await invite(app, dataDir, admin.headers, newAccount('guarded').email);
    const address = newAccount('sneaky').email;
    expectDetail(await requestInvitation(app, user.headers, address), 403, 'Admins only');
    expectDetail(await listInvitations(app, user.headers), 403, 'Admins only');
    expectDetail(await revokeInvitation(app, user.headers, invitation.id), 403, 'Admins only');
    expect(await pendingEmails(app, admin.headers)).not.toContain(address);
    expect(await pendingEmails(app, admin.headers)).toContain(invitation.email);
  });

  it('writes invitation.create and invitation.revoke to the audit log, naming the admin and the address', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const { invitation } = await invite(app, dataDir, admin.headers, newAccount('audited').email);
    expect((await revokeInvitation(app, admin.headers, invitation.id)).statusCode).toBe(204);
    const [revoked, created] = await auditEntries(app, admin.headers);
    const target = { type: 'invitation', id: invitation.id, label: invitation.email };
    const actor = { id: admin.id, username: admin.username };
    expect(created).toMatchObject({ action: 'invitation.create', actor, target });
    expect(created?.details).toEqual({ expires_at: invitation.expires_at });
    expect(revoked).toMatchObject({ action: 'invitation.revoke', actor, target });
  });
});

describe('GET /api/admin/invitations', () => {
  const clock = testClock();
  const context = useInviteOnlyApp(clock, { INVITATION_EXPIRE_DAYS: '2' });

  it('lists the pending invitations only (not accepted, revoked or expired), newest first, paged', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    await invite(app, dataDir, admin.headers, newAccount('expiring').email);
    clock.advance(DAY_MS);
    const kept = await invite(app, dataDir, admin.headers, newAccount('kept').email);
    const revoked = await invite(app, dataDir, admin.headers, newAccount('revoked').email);
    const acceptedAccount = newAccount('accepted');
    const accepted = await invite(app, dataDir, admin.headers, acceptedAccount.email);
    const newest = await invite(app, dataDir, admin.headers, newAccount('newest').email);
    expect((await revokeInvitation(app, admin.headers, revoked.invitation.id)).statusCode).toBe(204);
    expect((await registerWithInvite(app, acceptedAccount, accepted.token)).statusCode).toBe(201);
    clock.advance(DAY_MS); // the first one's two days are over

    const all = await listInvitations(app, admin.headers);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({
      invitations: [newest.invitation, kept.invitation],
      total: 2,
      skip: 0,
      limit: 10,
      has_more: false,
    });
    const second = await listInvitations(app, admin.headers, '?skip=1&limit=1');
    expect(second.json()).toEqual({ invitations: [kept.invitation], total: 2, skip: 1, limit: 1, has_more: false });
    const first = await listInvitations(app, admin.headers, '?limit=1');
    expect(first.json()).toMatchObject({ invitations: [newest.invitation], has_more: true });
  });

  it('answers 422 for a bad skip or limit', async () => {
    const { app } = context();
    const admin = await ownersAdmin(app);
    expect422At(await listInvitations(app, admin.headers, '?limit=0'), ['query', 'limit']);
    expect422At(await listInvitations(app, admin.headers, '?skip=-1'), ['query', 'skip']);
  });

  it('shows invited_by as null once the inviting admin is gone', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const leaving = await ownersAdmin(app, 'leaving');
    const { invitation } = await invite(app, dataDir, leaving.headers, newAccount('orphan').email);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/users/${leaving.id}`, headers: leaving.headers });
    expect(deleted.statusCode).toBe(204);
    const page = (await listInvitations(app, admin.headers, '?limit=100')).json<{ invitations: InvitationBody[] }>();
    expect(page.invitations.find((item) => item.id === invitation.id)).toEqual({ ...invitation, invited_by: null });
  });
});

describe('DELETE /api/admin/invitations/{invitation_id}', () => {
  const clock = testClock();
  const context = useInviteOnlyApp(clock);

  it('answers 204 and the link stops working; then 404 "Invitation not found"', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const account = newAccount('revokee');
    const { invitation, token } = await invite(app, dataDir, admin.headers, account.email);
    const response = await revokeInvitation(app, admin.headers, invitation.id);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectDetail(await registerWithInvite(app, account, token), 403, INVITATION_REQUIRED);
    expect(await pendingEmails(app, admin.headers)).not.toContain(account.email);
    expectDetail(await revokeInvitation(app, admin.headers, invitation.id), 404, 'Invitation not found');
  });

  it('answers 404 for an unknown, an accepted or an expired invitation, and 422 for a malformed id', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const acceptedAccount = newAccount('taken');
    const accepted = await invite(app, dataDir, admin.headers, acceptedAccount.email);
    expect((await registerWithInvite(app, acceptedAccount, accepted.token)).statusCode).toBe(201);
    const expired = await invite(app, dataDir, admin.headers, newAccount('lapsed').email);
    clock.advance(7 * DAY_MS);
    for (const id of [accepted.invitation.id, expired.invitation.id, 999_999, 2 ** 40]) {
      expectDetail(await revokeInvitation(app, admin.headers, id), 404, 'Invitation not found');
    }
    expect422At(await revokeInvitation(app, admin.headers, 'abc'), ['path', 'invitation_id']);
  });
});

describe('an invitation link', () => {
  const clock = testClock();
  const context = useInviteOnlyApp(clock, { INVITATION_EXPIRE_DAYS: '2' });

  it('registers its address once: the token is used up, even after that account is deleted', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const account = newAccount('once');
    const { token } = await invite(app, dataDir, admin.headers, account.email);
    const first = await registerWithInvite(app, account, token);
    expect(first.statusCode).toBe(201);
    const { id } = first.json<{ id: number }>();
    const deleted = await app.inject({ method: 'DELETE', url: `/api/users/${id}`, headers: admin.headers });
    expect(deleted.statusCode).toBe(204);
    expectDetail(await registerWithInvite(app, account, token), 403, INVITATION_REQUIRED);
  });

  it('of two registrations at once with one token, exactly one succeeds; the other is refused 403', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const account = newAccount('raced');
    const { invitation, token } = await invite(app, dataDir, admin.headers, account.email);
    // Different usernames: only the invitation (and the address) can stop the second.
    const answers = await Promise.all([
      registerWithInvite(app, { ...account, username: `${account.username}a` }, token),
      registerWithInvite(app, { ...account, username: `${account.username}b` }, token),
    ]);
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([201, 403]);
    const refused = defined(answers.find((answer) => answer.statusCode === 403));
    expect(refused.json()).toEqual({ detail: INVITATION_REQUIRED });
    const users = await app.db.selectFrom('users').select('username').where('email', '=', account.email).execute();
    expect(users).toHaveLength(1);
    const row = await app.db
      .selectFrom('invitations')
      .select('accepted_at')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.accepted_at)).toBe(clock.now());
  });

  it('works until INVITATION_EXPIRE_DAYS have passed, and not a moment after', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const early = newAccount('intime');
    const late = newAccount('toolate');
    const inTime = await invite(app, dataDir, admin.headers, early.email);
    const tooLate = await invite(app, dataDir, admin.headers, late.email);
    clock.advance(2 * DAY_MS - 1);
    expect((await registerWithInvite(app, early, inTime.token)).statusCode).toBe(201);
    clock.advance(1);
    expectDetail(await registerWithInvite(app, late, tooLate.token), 403, INVITATION_REQUIRED);
    expect(await pendingEmails(app, admin.headers)).not.toContain(late.email);
  });

  it('is removed by the housekeeping round once expired', async () => {
    const { app, dataDir } = context();
    const admin = await ownersAdmin(app);
    const { invitation } = await invite(app, dataDir, admin.headers, newAccount('purged').email);
    clock.advance(DAY_MS);
    const fresh = await invite(app, dataDir, admin.headers, newAccount('fresh').email);
    clock.advance(DAY_MS);
    await app.services.housekeeping.run(0);
    const ids = (await app.db.selectFrom('invitations').select('id').execute()).map((row) => row.id);
    expect(ids).not.toContain(invitation.id);
    expect(ids).toContain(fresh.invitation.id);
    expect(
      await app.db.selectFrom('invitations').select('id').where('expires_at', '<=', clock.now()).execute(),
    ).toEqual([]);
  });
});
