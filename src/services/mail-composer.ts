// The mails the site sends, one place per kind: what is queued (a kind, a
// recipient and a payload without secrets) and how it is composed when the
// sender takes it. A reset mail's token and an invitation's are made only
// then, so they are never stored anywhere but in the mail (the database
// keeps their hashes).
import type { ComposeMail } from '../mail/index.js';
import {
  emailChangedMail,
  invitationMail,
  passwordChangedMail,
  passwordResetMail,
  twoFactorChangedMail,
  type Site,
} from '../mail/templates.js';
import type { MailToQueue } from '../repositories/mail-outbox.js';
import type { UserRepository } from '../repositories/users.js';

/** The mails to queue, by kind. */
export const mails = {
  /** Queued for any address, so the answer tells nothing; composed only if an account has it. */
  passwordReset: (email: string): MailToQueue => ({
    kind: 'password-reset',
    recipient: email.toLowerCase(),
    payload: {},
  }),
  passwordChanged: (user: { email: string; username: string }): MailToQueue => ({
    kind: 'password-changed',
    recipient: user.email,
    payload: { username: user.username },
  }),
  /** To the address the account had. */
  emailChanged: (oldEmail: string, user: { username: string }): MailToQueue => ({
    kind: 'email-changed',
    recipient: oldEmail,
    payload: { username: user.username },
  }),
  twoFactorChanged: (user: { email: string; username: string }, enabled: boolean): MailToQueue => ({
    kind: 'two-factor-changed',
    recipient: user.email,
    payload: { username: user.username, enabled },
  }),
  /** Composed only while the invitation is pending (a revoked one's mail is dropped). */
  invitation: (email: string, invitation: { invitationId: number; invitedBy: string }): MailToQueue => ({
    kind: 'invitation',
    recipient: email,
    payload: { invitation_id: invitation.invitationId, invited_by: invitation.invitedBy },
  }),
};

export interface MailComposerDeps {
  users: UserRepository;
  site: Site;
  /** Makes the user's one valid reset token and returns it. */
  issueResetToken(userId: number): Promise<string>;
  resetExpireMinutes: number;
  /** Gives a pending invitation its link's token; undefined once it is no longer pending. */
  issueInvitationToken(invitationId: number): Promise<{ token: string; expiresAt: number } | undefined>;
}

export function createMailComposer(deps: MailComposerDeps): ComposeMail {
  const { users, site } = deps;
  const username = (payload: Record<string, unknown>) => String(payload.username);
  return async (mail) => {
    switch (mail.kind) {
      case 'password-reset': {
        const user = await users.findByEmail(mail.recipient);
        if (!user) return { dropped: 'no account at this address' };
        const token = await deps.issueResetToken(user.id);
        const link = `${site.url}/reset-password?token=${token}`;
        return passwordResetMail(site, user.email, {
          username: user.username,
          link,
          expiresMinutes: deps.resetExpireMinutes,
        });
      }
      case 'password-changed':
        return passwordChangedMail(site, mail.recipient, { username: username(mail.payload) });
      case 'email-changed':
        return emailChangedMail(site, mail.recipient, { username: username(mail.payload) });
      case 'two-factor-changed':
        return twoFactorChangedMail(site, mail.recipient, {
          username: username(mail.payload),
          enabled: mail.payload.enabled === true,
        });
      case 'invitation': {
        const issued = await deps.issueInvitationToken(Number(mail.payload.invitation_id));
        if (!issued) return { dropped: 'the invitation is no longer pending' };
        return invitationMail(site, mail.recipient, {
          invitedBy: String(mail.payload.invited_by),
          link: `${site.url}/register?invite=${issued.token}`,
          expiresAt: issued.expiresAt,
        });
      }
      default:
        throw new Error(`no composer for mail kind "${mail.kind}"`);
    }
  };
}
