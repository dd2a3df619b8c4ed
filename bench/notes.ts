// The report's notes on method: how each figure is taken and what it cannot
// show, with the settings that change them.
import os from 'node:os';
import { argon2Settings, settings } from './settings.js';

/** How to read the figures; the same in every report but for the knobs. */
export function methodNotes(loadAverageAtStart: number[]): string[] {
  const threads = process.env.UV_THREADPOOL_SIZE ?? 'default 4';
  const arenas =
    process.env.MALLOC_ARENA_MAX ??
    "unset (glibc keeps a freed Argon2 buffer under 32 MiB in each thread's arena: memory after logins includes them)";
  const notes = [
    'Latencies are of 2xx responses, timed by the load generator per response (hrtime, 0.01 ms); ' +
      'req/s counts 2xx responses over the measured time.',
    'Peak RSS: VmRSS of the answering process sampled every 100 ms during the measured run. ' +
      "Event-loop p99: the process's monitorEventLoopDelay({ resolution: 1 }), reset when the measured run starts; " +
      'it records the interval between 1 ms timer ticks, so an idle process reads about 1 ms.',
    'The load generators run on the same machine (same cores) as the server; ' +
      'the floor is measured under the same conditions, so the ratios are fair, ' +
      'the absolute numbers are not what a separate load machine would see.',
    `Login: Argon2id at ARGON2_MEMORY_KIB=${argon2Settings.ARGON2_MEMORY_KIB}, ` +
      `ARGON2_TIME_COST=${argon2Settings.ARGON2_TIME_COST}, ARGON2_PARALLELISM=${argon2Settings.ARGON2_PARALLELISM} ` +
      "(the bench's default is OWASP's 19 MiB, 2 passes, 1 lane, the site's own default 64 MiB, 3, 4), " +
      `on libuv's thread pool (UV_THREADPOOL_SIZE ${threads}) at nice 19. MALLOC_ARENA_MAX ${arenas}.`,
    `The "vs floor" columns compare with the floor's first page (floor-page), except single post (floor-post). ` +
      'Scenarios run in table order; POST /api/posts adds posts before the login, upload and mixed scenarios run. ' +
      `The quiet and mixed readers send a steady ${settings.readerRate} req/s (BENCH_READER_RATE) at evenly spaced moments ` +
      '(bench/paced.ts; each latency counted from the moment its request was due), ' +
      'so the event-loop figure of the mixed run shows what hashing and image work add, not a loop saturated by readers.',
  ];
  if (Math.max(...loadAverageAtStart) > 0.5 * os.availableParallelism()) {
    const load = loadAverageAtStart.map((x) => x.toFixed(2)).join(' ');
    notes.push(
      `The machine was not idle at the start (load average ${load}): other processes shared the CPUs, expect noise.`,
    );
  }
  return notes;
}

export const workersNote = (n: number) =>
  `WORKERS=${n}: the blog restarted as a node:cluster primary with ${n} workers (same database); ` +
  'peak RSS is summed over the primary and its workers; ' +
  'the event-loop delay is per worker and is not reported; the floor stays one process.';
