// Signing in: passwords checked against their Argon2id hashes within the
// login limits, tokens resolved to their user, logout and password changes
// ending tokens.
import { badRequest, forbidden, notFound } from '../errors.js';
import { hashPassword, verifyPassword } from '../heavy-work/passwords.js';
import type { RevokedTokenRepository } from '../repositories/revoked-tokens.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import type { TokenClaims, TokenService } from './tokens.js';
import type { Transact } from './unit-of-work.js';

// Verified when the email is unknown, so a login takes as long either way.
const DUMMY_HASH = hashPassword('not a real password: equalises login timing');

export interface AuthenticationServiceDeps {
  users: UserRepository;
  revokedTokens: RevokedTokenRepository;
  tokens: TokenService;
  limiter: RateLimiter;
  loginRule: RateRule;
  transact: Transact;
}

export function createAuthenticationService(deps: AuthenticationServiceDeps) {
  const { users, revokedTokens, tokens, limiter, loginRule, transact } = deps;

  return {
    /**
     * The user with this email and password, or null; the same work is done
     * whether or not the email exists. Failures are limited per account and
     * per client address (429). A suspended account is told so (403), but
     * only to someone who knows its password.
     */
    async logIn(email: string, password: string, clientAddress: string): Promise<User | null> {
      const buckets = [`login:account:${email.toLowerCase()}`, `login:address:${clientAddress}`];
      await limiter.attempt(buckets, loginRule, 'Too many failed login attempts.');
      const user = await users.findByEmail(email);
      const matches = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), password);
      if (!user || !matches) return null;
      await limiter.forgive(buckets);
      if (user.suspended_at !== null) throw forbidden('Account suspended');
      return user;
    },

    /** The user and claims of a token that is valid now: signed, unexpired, not revoked, current version. */
    async userForToken(token: string): Promise<{ user: User; claims: TokenClaims } | undefined> {
      const claims = await tokens.verify(token);
      const user = claims && (await users.findForToken(claims));
      return user ? { user, claims } : undefined;
    },

    /** Ends one token for good (logout). */
    async revoke(claims: TokenClaims): Promise<void> {
      await revokedTokens.revoke(claims.jti, claims.expiresAt);
    },

    /**
     * Checks the current password, sets the new one and ends every earlier
     * token and reset link; the account's address gets a notice.
     */
    async changePassword(actor: User, currentPassword: string, newPassword: string): Promise<User> {
      if (!(await verifyPassword(actor.password_hash, currentPassword))) throw badRequest('Incorrect password');
      const passwordHash = await hashPassword(newPassword);
      const updated = await transact(async (scope) => {
        const changed = await scope.users.changePassword(actor.id, passwordHash);
        if (changed) {
          await scope.passwordResetTokens.revokeFor(actor.id);
          await scope.queueMail(mails.passwordChanged(changed));
        }
        return changed;
      });
      if (!updated) throw notFound('User not found');
      return updated;
    },

    /** Forgets revocations of tokens that have expired anyway. */
    async purgeExpiredRevocations(): Promise<void> {
      await revokedTokens.purgeExpired(Math.floor(Date.now() / 1000));
    },
  };
}

export type AuthenticationService = ReturnType<typeof createAuthenticationService>;
