// `npm run bench`: builds the blog, seeds a fresh database, starts the
// production server and the floor (bench/floor.ts), drives both with
// autocannon from separate processes (bench/load.ts), and writes
// bench/results/YYYY-MM-DD.md. See bench/README.md for the knobs.
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import sharp from 'sharp';
import { BENCH_PASSWORD, benchEmail, type SeedSummary, prng } from './dataset.js';
import type { ChildMessage, LoadOutput, LoadSpec, ParentMessage } from './protocol.js';
import { buildReport, combineRounds, writeReport, type ScenarioResult, type Target as Goal } from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

// ---------------------------------------------------------------- settings

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}
const flagEnv = (name: string) => ['1', 'true', 'yes', 'on'].includes((process.env[name] ?? '').toLowerCase());

const settings = {
  duration: intEnv('BENCH_DURATION', 10, 1),
  /** Rounds of every scenario (interleaved: floor and blog alternate); req/s and latencies are medians over the rounds. */
  repeat: intEnv('BENCH_REPEAT', 1, 1),
  warmup: intEnv('BENCH_WARMUP', 2, 0),
  readConnections: intEnv('BENCH_CONNECTIONS', 50, 1),
  // Readers of the quiet and mixed runs send a steady rate instead of as many
  // requests as the server can take: a saturated loop is busy by definition,
  // and the question there is whether hashing and image work add to it.
  readerRate: intEnv('BENCH_READER_RATE', 500, 1),
  authConnections: intEnv('BENCH_AUTH_CONNECTIONS', 8, 1),
  users: intEnv('BENCH_USERS', 1000, 1),
  posts: intEnv('BENCH_POSTS', 100_000, 20),
  deepSkip: intEnv('BENCH_DEEP_SKIP', 90_000, 0),
  postsPerPage: intEnv('POSTS_PER_PAGE', 10, 1),
  skipBuild: flagEnv('BENCH_SKIP_BUILD'),
  keepData: flagEnv('BENCH_KEEP_DATA'),
  only: (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  /** WORKERS=n (n > 1): the read scenarios again against `WORKERS=n node dist/server.js` (node:cluster). */
  workers: intEnv('WORKERS', 0, 0),
  cpuProfile: flagEnv('BENCH_CPU_PROF'),
};
const mixedLoginConnections = Math.max(1, Math.floor(settings.authConnections / 2));
const mixedUploadConnections = Math.max(1, settings.authConnections - mixedLoginConnections);

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------- child processes

const children = new Set<ChildProcess>();

/** Every child leads its own process group, so a whole tree (npm → sh → tsc, tsx → esbuild) is signalled at once. */
function start(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Children stopped on purpose (their exit is no failure). */
const stopped = new WeakSet<ChildProcess>();

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  stopped.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL'); // stragglers of the group (e.g. esbuild's service)
}

let dataDir: string | undefined;
let cleaningUp: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    // The blog finishes in-flight requests and exits on SIGTERM (writing its CPU profile, if any).
    await Promise.all([...children].map((child) => stop(child, 10_000)));
    if (dataDir && !settings.keepData) rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaningUp;
}
process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping every child process`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs a command to completion, capturing its output; throws with the output on failure. */
function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, inheritStderr = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = start(command, args, { env, stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.slice(-4000)}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- servers

interface Server {
  name: 'blog' | 'floor' | 'blog-workers';
  child: ChildProcess;
  pid: number;
  origin: string;
  output: string[];
}

function keepTail(child: ChildProcess, name: string, into: string[]) {
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      into.push(line);
      if (into.length > 200) into.shift();
      process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
}

async function startTarget(name: Server['name'], args: string[], env: NodeJS.ProcessEnv, port: number): Promise<Server> {
  const child = start(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  keepTail(child, name, output);
  const origin = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (!stopped.has(child)) log(`${name} exited unexpectedly (${signal ?? `exit ${code}`})`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up:\n${output.join('\n')}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer /healthz within 60 s`);
    await sleep(100);
  }
  const metrics = (await (await fetch(`${origin}/__bench/metrics`)).json()) as { pid: number };
  // With WORKERS=n a worker (a child of the primary) answers.
  if (metrics.pid !== child.pid && name !== 'blog-workers') {
    throw new Error(`${name}: /__bench/metrics reports pid ${metrics.pid}, child is ${child.pid}`);
  }
  return { name, child, pid: child.pid!, origin, output };
}

function assertAlive(target: Server) {
  if (target.child.exitCode !== null || target.child.signalCode !== null) {
    const how = target.child.signalCode ?? `exit code ${target.child.exitCode}`;
    const hint = target.child.exitCode === 0 ? ' (a clean exit: something sent it SIGTERM or SIGINT)' : '';
    throw new Error(`${target.name} is no longer running: ${how}${hint}\n${target.output.slice(-30).join('\n')}`);
  }
}

// ---------------------------------------------------------------- measuring

interface Rss {
  /** VmRSS, bytes. */
  total: number;
  /** RssAnon (heap, stacks, native allocations), bytes. */
  anon: number;
}

function readRss(pid: number): Rss | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const total = kb('VmRSS');
    return Number.isFinite(total) ? { total, anon: kb('RssAnon') } : null;
  } catch {
    return null;
  }
}

/** The process and its descendants (a cluster primary and its workers). */
function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) pids.push(...processTree(Number(child)));
    }
  } catch {
    // gone, or no /proc
  }
  return pids;
}

/** The summed resident set of a process tree. */
function readTreeRss(pid: number): Rss | null {
  const sum: Rss = { total: 0, anon: 0 };
  let found = false;
  for (const member of processTree(pid)) {
    const rss = readRss(member);
    if (!rss) continue;
    found = true;
    sum.total += rss.total;
    sum.anon += rss.anon;
  }
  return found ? sum : null;
}

/**
 * Samples the resident set every 100 ms (summed over the process tree when
 * `tree`); stop() gives the sample with the largest VmRSS.
 */
function rssSampler(pid: number, tree = false) {
  const read = tree ? readTreeRss : readRss;
  let peak = read(pid);
  const sample = () => {
    const rss = read(pid);
    if (rss !== null && (peak === null || rss.total > peak.total)) peak = rss;
  };
  const timer = setInterval(sample, 100);
  return {
    stop(): Rss | null {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

interface EventLoopMetrics {
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  rss_bytes: number;
  pid: number;
}

async function resetMetrics(target: Server) {
  const response = await fetch(`${target.origin}/__bench/reset`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`${target.name}: POST /__bench/reset answered ${response.status}`);
}

async function readMetrics(target: Server): Promise<EventLoopMetrics> {
  const response = await fetch(`${target.origin}/__bench/metrics`);
  if (!response.ok) throw new Error(`${target.name}: GET /__bench/metrics answered ${response.status}`);
  return (await response.json()) as EventLoopMetrics;
}

interface LoadChild {
  ready: Promise<void>;
  go(): void;
  result: Promise<LoadOutput>;
}

function startLoad(spec: LoadSpec): LoadChild {
  const child = start(process.execPath, ['--import', 'tsx', path.join('bench', 'load.ts')], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
    env: process.env,
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdin!.end(JSON.stringify(spec));
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.on('message', (message: ChildMessage) => {
    if (message?.type === 'ready') onReady();
  });
  const result = new Promise<LoadOutput>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`load generator "${spec.title}" failed (${signal ?? `exit ${code}`})`));
      try {
        resolve(JSON.parse(out) as LoadOutput);
      } catch {
        reject(new Error(`load generator "${spec.title}" printed no result: ${out.slice(0, 500)}`));
      }
    });
  });
  // A generator that dies before it is ready must not leave `ready` hanging.
  const readyOrDead = Promise.race([ready, result.then(() => undefined)]);
  return {
    ready: readyOrDead,
    go: () => {
      if (child.connected) child.send({ type: 'go' } satisfies ParentMessage);
    },
    result,
  };
}

interface Measured {
  outputs: LoadOutput[];
  peakRss: Rss | null;
  eventLoop: EventLoopMetrics['event_loop_delay_ms'] | null;
}

/** Starts the generators, waits for their warm-up, resets the target's metrics, measures. */
async function measure(target: Server, specs: LoadSpec[]): Promise<Measured> {
  assertAlive(target);
  const loads = specs.map(startLoad);
  await Promise.all(loads.map((load) => load.ready));
  assertAlive(target);
  await resetMetrics(target);
  const sampler = rssSampler(target.pid, target.name === 'blog-workers');
  for (const load of loads) load.go();
  let outputs: LoadOutput[];
  let peakRss: Rss | null;
  try {
    outputs = await Promise.all(loads.map((load) => load.result));
  } finally {
    peakRss = sampler.stop();
  }
  assertAlive(target);
  const metrics = await readMetrics(target);
  // With several workers, reset and metrics each reach one worker at random: not a measurement.
  const eventLoop = target.name === 'blog-workers' ? null : metrics.event_loop_delay_ms;
  return { outputs, peakRss, eventLoop };
}

function toResult(
  base: Pick<ScenarioResult, 'id' | 'name' | 'target' | 'request' | 'floorRef' | 'read' | 'note'>,
  output: LoadOutput,
  measured: Measured,
): ScenarioResult {
  const ac = output.autocannon;
  return {
    ...base,
    connections: ac.connections,
    durationSeconds: ac.duration,
    requestsPerSecond: output.requestsPerSecond,
    p50: output.latency.p50,
    p99: output.latency.p99,
    requests: ac['2xx'] + ac.non2xx,
    non2xx: ac.non2xx,
    errors: ac.errors,
    timeouts: ac.timeouts,
    statusCodes: Object.fromEntries(Object.entries(ac.statusCodeStats).map(([code, { count }]) => [code, Number(count)])),
    peakRssBytes: measured.peakRss?.total ?? null,
    peakRssAnonBytes: measured.peakRss?.anon ?? null,
    eventLoopP99: measured.eventLoop?.p99 ?? null,
    eventLoopMax: measured.eventLoop?.max ?? null,
  };
}

// ---------------------------------------------------------------- requests and data


const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function login(origin: string, userIndex: number): Promise<string> {
  const response = await fetch(`${origin}/api/users/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ username: benchEmail(userIndex, settings.users), password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login of user ${userIndex} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A 1600x1250 (2 MP) JPEG: gradients, waves and noise, so it does not compress to nothing. */
async function makeJpeg(): Promise<Buffer> {
  const width = 1600;
  const height = 1250;
  const raw = Buffer.alloc(width * height * 3);
  const random = prng(42);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = clamp((x * 255) / width + (random() - 0.5) * 48);
      raw[i + 1] = clamp((y * 255) / height + (random() - 0.5) * 48);
      raw[i + 2] = clamp(128 + 64 * Math.sin(x / 40) * Math.cos(y / 30) + (random() - 0.5) * 48);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
}

function multipart(file: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function compareBytes(what: string, blog: Server, floor: Server, requestPath: string) {
  const [a, b] = await Promise.all(
    [blog, floor].map(async (t) => {
      const response = await fetch(`${t.origin}${requestPath}`);
      return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
    }),
  );
  if (a!.status !== 200 || b!.status !== 200) {
    return { what, identical: false, detail: `status blog ${a!.status}, floor ${b!.status}` };
  }
  if (a!.bytes.equals(b!.bytes)) return { what, identical: true, detail: `${a!.bytes.length} bytes` };
  let at = 0;
  while (at < a!.bytes.length && a!.bytes[at] === b!.bytes[at]) at++;
  const around = (buf: Buffer) => JSON.stringify(buf.subarray(Math.max(0, at - 40), at + 40).toString());
  return { what, identical: false, detail: `first difference at byte ${at}: blog ${around(a!.bytes)} vs floor ${around(b!.bytes)}` };
}

/** The commit the build came from, and whether src/ had uncommitted changes. */
function sourceVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'package.json') !== '';
    return `commit ${commit}${dirty ? ' + uncommitted changes in src/ or package.json' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const notes: string[] = [];
  const version = sourceVersion();

  if (settings.skipBuild) {
    log('BENCH_SKIP_BUILD set: using the existing dist/');
  } else {
    log('building (npm run build)…');
    await runToEnd('npm', ['run', 'build']);
  }

  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fastblog-bench-'));
  const dbFile = path.join(dataDir, 'blog.db');
  log(`seeding ${settings.users} users and ${settings.posts} posts into ${dbFile}…`);
  const seedOut = await runToEnd(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'seed.ts')],
    { ...process.env, BENCH_DB: dbFile, BENCH_USERS: String(settings.users), BENCH_POSTS: String(settings.posts) },
    true,
  );
  const seeded = JSON.parse(seedOut.trim().split('\n').pop()!) as SeedSummary;
  log(`seeded in ${seeded.seconds} s (${(seeded.bytes / 1024 / 1024).toFixed(0)} MB)`);

  const [blogPort, floorPort] = [await freePort(), await freePort()];
  const blogEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(36).toString('base64url'), // 48 characters
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    BENCH_METRICS: 'true',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${dbFile}`,
    HOST: '127.0.0.1',
    PORT: String(blogPort),
    POSTS_PER_PAGE: String(settings.postsPerPage),
    S3_BUCKET: '', // pictures on the local disk, whatever a .env file says
  };
  for (const name of ['UV_THREADPOOL_SIZE', 'MALLOC_ARENA_MAX'] as const) {
    if (process.env[name]) blogEnv[name] = process.env[name];
  }
  log(`starting the blog (node dist/server.js) on port ${blogPort}…`);
  const profileDir = path.join(RESULTS_DIR, `cpu-profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  const profileArgs = settings.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const blog = await startTarget('blog', [...profileArgs, path.join('dist', 'server.js')], blogEnv, blogPort);
  if (settings.cpuProfile) notes.push(`The blog ran with --cpu-prof (the whole run, all scenarios): ${path.relative(ROOT, profileDir)}/*.cpuprofile (open in Chrome DevTools or speedscope).`);
  log(`starting the floor (bench/floor.ts) on port ${floorPort}…`);
  // Compiled to plain JavaScript, so the floor runs on bare `node` like dist/server.js
  // (no TypeScript loader in its memory or start-up). Kept under node_modules so
  // `better-sqlite3` resolves.
  const floorJs = path.join(ROOT, 'node_modules', '.cache', 'fastblog-bench', 'floor.mjs');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'bench', 'floor.ts')], outfile: floorJs, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  const floor = await startTarget(
    'floor',
    [floorJs],
    { PATH: process.env.PATH, HOME: process.env.HOME, FLOOR_DB: dbFile, PORT: String(floorPort), BENCH_METRICS: 'true', POSTS_PER_PAGE: String(settings.postsPerPage) },
    floorPort,
  );

  // Request sets, the same for the blog and the floor.
  const random = prng(7);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const postPaths = Array.from({ length: 1000 }, () => `/api/posts/${pick(settings.posts)}`);
  const userPostsPaths = Array.from({ length: Math.min(1000, settings.users) }, () => `/api/users/${pick(settings.users)}/posts`);
  const readerPaths = Array.from({ length: 1001 }, (_, skip) => `/api/posts?skip=${skip}`);
  const deepSkip = Math.min(settings.deepSkip, Math.max(0, settings.posts - settings.postsPerPage));
  if (deepSkip !== settings.deepSkip) notes.push(`Deep page uses skip=${deepSkip} (only ${settings.posts} posts were seeded).`);
  const loginBodies = Array.from({ length: Math.min(500, settings.users) }, () =>
    formBody({ username: benchEmail(pick(settings.users), settings.users), password: BENCH_PASSWORD }),
  );

  const identity = [
    await compareBytes('first page GET /api/posts', blog, floor, '/api/posts'),
    await compareBytes(`single post GET ${postPaths[0]}`, blog, floor, postPaths[0]!),
    await compareBytes('page GET /api/posts?skip=1000&limit=25', blog, floor, '/api/posts?skip=1000&limit=25'),
  ];
  for (const check of identity) log(`identity, ${check.what}: ${check.identical ? 'identical' : `DIFFERS: ${check.detail}`}`);

  const postBody = JSON.stringify({
    title: 'A benchmark post',
    content: 'Benchmark content. '.repeat(55).trim(), // about 1,000 characters
  });

  const duration = settings.duration;
  const warmup = settings.warmup;
  const C = settings.readConnections;
  const A = settings.authConnections;
  const spec = (title: string, target: Server, extra: Partial<LoadSpec>): LoadSpec => ({
    title,
    url: target.origin,
    connections: C,
    duration,
    ...extra,
  });

  interface Scenario {
    base: Pick<ScenarioResult, 'id' | 'name' | 'target' | 'request' | 'floorRef' | 'read' | 'note'>;
    target: Server;
    load: LoadSpec;
  }
  const readScenarios: Scenario[] = [
    {
      base: { id: 'floor-page', name: 'floor: GET /api/posts first page', target: 'floor', request: 'GET /api/posts' },
      target: floor,
      load: spec('floor page', floor, { path: '/api/posts', warmup }),
    },
    {
      base: { id: 'page', name: 'GET /api/posts first page', target: 'blog', request: 'GET /api/posts', floorRef: 'floor-page', read: true },
      target: blog,
      load: spec('page', blog, { path: '/api/posts', warmup }),
    },
    {
      base: { id: 'floor-post', name: 'floor: GET /api/posts/{id}', target: 'floor', request: 'GET /api/posts/{random id}' },
      target: floor,
      load: spec('floor post', floor, { paths: postPaths, warmup }),
    },
    {
      base: { id: 'post', name: 'GET /api/posts/{id}', target: 'blog', request: 'GET /api/posts/{random id}', floorRef: 'floor-post', read: true },
      target: blog,
      load: spec('post', blog, { paths: postPaths, warmup }),
    },
    {
      base: { id: 'home', name: 'home page HTML', target: 'blog', request: 'GET /', floorRef: 'floor-page', read: true },
      target: blog,
      load: spec('home', blog, { path: '/', headers: { accept: 'text/html' }, warmup }),
    },
    {
      base: { id: 'deep', name: 'deep page', target: 'blog', request: `GET /api/posts?skip=${deepSkip}`, floorRef: 'floor-page', read: true },
      target: blog,
      load: spec('deep', blog, { path: `/api/posts?skip=${deepSkip}`, warmup }),
    },
    {
      base: { id: 'user-posts', name: "a user's posts", target: 'blog', request: 'GET /api/users/{random id}/posts', floorRef: 'floor-page', read: true },
      target: blog,
      load: spec('user posts', blog, { paths: userPostsPaths, warmup }),
    },
    {
      // The same steady reader load as in the mixed run, alone: the baseline of its p99.
      base: { id: 'readers-quiet', name: 'readers alone (quiet)', target: 'blog', request: 'GET /api/posts?skip={0..1000}', floorRef: 'floor-page', read: true },
      target: blog,
      load: spec('readers quiet', blog, { paths: readerPaths, warmup, seed: 11, rate: settings.readerRate }),
    },
  ];

  /**
   * One request of the scenario, sent before it is measured: it must be a 2xx
   * of the expected type (a wrong path would otherwise be measured as another page).
   */
  async function preflight(load: LoadSpec, expect: 'json' | 'html') {
    const first = load.perConnection?.[0];
    const requestPath = first?.path ?? load.paths?.[0] ?? load.path ?? '/';
    const body = load.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(load.bodyBase64, 'base64')) : (load.bodies?.[0] ?? load.body);
    const response = await fetch(new URL(requestPath, load.url), {
      method: load.method ?? 'GET',
      headers: { ...load.headers, ...first?.headers },
      body,
    });
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const wanted = expect === 'json' ? 'application/json' : 'text/html';
    if (response.status < 200 || response.status > 299 || !type.includes(wanted)) {
      throw new Error(`${load.title}: ${load.method ?? 'GET'} ${requestPath} answered ${response.status} ${type}, expected 2xx ${wanted}: ${text.slice(0, 300)}`);
    }
  }

  const selected = (id: string) => settings.only.length === 0 || settings.only.includes(id);
  const results: ScenarioResult[] = [];
  async function runScenario(scenario: Scenario, round: number): Promise<ScenarioResult> {
    const of = settings.repeat > 1 ? ` (round ${round} of ${settings.repeat})` : '';
    log(`${scenario.base.name}${of}: ${scenario.load.connections} connections, ${scenario.load.warmup ?? 0} s warm-up + ${duration} s…`);
    await preflight(scenario.load, scenario.base.id.startsWith('home') ? 'html' : 'json');
    const measured = await measure(scenario.target, [scenario.load]);
    const result = toResult(scenario.base, measured.outputs[0]!, measured);
    log(
      `  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
        `errors ${result.non2xx + result.errors + result.timeouts}, peak RSS ${((result.peakRssBytes ?? 0) / 1048576).toFixed(0)} MB, ` +
        `event loop p99 ${result.eventLoopP99 ?? 'n/a'} ms`,
    );
    return result;
  }

  /**
   * Every selected scenario of the list, BENCH_REPEAT rounds over the whole
   * list (so a noisy minute hits the floor and the blog alike); one combined
   * result per scenario.
   */
  async function runRounds(list: Scenario[]) {
    const rounds = new Map<string, ScenarioResult[]>();
    for (let round = 1; round <= settings.repeat; round++) {
      for (const scenario of list.filter((candidate) => selected(candidate.base.id))) {
        const runs = rounds.get(scenario.base.id) ?? [];
        runs.push(await runScenario(scenario, round));
        rounds.set(scenario.base.id, runs);
      }
    }
    for (const runs of rounds.values()) results.push(combineRounds(runs));
  }

  await runRounds(readScenarios);

  // Accounts for the writing scenarios, made only now: Argon2's 19 MiB
  // buffers and libvips stay resident once used, so the read scenarios'
  // memory is of reading alone.
  // Tokens: one writer, and one user per upload connection.
  const uploadUsers = Math.min(settings.users, Math.max(settings.authConnections, mixedUploadConnections));
  const writerToken = await login(blog.origin, 1);
  const uploadTokens: Array<{ user: number; token: string }> = [];
  for (let user = 1; user <= uploadUsers; user++) uploadTokens.push({ user, token: await login(blog.origin, user) });
  if (uploadUsers < settings.authConnections) notes.push(`Only ${uploadUsers} users: some upload connections share a user.`);

  const jpeg = await makeJpeg();
  const upload = multipart(jpeg);
  const uploadPerConnection = uploadTokens.map(({ user, token }) => ({
    path: `/api/users/${user}/picture`,
    headers: { authorization: `Bearer ${token}`, 'content-type': upload.contentType },
  }));
  const smoke = await fetch(`${blog.origin}${uploadPerConnection[0]!.path}`, {
    method: 'PATCH',
    headers: uploadPerConnection[0]!.headers,
    body: new Uint8Array(upload.body),
  });
  if (!smoke.ok) throw new Error(`a test upload answered ${smoke.status}: ${await smoke.text()}`);

  const writeScenarios: Scenario[] = [
    {
      base: { id: 'create', name: 'POST /api/posts with a token', target: 'blog', request: 'POST /api/posts (JSON, ~1 KB)', floorRef: 'floor-page' },
      target: blog,
      load: spec('create', blog, {
        method: 'POST',
        path: '/api/posts',
        headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json' },
        body: postBody,
      }),
    },
    {
      base: { id: 'login', name: 'login (Argon2id)', target: 'blog', request: 'POST /api/users/token (form)', floorRef: 'floor-page' },
      target: blog,
      load: spec('login', blog, {
        connections: A,
        method: 'POST',
        path: '/api/users/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        bodies: loginBodies,
      }),
    },
    {
      base: {
        id: 'upload',
        name: 'picture upload (2 MP JPEG)',
        target: 'blog',
        request: `PATCH /api/users/{id}/picture (${(jpeg.length / 1024).toFixed(0)} KB)`,
        floorRef: 'floor-page',
      },
      target: blog,
      load: spec('upload', blog, {
        connections: A,
        method: 'PATCH',
        bodyBase64: upload.body.toString('base64'),
        perConnection: uploadPerConnection.slice(0, A),
        timeout: 30,
      }),
    },
  ];

  await runRounds(writeScenarios);

  if (selected('mixed')) {
    const rounds: ScenarioResult[][] = [[], [], []];
    for (let round = 1; round <= settings.repeat; round++) {
      const of = settings.repeat > 1 ? ` (round ${round} of ${settings.repeat})` : '';
      log(`mixed${of}: ${C} readers + ${mixedLoginConnections} logins + ${mixedUploadConnections} uploads at once, ${duration} s…`);
      const measured = await measure(blog, [
        spec('mixed readers', blog, { paths: readerPaths, seed: 11, rate: settings.readerRate }),
        spec('mixed logins', blog, {
          connections: mixedLoginConnections,
          method: 'POST',
          path: '/api/users/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          bodies: loginBodies,
        }),
        spec('mixed uploads', blog, {
          connections: mixedUploadConnections,
          method: 'PATCH',
          bodyBase64: upload.body.toString('base64'),
          perConnection: uploadPerConnection.slice(0, mixedUploadConnections),
          timeout: 30,
        }),
      ]);
      const [readers, logins, uploads] = measured.outputs as [LoadOutput, LoadOutput, LoadOutput];
      const shared = { read: false, floorRef: 'floor-page' } as const;
      rounds[0]!.push(toResult({ id: 'mixed-readers', name: 'mixed: readers', target: 'blog', request: 'GET /api/posts?skip={0..1000}', ...shared }, readers, measured));
      rounds[1]!.push(toResult({ id: 'mixed-logins', name: 'mixed: logins', target: 'blog', request: 'POST /api/users/token', ...shared }, logins, measured));
      rounds[2]!.push(toResult({ id: 'mixed-uploads', name: 'mixed: uploads', target: 'blog', request: 'PATCH /api/users/{id}/picture', ...shared }, uploads, measured));
      const r = rounds[0]!.at(-1)!;
      log(`  readers ${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99} ms; event loop p99 ${r.eventLoopP99} ms`);
    }
    for (const runs of rounds) results.push(combineRounds(runs));
  }

  // ------------------------------------------------------------ WORKERS=n
  if (settings.workers > 1) {
    const n = settings.workers;
    log(`stopping the single-process blog; starting it again with WORKERS=${n}…`);
    await stop(blog.child, 10_000);
    const workersPort = await freePort();
    const workers = await startTarget('blog-workers', [path.join('dist', 'server.js')], { ...blogEnv, WORKERS: String(n), PORT: String(workersPort) }, workersPort);
    const suffix = ` (WORKERS=${n})`;
    const again: Scenario[] = [
      {
        base: { id: 'page-workers', name: `GET /api/posts first page${suffix}`, target: 'blog', request: 'GET /api/posts', floorRef: 'floor-page' },
        target: workers,
        load: spec('page workers', workers, { path: '/api/posts', warmup }),
      },
      {
        base: { id: 'post-workers', name: `GET /api/posts/{id}${suffix}`, target: 'blog', request: 'GET /api/posts/{random id}', floorRef: 'floor-post' },
        target: workers,
        load: spec('post workers', workers, { paths: postPaths, warmup }),
      },
      {
        base: { id: 'home-workers', name: `home page HTML${suffix}`, target: 'blog', request: 'GET /', floorRef: 'floor-page' },
        target: workers,
        load: spec('home workers', workers, { path: '/', headers: { accept: 'text/html' }, warmup }),
      },
    ];
    await runRounds(again);
    await stop(workers.child, 10_000);
    notes.push(
      `WORKERS=${n}: the blog restarted as a node:cluster primary with ${n} workers (same database); peak RSS is summed over the primary and its workers; ` +
        'the event-loop delay is per worker and is not reported; the floor stays one process.',
    );
  }

  // ------------------------------------------------------------ targets
  const get = (id: string) => results.find((s) => s.id === id);
  const targets: Goal[] = [];
  const fmt = (x: number, digits = 2) => x.toFixed(digits);
  const ratioTarget = (name: string, a: ScenarioResult | undefined, b: ScenarioResult | undefined, field: 'requestsPerSecond' | 'p99', op: '>=' | '<=', limit: number) => {
    if (!a || !b) return targets.push({ name, measured: 'not measured', limit: `${op} ${limit}x`, pass: null });
    const value = a[field] / b[field];
    const unit = field === 'p99' ? 'ms' : 'req/s';
    targets.push({
      name,
      measured: `${fmt(value)}x (${fmt(a[field], field === 'p99' ? 2 : 0)} vs ${fmt(b[field], field === 'p99' ? 2 : 0)} ${unit})`,
      limit: `${op} ${limit}x`,
      pass: op === '>=' ? value >= limit : value <= limit,
    });
  };
  ratioTarget('/api/posts page: req/s vs floor', get('page'), get('floor-page'), 'requestsPerSecond', '>=', 0.7);
  ratioTarget('/api/posts page: p99 vs floor', get('page'), get('floor-page'), 'p99', '<=', 1.5);
  ratioTarget('single post: req/s vs floor', get('post'), get('floor-post'), 'requestsPerSecond', '>=', 0.7);
  ratioTarget('single post: p99 vs floor', get('post'), get('floor-post'), 'p99', '<=', 1.5);
  ratioTarget('home page HTML: req/s vs floor JSON page', get('home'), get('floor-page'), 'requestsPerSecond', '>=', 0.5);
  ratioTarget('deep page: req/s vs our first page', get('deep'), get('page'), 'requestsPerSecond', '>=', 0.5);
  const mixedReaders = get('mixed-readers');
  targets.push(
    mixedReaders && mixedReaders.eventLoopP99 !== null
      ? { name: 'mixed: event-loop delay p99', measured: `${fmt(mixedReaders.eventLoopP99)} ms`, limit: '< 20 ms', pass: mixedReaders.eventLoopP99 < 20 }
      : { name: 'mixed: event-loop delay p99', measured: 'not measured', limit: '< 20 ms', pass: null },
  );
  const quiet = get('readers-quiet');
  if (mixedReaders && quiet) {
    const value = mixedReaders.p99 / quiet.p99;
    targets.push({
      name: "mixed: readers' p99 vs quiet",
      measured: `${fmt(value)}x (${fmt(mixedReaders.p99)} vs ${fmt(quiet.p99)} ms)`,
      limit: '< 5x',
      pass: value < 5,
    });
  } else {
    targets.push({ name: "mixed: readers' p99 vs quiet", measured: 'not measured', limit: '< 5x', pass: null });
  }
  const reads = results.filter((s) => s.read && s.peakRssBytes !== null);
  if (reads.length > 0) {
    const worst = reads.reduce((a, b) => ((a.peakRssBytes ?? 0) >= (b.peakRssBytes ?? 0) ? a : b));
    const value = worst.peakRssBytes! / 1048576;
    targets.push({ name: 'peak RSS, read scenarios (run before any login or upload)', measured: `${fmt(value, 0)} MB (${worst.name})`, limit: '< 200 MB', pass: value < 200 });
  }
  const withErrors = results.filter((s) => s.non2xx + s.errors + s.timeouts > 0);
  targets.push({
    name: 'errors (non-2xx, socket errors, timeouts), every scenario',
    measured: withErrors.length === 0 ? '0' : withErrors.map((s) => `${s.id}: ${s.non2xx + s.errors + s.timeouts}`).join(', '),
    limit: '0',
    pass: withErrors.length === 0,
  });
  const identical = identity.every((c) => c.identical);
  targets.push({ name: 'floor answers byte-identical JSON', measured: identical ? 'yes' : 'no', limit: 'yes', pass: identical });
  if (settings.workers > 1) {
    const parts = (['page', 'post', 'home'] as const).flatMap((id) => {
      const single = get(id);
      const multi = get(`${id}-workers`);
      return single && multi ? [`${id} ${fmt(multi.requestsPerSecond, 0)} req/s = ${fmt(multi.requestsPerSecond / single.requestsPerSecond)}x one process`] : [];
    });
    targets.push({ name: `WORKERS=${settings.workers} multi-core mode`, measured: parts.join('; ') || 'not measured', limit: 'optional', pass: null, result: 'RUN' });
  } else {
    targets.push({ name: 'WORKERS=n multi-core mode', measured: 'not run (set WORKERS=n, e.g. WORKERS=2)', limit: 'optional', pass: null });
  }

  notes.push(
    'Latencies are of 2xx responses, timed by the load generator per response (hrtime, 0.01 ms); req/s counts 2xx responses over the measured time.',
    'Peak RSS: VmRSS of the answering process sampled every 100 ms during the measured run. Event-loop p99: the process\'s monitorEventLoopDelay({ resolution: 1 }), reset when the measured run starts; it records the interval between 1 ms timer ticks, so an idle process reads about 1 ms.',
    'The load generators run on the same machine (same cores) as the server, as the issue asks; the floor is measured under the same conditions, so the ratios are fair, the absolute numbers are not what a separate load machine would see.',
    `Login: Argon2id as configured in src/services/passwords.ts (19 MiB, 2 passes, 1 lane), on libuv's thread pool (UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 'default 4'}); not weakened. ` +
      `MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? 'unset (glibc keeps a freed 19 MiB Argon2 buffer in each thread\'s arena: memory after logins includes them)'}.`,
    `The "vs floor" columns compare with the floor's first page (floor-page), except single post (floor-post). Scenarios run in table order; POST /api/posts adds posts before the login, upload and mixed scenarios run. The quiet and mixed readers send a steady ${settings.readerRate} req/s (BENCH_READER_RATE), so the event-loop figure of the mixed run shows what hashing and image work add, not a loop saturated by readers.`,
  );
  if (Math.max(...loadAverageAtStart) > 0.5 * os.availableParallelism()) {
    notes.push(`The machine was not idle at the start (load average ${loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}): other processes shared the CPUs, expect noise.`);
  }

  const finishedAt = new Date();
  const markdown = buildReport({
    startedAt,
    finishedAt,
    loadAverageAtStart,
    version,
    dataset: { users: seeded.users, posts: seeded.posts, dbBytes: seeded.bytes, seedSeconds: seeded.seconds },
    settings: {
      duration,
      warmup,
      readConnections: C,
      authConnections: A,
      repeat: settings.repeat,
      mixed: `${C} readers + ${mixedLoginConnections} logins + ${mixedUploadConnections} uploads at once`,
    },
    identity,
    scenarios: results,
    targets,
    notes,
  });
  const file = writeReport(markdown, RESULTS_DIR, startedAt);
  await cleanup();
  process.stdout.write(`${markdown}\n`);
  log(`written to ${path.relative(ROOT, file)}`);
  return withErrors.length === 0 ? 0 : 2;
}

try {
  const code = await main();
  process.exitCode = code;
} catch (error) {
  if (!interrupted) log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup();
  process.exitCode = 1;
}
