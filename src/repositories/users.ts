import type { DB } from '../db/database.js';
import { sql, type SqlBool } from 'kysely';
import { dialectOf, toIsoTimestamp, violatedUniqueIndex } from '../db/dialect.js';
import type { Role, UserRow } from '../db/schema.js';
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

export const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'password_hash',
  'image_file',
  'token_version',
  'role',
  'suspended_at',
] as const;

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
        .where('suspended_at', 'is', null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('revoked_tokens').select('jti').where('jti', '=', claims.jti))))
        .executeTakeFirst();
    },

    /**
     * Suspends the user (`at`, epoch ms) or reinstates them (null), holding
     * back or releasing their posts with it; run it in a transaction.
     */
    async setSuspended(id: number, at: number | null): Promise<User | undefined> {
      const user = await db
        .updateTable('users')
        .set({ suspended_at: at })
        .where('id', '=', id)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
      if (user) {
        await db
          .updateTable('posts')
          .set({ author_suspended: at === null ? 0 : 1 })
          .where('user_id', '=', id)
          .execute();
      }
      return user;
    },

    async setRole(id: number, role: Role): Promise<User | undefined> {
      return db.updateTable('users').set({ role }).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirst();
    },

    /**
     * The ids of the admins in good standing. In a transaction on PostgreSQL
     * their rows stay locked until it ends, so two changes made at once
     * cannot both count on the other admin and leave the site without one
     * (SQLite runs one write transaction at a time).
     */
    async lockActiveAdmins(): Promise<number[]> {
      const query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('suspended_at', 'is', null);
      const rows = await (dialectOf(db) === 'postgres' ? query.forUpdate() : query).execute();
      return rows.map((row) => row.id);
    },

    /**
     * A page of every account, newest first, with post counts; `search`
     * matches usernames and emails, `userId` picks one account.
     */
    async listForAdmin(options: { search?: string | undefined; userId?: number; skip: number; limit: number }) {
      const { search, userId, skip, limit } = options;
      const matching = (query: ReturnType<typeof everyone>) => {
        if (userId !== undefined) query = query.where('users.id', '=', userId);
        if (!search) return query;
        // Case-insensitive "contains", with the pattern's own % and _ taken literally.
        const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        return query.where(
          sql<SqlBool>`(lower(users.username) like ${pattern} escape '\\' or users.email like ${pattern} escape '\\')`,
        );
      };
      const everyone = () => db.selectFrom('users');
      const rows = await matching(everyone())
        .select(USER_COLUMNS.map((column) => `users.${column}` as const))
        .select('users.created_at')
        .select((eb) =>
          eb
            .selectFrom('posts')
            .select(eb.fn.countAll<number | string>().as('count'))
            .whereRef('posts.user_id', '=', 'users.id')
            .as('post_count'),
        )
        .orderBy('users.id', 'desc')
        .limit(limit)
        .offset(skip)
        .execute();
      const counted = await matching(everyone())
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .executeTakeFirst();
      return {
        users: rows.map((row) => ({
          ...row,
          created_at: toIsoTimestamp(row.created_at),
          post_count: Number(row.post_count ?? 0),
        })),
        total: Number(counted?.total ?? 0),
      };
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
