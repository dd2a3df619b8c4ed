import type { DB } from '../db/database.js';
import { violatedUniqueIndex } from '../db/dialect.js';
import type { UserRow } from '../db/schema.js';
import { isStorableId } from '../db/ids.js';

export type User = Omit<UserRow, 'created_at'>;

/** Raised when a picture's clean-up entry was claimed by a sweep before the user could point at it. */
export class PictureClaimLostError extends Error {
  constructor(readonly picture: string) {
    super(`picture ${picture} was swept before it was used`);
  }
}

export type UniqueField = 'username' | 'email';

/** Raised when a write breaks the case-insensitive uniqueness of a username or email. */
export class DuplicateUserError extends Error {
  constructor(readonly field: UniqueField) {
    super(`${field} already exists`);
  }
}

const USER_COLUMNS = ['id', 'username', 'email', 'password_hash', 'image_file', 'token_version'] as const;

function rethrowDuplicate(error: unknown): never {
  const index = violatedUniqueIndex(error);
  if (index?.includes('username')) throw new DuplicateUserError('username');
  if (index?.includes('email')) throw new DuplicateUserError('email');
  throw error;
}

export function createUserRepository(db: DB) {
  return {
    async findById(id: number): Promise<User | undefined> {
      if (!isStorableId(id)) return undefined;
      return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    },

    /** The user a token was issued to, if the token is still good: same version, not revoked. */
    async findForToken(claims: { userId: number; version: number; jti: string }): Promise<User | undefined> {
      if (!isStorableId(claims.userId)) return undefined;
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('id', '=', claims.userId)
        .where('token_version', '=', claims.version)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('revoked_tokens').select('jti').where('jti', '=', claims.jti))))
        .executeTakeFirst();
    },

    /** Sets a new password hash and invalidates every token issued before. */
    async changePassword(id: number, passwordHash: string): Promise<User | undefined> {
      return db
        .updateTable('users')
        .set((eb) => ({ password_hash: passwordHash, token_version: eb('token_version', '+', 1) }))
        .where('id', '=', id)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
    },

    async findByEmail(email: string): Promise<User | undefined> {
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
    },

    /** Which of the given values another user already holds (case-insensitively). */
    async takenFields(values: { username?: string; email?: string }, exceptUserId?: number): Promise<UniqueField[]> {
      const taken: UniqueField[] = [];
      for (const field of ['username', 'email'] as const) {
        const value = values[field];
        if (value === undefined) continue;
        let query = db
          .selectFrom('users')
          .select('id')
          .where((eb) => eb(eb.fn('lower', [field]), '=', value.toLowerCase()));
        if (exceptUserId !== undefined) query = query.where('id', '!=', exceptUserId);
        if (await query.executeTakeFirst()) taken.push(field);
      }
      return taken;
    },

    async create(values: { username: string; email: string; passwordHash: string }): Promise<User> {
      try {
        return await db
          .insertInto('users')
          .values({
            username: values.username,
            email: values.email.toLowerCase(),
            password_hash: values.passwordHash,
            image_file: null,
            created_at: new Date().toISOString(),
          })
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
      } catch (error) {
        rethrowDuplicate(error);
      }
    },

    async update(id: number, changes: { username?: string; email?: string }): Promise<User | undefined> {
      const values = {
        ...(changes.username !== undefined && { username: changes.username }),
        ...(changes.email !== undefined && { email: changes.email.toLowerCase() }),
      };
      if (Object.keys(values).length === 0) return this.findById(id);
      try {
        return await db.updateTable('users').set(values).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirst();
      } catch (error) {
        rethrowDuplicate(error);
      }
    },

    /**
     * Points the user at a new picture (or none) in one transaction, and
     * returns the updated user with the picture it replaced. The new picture's
     * clean-up entry is claimed in the same transaction (so a sweep can no
     * longer remove it), and the replaced picture gets one (so a crash before
     * its file is deleted leaves it to the sweep, not forever).
     */
    async replaceImageFile(id: number, imageFile: string | null): Promise<{ user: User; previous: string | null } | undefined> {
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
        if (current.image_file) {
          await trx.insertInto('picture_cleanup').values({ name: current.image_file, state: 'pending', created_at: Date.now() }).execute();
        }
        return { user, previous: current.image_file };
      });
    },

    /** Deletes the user (their posts go by cascade) and returns the picture they had, now listed for clean-up. */
    async delete(id: number): Promise<{ image_file: string | null } | undefined> {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom('users').where('id', '=', id).returning('image_file').executeTakeFirst();
        if (deleted?.image_file) {
          await trx.insertInto('picture_cleanup').values({ name: deleted.image_file, state: 'pending', created_at: Date.now() }).execute();
        }
        return deleted;
      });
    },

    async allImageFiles(): Promise<string[]> {
      const rows = await db.selectFrom('users').select('image_file').where('image_file', 'is not', null).execute();
      return rows.map((row) => row.image_file as string);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
