// Where the harness lives, and the knobs of a run (environment variables; see bench/README.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}
const flagEnv = (name: string) => ['1', 'true', 'yes', 'on'].includes((process.env[name] ?? '').toLowerCase());

export const settings = {
  duration: intEnv('BENCH_DURATION', 10, 1),
  /** Rounds of every scenario (interleaved: floor and blog alternate); req/s and latencies are medians over the rounds. */
  repeat: intEnv('BENCH_REPEAT', 1, 1),
  warmup: intEnv('BENCH_WARMUP', 2, 0),
  readConnections: intEnv('BENCH_CONNECTIONS', 50, 1),
  // Readers of the quiet and mixed runs send a steady rate instead of as many
  // requests as the server can take: a saturated loop is busy by definition,
  // and the question there is whether hashing and image work add to it.
  readerRate: intEnv('BENCH_READER_RATE', 500, 1),
  authConnections: intEnv('BENCH_AUTH_CONNECTIONS', 4, 1),
  users: intEnv('BENCH_USERS', 1000, 1),
  posts: intEnv('BENCH_POSTS', 100_000, 20),
  deepSkip: intEnv('BENCH_DEEP_SKIP', 90_000, 0),
  postsPerPage: intEnv('POSTS_PER_PAGE', 10, 1),
  skipBuild: flagEnv('BENCH_SKIP_BUILD'),
  keepData: flagEnv('BENCH_KEEP_DATA'),
  only: (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  /** WORKERS=n (n > 1): the read scenarios again against `WORKERS=n node dist/server.js` (node:cluster). */
  workers: intEnv('WORKERS', 0, 0),
  cpuProfile: flagEnv('BENCH_CPU_PROF'),
  /** BENCH_NAME=x writes bench/results/YYYY-MM-DD-x.md instead of YYYY-MM-DD.md. */
  name: (process.env.BENCH_NAME ?? '').replace(/[^\w.-]/g, ''),
};

/**
 * The Argon2id parameters the blog hashes with: OWASP's 19 MiB, t=2, p=1
 * unless ARGON2_* are set, so login figures compare across runs and with
 * the earlier results (the site's own defaults are stronger: README).
 */
export const argon2Settings = {
  ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB || '19456',
  ARGON2_TIME_COST: process.env.ARGON2_TIME_COST || '2',
  ARGON2_PARALLELISM: process.env.ARGON2_PARALLELISM || '1',
};

/** The mixed runs add the login and the upload scenario's loads, both at once, to their readers. */
export const mixedDescription =
  `readers + ${settings.authConnections} logins + ${settings.authConnections} uploads at once ` +
  `(readers: ${settings.readerRate} req/s of pages; then single posts from ${settings.readConnections} connections at full speed)`;

/** BENCH_ONLY: unset runs every scenario. */
export const selected = (id: string) => settings.only.length === 0 || settings.only.includes(id);

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
