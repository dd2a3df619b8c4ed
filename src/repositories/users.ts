import type { DB } from '../db/database.js';
import { violatedUniqueIndex } from '../db/dialect.js';
import { listForCleanup } from './picture-cleanup.js';
import { USER_COLUMNS, type User } from './user-columns.js';
import { createUserModeration } from './user-moderation.js';
import { createUserPasswords } from './user-passwords.js';
import { isStorableId } from '../db/ids.js';

export { USER_COLUMNS, type User };

export type UniqueField = 'username' | 'email';

/** Raised when a write breaks the case-insensitive uniqueness of a username or email. */
export class DuplicateUserError extends Error {
  constructor(readonly field: UniqueField) {
    super(`${field} already exists`);
  }
}

function rethrowDuplicate(error: unknown): never {
  const index = violatedUniqueIndex(error);
  if (index?.includes('username')) throw new DuplicateUserError('username');
  if (index?.includes('email')) throw new DuplicateUserError('email');
  throw error;
}

/** Which of the given values another user already holds (case-insensitively). */
async function takenFields(
  db: DB,
  values: { username?: string; email?: string },
  exceptUserId?: number,
): Promise<UniqueField[]> {
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
}

export function createUserRepository(db: DB) {
  return {
    ...createUserModeration(db),
    ...createUserPasswords(db),

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
        .where('suspended_at', 'is', null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('revoked_tokens').select('jti').where('jti', '=', claims.jti))))
        .executeTakeFirst();
    },

    async findByEmail(email: string): Promise<User | undefined> {
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
    },

    takenFields: (values: { username?: string; email?: string }, exceptUserId?: number) =>
      takenFields(db, values, exceptUserId),

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

    /**
     * Deletes the user (their posts go by cascade) and returns the picture
     * they had, now listed for clean-up; run it in a transaction.
     */
    async delete(id: number): Promise<{ image_file: string | null } | undefined> {
      const deleted = await db.deleteFrom('users').where('id', '=', id).returning('image_file').executeTakeFirst();
      if (deleted?.image_file) await listForCleanup(db, deleted.image_file);
      return deleted;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
