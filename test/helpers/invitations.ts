// Invitations (docs/api.md, "Moderation"): an admin invites an address, the
// address receives a link to /register?invite=<token>, and registering with
// that token creates its account. Where only invited addresses may register,
// the first accounts are made the way the command line makes them.
import type { App } from '../../src/app.js';
import type { InvitationBody } from '../../src/schemas/invitations.js';
import { bearer, grantAdmin, login, newAccount, type Account, type Headers } from './api.js';
import { inbox, type ReadMail } from './mail.js';

export const INVITE_ONLY = { REGISTRATION: 'invite' };

/** An account made without a client (as `npm run seed` makes one), so no REGISTRATION mode stands in its way. */
export async function ownersAccount(app: App, prefix = 'owner') {
  const account = newAccount(prefix);
  const user = await app.services.accounts.register(account);
  const token = await login(app, account.email, account.password);
  return { ...account, id: user.id, token, headers: bearer(token) };
}

/** An admin made that way, signed in. */
export async function ownersAdmin(app: App, prefix = 'admin') {
  const admin = await ownersAccount(app, prefix);
  await grantAdmin(app, admin.email);
  return admin;
}

export const requestInvitation = (app: App, headers: Headers, email: unknown) =>
  app.inject({ method: 'POST', url: '/api/admin/invitations', headers, payload: { email } });

/** POST /api/users with this account and, if given, an invitation token. */
export const registerWithInvite = (app: App, account: Account, invite?: string) =>
  app.inject({ method: 'POST', url: '/api/users', payload: { ...account, ...(invite !== undefined && { invite }) } });

/** The invitation link of a mail (from its text part), and its token. */
export function invitationLinkOf(mail: ReadMail): { url: URL; token: string } {
  const match = /https?:\/\/\S+\/register\?invite=[A-Za-z0-9_-]+/.exec(mail.text);
  if (!match) throw new Error(`no invitation link in the mail "${mail.subject}":\n${mail.text}`);
  const url = new URL(match[0]);
  return { url, token: url.searchParams.get('invite') ?? '' };
}

/**
 * Invites `email` as the admin and returns the invitation and the token its
 * mail carries (the mail is written to `dataDir`: no SMTP_URL).
 */
export async function invite(app: App, dataDir: string, adminHeaders: Headers, email: string) {
  const before = (await inbox(app, dataDir, email)).length;
  const response = await requestInvitation(app, adminHeaders, email);
  if (response.statusCode !== 201) throw new Error(`invitation failed: ${response.statusCode} ${response.body}`);
  const mail = (await inbox(app, dataDir, email))[before];
  if (!mail) throw new Error(`no invitation mail arrived for ${email}`);
  return { invitation: response.json<InvitationBody>(), token: invitationLinkOf(mail).token, mail };
}
