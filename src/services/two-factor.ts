// Two-factor sign-in with TOTP (RFC 6238): enrolment, confirmation with a
// first code, recovery codes, turning it off, and checking a sign-in's code.
// The parameters are the ones every authenticator app reads (SHA-1, six
// digits, 30 seconds). A code is accepted one step either side of now (a
// phone's clock drifts), and once: a step at or before the newest one used
// is refused, so an overheard code cannot be replayed.
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { badRequest, conflict, notFound } from '../errors.js';
import { verifyPassword } from '../heavy-work/passwords.js';
import type { TwoFactorRepository } from '../repositories/two-factor.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import type { SecretBox } from './secret-box.js';
import type { Transact } from './unit-of-work.js';

export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** RFC 4226 recommends 160 bits. */
const SECRET_BYTES = 20;
const SKEW_STEPS = 1;
const RECOVERY_CODE_COUNT = 10;
/** 80 random bits each: a stolen hash cannot be searched back to its code. */
const RECOVERY_CODE_BYTES = 10;

export const INVALID_CODE = 'Invalid two-factor code';

export interface TwoFactorEnrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauth_url: string;
  qr_svg: string;
}

export interface TwoFactorServiceDeps {
  twoFactor: TwoFactorRepository;
  users: UserRepository;
  transact: Transact;
  limiter: RateLimiter;
  /** Wrong codes allowed per account when confirming or turning it off. */
  codeRule: RateRule;
  secretBox: SecretBox;
  /** The site's name, shown by the app beside the account. */
  issuer: string;
  now: () => number;
}

/** Spaces and dashes dropped, upper-cased: how a recovery code is typed does not matter. */
const normaliseCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
const hashRecoveryCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest('hex');
const isTotpCode = (code: string) => new RegExp(`^\\d{${TOTP_PARAMETERS.digits}}$`).test(normaliseCode(code));

/** The time step (RFC 6238's T) that `code` is right for at `at` (epoch ms), one step either side; null if none. */
export function totpStep(secretBase32: string, code: string, at: number, digits: number = TOTP_PARAMETERS.digits) {
  const generator = new TOTP({ secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMETERS, digits });
  const delta = generator.validate({ token: code, timestamp: at, window: SKEW_STEPS });
  return delta === null ? null : generator.counter({ timestamp: at }) + delta;
}

function newRecoveryCode(): string {
  const base32 = new Secret({ size: RECOVERY_CODE_BYTES }).base32;
  return base32.match(/.{4}/g)?.join('-') ?? base32;
}

export function createTwoFactorService(deps: TwoFactorServiceDeps) {
  const { twoFactor, transact, limiter, secretBox, now } = deps;
  // The sealed secret is bound to its owner: a row copied to another account does not open.
  const context = (userId: number) => `user:${userId}`;
  const totp = (secret: Secret, label = '') => new TOTP({ issuer: deps.issuer, label, secret, ...TOTP_PARAMETERS });

  /** The time step a TOTP code is for, within the allowed skew; null if it matches none. */
  async function matchingStep(userId: number, code: string): Promise<number | null> {
    const stored = await twoFactor.findSecret(userId);
    const secret = stored && secretBox.open(stored.secret_sealed, context(userId));
    return secret ? totpStep(secret, normaliseCode(code), now()) : null;
  }

  /** Checks a TOTP code and uses its step up; false for a wrong code or one already used. */
  async function useTotpCode(userId: number, code: string): Promise<boolean> {
    if (!isTotpCode(code)) return false;
    const step = await matchingStep(userId, code);
    return step !== null && twoFactor.useStep(userId, step);
  }

  /** A code, or a recovery code, checked and used up. */
  async function useAnyCode(userId: number, code: string): Promise<boolean> {
    if (isTotpCode(code)) return useTotpCode(userId, code);
    return twoFactor.useRecoveryCode(userId, hashRecoveryCode(code), now());
  }

  /** Limits wrong codes typed by a signed-in user (confirming, turning off): a stolen session cannot guess its way. */
  async function limited(user: User, check: () => Promise<boolean>): Promise<void> {
    const bucket = `two-factor:user:${user.id}`;
    await limiter.attempt([{ bucket, rule: deps.codeRule }], 'Too many wrong two-factor codes.');
    if (!(await check())) throw badRequest(INVALID_CODE);
    await limiter.forgive([bucket]);
  }

  async function enrolmentOf(user: User, secret: Secret): Promise<TwoFactorEnrolment> {
    const otpauthUrl = totp(secret, user.email).toString();
    const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret: secret.base32, otpauth_url: otpauthUrl, qr_svg: qrSvg };
  }

  async function assertPassword(user: User, password: string): Promise<void> {
    if (!(await verifyPassword(user.password_hash, password))) throw badRequest('Incorrect password');
  }

  return {
    /** Starts an enrolment with a new secret (replacing one not yet confirmed). */
    async begin(user: User, currentPassword: string): Promise<TwoFactorEnrolment> {
      if (user.two_factor_enabled_at !== null) throw conflict('Two-factor sign-in is already on');
      await assertPassword(user, currentPassword);
      const secret = new Secret({ size: SECRET_BYTES });
      await twoFactor.saveEnrolment(user.id, secretBox.seal(secret.base32, context(user.id)), now());
      return enrolmentOf(user, secret);
    },

    /** The enrolment begun and not yet confirmed, shown again (the page after a wrong first code). */
    async enrolmentInProgress(user: User): Promise<TwoFactorEnrolment | null> {
      if (user.two_factor_enabled_at !== null) return null;
      const stored = await twoFactor.findSecret(user.id);
      const secret = stored && secretBox.open(stored.secret_sealed, context(user.id));
      return secret ? enrolmentOf(user, Secret.fromBase32(secret)) : null;
    },

    /** Turns it on with a first code from the app; the recovery codes are returned this once and kept only hashed. */
    async confirm(user: User, code: string): Promise<{ user: User; recoveryCodes: string[] }> {
      if (user.two_factor_enabled_at !== null) throw conflict('Two-factor sign-in is already on');
      if (!(await twoFactor.findSecret(user.id)))
        throw badRequest('No two-factor enrolment in progress: start one first');
      await limited(user, () => useTotpCode(user.id, code));
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      const enabled = await transact(async (scope) => {
        const changed = await scope.twoFactor.enable(user.id, recoveryCodes.map(hashRecoveryCode), now());
        if (changed) await scope.queueMail(mails.twoFactorChanged(changed, true));
        return changed;
      });
      if (!enabled) throw conflict('Two-factor sign-in is already on');
      return { user: enabled, recoveryCodes };
    },

    /** Turns it off, with the password and a code (or a recovery code: the phone may be lost). */
    async disable(user: User, currentPassword: string, code: string): Promise<User> {
      if (user.two_factor_enabled_at === null) throw conflict('Two-factor sign-in is off');
      await assertPassword(user, currentPassword);
      await limited(user, () => useAnyCode(user.id, code));
      return transact(async (scope) => {
        const changed = (await scope.twoFactor.disable(user.id)) ?? user;
        await scope.queueMail(mails.twoFactorChanged(changed, false));
        return changed;
      });
    },

    /**
     * The site owner's way back in for a user who lost both the phone and the
     * recovery codes (`npm run admin -- two-factor-off`): audited as the
     * command line, and the account gets the notice.
     */
    async disableByOwner(email: string): Promise<{ user: User; changed: boolean }> {
      const user = await deps.users.findByEmail(email);
      if (!user) throw notFound('No account with this email');
      if (user.two_factor_enabled_at === null) return { user, changed: false };
      const changed = await transact(async (scope) => {
        const updated = (await scope.twoFactor.disable(user.id)) ?? user;
        await scope.queueMail(mails.twoFactorChanged(updated, false));
        await scope.audit({
          actor: null,
          action: 'user.two-factor-off',
          target: { type: 'user', id: user.id, label: user.username },
          details: {},
        });
        return updated;
      });
      return { user: changed, changed: true };
    },

    /** A sign-in's second factor: a code or a recovery code of a user who has it on, used up if right. */
    useSignInCode: (user: User, code: string): Promise<boolean> => useAnyCode(user.id, code),

    unusedRecoveryCodes: (user: Pick<User, 'id'>): Promise<number> => twoFactor.unusedRecoveryCodes(user.id),
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
