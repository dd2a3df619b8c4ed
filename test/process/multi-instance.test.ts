// Several instances of the server on one PostgreSQL database: two real server
// processes (`node --import tsx src/server.ts`), started at the same moment
// (both migrate the same empty schema concurrently), with one SECRET_KEY and
// separate DATA_DIRs. A token from one works on the other, a post written
// through one is read, edited and deleted through the other, concurrent writes
// through both lose nothing, and what must be shared is shared: token
// revocation (logout, password change) and the login rate limits live in the
// database, not in process memory.
//
// Registrations all come from 127.0.0.1, so both instances run with
// RATE_LIMIT_REGISTRATIONS=1000; each login limit (per account from one
// address, per account, per address) is 5 failures a minute, so each shared
// counter fills up in a few requests. TRUST_PROXY=127.0.0.1 lets
// the rate-limit tests give each attempt a client address (X-Forwarded-For),
// so they neither trip nor depend on the 127.0.0.1 address bucket the other
// tests log in from.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import sharp from 'sharp';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  createPostgresSchema,
  defined,
  sleep,
  spawnServer,
  waitUntilReady,
  type ServerProcess,
} from '../helpers/index.js';

const SECRET_KEY = `multi-instance-${randomBytes(24).toString('base64url')}`; // 40+ characters
const PASSWORD = 'correct horse battery';
const REQUEST_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;
/** Unique per run, so account names and post titles never meet another run's. */
const RUN = `${process.pid}${randomBytes(3).toString('hex')}`;

// ---------------------------------------------------------------------------
// Processes

interface Instance extends ServerProcess {
  name: 'A' | 'B';
  dataDir: string;
}

const instances: Instance[] = [];
const tempDirs: string[] = [];

/** Spawns the server; does not wait for it (see waitUntilReady). */
async function spawnInstance(
  name: Instance['name'],
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<Instance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `blog-multi-${name}-`));
  tempDirs.push(dataDir);
  const server = await spawnServer({
    NODE_ENV: 'production',
    SECRET_KEY,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_REGISTRATIONS: '1000',
    RATE_LIMIT_LOGIN_ACCOUNT_FAILURES: '5',
    RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS: '60',
    RATE_LIMIT_LOGIN_ADDRESS_FAILURES: '5',
    RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS: '60',
    TRUST_PROXY: '127.0.0.1',
    ...extraEnv,
  });
  const instance: Instance = { ...server, name, dataDir };
  instances.push(instance);
  return instance;
}

/** SIGTERM, then SIGKILL if it has not exited within EXIT_TIMEOUT_MS; the exit it made by itself, if any. */
async function stop(instance: Instance): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
  const exit = await Promise.race([instance.exited, sleep(EXIT_TIMEOUT_MS).then(() => undefined)]);
  if (!exit) {
    instance.child.kill('SIGKILL');
    await Promise.race([instance.exited, sleep(EXIT_TIMEOUT_MS)]);
    return undefined;
  }
  return { code: exit.code, signal: exit.signal };
}

// ---------------------------------------------------------------------------
// HTTP

interface Call {
  instance: Instance;
  method: string;
  path: string;
  status: number;
  body: string;
}

/** Every 5xx any request of this file got, for the "never a 5xx" assertions. */
const serverErrors: Call[] = [];

interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

async function call(instance: Instance, method: string, urlPath: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${instance.base}${urlPath}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status >= 500)
    serverErrors.push({ instance, method, path: urlPath, status: response.status, body: text });
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

function describeReply(what: string, reply: Reply): string {
  return `${what}: ${reply.status} ${reply.text.slice(0, 500)}`;
}

let accountCounter = 0;
function newAccount(prefix: string) {
  accountCounter += 1;
  const username = `${prefix}${RUN}x${accountCounter}`;
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

async function register(instance: Instance, account: { username: string; email: string; password: string }) {
  const reply = await call(instance, 'POST', '/api/users', { json: account });
  if (reply.status !== 201) throw new Error(describeReply(`register on ${instance.name}`, reply));
  return { ...account, id: (reply.json() as { id: number }).id };
}

async function login(instance: Instance, email: string, password: string, headers: Record<string, string> = {}) {
  return call(instance, 'POST', '/api/users/token', { form: { username: email, password }, headers });
}

async function token(instance: Instance, email: string, password = PASSWORD): Promise<string> {
  const reply = await login(instance, email, password);
  if (reply.status !== 200) throw new Error(describeReply(`login on ${instance.name}`, reply));
  const body = reply.json() as { access_token: string; token_type: string };
  expect(body.token_type).toBe('bearer');
  return body.access_token;
}

/** Every page of /api/posts (limit 100) through one instance. */
async function allPosts(instance: Instance): Promise<{ posts: PostResponseBody[]; totals: number[] }> {
  const posts: PostResponseBody[] = [];
  const totals: number[] = [];
  for (let skip = 0; skip < 10_000; skip += 100) {
    const reply = await call(instance, 'GET', `/api/posts?limit=100&skip=${skip}`);
    expect(reply.status, describeReply(`page at ${skip} on ${instance.name}`, reply)).toBe(200);
    const page = reply.json() as PostPageBody;
    expect(page.skip).toBe(skip);
    expect(page.limit).toBe(100);
    expect(page.has_more).toBe(skip + page.posts.length < page.total);
    posts.push(...page.posts);
    totals.push(page.total);
    if (!page.has_more) break;
  }
  return { posts, totals };
}

/** Runs the tasks `size` at a time. */
async function inBatches<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) {
    results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  }
  return results;
}

// ---------------------------------------------------------------------------

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'several instances on one PostgreSQL database (needs TEST_DATABASE_URL)',
  () => {
    let schema: { url: string; drop(): Promise<void> } | undefined;
    let s3: S3rver | undefined;
    let s3Directory: string;
    let A: Instance;
    let B: Instance;
    /** A, B, A, B, ... */
    const either = (i: number) => (i % 2 === 0 ? A : B);
    const other = (instance: Instance) => (instance === A ? B : A);

    beforeAll(async () => {
      schema = await createPostgresSchema();
      // Shared picture storage: an S3-compatible server (s3rver) both instances use.
      s3Directory = mkdtempSync(path.join(tmpdir(), 'blog-multi-s3-'));
      tempDirs.push(s3Directory);
      s3 = new S3rver({
        port: 0,
        address: '127.0.0.1',
        silent: true,
        directory: s3Directory,
        configureBuckets: [{ name: 'shared', configs: [] }],
      });
      const { port } = await s3.run();
      const s3Env = {
        S3_BUCKET: 'shared',
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      };
      // Spawned together, so both run the migrations on the empty schema at the same moment.
      A = await spawnInstance('A', schema.url, s3Env);
      B = await spawnInstance('B', schema.url, s3Env);
      await Promise.all([
        waitUntilReady(A, READY_TIMEOUT_MS, 'instance A'),
        waitUntilReady(B, READY_TIMEOUT_MS, 'instance B'),
      ]);
    }, 90_000);

    afterAll(async () => {
      const exits = await Promise.all(instances.map(async (instance) => ({ instance, exit: await stop(instance) })));
      await s3?.close();
      try {
        await schema?.drop();
      } finally {
        for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
      }
      for (const { instance, exit } of exits) {
        expect(exit, `instance ${instance.name} did not exit on SIGTERM:\n${instance.output()}`).toEqual({
          code: 0,
          signal: null,
        });
      }
    }, 60_000);

    it('both instances started together on an empty schema: both are ready and the schema is migrated once', async () => {
      for (const instance of [A, B]) {
        const ready = await call(instance, 'GET', '/readyz');
        expect(ready.status).toBe(200);
        const page = await call(instance, 'GET', '/api/posts');
        expect(page.status, describeReply(`GET /api/posts on ${instance.name}`, page)).toBe(200);
        expect(page.json()).toMatchObject({ total: 0, posts: [] });
      }
      expect(A.output() + B.output()).not.toMatch(/"level":(50|60)/); // no error or fatal log line
    });

    it('a picture uploaded through A is served by B, and removed through B is gone for A (shared S3 storage)', async () => {
      const account = await register(A, newAccount('pic'));
      const fromA = await token(A, account.email);
      const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8e44ad' } })
        .jpeg()
        .toBuffer();
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'me.jpg');
      const uploaded = await fetch(`${A.base}/api/users/${account.id}/picture`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${fromA}` },
        body: form,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      expect(uploaded.status).toBe(200);
      const { image_path: imagePath } = (await uploaded.json()) as { image_path: string };
      const servedByA = await fetch(`${A.base}${imagePath}`);
      const servedByB = await fetch(`${B.base}${imagePath}`);
      expect(servedByB.status).toBe(200);
      expect(servedByB.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await servedByB.arrayBuffer()).equals(Buffer.from(await servedByA.arrayBuffer()))).toBe(true);
      const removed = await call(B, 'DELETE', `/api/users/${account.id}/picture`, { token: fromA });
      expect(removed.status).toBe(200);
      expect((await fetch(`${A.base}${imagePath}`)).status).toBe(404);
    });

    it('a token issued by B is accepted by A (one SECRET_KEY, one users table)', async () => {
      const account = await register(A, newAccount('tok'));
      const fromB = await token(B, account.email);
      const me = await call(A, 'GET', '/api/users/me', { token: fromB });
      expect(me.status, describeReply("GET /api/users/me on A with B's token", me)).toBe(200);
      expect(me.json()).toMatchObject({ id: account.id, username: account.username, email: account.email });
      // And the other way round.
      const fromA = await token(A, account.email);
      const meOnB = await call(B, 'GET', '/api/users/me', { token: fromA });
      expect(meOnB.status).toBe(200);
      expect(meOnB.json()).toMatchObject({ id: account.id });
    });

    it('a post created through A is read, replaced, patched and deleted through B, and A sees every change', async () => {
      const account = await register(B, newAccount('post'));
      const tokenA = await token(A, account.email);
      const tokenB = await token(B, account.email);

      const created = await call(A, 'POST', '/api/posts', {
        token: tokenA,
        json: { title: 'Written on A', content: 'first' },
      });
      expect(created.status, describeReply('POST /api/posts on A', created)).toBe(201);
      const post = created.json() as PostResponseBody;
      expect(post).toMatchObject({ title: 'Written on A', content: 'first', user_id: account.id });

      const readOnB = await call(B, 'GET', `/api/posts/${post.id}`);
      expect(readOnB.status).toBe(200);
      expect(readOnB.json()).toEqual(post);

      const put = await call(B, 'PUT', `/api/posts/${post.id}`, {
        token: tokenB,
        json: { title: 'Replaced on B', content: 'second' },
      });
      expect(put.status, describeReply('PUT on B', put)).toBe(200);
      expect(put.json()).toMatchObject({ id: post.id, title: 'Replaced on B', content: 'second', user_id: account.id });
      const afterPut = await call(A, 'GET', `/api/posts/${post.id}`);
      expect(afterPut.status).toBe(200);
      expect(afterPut.json()).toMatchObject({
        title: 'Replaced on B',
        content: 'second',
        date_posted: post.date_posted,
      });

      // A's token edits through B as well.
      const patch = await call(B, 'PATCH', `/api/posts/${post.id}`, { token: tokenA, json: { content: 'third' } });
      expect(patch.status, describeReply('PATCH on B', patch)).toBe(200);
      expect(patch.json()).toMatchObject({ title: 'Replaced on B', content: 'third' });
      const afterPatch = await call(A, 'GET', `/api/posts/${post.id}`);
      expect(afterPatch.json()).toMatchObject({ title: 'Replaced on B', content: 'third' });

      // Another user may not touch it through either instance.
      const stranger = await register(A, newAccount('stranger'));
      const strangerToken = await token(B, stranger.email);
      const refused = await call(B, 'DELETE', `/api/posts/${post.id}`, { token: strangerToken });
      expect(refused.status).toBe(403);

      const deleted = await call(B, 'DELETE', `/api/posts/${post.id}`, { token: tokenB });
      expect(deleted.status, describeReply('DELETE on B', deleted)).toBe(204);
      const goneOnA = await call(A, 'GET', `/api/posts/${post.id}`);
      expect(goneOnA.status).toBe(404);
      expect(goneOnA.json()).toEqual({ detail: 'Post not found' });
      const deleteAgainOnA = await call(A, 'DELETE', `/api/posts/${post.id}`, { token: tokenA });
      expect(deleteAgainOnA.status).toBe(404);
    });

    it('concurrent writes through both instances lose nothing: 120 posts created, then 120 patched, all persist', async () => {
      const errorsBefore = serverErrors.length;
      const writers = await Promise.all(
        [0, 1, 2].map(async (i) => {
          const account = await register(either(i), newAccount(`writer${i}`));
          return { ...account, tokens: { A: await token(A, account.email), B: await token(B, account.email) } };
        }),
      );
      const COUNT = 120;
      const title = (i: number) => `mi-${RUN}-${String(i).padStart(3, '0')}`;
      const started = Date.now();
      const created = await inBatches(
        Array.from({ length: COUNT }, (_, i) => async () => {
          const instance = either(i);
          const writer = defined(writers[i % 3]);
          const reply = await call(instance, 'POST', '/api/posts', {
            token: writer.tokens[instance.name],
            json: { title: title(i), content: `content ${i}` },
          });
          expect(reply.status, describeReply(`POST post ${i} on ${instance.name}`, reply)).toBe(201);
          const post = reply.json() as PostResponseBody;
          expect(post).toMatchObject({ title: title(i), user_id: writer.id });
          return post;
        }),
        20,
      );
      const createMs = Date.now() - started;
      expect(new Set(created.map((post) => post.id)).size).toBe(COUNT);

      // Every page, through both instances: each title exactly once, same totals.
      const expected = Array.from({ length: COUNT }, (_, i) => title(i)).sort();
      const listings = await Promise.all([allPosts(A), allPosts(B)]);
      for (const listing of listings) {
        const ours = listing.posts.filter((post) => post.title.startsWith(`mi-${RUN}-`)).map((post) => post.title);
        expect(ours.sort()).toEqual(expected);
        expect(new Set(listing.posts.map((post) => post.id)).size).toBe(listing.posts.length); // no duplicates across pages
        expect(new Set(listing.totals).size).toBe(1);
        expect(listing.posts.length).toBe(listing.totals[0]);
      }
      expect(listings[0].totals[0]).toBe(listings[1].totals[0]);
      // Per author, through the other instance from the one that listed the first time.
      for (const [i, writer] of writers.entries()) {
        const reply = await call(either(i + 1), 'GET', `/api/users/${writer.id}/posts?limit=100`);
        expect(reply.status).toBe(200);
        expect((reply.json() as PostPageBody).total).toBe(COUNT / 3);
      }

      // Concurrent PATCHes of distinct posts, each through the instance that did not create it.
      const patched = await inBatches(
        created.map((post, i) => async () => {
          const instance = other(either(i));
          const writer = defined(writers[i % 3]);
          const reply = await call(instance, 'PATCH', `/api/posts/${post.id}`, {
            token: writer.tokens[instance.name],
            json: { content: `patched ${i} on ${instance.name}` },
          });
          expect(reply.status, describeReply(`PATCH post ${post.id} on ${instance.name}`, reply)).toBe(200);
          return reply.json() as PostResponseBody;
        }),
        40,
      );
      expect(patched.map((post) => post.content)).toEqual(
        created.map((_, i) => `patched ${i} on ${other(either(i)).name}`),
      );
      const reread = await inBatches(
        created.map((post, i) => async () => {
          const reply = await call(either(i), 'GET', `/api/posts/${post.id}`);
          expect(reply.status).toBe(200);
          return reply.json() as PostResponseBody;
        }),
        40,
      );
      for (const [i, post] of reread.entries()) {
        expect(post).toMatchObject({
          id: defined(created[i]).id,
          title: title(i),
          content: `patched ${i} on ${other(either(i)).name}`,
        });
      }
      expect(serverErrors.slice(errorsBefore)).toEqual([]);
      console.info(`multi-instance: ${COUNT} posts created through 2 instances in ${createMs} ms`);
    }, 120_000);

    it('logout through A revokes the token on B too; a password change through B ends old tokens on A', async () => {
      const account = await register(B, newAccount('revoke'));
      const loggedOutOnA = await token(A, account.email);
      const keptFromB = await token(B, account.email);
      expect((await call(B, 'GET', '/api/users/me', { token: loggedOutOnA })).status).toBe(200);

      const logout = await call(A, 'POST', '/api/users/logout', { token: loggedOutOnA });
      expect(logout.status, describeReply('logout on A', logout)).toBe(204);
      for (const instance of [B, A]) {
        const me = await call(instance, 'GET', '/api/users/me', { token: loggedOutOnA });
        expect(me.status, `logged-out token on ${instance.name}`).toBe(401);
        expect(me.headers.get('www-authenticate')).toBe('Bearer');
      }
      // Only that token: the other one still works on both.
      expect((await call(A, 'GET', '/api/users/me', { token: keptFromB })).status).toBe(200);
      expect((await call(B, 'GET', '/api/users/me', { token: keptFromB })).status).toBe(200);

      const alsoFromA = await token(A, account.email);
      const newPassword = 'a brand new passphrase';
      const change = await call(B, 'POST', '/api/users/me/password', {
        token: keptFromB,
        json: { current_password: PASSWORD, new_password: newPassword },
      });
      expect(change.status, describeReply('password change on B', change)).toBe(204);
      for (const old of [keptFromB, alsoFromA]) {
        for (const instance of [A, B]) {
          const me = await call(instance, 'GET', '/api/users/me', { token: old });
          expect(me.status, `token from before the password change, on ${instance.name}`).toBe(401);
        }
        const write = await call(A, 'POST', '/api/posts', { token: old, json: { title: 't', content: 'c' } });
        expect(write.status).toBe(401);
      }
      const fresh = await token(A, account.email, newPassword);
      const me = await call(B, 'GET', '/api/users/me', { token: fresh });
      expect(me.status).toBe(200);
      expect(me.json()).toMatchObject({ id: account.id });
      // The old password is refused on both (two failures on 127.0.0.1's bucket, under its limit of 5).
      expect((await login(A, account.email, PASSWORD)).status).toBe(401);
      expect((await login(B, account.email, PASSWORD)).status).toBe(401);
    });

    it('concurrent duplicate registrations split across both instances: exactly one 201, the rest 400, never a 5xx', async () => {
      const errorsBefore = serverErrors.length;
      const username = `dup${RUN}`;
      const sameUsername = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(either(i), 'POST', '/api/users', {
            json: { username, email: `dup${RUN}n${i}@example.com`, password: PASSWORD },
          }),
        ),
      );
      const statuses = sameUsername.map((reply) => reply.status).sort();
      expect(statuses, sameUsername.map((reply) => `${reply.status} ${reply.text}`).join('\n')).toEqual([
        201,
        ...Array<number>(9).fill(400),
      ]);
      for (const reply of sameUsername.filter((r) => r.status === 400)) {
        expect(reply.json()).toEqual({ detail: 'Username already exists' });
      }

      // The same email, case-insensitively, under different usernames.
      const email = `Dup${RUN}e@Example.com`;
      const sameEmail = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(either(i), 'POST', '/api/users', {
            json: {
              username: `dupe${RUN}n${i}`,
              email: i % 2 ? email.toLowerCase() : email.toUpperCase(),
              password: PASSWORD,
            },
          }),
        ),
      );
      expect(
        sameEmail.map((reply) => reply.status).sort(),
        sameEmail.map((r) => `${r.status} ${r.text}`).join('\n'),
      ).toEqual([201, ...Array<number>(9).fill(400)]);
      for (const reply of sameEmail.filter((r) => r.status === 400)) {
        expect(reply.json()).toEqual({ detail: 'Email already exists' });
      }
      expect(serverErrors.slice(errorsBefore)).toEqual([]);
    }, 60_000);

    it('failed logins for one account count on both instances: 5 failures, then 429 with Retry-After on either', async () => {
      const account = await register(A, newAccount('limited'));
      // A different client address for each attempt, so only the account's bucket fills up.
      const from = (i: number) => ({ 'x-forwarded-for': `10.77.${accountCounter}.${i + 1}` });
      for (let i = 0; i < 5; i++) {
        const reply = await login(either(i), account.email, 'wrong password', from(i));
        expect(reply.status, describeReply(`failure ${i + 1} on ${either(i).name}`, reply)).toBe(401);
      }
      // Three failures were on A and two on B: per-instance counters would let both go on.
      const sixth = await login(B, account.email, 'wrong password', from(5));
      expect(sixth.status, describeReply('6th attempt on B', sixth)).toBe(429);
      const retryAfter = Number(sixth.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`).toBe(
        true,
      );
      // Counted before the password is checked: even the right password waits, on A too.
      const seventh = await login(A, account.email.toUpperCase(), PASSWORD, from(6));
      expect(seventh.status, describeReply('7th attempt (right password) on A', seventh)).toBe(429);
      expect(Number(seventh.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it('failed logins from one address count on both instances', async () => {
      const address = { 'x-forwarded-for': `10.78.${accountCounter}.1` };
      for (let i = 0; i < 5; i++) {
        const reply = await login(either(i), `nobody${RUN}n${i}@example.com`, 'wrong password', address);
        expect(reply.status).toBe(401);
      }
      const sixth = await login(B, `nobody${RUN}n5@example.com`, 'wrong password', address);
      expect(sixth.status, describeReply('6th attempt from one address on B', sixth)).toBe(429);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it('concurrent failed logins through both instances are all counted: exactly 5 of 12 get through to 401', async () => {
      const account = await register(B, newAccount('burst'));
      const attempts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          login(either(i), account.email, 'wrong password', { 'x-forwarded-for': `10.79.${accountCounter}.${i + 1}` }),
        ),
      );
      const statuses = attempts.map((reply) => reply.status).sort();
      expect(statuses, attempts.map((r) => `${r.status} ${r.text}`).join('\n')).toEqual([
        ...Array<number>(5).fill(401),
        ...Array<number>(7).fill(429),
      ]);
    }, 60_000);

    it('no request of this file got a 5xx', () => {
      expect(serverErrors.map((e) => `${e.instance.name} ${e.method} ${e.path} -> ${e.status} ${e.body}`)).toEqual([]);
    });
  },
);
