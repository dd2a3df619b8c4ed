// The codes of two-factor sign-in: TOTP (RFC 6238) codes checked against a
// user's sealed secret, and recovery codes. The parameters are the ones
// every authenticator app reads (SHA-1, six digits, 30 seconds). A code is
// accepted one step either side of now (a phone's clock drifts), and once: a
// step at or before the newest one used is refused, so an overheard code
// cannot be replayed.
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { TwoFactorRepository } from '../repositories/two-factor.js';
import type { SecretBox } from './secret-box.js';

export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const SKEW_STEPS = 1;
/** 80 random bits each: a stolen hash cannot be searched back to its code. */
const RECOVERY_CODE_BYTES = 10;

/** Spaces and dashes dropped, upper-cased: how a recovery code is typed does not matter. */
const normaliseCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
export const hashRecoveryCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest('hex');
const isTotpCode = (code: string) => new RegExp(`^\\d{${TOTP_PARAMETERS.digits}}$`).test(normaliseCode(code));

/** The time step (RFC 6238's T) that `code` is right for at `at` (epoch ms), one step either side; null if none. */
export function totpStep(secretBase32: string, code: string, at: number, digits: number = TOTP_PARAMETERS.digits) {
  const generator = new TOTP({ secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMETERS, digits });
  const delta = generator.validate({ token: code, timestamp: at, window: SKEW_STEPS });
  return delta === null ? null : generator.counter({ timestamp: at }) + delta;
}

export function newRecoveryCode(): string {
  const base32 = new Secret({ size: RECOVERY_CODE_BYTES }).base32;
  return base32.match(/.{4}/g)?.join('-') ?? base32;
}

export interface TwoFactorCodesDeps {
  twoFactor: TwoFactorRepository;
  secretBox: SecretBox;
  now: () => number;
}

/** A user's secret, sealed and opened, and the codes checked against it and used up. */
export function createTwoFactorCodes({ twoFactor, secretBox, now }: TwoFactorCodesDeps) {
  // The sealed secret is bound to its owner: a row copied to another account does not open.
  const context = (userId: number) => `user:${userId}`;

  /** The user's secret (Base32), opened; null if none is stored. */
  async function secretOf(userId: number): Promise<string | null> {
    const stored = await twoFactor.findSecret(userId);
    return stored ? secretBox.open(stored.secret_sealed, context(userId)) : null;
  }

  /** The time step a TOTP code is for, within the allowed skew; null if it matches none. */
  async function matchingStep(userId: number, code: string): Promise<number | null> {
    const secret = await secretOf(userId);
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

  const seal = (userId: number, secretBase32: string): string => secretBox.seal(secretBase32, context(userId));
  return { seal, secretOf, useTotpCode, useAnyCode };
}
