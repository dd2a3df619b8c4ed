// Login and registration limits. A login attempt is counted before the
// password is checked (so parallel guesses cannot slip past the count) and
// taken back when it succeeds: in effect only failures count. Windows are
// fixed, so a limit always ends: nobody is locked out for good. A bucket is
// named `<action>:<scope>:<key>`.
import { tooManyRequests } from '../errors.js';
import type { Metrics } from '../metrics/index.js';
import type { RateLimitRepository } from '../repositories/rate-limits.js';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** One counter and the rule it is held to. */
export interface RateLimit {
  bucket: string;
  rule: RateRule;
}

export interface RateLimiter {
  /** Counts an attempt in every bucket; throws 429 if any is over its own limit. */
  attempt(limits: RateLimit[], detail: string): Promise<void>;
  /** Takes back an attempt that succeeded. */
  forgive(buckets: string[]): Promise<void>;
  /** Forgets windows that started before `before` (epoch ms): they have ended. */
  purgeOlderThan(before: number): Promise<void>;
}

export interface RateLimiterOptions {
  enabled: boolean;
  now: () => number;
  metrics: Pick<Metrics, 'rateLimited'>;
}

/**
 * The limit a bucket counts for: its first two parts (`login:account`,
 * `register:address`…), never the address or email after them, so the
 * metric's label has a handful of values.
 */
function limitOf(bucket: string): string {
  return bucket.split(':', 2).join(':');
}

export function createRateLimiter(repository: RateLimitRepository, options: RateLimiterOptions): RateLimiter {
  const { enabled, now, metrics } = options;
  return {
    async attempt(limits, detail) {
      if (!enabled) return;
      const at = now();
      const counts = await Promise.all(
        limits.map(async ({ bucket, rule }) => {
          const windowMs = rule.windowSeconds * 1000;
          const count = await repository.hit(bucket, at, windowMs);
          return { over: count.hits > rule.limit, endsAt: count.windowStartedAt + windowMs, bucket };
        }),
      );
      const over = counts.filter((count) => count.over);
      const [first] = over;
      if (!first) return;
      // One 429, counted once: for the first limit it is over (the strictest of a login's three).
      metrics.rateLimited(limitOf(first.bucket));
      // The longest wait: the attempt is refused until every bucket it is over has ended its window.
      const retryAfter = Math.max(...over.map((count) => Math.ceil((count.endsAt - at) / 1000)), 1);
      throw tooManyRequests(`${detail} Try again in ${retryAfter} seconds.`, retryAfter);
    },
    async forgive(buckets) {
      if (!enabled) return;
      await Promise.all(buckets.map((bucket) => repository.unhit(bucket)));
    },
    purgeOlderThan: (before) => repository.purgeOlderThan(before),
  };
}
