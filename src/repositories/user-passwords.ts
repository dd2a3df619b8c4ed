// The parts of the users repository that set a password hash: a new password
// (which ends every earlier token) and the same password under new Argon2
// parameters (which does not).
import type { DB } from '../db/database.js';
import { USER_COLUMNS, type User } from './user-columns.js';

export function createUserPasswords(db: DB) {
  return {
    /** Sets a new password hash and invalidates every token issued before. */
    async changePassword(id: number, passwordHash: string): Promise<User | undefined> {
      return db
        .updateTable('users')
        .set((eb) => ({ password_hash: passwordHash, token_version: eb('token_version', '+', 1) }))
        .where('id', '=', id)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
    },

    /** The same password under a new hash (new Argon2 parameters): only while `from` is still the stored one. */
    async replacePasswordHash(id: number, from: string, to: string): Promise<User | undefined> {
      return db
        .updateTable('users')
        .set({ password_hash: to })
        .where('id', '=', id)
        .where('password_hash', '=', from)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
    },
  };
}
