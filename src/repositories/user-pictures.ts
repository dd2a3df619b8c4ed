// Which picture each user points at. Changing it and the clean-up list go
// together in one transaction, so no file is ever left unlisted without a
// user, and no user points at a file a sweep may remove (see migration 0002).
import type { DB } from '../db/database.js';
import { listForCleanup } from './picture-cleanup.js';
import { USER_COLUMNS, type User } from './users.js';

/** Raised when a picture's clean-up entry was claimed by a sweep before the user could point at it. */
export class PictureClaimLostError extends Error {
  constructor(readonly picture: string) {
    super(`picture ${picture} was swept before it was used`);
  }
}

export function createUserPictureRepository(db: DB) {
  return {
    /**
     * Points the user at a new picture (or none) in one transaction, and
     * returns the updated user with the picture it replaced. The new picture's
     * clean-up entry is claimed in the same transaction (so a sweep can no
     * longer remove it), and the replaced picture gets one (so a crash before
     * its file is deleted leaves it to the sweep, not forever).
     */
    async replaceImageFile(
      id: number,
      imageFile: string | null,
    ): Promise<{ user: User; previous: string | null } | undefined> {
      return db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('users').select('image_file').where('id', '=', id).executeTakeFirst();
        if (!current) return undefined;
        if (imageFile) {
          const claimed = await trx
            .deleteFrom('picture_cleanup')
            .where('name', '=', imageFile)
            .where('state', '=', 'pending')
            .executeTakeFirst();
          if (claimed.numDeletedRows === 0n) throw new PictureClaimLostError(imageFile);
        }
        const user = await trx
          .updateTable('users')
          .set({ image_file: imageFile })
          .where('id', '=', id)
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
        if (current.image_file) await listForCleanup(trx, current.image_file);
        return { user, previous: current.image_file };
      });
    },

    async allImageFiles(): Promise<string[]> {
      const rows = await db.selectFrom('users').select('image_file').where('image_file', 'is not', null).execute();
      return rows.flatMap((row) => (row.image_file === null ? [] : [row.image_file]));
    },
  };
}

export type UserPictureRepository = ReturnType<typeof createUserPictureRepository>;
