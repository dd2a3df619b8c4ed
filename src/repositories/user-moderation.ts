// The parts of the users repository that moderation uses: standing, roles,
// the admins in good standing, and the accounts as admins list them.
import { sql, type SqlBool } from 'kysely';
import type { DB } from '../db/database.js';
import { dialectOf, toIsoTimestamp } from '../db/dialect.js';
import type { Role } from '../db/schema.js';
import { USER_COLUMNS, type User } from './user-columns.js';

export function createUserModeration(db: DB) {
  return {
    /**
     * Suspends the user (`at`, epoch ms) or reinstates them (null), holding
     * back or releasing their posts with it; run it in a transaction. A
     * suspension also moves the token version: the tokens it ended stay
     * ended after a reinstatement.
     */
    async setSuspended(id: number, at: number | null): Promise<User | undefined> {
      const user = await db
        .updateTable('users')
        .set((eb) => ({
          suspended_at: at,
          ...(at !== null && { token_version: eb('token_version', '+', 1) }),
        }))
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
  };
}
