// Fixed-window counters in the database, so every instance of the server
// shares them. Each write is one atomic upsert.
import type { DB } from '../db/database.js';

export function createRateLimitRepository(db: DB) {
  return {
    /** Counts one hit and returns the bucket's count and window start (epoch ms) after it. */
    async hit(bucket: string, now: number, windowMs: number): Promise<{ hits: number; windowStartedAt: number }> {
      const expired = now - windowMs;
      const row = await db
        .insertInto('rate_limits')
        .values({ bucket, hits: 1, window_started_at: now })
        .onConflict((oc) =>
          oc.column('bucket').doUpdateSet((eb) => ({
            hits: eb
              .case()
              .when('rate_limits.window_started_at', '<=', expired)
              .then(1)
              .else(eb('rate_limits.hits', '+', 1))
              .end(),
            window_started_at: eb
              .case()
              .when('rate_limits.window_started_at', '<=', expired)
              .then(now)
              .else(eb.ref('rate_limits.window_started_at'))
              .end(),
          })),
        )
        .returning(['hits', 'window_started_at'])
        .executeTakeFirstOrThrow();
      return { hits: row.hits, windowStartedAt: Number(row.window_started_at) };
    },

    /** Takes back one hit (a login that turned out to be right). */
    async unhit(bucket: string): Promise<void> {
      await db
        .updateTable('rate_limits')
        .set((eb) => ({
          hits: eb
            .case()
            .when('hits', '>', 0)
            .then(eb('hits', '-', 1))
            .else(0)
            .end(),
        }))
        .where('bucket', '=', bucket)
        .execute();
    },

    async purgeOlderThan(before: number): Promise<void> {
      await db.deleteFrom('rate_limits').where('window_started_at', '<', before).execute();
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
