import { Type } from 'typebox';
import { NO_NUL } from './common.js';

const CurrentPassword = Type.String({ maxLength: 1024 });
/** A six-digit code, or a recovery code where one is accepted; spaces and dashes are ignored. */
export const CODE_MAX_LENGTH = 64;
export const TwoFactorCode = Type.String({ minLength: 1, maxLength: CODE_MAX_LENGTH, pattern: NO_NUL });

export const TwoFactorBegin = Type.Object({ current_password: CurrentPassword });
export const TwoFactorConfirm = Type.Object({
  code: Type.String({ ...TwoFactorCode, description: 'A code from the authenticator app' }),
});
export const TwoFactorDisable = Type.Object({
  current_password: CurrentPassword,
  code: Type.String({ ...TwoFactorCode, description: 'A code from the authenticator app, or an unused recovery code' }),
});

export const TwoFactorEnrolment = Type.Object({
  secret: Type.String({ description: 'The shared secret in base32, for typing into an app by hand' }),
  otpauth_url: Type.String({ description: 'The otpauth:// URI the QR code holds' }),
  qr_svg: Type.String({ description: 'The QR code of otpauth_url, as an SVG document made on the server' }),
});

export const RecoveryCodes = Type.Object({
  recovery_codes: Type.Array(Type.String(), {
    minItems: 10,
    maxItems: 10,
    description: 'Shown this once and stored only hashed: each signs in once in place of a code',
  }),
});
