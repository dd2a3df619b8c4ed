// CPU-heavy work (Argon2 hashing, image processing) runs on threads, off the
// event loop, but it still competes with the loop for cores. At most
// (cores - 1) such jobs run at once, at least one: a core is always left for
// serving requests, and the rest wait their turn in order.
import { availableParallelism } from 'node:os';

export function createWorkLimiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(job: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
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

export const heavyWork = createWorkLimiter(Math.max(1, availableParallelism() - 1));
