// Password reset by mail. A request queues a mail for any address, with the
// same answer and the same work whether or not an account has it. The token
// (256 random bits) is made when the mail is composed and kept only as its
// SHA-256: it works once, until it expires, and only the newest of a user.
import { createHash, randomBytes } from 'node:crypto';
import { badRequest } from '../errors.js';
import type { PasswordHasher } from '../heavy-work/passwords.js';
import type { PasswordResetTokenRepository } from '../repositories/password-reset-tokens.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import type { Transact } from './unit-of-work.js';

const INVALID_TOKEN = 'Invalid or expired reset token';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PasswordResetDeps {
  passwords: PasswordHasher;
  transact: Transact;
  passwordResetTokens: PasswordResetTokenRepository;
  users: UserRepository;
  limiter: RateLimiter;
  requestRule: RateRule;
  expireMinutes: number;
  now: () => number;
}

export function createPasswordResetService(deps: PasswordResetDeps) {
  const { transact, passwordResetTokens, users, limiter, now } = deps;

  return {
    /** Queues the reset mail; limited per client address and per email (429). */
    async request(email: string, clientAddress: string): Promise<void> {
      await limiter.attempt(
        [
          { bucket: `reset:address:${clientAddress}`, rule: deps.requestRule },
          { bucket: `reset:email:${email.toLowerCase()}`, rule: deps.requestRule },
        ],
        'Too many password reset requests.',
      );
      await transact((scope) => scope.queueMail(mails.passwordReset(email)));
    },

    /** A new token for the user, replacing any earlier one. */
    async issueToken(userId: number): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await passwordResetTokens.replace(userId, hashToken(token), now() + deps.expireMinutes * 60_000);
      return token;
    },

    /** Whether a token would be accepted now (the reset page says so before asking for a password). */
    async isValid(token: string): Promise<boolean> {
      return (await passwordResetTokens.findValid(hashToken(token), now())) !== undefined;
    },

    /**
     * Sets the new password with a valid token and uses the token up; every
     * earlier token and session of the user ends, and the account gets a notice.
     */
    async confirm(token: string, newPassword: string): Promise<User> {
      const tokenHash = hashToken(token);
      // Checked before the costly hashing, so made-up tokens cost nothing.
      const userId = await passwordResetTokens.findValid(tokenHash, now());
      const account = userId === undefined ? undefined : await users.findById(userId);
      if (!account) throw badRequest(INVALID_TOKEN);
      // Refused before the token is used up: the link still works for a better password.
      assertAcceptablePassword(newPassword, account, 'new_password');
      const passwordHash = await deps.passwords.hash(newPassword);
      const user = await transact(async (scope) => {
        const consumedBy = await scope.passwordResetTokens.consume(tokenHash, now());
        const changed =
          consumedBy === undefined ? undefined : await scope.users.changePassword(consumedBy, passwordHash);
        if (changed) await scope.queueMail(mails.passwordChanged(changed));
        return changed;
      });
      if (!user) throw badRequest(INVALID_TOKEN);
      return user;
    },

    async purgeExpired(): Promise<void> {
      await passwordResetTokens.purgeExpired(now());
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
