// Login and registration limits. A login attempt is counted before the
// password is checked (so parallel guesses cannot slip past the count) and
// taken back when it succeeds: in effect only failures count. Windows are
// fixed, so a limit always ends: nobody is locked out for good.
import type { RateLimitRepository } from '../repositories/rate-limits.js';
import { tooManyRequests } from '../errors.js';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts an attempt in every bucket; throws 429 if any is over its limit. */
  attempt(buckets: string[], rule: RateRule, detail: string): Promise<void>;
  /** Takes back an attempt that succeeded. */
  forgive(buckets: string[]): Promise<void>;
  /** Forgets windows that started before `before` (epoch ms): they have ended. */
  purgeOlderThan(before: number): Promise<void>;
}

export function createRateLimiter(
  repository: RateLimitRepository,
  enabled: boolean,
  now = () => Date.now(),
): RateLimiter {
  return {
    async attempt(buckets, rule, detail) {
      if (!enabled) return;
      const windowMs = rule.windowSeconds * 1000;
      const at = now();
      const counts = await Promise.all(buckets.map((bucket) => repository.hit(bucket, at, windowMs)));
      const over = counts.filter((count) => count.hits > rule.limit);
      if (over.length === 0) return;
      const retryAfter = Math.max(...over.map((count) => Math.ceil((count.windowStartedAt + windowMs - at) / 1000)), 1);
      throw tooManyRequests(`${detail} Try again in ${retryAfter} seconds.`, retryAfter);
    },
    async forgive(buckets) {
      if (!enabled) return;
      await Promise.all(buckets.map((bucket) => repository.unhit(bucket)));
    },
    purgeOlderThan: (before) => repository.purgeOlderThan(before),
  };
}
