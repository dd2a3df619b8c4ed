// Real processes a test starts: servers (`node --import tsx src/server.ts`)
// it talks to over HTTP and stops, and the commands of src/cli/.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_ARGON2, TEST_SECRET } from './app.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port that was free a moment ago, for a server process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  exited: Promise<Exit>;
  /** Everything the process wrote (capped), for failure messages. */
  output(): string;
  /** The JSON log lines written to stdout so far (pino, one object a line). */
  logs: Record<string, unknown>[];
}

/** Collects a child's output (the last 32 to 64 kB) and its JSON log lines. */
function record(child: ChildProcess) {
  let output = '';
  let partialLine = '';
  const logs: Record<string, unknown>[] = [];
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 64_000) output = output.slice(-32_000);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    const lines = (partialLine + chunk.toString()).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', keep);
  return { output: () => output, logs };
}

/** Starts the server on a free port with PATH, PORT and these variables; does not wait for it (see waitUntilReady). */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, ...TEST_ARGON2, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, logs } = record(child);
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal, at: Date.now() });
    }),
  );
  return { child, port, base: `http://127.0.0.1:${port}`, exited, output, logs };
}

/**
 * Polls /readyz until it answers 200 (the "listening" line is info level,
 * which LOG_LEVEL=warn hides). The start-up sweep runs before the port is
 * opened, so "ready" also means "swept".
 */
export async function waitUntilReady(server: ServerProcess, timeoutMs: number, name = 'server'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const gone = () => server.child.exitCode !== null || server.child.signalCode !== null;
  for (;;) {
    if (gone()) throw new Error(`${name} exited before it was ready:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms:\n${server.output()}`);
    try {
      const response = await fetch(`${server.base}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
}

/** The exit of the process, which must come within `ms`. */
export async function waitForExit(server: ServerProcess, ms: number): Promise<Exit> {
  const exit = await Promise.race([server.exited, sleep(ms).then(() => undefined)]);
  if (!exit) throw new Error(`server did not exit within ${ms} ms:\n${server.output()}`);
  return exit;
}

/**
 * Runs `work` in this process and measures how far the resident set grew
 * above where it started (after a GC when --expose-gc is on), sampled every
 * `everyMs` and once at the end.
 */
export async function measureRssGrowth<T>(
  work: () => Promise<T>,
  everyMs: number,
): Promise<{ result: T; rssGrowth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, everyMs);
  try {
    const result = await work();
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    return { result, rssGrowth: rssPeak - rssBefore };
  } finally {
    clearInterval(sampler);
  }
}

/** What a command printed, and how it ended. */
export interface CommandRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs src/cli/<script>.ts the way `npm run <script> --` does, against a
 * site (its DATA_DIR and DATABASE_URL; empty: the SQLite file in DATA_DIR),
 * with only the environment given here.
 */
export function runCommand(
  script: string,
  args: string[],
  site: { dataDir: string; databaseUrl?: string },
  env: Record<string, string> = {},
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        SECRET_KEY: TEST_SECRET,
        ...TEST_ARGON2,
        DATA_DIR: site.dataDir,
        DATABASE_URL: site.databaseUrl ?? '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}
