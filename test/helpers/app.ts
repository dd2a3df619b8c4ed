// Test apps: every one gets its own temporary DATA_DIR with a real SQLite file
// (or, in the postgres project, a fresh PostgreSQL schema) and a real media
// directory, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, expect } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { checkAgainstOpenApi } from './openapi-check.js';

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-for-hs256';
/**
 * Argon2id at OWASP's 19 MiB, t=2, p=1 for every app, server and command the
 * tests start: the site's default (64 MiB, t=3, p=4) would make each of the
 * suite's thousands of logins several times slower. test/api/argon2.test.ts
 * runs the defaults.
 */
export const TEST_ARGON2 = { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2', ARGON2_PARALLELISM: '1' };

/** The database the suite runs on: the `postgres` project sets TEST_DIALECT (see vitest.config.ts). */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

async function onPostgres(sql: string) {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What the test apps answered that docs/openapi.json does not say; each test ends with none. */
const openApiViolations: string[] = [];
afterEach(() => {
  expect(openApiViolations.splice(0), 'answers that docs/openapi.json does not document').toEqual([]);
});

export interface PostgresSchema {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty schema in the TEST_DATABASE_URL database, and the URL that
 * makes it the connection's search path; dropped afterwards.
 */
export async function createPostgresSchema(): Promise<PostgresSchema> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await onPostgres(`create schema "${schema}"`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { name: schema, url: url.toString(), drop: () => onPostgres(`drop schema "${schema}" cascade`) };
}

export interface TestContext {
  app: App;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A fresh app on a fresh database. Extra environment variables override the
 * defaults. Login and registration limits are off (every request comes from
 * one address); the rate-limit tests turn them on.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-test-'));
  const schema = TEST_DIALECT === 'postgres' ? await createPostgresSchema() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SECRET_KEY: TEST_SECRET,
    ...TEST_ARGON2,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    ...(schema ? { DATABASE_URL: schema.url, DATABASE_POOL_SIZE: '4' } : {}),
    ...env,
  });
  const app = await buildApp(config, options);
  checkAgainstOpenApi(app, openApiViolations);
  await app.ready();
  return {
    app,
    config,
    dataDir,
    async close() {
      await app.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** createTestApp for a whole test file (or describe block): built on first use, closed after it. */
export function useTestApp(env: Record<string, string> = {}, options: BuildOptions = {}): () => Promise<TestContext> {
  let context: Promise<TestContext> | undefined;
  afterAll(async () => {
    if (context) await (await context).close();
  });
  return () => (context ??= createTestApp(env, options));
}

/** Closes something; a promise it returns is awaited. */
export type Cleanup = () => unknown;

/**
 * Clean-ups registered as resources are made, run after the block (or, given
 * afterEach, after each test), the last made first: only what was made is
 * closed, even when a setup fails halfway.
 */
export function useCleanups(after: (run: () => Promise<void>) => void = afterAll): (cleanup: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  after(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/** Makes the test app listen on a free port of 127.0.0.1; returns the port. */
export async function listen(context: TestContext): Promise<number> {
  await context.app.listen({ port: 0, host: '127.0.0.1' });
  return (context.app.server.address() as AddressInfo).port;
}
