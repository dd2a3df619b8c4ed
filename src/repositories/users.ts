import type { DB } from '../db/database.js';
import { violatedUniqueIndex } from '../db/dialect.js';
import type { UserRow } from '../db/schema.js';
import { listForCleanup } from './picture-cleanup.js';
import { isStorableId } from '../db/ids.js';

export type User = Omit<UserRow, 'created_at'>;

export type UniqueField = 'username' | 'email';

/** Raised when a write breaks the case-insensitive uniqueness of a username or email. */
export class DuplicateUserError extends Error {
  constructor(readonly field: UniqueField) {
    super(`${field} already exists`);
  }
}

export const USER_COLUMNS = ['id', 'username', 'email', 'password_hash', 'image_file', 'token_version'] as const;

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
        return await db
          .updateTable('users')
          .set(values)
          .where('id', '=', id)
          .returning(USER_COLUMNS)
          .executeTakeFirst();
      } catch (error) {
        rethrowDuplicate(error);
      }
    },

    /** Deletes the user (their posts go by cascade) and returns the picture they had, now listed for clean-up. */
    async delete(id: number): Promise<{ image_file: string | null } | undefined> {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom('users').where('id', '=', id).returning('image_file').executeTakeFirst();
        if (deleted?.image_file) await listForCleanup(trx, deleted.image_file);
        return deleted;
      });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
