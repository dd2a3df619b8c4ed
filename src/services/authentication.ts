// Signing in: passwords checked against their Argon2id hashes within the
// login limits (login-limits.ts), tokens resolved to their user, logout and
// password changes ending tokens.
import { badRequest, forbidden, HttpError, notFound, unauthorized } from '../errors.js';
import type { PasswordHasher } from '../heavy-work/passwords.js';
import type { Metrics } from '../metrics/index.js';
import type { RevokedTokenRepository } from '../repositories/revoked-tokens.js';
import type { User, UserRepository } from '../repositories/users.js';
import { loginLimits, type LoginRules } from './login-limits.js';
import { mails } from './mail-composer.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { RateLimit, RateLimiter } from './rate-limiter.js';
import type { SignInChallenges } from './sign-in-challenges.js';
import type { TokenClaims, TokenService } from './tokens.js';
import { INVALID_CODE, type TwoFactorService } from './two-factor.js';
import type { Transact } from './unit-of-work.js';

// Part of this service's deps, so still importable from here.
export type { LoginRules };

const CHALLENGE_ENDED = 'The sign-in took too long or is no longer valid: enter your email and password again';

/** The password was right and the account has two-factor sign-in on: a code must follow (401). */
export class TwoFactorRequired extends HttpError {
  constructor(readonly user: User) {
    super(401, 'Two-factor code required', { 'www-authenticate': 'Bearer' });
  }
}

export interface AuthenticationServiceDeps {
  users: UserRepository;
  passwords: PasswordHasher;
  revokedTokens: RevokedTokenRepository;
  tokens: TokenService;
  limiter: RateLimiter;
  loginRules: LoginRules;
  twoFactor: TwoFactorService;
  challenges: SignInChallenges;
  transact: Transact;
  metrics: Pick<Metrics, 'loginFailed'>;
}

/** A failed login (wrong password or code, unknown email): counted, and answered as it would be. */
function failedLogin<T>(metrics: Pick<Metrics, 'loginFailed'>, answer: T): T {
  metrics.loginFailed();
  return answer;
}

/**
 * A hash made with other Argon2 parameters than today's (ARGON2_*) is made
 * again from the password just proven right. Only that hash is replaced: a
 * password changed meanwhile stays, and tokens go on (nothing changed for the
 * user).
 */
async function withUpgradedHash(
  { users, passwords }: Pick<AuthenticationServiceDeps, 'users' | 'passwords'>,
  user: User,
  password: string,
): Promise<User> {
  if (!passwords.needsRehash(user.password_hash)) return user;
  const upgraded = await users.replacePasswordHash(user.id, user.password_hash, await passwords.hash(password));
  return upgraded ?? user;
}

export function createAuthenticationService(deps: AuthenticationServiceDeps) {
  const { users, passwords, revokedTokens, tokens, limiter, loginRules, twoFactor, challenges, transact, metrics } =
    deps;

  /**
   * After the password (or the web login's challenge): the second factor of
   * an account that has it on, then its standing. A missing code takes back
   * the attempt (the password was right); a wrong one stays counted, so codes
   * are guessed no faster than passwords. Only this attempt is taken back: a
   * stuffer holding one good password must not wipe the failures it spent on
   * other accounts. The address-wide bucket too: someone who signs in is no
   * part of an attack on their office's address.
   */
  async function finishSignIn(user: User, otp: string | undefined, limits: RateLimit[]): Promise<User> {
    const buckets = limits.map((limit) => limit.bucket);
    if (user.two_factor_enabled_at !== null) {
      if (!otp) {
        await limiter.forgive(buckets);
        throw new TwoFactorRequired(user);
      }
      if (!(await twoFactor.useSignInCode(user, otp))) throw failedLogin(metrics, unauthorized(INVALID_CODE));
    }
    await limiter.forgive(buckets);
    if (user.suspended_at !== null) throw forbidden('Account suspended');
    return user;
  }

  return {
    /**
     * The user with this email and password (and two-factor code, when on),
     * or null; the same work is done whether or not the email exists.
     * Failures are limited per account from one address, per account and per
     * client address (429). Two-factor and suspension are told (401
     * TwoFactorRequired, 403) only to someone who knows the password.
     */
    async logIn(email: string, password: string, clientAddress: string, otp?: string): Promise<User | null> {
      const limits = loginLimits(loginRules, email, clientAddress);
      await limiter.attempt(limits, 'Too many failed login attempts.');
      const user = await users.findByEmail(email);
      const matches = await passwords.verify(user?.password_hash ?? (await passwords.dummyHash()), password);
      if (!user || !matches) return failedLogin(metrics, null);
      return finishSignIn(await withUpgradedHash(deps, user, password), otp, limits);
    },

    /** The web login's second step holds this instead of a session until the code is given. */
    challengeFor: (user: User): Promise<string> => challenges.issue(user),

    /** The web login's second step: the challenge from the first, and a code; limited like logIn. */
    async logInWithChallenge(challenge: string, otp: string, clientAddress: string): Promise<User> {
      const claims = await challenges.verify(challenge);
      const user = claims ? await users.findById(claims.userId) : undefined;
      if (user?.token_version !== claims?.version || !user) throw unauthorized(CHALLENGE_ENDED);
      const limits = loginLimits(loginRules, user.email, clientAddress);
      await limiter.attempt(limits, 'Too many failed login attempts.');
      if (!otp) throw failedLogin(metrics, unauthorized(INVALID_CODE));
      return finishSignIn(user, otp, limits);
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
      if (!(await passwords.verify(actor.password_hash, currentPassword))) throw badRequest('Incorrect password');
      assertAcceptablePassword(newPassword, actor, 'new_password');
      const passwordHash = await passwords.hash(newPassword);
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
