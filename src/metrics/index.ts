// What the site counts, in Prometheus's terms, on a registry of the app's own:
// several apps in one process (the tests) never share a metric. The services
// are handed the few recorders they use, through the composition root; none
// of them imports prom-client. Served by src/plugins/metrics.ts.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { outboxDepthGauge, poolConnectionsGauge, type PoolCounts } from './gauges.js';
import { createRequestMetrics } from './requests.js';

export type PictureResult = 'accepted' | 'rejected';

/** Decoding and re-encoding one picture: tens of milliseconds to seconds. */
const PICTURE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * prom-client's defaults that Prometheus's own lint refuses (gauges whose
 * names end in `_total`); `nodejs_active_handles` and its siblings carry the
 * same numbers by type.
 */
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const loginFailures = new Counter({
    name: 'blog_login_failures_total',
    help: 'Failed logins: an unknown email, a wrong password, or a missing or wrong two-factor code.',
    registers,
  });
  const rateLimited = new Counter({
    name: 'blog_rate_limited_total',
    help: 'Attempts refused with 429, by the limit they were over.',
    labelNames: ['limit'] as const,
    registers,
  });
  const picturesProcessed = new Counter({
    name: 'blog_pictures_processed_total',
    help: 'Profile picture uploads decoded, by result: accepted, or rejected as no image.',
    labelNames: ['result'] as const,
    registers,
  });
  const pictureSeconds = new Histogram({
    name: 'blog_picture_processing_seconds',
    help: 'Time to decode, crop and re-encode one uploaded picture.',
    buckets: PICTURE_BUCKETS,
    registers,
  });
  const mailSendFailures = new Counter({
    name: 'blog_mail_send_failures_total',
    help: 'Mail deliveries that failed (each attempt; retried or given up).',
    registers,
  });

  return {
    registry,

    /** Called once per request, where the access line is written (src/plugins/access-log.ts). */
    requestCompleted: createRequestMetrics(registry),

    loginFailed(): void {
      loginFailures.inc();
    },

    rateLimited(limit: string): void {
      rateLimited.inc({ limit });
    },

    pictureProcessed(result: PictureResult, seconds: number): void {
      picturesProcessed.inc({ result });
      pictureSeconds.observe(seconds);
    },

    mailSendFailed(): void {
      mailSendFailures.inc();
    },

    /** The mail waiting in the outbox, counted at each scrape. */
    watchOutbox(countWaiting: () => Promise<number>): void {
      outboxDepthGauge(registry, countWaiting);
    },

    /** A PostgreSQL pool's connections, read at each scrape. */
    watchPool(pool: PoolCounts): void {
      poolConnectionsGauge(registry, pool);
    },

    /**
     * The process's own metrics (CPU, memory, heap, event-loop lag, GC), under
     * prom-client's standard names. Started only by an app that serves them:
     * prom-client cannot stop their event-loop and GC observers again.
     */
    collectProcessMetrics(): void {
      collectDefaultMetrics({ register: registry });
      for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
