// Two-factor sign-in with TOTP (RFC 6238): enrolment, confirmation with a
// first code, recovery codes, turning it off, and checking a sign-in's code
// (the codes themselves, and why each is accepted once: two-factor-codes.ts).
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { badRequest, conflict, notFound } from '../errors.js';
import type { PasswordHasher } from '../heavy-work/passwords.js';
import type { TwoFactorRepository } from '../repositories/two-factor.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mails } from './mail-composer.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import type { SecretBox } from './secret-box.js';
import { createTwoFactorCodes, hashRecoveryCode, newRecoveryCode, TOTP_PARAMETERS } from './two-factor-codes.js';
import type { Transact } from './unit-of-work.js';

export { TOTP_PARAMETERS, totpStep } from './two-factor-codes.js';

/** RFC 4226 recommends 160 bits. */
const SECRET_BYTES = 20;
const RECOVERY_CODE_COUNT = 10;

export const INVALID_CODE = 'Invalid two-factor code';

export interface TwoFactorEnrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauth_url: string;
  qr_svg: string;
}

export interface TwoFactorServiceDeps {
  passwords: PasswordHasher;
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

export function createTwoFactorService(deps: TwoFactorServiceDeps) {
  const { twoFactor, transact, limiter, now } = deps;
  const { seal, secretOf, useTotpCode, useAnyCode } = createTwoFactorCodes(deps);
  const totp = (secret: Secret, label = '') => new TOTP({ issuer: deps.issuer, label, secret, ...TOTP_PARAMETERS });

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
    if (!(await deps.passwords.verify(user.password_hash, password))) throw badRequest('Incorrect password');
  }

  return {
    /** Starts an enrolment with a new secret (replacing one not yet confirmed). */
    async begin(user: User, currentPassword: string): Promise<TwoFactorEnrolment> {
      if (user.two_factor_enabled_at !== null) throw conflict('Two-factor sign-in is already on');
      await assertPassword(user, currentPassword);
      const secret = new Secret({ size: SECRET_BYTES });
      await twoFactor.saveEnrolment(user.id, seal(user.id, secret.base32), now());
      return enrolmentOf(user, secret);
    },

    /** The enrolment begun and not yet confirmed, shown again (the page after a wrong first code). */
    async enrolmentInProgress(user: User): Promise<TwoFactorEnrolment | null> {
      if (user.two_factor_enabled_at !== null) return null;
      const secret = await secretOf(user.id);
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
