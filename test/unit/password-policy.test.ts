// The password policy on its own (docs/api.md, "Accounts, further",
// "Passwords"): the shipped list of common and breached passwords, matched
// case-insensitively, and the account's own username, email and the email's
// local part; each refusal is the contract's 422 detail on the given field.
import type { TSchema, TStringOptions } from 'typebox';
import { describe, expect, it } from 'vitest';
import { RequestValidationError, type ValidationDetail } from '../../src/errors.js';
import { Password } from '../../src/schemas/users.js';
import {
  assertAcceptablePassword,
  COMMON_PASSWORD,
  commonPasswords,
  PERSONAL_PASSWORD,
} from '../../src/services/password-policy.js';

const { minLength = 0, maxLength = Infinity } = Password as TSchema as TStringOptions;
const ada = { username: 'Ada', email: 'ada.lovelace@example.com' };

/** What assertAcceptablePassword refuses `password` with, or undefined when it accepts it. */
function refusal(password: string, field: 'password' | 'new_password' = 'password'): ValidationDetail[] | undefined {
  try {
    assertAcceptablePassword(password, ada, field);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).details;
  }
}

describe('the list of common passwords', () => {
  it('is loaded from @zxcvbn-ts/language-common: at least 10,000 entries, lower-case, within the schema lengths', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    expect(commonPasswords()).toBe(list); // built once
    const outOfPlace = [...list].filter(
      (entry) => entry !== entry.toLowerCase() || entry.length < minLength || entry.length > maxLength,
    );
    expect(outOfPlace).toEqual([]);
    for (const entry of ['password', 'password1', '12345678', 'iloveyou', 'qwertyuiop', 'trustno1'])
      expect(list.has(entry)).toBe(true);
    expect(list.has('1234567')).toBe(false); // listed, but too short to be a password at all
  });
});

describe('assertAcceptablePassword', () => {
  it('refuses a listed password whatever its case, on the given field', () => {
    for (const password of ['password1', 'PassWord1', 'PASSWORD1', ' password1 '])
      expect(refusal(password), password).toEqual([
        { loc: ['body', 'password'], msg: COMMON_PASSWORD, type: 'password_common' },
      ]);
    expect(refusal('Qwertyuiop', 'new_password')).toEqual([
      { loc: ['body', 'new_password'], msg: COMMON_PASSWORD, type: 'password_common' },
    ]);
  });

  it("refuses the account's username, email and the email's local part, case and surrounding spaces aside", () => {
    for (const password of ['ada', 'ADA', 'ada.lovelace@example.com', 'Ada.Lovelace@Example.com', ' ada.lovelace '])
      expect(refusal(password), password).toEqual([
        { loc: ['body', 'password'], msg: PERSONAL_PASSWORD, type: 'password_personal' },
      ]);
  });

  it('accepts a password that is neither listed nor personal, even one that contains them', () => {
    for (const password of ['correct horse battery staple', 'k8#qv2!m', 'password1 but longer', 'ada lovelace 1815'])
      expect(refusal(password), password).toBeUndefined();
  });
});
