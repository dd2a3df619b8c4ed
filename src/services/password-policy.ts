// Which passwords are refused beside the length rule (NIST SP 800-63B,
// 5.1.1.2): those on a list of commonly used and breached passwords, and
// those that are the account's own username or email. No composition rules.
//
// The list is zxcvbn-ts's (@zxcvbn-ts/language-common, 49,233 entries drawn
// from breach corpora, all lower-case), loaded once on first use and kept
// as a Set of the entries a password could be at all (the schema's lengths):
// a lookup is one hash probe, constant time per lookup whatever the password.
import { dictionary } from '@zxcvbn-ts/language-common';
import type { TSchema, TStringOptions } from 'typebox';
import { RequestValidationError } from '../errors.js';
import { Password } from '../schemas/users.js';

export const COMMON_PASSWORD = 'This password is on a list of commonly used passwords; choose another';
export const PERSONAL_PASSWORD = 'The password must not be the same as your username or email';

const { minLength = 0, maxLength = Infinity } = Password as TSchema as TStringOptions;
let common: Set<string> | undefined;

/** The common passwords a valid password could be (lower-cased). */
export function commonPasswords(): Set<string> {
  common ??= new Set(
    dictionary['passwords-common']
      .map((entry) => entry.toLowerCase())
      .filter((entry) => entry.length >= minLength && entry.length <= maxLength),
  );
  return common;
}

/**
 * Refuses (422, on the form field `field`) a common password or the
 * account's own username or email, case aside; also the email's part before
 * the @, as attackers try it first.
 */
export function assertAcceptablePassword(
  password: string,
  account: { username: string; email: string },
  field: 'password' | 'new_password',
): void {
  const folded = password.trim().toLowerCase();
  const email = account.email.trim().toLowerCase();
  const personal = [account.username.trim().toLowerCase(), email, email.split('@')[0] ?? email];
  const problem = personal.includes(folded)
    ? { msg: PERSONAL_PASSWORD, type: 'password_personal' }
    : commonPasswords().has(folded)
      ? { msg: COMMON_PASSWORD, type: 'password_common' }
      : undefined;
  if (problem) throw new RequestValidationError([{ loc: ['body', field], ...problem }]);
}
