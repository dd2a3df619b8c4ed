import { readdirSync, readFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { availableParallelism, getPriority } from 'node:os';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { processProfilePicture } from '../../src/heavy-work/images.js';
import {
  concurrencyFor,
  createWorkLimiter,
  HEAVY_WORK_NICE,
  heavyWorkConcurrency,
  lowerThreadPool,
} from '../../src/heavy-work/index.js';
import { createMarkdownRenderer } from '../../src/markdown/index.js';

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

describe('the heavy-work limiter, deciding its limit first', () => {
  it('waits for the limit once, then holds to it', async () => {
    let decided = 0;
    const limit = createWorkLimiter(() => {
      decided += 1;
      return Promise.resolve(1);
    });
    let running = 0;
    let most = 0;
    const job = () =>
      limit(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise(setImmediate); // long enough for the others to try their turn
        running -= 1;
      });
    await Promise.all([job(), job(), job()]);
    expect(most).toBe(1);
    expect(decided).toBe(1);
  });
});

/** The nice value of each thread of this process, by thread id. */
function threadNices(): Map<number, number> {
  return new Map(readdirSync('/proc/self/task').map((id) => [Number(id), getPriority(Number(id))]));
}

/** User and system CPU time a thread has used, in clock ticks (/proc/<tid>/stat fields 14 and 15). */
function cpuTicksOf(id: number): number {
  const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The threads that are new since `before`, with their nice values. */
function newThreads(before: Map<number, number>): number[] {
  return [...threadNices()].filter(([id]) => !before.has(id)).map(([, nice]) => nice);
}

describe.runIf(process.platform === 'linux')('heavy work at low priority (Linux)', () => {
  const loopNice = getPriority(process.pid);

  it("lowers every thread of libuv's pool to nice 19, not the event loop, and then uses every core", async () => {
    expect(await lowerThreadPool()).toBe(true);
    // Look-ups made through the pool land on whichever pool thread is free: rounds of them reach several.
    const poolThreads = new Set<number>();
    for (let round = 0; round < 50 && poolThreads.size < 4; round++) {
      const links = await Promise.all(Array.from({ length: 16 }, () => readlink('/proc/thread-self')));
      for (const link of links) poolThreads.add(Number(link.split('/').at(-1)));
    }
    expect(poolThreads.size).toBeGreaterThan(0);
    expect(poolThreads.has(process.pid)).toBe(false);
    for (const id of poolThreads) expect(getPriority(id)).toBe(HEAVY_WORK_NICE);
    expect(getPriority(process.pid)).toBe(loopNice);
    expect(await heavyWorkConcurrency()).toBe(availableParallelism());
    expect(concurrencyFor(true)).toBe(availableParallelism());
  });

  it('threads that image work starts inherit the low priority', async () => {
    expect(await lowerThreadPool()).toBe(true); // as the first heavy job does
    const before = threadNices();
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    await processProfilePicture(png);
    const started = newThreads(before);
    expect(started.length).toBeGreaterThan(0); // libvips' workers
    expect(started.every((nice) => nice === HEAVY_WORK_NICE)).toBe(true);
    expect(getPriority(process.pid)).toBe(loopNice);
  });

  it('the thread that renders a long post runs at the low priority', async () => {
    const renderer = createMarkdownRenderer('http://blog.test');
    try {
      const before = threadNices();
      const html = await renderer.render(`# A long post\n\n${'Some *words* and more words. '.repeat(4000)}`);
      expect(html).toContain('A long post</h2>');
      // The new thread that worked the most is the worker's (others may sit idle).
      const [busiest] = [...threadNices().keys()]
        .filter((id) => !before.has(id))
        .sort((a, b) => cpuTicksOf(b) - cpuTicksOf(a));
      expect(busiest).toBeDefined();
      expect(getPriority(busiest)).toBe(HEAVY_WORK_NICE);
    } finally {
      await renderer.close();
    }
  });
});

describe('where heavy-work threads cannot all be lowered', () => {
  it('reports it, and then leaves a core to the event loop', async () => {
    // More threads than libuv's pool has: the search gives up.
    expect(await lowerThreadPool(5)).toBe(false);
    expect(concurrencyFor(false, 2)).toBe(1);
    expect(concurrencyFor(false, 1)).toBe(1);
    expect(concurrencyFor(false, 8)).toBe(7);
    expect(concurrencyFor(true, 2)).toBe(2);
  });
});
