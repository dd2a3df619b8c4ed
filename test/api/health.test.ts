import { describe, expect, it } from 'vitest';
import { createTestApp, ofType, useTestApp } from '../helpers/index.js';

const context = useTestApp();

describe('health probes', () => {
  it('GET /healthz answers 200 while the process is up', async () => {
    const { app } = await context();
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database answers, 503 when it does not', async () => {
    const { app } = await context();
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    await app.db.destroy();
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'database unavailable' });
  });
});

describe('benchmark metrics', () => {
  it('are only served when BENCH_METRICS is on', async () => {
    const off = await createTestApp();
    const on = await createTestApp({ BENCH_METRICS: 'true' });
    try {
      expect((await off.app.inject('/__bench/metrics')).statusCode).toBe(404);
      const metrics = await on.app.inject('/__bench/metrics');
      expect(metrics.statusCode).toBe(200);
      expect(metrics.json()).toMatchObject({ pid: process.pid, event_loop_delay_ms: { p99: ofType(Number) } });
      expect((await on.app.inject({ method: 'POST', url: '/__bench/reset' })).statusCode).toBe(204);
    } finally {
      await off.close();
      await on.close();
    }
  });
});
