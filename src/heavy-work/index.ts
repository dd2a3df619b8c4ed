// CPU-heavy work (Argon2 hashing, image processing, long Markdown) runs on
// threads, off the event loop, but it still competes with the loop for cores.
// On Linux those threads run at the lowest CPU priority (nice 19): whenever
// the event loop and heavy work both want a core, the scheduler gives it to
// the loop, so heavy work may use every core without slowing the answers.
// Where threads cannot be lowered, at most (cores - 1) jobs run at once, at
// least one, so that a core is left for serving requests. Jobs beyond the
// limit wait their turn in order.
import { readlinkSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { availableParallelism, setPriority } from 'node:os';

/** The nice value of heavy-work threads: the lowest priority Linux gives a normal thread. */
export const HEAVY_WORK_NICE = 19;

/** How many rounds of look-ups may be spent finding libuv's pool threads before giving up. */
const POOL_SEARCH_ROUNDS = 50;

/** The id of a thread from its /proc/thread-self link ("<pid>/task/<tid>"). */
const threadIdOf = (link: string) => Number(link.slice(link.lastIndexOf('/') + 1));

/**
 * Lowers the calling thread's priority (a worker thread calls it for itself).
 * False where the platform has no per-thread priority (no /proc/thread-self).
 */
export function lowerThisThread(): boolean {
  try {
    setPriority(threadIdOf(readlinkSync('/proc/thread-self')), HEAVY_WORK_NICE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lowers every thread of libuv's pool, where argon2 and sharp run their work
 * (and the threads they start inherit the priority). A look-up of
 * /proc/thread-self made through the pool runs on a pool thread and names it;
 * rounds of such look-ups at once reach every thread (all the pool's threads
 * start together, so none comes later). True once all of them are lowered.
 */
export async function lowerThreadPool(size = poolSize()): Promise<boolean> {
  const lowered = new Set<number>();
  try {
    for (let round = 0; round < POOL_SEARCH_ROUNDS && lowered.size < size; round++) {
      const links = await Promise.all(Array.from({ length: 4 * size }, () => readlink('/proc/thread-self')));
      for (const id of links.map(threadIdOf)) {
        if (lowered.has(id)) continue;
        setPriority(id, HEAVY_WORK_NICE);
        lowered.add(id);
      }
    }
  } catch {
    return false;
  }
  return lowered.size >= size;
}

/** libuv's pool size: UV_THREADPOOL_SIZE (clamped as libuv does), 4 by default. */
function poolSize(): number {
  const size = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isFinite(size) && size > 0 ? Math.min(size, 1024) : 4;
}

/**
 * A queue that runs at most `concurrency` jobs at once; `concurrency` may be
 * a promise (decided once, before the first job runs).
 */
export function createWorkLimiter(concurrency: number | (() => Promise<number>)) {
  let limit = typeof concurrency === 'number' ? concurrency : undefined;
  let deciding: Promise<number> | undefined;
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(job: () => Promise<T>): Promise<T> {
    if (limit === undefined && typeof concurrency === 'function') limit = await (deciding ??= concurrency());
    if (running >= (limit ?? 1)) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next)
        next(); // the slot passes straight to the next job
      else running -= 1;
    }
  };
}

/** Every core when the heavy-work threads are at low priority, else all but one (at least one). */
export const concurrencyFor = (lowered: boolean, cores = availableParallelism()) =>
  lowered ? cores : Math.max(1, cores - 1);

export async function heavyWorkConcurrency(): Promise<number> {
  return concurrencyFor(await lowerThreadPool());
}

export const heavyWork = createWorkLimiter(heavyWorkConcurrency);
