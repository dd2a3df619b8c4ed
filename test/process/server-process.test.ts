// The real entry points, as separate processes: the server with zero
// configuration, `migrate` and `seed`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defined, freePort } from '../helpers/index.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-process-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const baseEnv = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

function runCli(script: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', script], { env: baseEnv, encoding: 'utf8', timeout: 60_000 });
}

describe('entry points', () => {
  it('npm run migrate creates the schema, and says so once', () => {
    const first = runCli('src/cli/migrate.ts');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Success: 0001_initial');
    expect(first.stdout).toContain('Success: 0002_sessions_limits_cleanup');
    const second = runCli('src/cli/migrate.ts');
    expect(second.stdout).toContain('Database is up to date.');
  });

  it('npm run seed adds demo users with their passwords printed once, then nothing', () => {
    const first = runCli('src/cli/seed.ts');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Added 3 demo users and 24 posts/);
    expect(first.stdout).toMatch(/ada@example\.com {2}\S{8,} {2}\(admin\)/);
    expect(first.stdout).toMatch(/grace@example\.com {2}\S{8,}\n/);
    const second = runCli('src/cli/seed.ts');
    expect(second.stdout).toContain('already there');
  });

  it('the server starts with no configuration but DATA_DIR, serves the API and stops on SIGTERM', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...baseEnv, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      server.on('exit', (code) => {
        resolve(code);
      }),
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('server did not start'));
        }, 20_000);
        server.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('blog listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/api/posts?limit=5`);
      expect(page.status).toBe(200);
      const body = (await page.json()) as { posts: unknown[] };
      expect(body).toMatchObject({ total: 24, skip: 0, limit: 5, has_more: true });
      expect(body.posts).toHaveLength(5);
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['blog.db', 'secret_key', 'media']));
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('WORKERS=2 serves the port from two processes, replaces a crashed one, and stops on SIGTERM', async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...baseEnv, PORT: String(port), WORKERS: '2', BENCH_METRICS: 'true', RATE_LIMIT_ENABLED: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      primary.on('exit', (code) => {
        resolve(code);
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    const pids = async (requests: number) => {
      const seen = new Set<number>();
      for (let i = 0; i < requests; i++) {
        // A new connection each time, so the cluster can hand it to either worker.
        const response = await fetch(`${base}/__bench/metrics`, { headers: { connection: 'close' } });
        seen.add(((await response.json()) as { pid: number }).pid);
      }
      return seen;
    };
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ready = await fetch(`${base}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready === 200) break;
        if (Date.now() > deadline) throw new Error('cluster did not start');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      let workers = await pids(40);
      for (let i = 0; workers.size < 2 && i < 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250)); // the second worker may still be starting
        workers = await pids(20);
      }
      expect(workers.size).toBe(2);
      expect(workers.has(defined(primary.pid))).toBe(false);
      // Workers run with bounded malloc arenas (see runPrimary).
      for (const pid of workers)
        expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');
      const victim = defined([...workers][0], 'a worker');
      process.kill(victim, 'SIGKILL');
      let replaced = new Set<number>();
      for (let i = 0; i < 40 && !(replaced.size === 2 && !replaced.has(victim)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        replaced = await pids(20).catch(() => new Set<number>());
      }
      expect(replaced.size).toBe(2);
      expect(replaced.has(victim)).toBe(false);
    } finally {
      primary.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
