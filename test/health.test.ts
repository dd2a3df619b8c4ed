import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.js';

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
