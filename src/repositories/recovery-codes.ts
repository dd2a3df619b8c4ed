// The recovery codes of users who have two-factor sign-in on: using one up,
// and counting those left. They are written and wiped with the secret
// (two-factor.ts: enable, disable). Using one is one conditional write, so of
// two requests racing with the same code only one succeeds.
import type { DB } from '../db/database.js';

export function createRecoveryCodes(db: DB) {
  return {
    /** Uses up an unused recovery code; false if the user has no such code left. */
    async useRecoveryCode(userId: number, codeHash: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async unusedRecoveryCodes(userId: number): Promise<number> {
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}
