// What a run measures, made ready: the build, the seeded database, the blog
// (node dist/server.js, as in production) and the floor (bench/floor.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { SeedSummary } from './dataset.js';
import { runToEnd, startTarget, stop, freePort, type Server } from './processes.js';
import { argon2Settings, log, RESULTS_DIR, ROOT, settings } from './settings.js';

/** The commit the build came from, and whether src/ had uncommitted changes. */
export function sourceVersion(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'package.json') !== '';
    return `commit ${commit}${dirty ? ' + uncommitted changes in src/ or package.json' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

export async function build() {
  if (settings.skipBuild) {
    log('BENCH_SKIP_BUILD set: using the existing dist/');
  } else {
    log('building (npm run build)…');
    await runToEnd('npm', ['run', 'build']);
  }
}

export async function seed(dbFile: string): Promise<SeedSummary> {
  log(`seeding ${settings.users} users and ${settings.posts} posts into ${dbFile}…`);
  const seedOut = await runToEnd(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'seed.ts')],
    { ...process.env, BENCH_DB: dbFile, BENCH_USERS: String(settings.users), BENCH_POSTS: String(settings.posts) },
    true,
  );
  const seeded = JSON.parse(seedOut.trim().split('\n').at(-1) ?? '') as SeedSummary;
  log(`seeded in ${seeded.seconds} s (${(seeded.bytes / 1024 / 1024).toFixed(0)} MB)`);
  return seeded;
}

/** The blog's whole environment: nothing of the caller's but PATH, HOME and the two allocator knobs. */
export function blogEnvironment(dataDir: string, dbFile: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(36).toString('base64url'), // 48 characters
    // LOG_LEVEL is left at its default (info), as shipped: one access line per request.
    RATE_LIMIT_ENABLED: 'false',
    BENCH_METRICS: 'true',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${dbFile}`,
    HOST: '127.0.0.1',
    PORT: String(port),
    POSTS_PER_PAGE: String(settings.postsPerPage),
    S3_BUCKET: '', // pictures on the local disk, whatever a .env file says
    ...argon2Settings,
  };
  for (const name of ['UV_THREADPOOL_SIZE', 'MALLOC_ARENA_MAX'] as const) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return env;
}

export async function startBlog(env: NodeJS.ProcessEnv, port: number, startedAt: Date, notes: string[]) {
  log(`starting the blog (node dist/server.js) on port ${port}…`);
  const profileDir = path.join(RESULTS_DIR, `cpu-profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  const profileArgs = settings.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const blog = await startTarget('blog', [...profileArgs, path.join('dist', 'server.js')], env, port, true);
  if (settings.cpuProfile) {
    notes.push(
      `The blog ran with --cpu-prof (the whole run, all scenarios): ${path.relative(ROOT, profileDir)}/*.cpuprofile ` +
        '(open in Chrome DevTools or speedscope).',
    );
  }
  return blog;
}

export async function startFloor(dbFile: string, port: number): Promise<Server> {
  log(`starting the floor (bench/floor.ts) on port ${port}…`);
  // Compiled to plain JavaScript, so the floor runs on bare `node` like dist/server.js
  // (no TypeScript loader in its memory or start-up). Kept under node_modules so
  // `better-sqlite3` resolves.
  const floorJs = path.join(ROOT, 'node_modules', '.cache', 'fastblog-bench', 'floor.mjs');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench', 'floor.ts')],
    outfile: floorJs,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    FLOOR_DB: dbFile,
    PORT: String(port),
    BENCH_METRICS: 'true',
    POSTS_PER_PAGE: String(settings.postsPerPage),
  };
  return startTarget('floor', [floorJs], env, port);
}

/** Stops the single-process blog and starts it again as a node:cluster primary with WORKERS=n. */
export async function restartWithWorkers(blog: Server, env: NodeJS.ProcessEnv): Promise<Server> {
  const n = settings.workers;
  log(`stopping the single-process blog; starting it again with WORKERS=${n}…`);
  await stop(blog.child, 10_000);
  const port = await freePort();
  const workersEnv = { ...env, WORKERS: String(n), PORT: String(port) };
  return startTarget('blog-workers', [path.join('dist', 'server.js')], workersEnv, port, true);
}
