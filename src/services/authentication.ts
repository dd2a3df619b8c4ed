// Signing in: passwords checked against their Argon2id hashes within the
// login limits, tokens resolved to their user, logout and password changes
// ending tokens.
import { badRequest, forbidden, notFound } from '../errors.js';
import { hashPassword, verifyPassword } from '../heavy-work/passwords.js';
import type { RevokedTokenRepository } from '../repositories/revoked-tokens.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import type { RateLimit, RateLimiter, RateRule } from './rate-limiter.js';
import type { TokenClaims, TokenService } from './tokens.js';
import type { Transact } from './unit-of-work.js';

// Verified when the email is unknown, so a login takes as long either way.
const DUMMY_HASH = hashPassword('not a real password: equalises login timing');

export interface AuthenticationServiceDeps {
  users: UserRepository;
  revokedTokens: RevokedTokenRepository;
  tokens: TokenService;
  limiter: RateLimiter;
  loginRules: LoginRules;
  transact: Transact;
}

/** Failed logins allowed per account from one address, per account from anywhere, per address on any account. */
export interface LoginRules {
  accountFromAddress: RateRule;
  account: RateRule;
  address: RateRule;
}

export function createAuthenticationService(deps: AuthenticationServiceDeps) {
  const { users, revokedTokens, tokens, limiter, loginRules, transact } = deps;

  // Three limits, so that an attack on one account spares the other users
  // behind the same address (an office NAT): the strict one holds that
  // account from that address, the account-wide one a guess spread over many
  // addresses, and the address-wide one (well above the others) credential
  // stuffing across accounts. The email is lower-cased whether or not it
  // exists, so an unknown one is limited alike. The client address never
  // holds a space, so the pair's key cannot be read two ways.
  function loginLimits(email: string, clientAddress: string): RateLimit[] {
    const account = email.toLowerCase();
    return [
      { bucket: `login:account-from-address:${clientAddress} ${account}`, rule: loginRules.accountFromAddress },
      { bucket: `login:account:${account}`, rule: loginRules.account },
      { bucket: `login:address:${clientAddress}`, rule: loginRules.address },
    ];
  }

  return {
    /**
     * The user with this email and password, or null; the same work is done
     * whether or not the email exists. Failures are limited per account from
     * one address, per account and per client address (429). A suspended
     * account is told so (403), but only to someone who knows its password.
     */
    async logIn(email: string, password: string, clientAddress: string): Promise<User | null> {
      const limits = loginLimits(email, clientAddress);
      await limiter.attempt(limits, 'Too many failed login attempts.');
      const user = await users.findByEmail(email);
      const matches = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), password);
      if (!user || !matches) return null;
      // Every bucket takes back this one attempt, the address-wide one too:
      // someone who signs in is no part of an attack on their office's address.
      // Only this attempt: a stuffer holding one good password must not wipe
      // the failures it spent on other accounts.
      await limiter.forgive(limits.map((limit) => limit.bucket));
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
