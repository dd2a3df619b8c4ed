// GET /metrics: the app's metrics (src/metrics/index.ts) in the Prometheus
// text format, for a scraper that holds METRICS_TOKEN. Registered only when
// the token is set: otherwise /metrics is an unknown URL like any other.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/index.js';
import { bearerToken } from './auth.js';

export interface MetricsRouteOptions {
  token: string;
  metrics: Metrics;
}

/** Compared as SHA-256 digests: equal lengths for timingSafeEqual, so not even the token's length shows in the timing. */
const digestOf = (token: string) => createHash('sha256').update(token).digest();

export default function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions, done: () => void) {
  const { registry } = options.metrics;
  const expected = digestOf(options.token);
  options.metrics.collectProcessMetrics();

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    // Counters read now are stale the next second: no cache may keep them.
    reply.header('cache-control', 'no-store');
    const given = bearerToken(request);
    if (!given || !timingSafeEqual(digestOf(given), expected)) {
      // Outside /api, so the error handler would answer a page: this is the API's shape.
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('application/json; charset=utf-8')
        .send({ detail: given ? 'Invalid metrics token' : 'Not authenticated' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  done();
}
