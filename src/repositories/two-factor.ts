// Two-factor secrets and recovery codes (using and counting those:
// recovery-codes.ts). Every "use" is one conditional write, so of two
// requests racing with the same code only one succeeds.
import type { DB } from '../db/database.js';
import { createRecoveryCodes } from './recovery-codes.js';
import { USER_COLUMNS, type User } from './user-columns.js';

export interface StoredTwoFactorSecret {
  secret_sealed: string;
  last_used_step: number | null;
}

export function createTwoFactorRepository(db: DB) {
  return {
    ...createRecoveryCodes(db),

    /** Starts (or restarts) an enrolment: the new secret replaces any earlier one. */
    async saveEnrolment(userId: number, secretSealed: string, now: number): Promise<void> {
      await db
        .insertInto('two_factor_secrets')
        .values({ user_id: userId, secret_sealed: secretSealed, last_used_step: null, created_at: now })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({ secret_sealed: secretSealed, last_used_step: null, created_at: now }),
        )
        .execute();
    },

    async findSecret(userId: number): Promise<StoredTwoFactorSecret | undefined> {
      const row = await db
        .selectFrom('two_factor_secrets')
        .select(['secret_sealed', 'last_used_step'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return (
        row && {
          secret_sealed: row.secret_sealed,
          last_used_step: row.last_used_step === null ? null : Number(row.last_used_step),
        }
      );
    },

    /** Records `step` as used; false if it (or a later one) was used already. */
    async useStep(userId: number, step: number): Promise<boolean> {
      const result = await db
        .updateTable('two_factor_secrets')
        .set({ last_used_step: step })
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Turns two-factor sign-in on with these recovery codes (replacing any earlier ones); undefined if it was on already. */
    async enable(userId: number, codeHashes: string[], now: number): Promise<User | undefined> {
      const user = await db
        .updateTable('users')
        .set({ two_factor_enabled_at: now })
        .where('id', '=', userId)
        .where('two_factor_enabled_at', 'is', null)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
      if (!user) return undefined;
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await db
        .insertInto('recovery_codes')
        .values(codeHashes.map((codeHash) => ({ user_id: userId, code_hash: codeHash, used_at: null })))
        .execute();
      return user;
    },

    /** Turns it off and forgets the secret and the recovery codes. */
    async disable(userId: number): Promise<User | undefined> {
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await db.deleteFrom('two_factor_secrets').where('user_id', '=', userId).execute();
      return db
        .updateTable('users')
        .set({ two_factor_enabled_at: null })
        .where('id', '=', userId)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
    },

    /** What `npm run export` carries of these users' two-factor sign-in, for those who have it on. */
    async forExport(userIds: number[]) {
      if (userIds.length === 0) return [];
      const secrets = await db
        .selectFrom('two_factor_secrets')
        .innerJoin('users', 'users.id', 'two_factor_secrets.user_id')
        .select(['user_id', 'secret_sealed', 'last_used_step', 'users.two_factor_enabled_at as enabled_at'])
        .where('user_id', 'in', userIds)
        .where('users.two_factor_enabled_at', 'is not', null)
        .execute();
      const codes = await db
        .selectFrom('recovery_codes')
        .select(['user_id', 'code_hash', 'used_at'])
        .where('user_id', 'in', userIds)
        .orderBy('id')
        .execute();
      return secrets.map((secret) => ({
        ...secret,
        recoveryCodes: codes.filter((code) => code.user_id === secret.user_id),
      }));
    },
  };
}

export type TwoFactorRepository = ReturnType<typeof createTwoFactorRepository>;
