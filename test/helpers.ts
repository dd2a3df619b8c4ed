// Test helpers: every test app gets its own temporary DATA_DIR with a real
// SQLite file and a real media directory, removed afterwards.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-for-hs256';

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

/**
 * A fresh, empty schema in the TEST_DATABASE_URL database, and the URL that
 * makes it the connection's search path; dropped afterwards.
 */
export async function createPostgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await onPostgres(`create schema "${schema}"`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => onPostgres(`drop schema "${schema}" cascade`) };
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
export async function createTestApp(env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-test-'));
  const schema = TEST_DIALECT === 'postgres' ? await createPostgresSchema() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    ...(schema ? { DATABASE_URL: schema.url, DATABASE_POOL_SIZE: '4' } : {}),
    ...env,
  });
  const app = await buildApp(config, options);
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

/** createTestApp for a whole test file: built on first use, closed after the file. */
export function useTestApp(env: Record<string, string> = {}): () => Promise<TestContext> {
  let context: Promise<TestContext> | undefined;
  afterAll(async () => {
    if (context) await (await context).close();
  });
  return () => (context ??= createTestApp(env));
}

let counter = 0;
/** Unique account values so tests sharing an app never collide. */
export function newAccount(prefix = 'user') {
  counter += 1;
  const tag = `${prefix}${process.pid}x${counter}`;
  return { username: tag, email: `${tag}@example.com`, password: 'correct horse battery' };
}

export async function register(app: App, account = newAccount()) {
  const response = await app.inject({ method: 'POST', url: '/api/users', payload: account });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return { ...account, id: response.json().id as number };
}

export async function login(app: App, email: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: email, password }).toString(),
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json().access_token as string;
}

/** A registered user with a valid token and ready-made Authorization headers. */
export async function signedInUser(app: App, prefix = 'user') {
  const account = await register(app, newAccount(prefix));
  const token = await login(app, account.email, account.password);
  return { ...account, token, headers: { authorization: `Bearer ${token}` } };
}

/** Response bodies of the API, as the tests read them. */
export interface UserPublic {
  id: number;
  username: string;
  image_file: string | null;
  image_path: string;
}
export interface PostBody {
  id: number;
  title: string;
  content: string;
  user_id: number;
  date_posted: string;
  author: UserPublic;
}
export interface PostPage {
  posts: PostBody[];
  total: number;
  skip: number;
  limit: number;
  has_more: boolean;
}
/** One item of a 422's `detail`. */
export interface ValidationItem {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

export async function createPost(app: App, headers: Record<string, string>, title = 'A title', content = 'Some content') {
  const response = await app.inject({ method: 'POST', url: '/api/posts', headers, payload: { title, content } });
  if (response.statusCode !== 201) throw new Error(`create post failed: ${response.statusCode} ${response.body}`);
  return response.json() as PostBody;
}

/** The picture files on disk and the picture names in the database, both sorted. */
export async function picturesOnDiskAndInDatabase(context: TestContext) {
  const directory = path.join(context.dataDir, 'media', 'profile_pics');
  const onDisk = readdirSync(directory).sort();
  const inDatabase = (await context.app.repositories.userPictures.allImageFiles()).sort();
  return { onDisk, inDatabase };
}

/** A TCP port that was free a moment ago, for a server process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
