import { describe, expect, it } from 'vitest';
import { createWorkLimiter } from '../../src/heavy-work/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the heavy-work limiter', () => {
  it('runs at most N jobs at once, in the order they came, and frees the slot of a failed job', async () => {
    const limit = createWorkLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (id: number, fail = false) =>
      limit(async () => {
        started.push(id);
        running += 1;
        most = Math.max(most, running);
        await sleep(20);
        running -= 1;
        if (fail) throw new Error(`job ${id} failed`);
        return id;
      });
    const results = await Promise.allSettled([job(1), job(2, true), job(3), job(4), job(5)]);
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    // Every slot is free again: two new jobs run side by side.
    most = 0;
    await Promise.all([job(6), job(7)]);
    expect(most).toBe(2);
  });
});
