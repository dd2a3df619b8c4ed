// The list of picture files that may belong to no user (see migration 0002).
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import type { Database } from '../db/schema.js';

/** Lists a picture file for the sweep; `db` may be a transaction that also unlinks it from its user. */
export async function listForCleanup(db: Kysely<Database>, name: string): Promise<void> {
  await db.insertInto('picture_cleanup').values({ name, state: 'pending', created_at: Date.now() }).execute();
}

export function createPictureCleanupRepository(db: DB) {
  return {
    /** Lists a picture before its file is written, so a crash cannot leave it unlisted. */
    add: (name: string) => listForCleanup(db, name),

    async remove(name: string): Promise<void> {
      await db.deleteFrom('picture_cleanup').where('name', '=', name).execute();
    },

    /** Entries listed before `before` (epoch ms). */
    async listedBefore(before: number): Promise<string[]> {
      const rows = await db.selectFrom('picture_cleanup').select('name').where('created_at', '<', before).execute();
      return rows.map((row) => row.name);
    },

    /**
     * Claims an entry for a sweep; from then on no upload can point a user at
     * it. True when the file is no user's and may be deleted.
     */
    async claimForSweep(name: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('picture_cleanup')
          .set({ state: 'sweeping' })
          .where('name', '=', name)
          .executeTakeFirst();
        if (claimed.numUpdatedRows === 0n) return false;
        const owner = await trx.selectFrom('users').select('id').where('image_file', '=', name).executeTakeFirst();
        return !owner;
      });
    },
  };
}

export type PictureCleanupRepository = ReturnType<typeof createPictureCleanupRepository>;
