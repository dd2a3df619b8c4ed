// Gauges read when Prometheus scrapes, from where the value lives: the
// outbox table, the database pool.
import { Gauge, type Registry } from 'prom-client';

/** The connections of a database pool (pg's Pool has these three). */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export function outboxDepthGauge(registry: Registry, countWaiting: () => Promise<number>) {
  return new Gauge({
    name: 'blog_mail_outbox_depth',
    help: 'Mails waiting in the outbox (queued, or being sent).',
    registers: [registry],
    async collect() {
      this.set(await countWaiting());
    },
  });
}

export function poolConnectionsGauge(registry: Registry, pool: PoolCounts) {
  return new Gauge({
    name: 'blog_db_pool_connections',
    help: 'Database pool connections by state: total open, idle, and requests waiting for one.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
