// Housekeeping: picture files a crash left without a user, and rows that
// nothing will read again (ended revocations and rate-limit windows, expired
// reset tokens and invitations, mail sent more than a week ago).
import type { MailOutboxRepository } from '../repositories/mail-outbox.js';
import type { AuthenticationService } from './authentication.js';
import type { InvitationService } from './invitations.js';
import type { PasswordResetService } from './password-reset.js';
import type { ProfilePictureService } from './profile-pictures.js';
import type { RateLimiter } from './rate-limiter.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createHousekeeping(deps: {
  profilePictures: ProfilePictureService;
  authentication: AuthenticationService;
  limiter: RateLimiter;
  passwordReset: PasswordResetService;
  invitations: InvitationService;
  mailOutbox: MailOutboxRepository;
  now: () => number;
}) {
  return {
    /** One round; pictures listed less than `graceMs` ago are left alone (their upload may be in flight). Returns the files removed. */
    async run(graceMs: number): Promise<{ picturesRemoved: number }> {
      const picturesRemoved = await deps.profilePictures.sweep(graceMs);
      await deps.authentication.purgeExpiredRevocations();
      await deps.limiter.purgeOlderThan(deps.now() - DAY_MS);
      await deps.passwordReset.purgeExpired();
      await deps.invitations.purgeExpired();
      await deps.mailOutbox.purgeFinishedBefore(deps.now() - 7 * DAY_MS);
      return { picturesRemoved };
    },
  };
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
