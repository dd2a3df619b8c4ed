// Who may create an account (REGISTRATION), and the invitations that let an
// address in when only invited ones may. An invitation's token (256 random
// bits) is made when its mail is composed, like a reset link's, and kept
// only as its SHA-256: it works once, for its address, until it expires, and
// a newer invitation to the same address revokes it. Admins invite, list and
// revoke; each change is audited in its own transaction.
import { createHash, randomBytes } from 'node:crypto';
import type { RegistrationMode } from '../config/index.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import type { InvitationRecord, InvitationRepository } from '../repositories/invitations.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import { assertAdmin } from './permissions.js';
import type { TransactionScope, Transact } from './unit-of-work.js';

export const REGISTRATION_CLOSED = 'Registration is closed';
export const INVITATION_REQUIRED = 'Invitation required';

const DAY_MS = 24 * 60 * 60 * 1000;

const newToken = () => randomBytes(32).toString('base64url');
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What the register page offers a visitor with this link (or none). */
export type RegistrationGate =
  | { state: 'open' }
  | { state: 'invited'; email: string; invite: string }
  | { state: 'closed'; refusal: string }
  /** `linkInvalid`: a link was followed, but its invitation is unknown, used, revoked or expired. */
  | { state: 'invitation-required'; refusal: string; linkInvalid: boolean };

/** Lets the account in, in the transaction that creates it; refuses (403) an invitation used up meanwhile. */
export type Admission = (scope: TransactionScope) => Promise<void>;

export interface InvitationServiceDeps {
  invitations: InvitationRepository;
  users: UserRepository;
  transact: Transact;
  mode: RegistrationMode;
  expireDays: number;
  now: () => number;
}

export function createInvitationService(deps: InvitationServiceDeps) {
  const { invitations, users, transact, mode, now } = deps;

  return {
    async gate(invite: string | undefined): Promise<RegistrationGate> {
      if (mode === 'open') return { state: 'open' };
      if (mode === 'closed') return { state: 'closed', refusal: REGISTRATION_CLOSED };
      const pending = invite ? await invitations.findPending(hashToken(invite), now()) : undefined;
      if (invite && pending) return { state: 'invited', email: pending.email, invite };
      return { state: 'invitation-required', refusal: INVITATION_REQUIRED, linkInvalid: Boolean(invite) };
    },

    /**
     * Whether the mode lets `email` register with `invite`: 403 otherwise.
     * Checked before the costly hashing, so made-up tokens cost nothing; the
     * invitation is used up by the returned admission.
     */
    async admit(email: string, invite: string | undefined): Promise<Admission> {
      if (mode === 'open') return () => Promise.resolve();
      if (mode === 'closed') throw forbidden(REGISTRATION_CLOSED);
      const tokenHash = hashToken(invite ?? '');
      const pending = invite ? await invitations.findPending(tokenHash, now()) : undefined;
      if (pending?.email !== email.toLowerCase()) throw forbidden(INVITATION_REQUIRED);
      return async (scope) => {
        if ((await scope.invitations.accept(tokenHash, email, now())) === undefined)
          throw forbidden(INVITATION_REQUIRED);
      };
    },

    /** Invites an address that no account has; earlier pending invitations to it are revoked. */
    async invite(actor: User, email: string): Promise<InvitationRecord> {
      assertAdmin(actor);
      const address = email.toLowerCase();
      if (await users.findByEmail(address)) throw badRequest('An account already has this email');
      const createdAt = now();
      const expiresAt = createdAt + deps.expireDays * DAY_MS;
      return transact(async (scope) => {
        const replaced = await scope.invitations.revokePendingTo(address, createdAt);
        // A token no one knows: the one the link carries is made when the mail is composed.
        const tokenHash = hashToken(newToken());
        const { id } = await scope.invitations.create({
          email: address,
          tokenHash,
          invitedBy: actor.id,
          createdAt,
          expiresAt,
        });
        await scope.queueMail(mails.invitation(address, { invitationId: id, invitedBy: actor.username }));
        await scope.audit({
          actor,
          action: 'invitation.create',
          target: { type: 'invitation', id, label: address },
          details: {
            expires_at: new Date(expiresAt).toISOString(),
            ...(replaced.length > 0 && { revoked: replaced }),
          },
        });
        return { id, email: address, invited_by: actor.username, created_at: createdAt, expires_at: expiresAt };
      });
    },

    async pendingPage(actor: User, options: { skip: number; limit: number }) {
      assertAdmin(actor);
      return invitations.pendingPage(now(), options.skip, options.limit);
    },

    async revoke(actor: User, invitationId: number): Promise<void> {
      assertAdmin(actor);
      await transact(async (scope) => {
        const revoked = await scope.invitations.revoke(invitationId, now());
        if (!revoked) throw notFound('Invitation not found');
        await scope.audit({
          actor,
          action: 'invitation.revoke',
          target: { type: 'invitation', id: invitationId, label: revoked.email },
        });
      });
    },

    /** A new token for the invitation's mail, while it is pending: the token and when it expires. */
    async issueToken(invitationId: number): Promise<{ token: string; expiresAt: number } | undefined> {
      const token = newToken();
      const expiresAt = await invitations.replaceToken(invitationId, hashToken(token), now());
      return expiresAt === undefined ? undefined : { token, expiresAt };
    },

    async purgeExpired(): Promise<void> {
      await invitations.purgeExpired(now());
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
