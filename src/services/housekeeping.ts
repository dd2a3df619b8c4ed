// Housekeeping: picture files a crash left without a user, and rows of the
// revocation and rate-limit tables that nothing will read again.
import type { AuthenticationService } from './authentication.js';
import type { ProfilePictureService } from './profile-pictures.js';
import type { RateLimiter } from './rate-limiter.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createHousekeeping(deps: {
  profilePictures: ProfilePictureService;
  authentication: AuthenticationService;
  limiter: RateLimiter;
}) {
  return {
    /** One round; pictures listed less than `graceMs` ago are left alone (their upload may be in flight). Returns the files removed. */
    async run(graceMs: number): Promise<{ picturesRemoved: number }> {
      const picturesRemoved = await deps.profilePictures.sweep(graceMs);
      await deps.authentication.purgeExpiredRevocations();
      await deps.limiter.purgeOlderThan(Date.now() - DAY_MS);
      return { picturesRemoved };
    },
  };
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
