import type { DB } from '../db/database.js';

export function createRevokedTokenRepository(db: DB) {
  return {
    async revoke(jti: string, expiresAt: number): Promise<void> {
      await db
        .insertInto('revoked_tokens')
        .values({ jti, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    },

    /** Forgets revocations of tokens that have expired anyway. */
    async purgeExpired(nowSeconds: number): Promise<void> {
      await db.deleteFrom('revoked_tokens').where('expires_at', '<', nowSeconds).execute();
    },
  };
}

export type RevokedTokenRepository = ReturnType<typeof createRevokedTokenRepository>;
