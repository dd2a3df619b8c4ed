// Password-reset tokens, by their SHA-256 only: one per user, the newest.
import type { DB } from '../db/database.js';

export function createPasswordResetTokenRepository(db: DB) {
  return {
    /** Makes `tokenHash` the user's only reset token, valid until `expiresAt` (epoch ms). */
    async replace(userId: number, tokenHash: string, expiresAt: number): Promise<void> {
      await db
        .insertInto('password_reset_tokens')
        .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, expires_at: expiresAt }))
        .execute();
    },

    /** The user of a token that is valid at `now`, without using it up. */
    async findValid(tokenHash: string, now: number): Promise<number | undefined> {
      const row = await db
        .selectFrom('password_reset_tokens')
        .select('user_id')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.user_id;
    },

    /** Uses the token up: its user if it was valid at `now`. Of two concurrent uses only one gets the user. */
    async consume(tokenHash: string, now: number): Promise<number | undefined> {
      const row = await db
        .deleteFrom('password_reset_tokens')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      return row?.user_id;
    },

    /** Ends any token of the user (their password changed another way). */
    async revokeFor(userId: number): Promise<void> {
      await db.deleteFrom('password_reset_tokens').where('user_id', '=', userId).execute();
    },

    async purgeExpired(now: number): Promise<void> {
      await db.deleteFrom('password_reset_tokens').where('expires_at', '<=', now).execute();
    },
  };
}

export type PasswordResetTokenRepository = ReturnType<typeof createPasswordResetTokenRepository>;
