// For the benchmark harness only (BENCH_METRICS=true): the event-loop delay
// seen by this process, so a benchmark can prove that hashing and image work
// stay off the loop. Not registered otherwise.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';

export default function benchMetrics(app: FastifyInstance, _options: unknown, done: () => void) {
  // Sampled every millisecond: the histogram records the interval between
  // samples, so an idle loop reads about 1 ms (with the default 10 ms, about 10).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  app.addHook('onClose', (_instance, closed) => {
    delay.disable();
    closed();
  });
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

  app.get('/__bench/metrics', { schema: { hide: true } }, () => ({
    event_loop_delay_ms: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    rss_bytes: process.memoryUsage().rss,
    pid: process.pid,
  }));
  app.post('/__bench/reset', { schema: { hide: true } }, (_request, reply) => {
    delay.reset();
    return reply.code(204).send();
  });
  done();
}
