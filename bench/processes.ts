// Child processes of a run: process groups, stopping them (also on exit and
// Ctrl-C), commands run to completion, the servers under test, and the
// resident set of a process tree.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, ROOT } from './settings.js';

const children = new Set<ChildProcess>();

/** Every child leads its own process group, so a whole tree (npm → sh → tsc, tsx → esbuild) is signalled at once. */
export function start(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A stream the child was started with as 'pipe'. */
export function piped<T>(stream: T | null, what: string): T {
  if (stream === null) throw new Error(`${what} is not piped`);
  return stream;
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
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  stopped.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => {
    signalGroup(child, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL'); // stragglers of the group (e.g. esbuild's service)
}

let temporaryDir: string | undefined;
/** A directory cleanup() removes. */
export function removeAtCleanup(dir: string) {
  temporaryDir = dir;
}

let cleaningUp: Promise<void> | undefined;
export function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    // The blog finishes in-flight requests and exits on SIGTERM (writing its CPU profile, if any).
    await Promise.all([...children].map((child) => stop(child, 10_000)));
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  })();
  return cleaningUp;
}

process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});
let interrupted = false;
/** A signal stopped the run (its failure needs no message of its own). */
export const wasInterrupted = () => interrupted;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping every child process`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs a command to completion, capturing its output; throws with the output on failure. */
export function runToEnd(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  inheritStderr = false,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = start(command, args, { env, stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'] });
    let out = '';
    piped(child.stdout, command).on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.slice(-4000)}`));
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A server under test: the blog, the floor, or the blog with WORKERS=n. */
export interface Server {
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

async function waitForHealth(name: string, origin: string, exited: () => boolean, output: string[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`${name} exited during start-up:\n${output.join('\n')}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer /healthz within 60 s`);
    await sleep(100);
  }
}

/**
 * A server started and waited for. `discardStdout`: its standard output goes
 * to /dev/null, for the blog's access log (a line per request): the server
 * still writes every line, but neither this process nor the disk takes them in.
 */
export async function startTarget(
  name: Server['name'],
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  discardStdout = false,
): Promise<Server> {
  const child = start(process.execPath, args, { env, stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'] });
  const output: string[] = [];
  keepTail(child, name, output);
  const origin = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (!stopped.has(child)) log(`${name} exited unexpectedly (${signal ?? `exit ${code}`})`);
  });
  await waitForHealth(name, origin, () => exited, output);
  const metrics = (await (await fetch(`${origin}/__bench/metrics`)).json()) as { pid: number };
  // With WORKERS=n a worker (a child of the primary) answers.
  if (metrics.pid !== child.pid && name !== 'blog-workers') {
    throw new Error(`${name}: /__bench/metrics reports pid ${metrics.pid}, child is ${child.pid}`);
  }
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return { name, child, pid: child.pid, origin, output };
}

export function assertAlive(target: Server) {
  if (target.child.exitCode !== null || target.child.signalCode !== null) {
    const how = target.child.signalCode ?? `exit code ${target.child.exitCode}`;
    const hint = target.child.exitCode === 0 ? ' (a clean exit: something sent it SIGTERM or SIGINT)' : '';
    throw new Error(`${target.name} is no longer running: ${how}${hint}\n${target.output.slice(-30).join('\n')}`);
  }
}

export interface Rss {
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
/** CPU time a process has used so far (user + system, ms), from /proc/<pid>/stat; null where unreadable. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const CLOCK_TICKS_PER_SECOND = 100;

export function rssSampler(pid: number, tree = false) {
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
