// Faults a real server process must survive, driven from outside over HTTP and
// raw sockets: SIGKILL in the middle of picture uploads (nothing dangling,
// nothing orphaned after a restart), SIGTERM/SIGINT while requests are in
// flight (they finish, new connections are refused, exit code 0), and slow
// clients (slow-loris headers and dribbled bodies are cut off by the header
// and request timeouts while the server keeps answering everybody else).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import {
  defined,
  matching,
  sleep,
  spawnServer,
  waitForExit,
  waitUntilReady,
  type ServerProcess,
} from '../helpers/index.js';

// ---------------------------------------------------------------------------
// Processes

const children = new Set<ChildProcess>();
const dataDirs: string[] = [];

afterEach(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'blog-faults-'));
  dataDirs.push(dir);
  return dir;
}

/**
 * Starts the server on this data directory and waits until it answers
 * /readyz (the start-up sweep runs in onReady, before the port is opened, so
 * "ready" also means "swept").
 */
async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false', ...env });
  children.add(server.child);
  await waitUntilReady(server, 20_000);
  return server;
}

// ---------------------------------------------------------------------------
// HTTP clients

interface Account {
  id: number;
  email: string;
  token: string;
}

let accountCounter = 0;

async function registerAndLogIn(base: string, prefix: string): Promise<Account> {
  accountCounter += 1;
  const tag = `${prefix}${process.pid}x${accountCounter}`;
  const email = `${tag}@example.com`;
  const password = 'correct horse battery';
  const created = await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: tag, email, password }),
  });
  if (created.status !== 201) throw new Error(`register: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: number };
  const login = await fetch(`${base}/api/users/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: email, password }).toString(),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { access_token } = (await login.json()) as { access_token: string };
  return { id, email, token: access_token };
}

interface Picture {
  bytes: Buffer;
  type: string;
  filename: string;
}

function uploadPicture(base: string, account: Account, picture: Picture): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(picture.bytes)], { type: picture.type }), picture.filename);
  return fetch(`${base}/api/users/${account.id}/picture`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${account.token}` },
    body: form,
  });
}

function deletePicture(base: string, account: Account): Promise<Response> {
  return fetch(`${base}/api/users/${account.id}/picture`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${account.token}` },
  });
}

/**
 * A size x size picture. `noisy` pictures compress badly (big uploads, more
 * bytes to decode); smooth ones stay small even at large sizes.
 */
async function makePicture(size: number, format: 'png' | 'jpeg', noisy: boolean): Promise<Picture> {
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      if (noisy) {
        raw[i] = (x * 7 + y) & 255;
        raw[i + 1] = (x ^ y) & 255;
        raw[i + 2] = ((x * y) >> 4) & 255;
      } else {
        raw[i] = (x >> 3) & 255;
        raw[i + 1] = (y >> 3) & 255;
        raw[i + 2] = ((x + y) >> 4) & 255;
      }
    }
  }
  const image = sharp(raw, { raw: { width: size, height: size, channels: 3 } });
  const bytes =
    format === 'png'
      ? await image.png({ compressionLevel: 6 }).toBuffer()
      : await image.jpeg({ quality: 80 }).toBuffer();
  return { bytes, type: `image/${format}`, filename: `picture.${format === 'png' ? 'png' : 'jpg'}` };
}

// ---------------------------------------------------------------------------
// What is on disk and in the database

interface PictureState {
  users: { id: number; image_file: string | null }[];
  cleanup: { name: string; state: string }[];
  files: string[];
}

function mediaDirOf(dataDir: string) {
  return path.join(dataDir, 'media', 'profile_pics');
}

/** Reads the database read-only (the server may be running: WAL allows it) and lists the picture directory. */
function readPictureState(dataDir: string): PictureState {
  const db = new Database(path.join(dataDir, 'blog.db'), { readonly: true, fileMustExist: true });
  try {
    const users = db.prepare('SELECT id, image_file FROM users ORDER BY id').all() as PictureState['users'];
    const cleanup = db
      .prepare('SELECT name, state FROM picture_cleanup ORDER BY name')
      .all() as PictureState['cleanup'];
    const mediaDir = mediaDirOf(dataDir);
    const files = existsSync(mediaDir) ? readdirSync(mediaDir).sort() : [];
    return { users, cleanup, files };
  } finally {
    db.close();
  }
}

/** Problems with the promise "no user points at a missing file, no file without a user, nothing half-written, nothing pending". */
function pictureProblems(state: PictureState, mediaDir: string): string[] {
  const problems: string[] = [];
  const owners = new Map<string, number[]>();
  for (const user of state.users) {
    if (user.image_file === null) continue;
    owners.set(user.image_file, [...(owners.get(user.image_file) ?? []), user.id]);
    if (!existsSync(path.join(mediaDir, user.image_file))) {
      problems.push(`user ${user.id} points at missing file ${user.image_file}`);
    }
  }
  for (const file of state.files) {
    if (file.endsWith('.partial')) {
      problems.push(`half-written file left: ${file}`);
    } else if (file.endsWith('.jpg')) {
      const users = owners.get(file) ?? [];
      if (users.length !== 1)
        problems.push(`file ${file} is referenced by ${users.length} users (${users.join(', ') || 'orphan'})`);
    }
  }
  for (const entry of state.cleanup) problems.push(`picture_cleanup still lists ${entry.name} (${entry.state})`);
  return problems;
}

// ---------------------------------------------------------------------------
// Raw sockets

interface SlowSocket {
  socket: Socket;
  opened: number;
  received: () => string;
  /** Resolves with the time the server ended the connection, or null after `giveUpMs`. */
  closed: Promise<number | null>;
  stop(): void;
}

/** Opens a connection, sends `head`, then one byte of `drip` every `everyMs`, never finishing. */
function slowClient(port: number, head: string, drip: string, everyMs: number, giveUpMs: number): SlowSocket {
  const socket = connect({ port, host: '127.0.0.1' });
  const opened = Date.now();
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  let offset = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => {
    // EPIPE/ECONNRESET when writing to a socket the server closed: expected.
  });
  socket.once('connect', () => {
    socket.write(head);
    timer = setInterval(() => {
      if (socket.destroyed || socket.writableEnded) return;
      socket.write(defined(drip[offset % drip.length]));
      offset += 1;
    }, everyMs);
  });
  const closed = new Promise<number | null>((resolve) => {
    const done = (value: number | null) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve(value);
    };
    // 'end': the server half-closed (FIN); 'close': the socket is gone.
    socket.once('end', () => {
      done(Date.now());
    });
    socket.once('close', () => {
      done(Date.now());
    });
    giveUp = setTimeout(() => {
      done(null);
    }, giveUpMs);
  });
  return {
    socket,
    opened,
    received: () => received,
    closed,
    stop() {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
    },
  };
}

/** Resolves 'refused' when a TCP connect gets ECONNREFUSED, 'connected' when it is accepted, otherwise the error code. */
function probeConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message));
    });
  });
}

// ---------------------------------------------------------------------------

describe('SIGKILL in the middle of picture uploads', () => {
  it('after every restart no user points at a missing file and no picture file is left without a user', async () => {
    const dataDir = newDataDir();
    const mediaDir = mediaDirOf(dataDir);
    const [small, smoothPng, noisyJpeg, bigJpeg] = await Promise.all([
      makePicture(400, 'png', true),
      makePicture(2000, 'png', false),
      makePicture(2000, 'jpeg', true),
      makePicture(3000, 'jpeg', true),
    ]);
    const mix = [bigJpeg, small, smoothPng, small, noisyJpeg, small];

    let server = await startServer(dataDir);
    const accounts: Account[] = [];
    for (let i = 0; i < 6; i++) accounts.push(await registerAndLogIn(server.base, 'crash'));
    for (const account of accounts.slice(0, 3)) {
      const response = await uploadPicture(server.base, account, small);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }

    const CYCLES = 4;
    const cycles: {
      killAfterMs: number;
      inFlightAtKill: { uploads: number; deletions: number };
      completed: Record<string, number>;
      rejected: number;
      leftAfterKill: { partials: number; cleanupRows: number; orphans: number; dangling: number } | string;
    }[] = [];

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      let dead = false;
      const inFlight = { uploads: 0, deletions: 0 };
      const completed: Record<string, number> = {};
      let rejected = 0;
      const base = server.base;

      // Two workers per user, each uploading (mostly) or deleting the picture
      // in a loop until the server dies under them.
      async function worker(account: Account, seed: number) {
        for (let n = 0; !dead; n++) {
          const isUpload = (seed + n) % 4 !== 3;
          const kind = isUpload ? 'uploads' : 'deletions';
          inFlight[kind] += 1;
          try {
            const response = isUpload
              ? await uploadPicture(base, account, defined(mix[(seed + n) % mix.length]))
              : await deletePicture(base, account);
            await response.arrayBuffer();
            const key = `${isUpload ? 'PATCH' : 'DELETE'} ${response.status}`;
            completed[key] = (completed[key] ?? 0) + 1;
          } catch {
            rejected += 1;
            return;
          } finally {
            inFlight[kind] -= 1;
          }
        }
      }
      const workers = accounts.flatMap((account, i) => [worker(account, i), worker(account, i + 7)]);

      // Once uploads are going through (the first one answered, so the
      // pipeline is full: some uploading, some processing, some committing),
      // kill after a random 50-400 ms.
      const warmUpDeadline = Date.now() + 5_000;
      while (!(completed['PATCH 200'] ?? 0) && Date.now() < warmUpDeadline) await sleep(5);
      const killAfterMs = 50 + Math.floor(Math.random() * 350);
      await sleep(killAfterMs);
      const inFlightAtKill = { ...inFlight };
      server.child.kill('SIGKILL');
      const exit = await waitForExit(server, 10_000);
      dead = true;
      expect(exit.signal).toBe('SIGKILL');
      await Promise.all(workers);

      // What the crash left behind (before any sweep): evidence that the test
      // exercises the clean-up, not a pass requirement.
      let leftAfterKill: (typeof cycles)[number]['leftAfterKill'];
      try {
        const state = readPictureState(dataDir);
        const referenced = new Set(state.users.map((user) => user.image_file).filter((name) => name !== null));
        leftAfterKill = {
          partials: state.files.filter((file) => file.endsWith('.partial')).length,
          cleanupRows: state.cleanup.length,
          orphans: state.files.filter((file) => file.endsWith('.jpg') && !referenced.has(file)).length,
          dangling: [...referenced].filter((name) => !existsSync(path.join(mediaDir, name))).length,
        };
      } catch (error) {
        leftAfterKill = `could not read: ${(error as Error).message}`;
      }
      cycles.push({ killAfterMs, inFlightAtKill, completed, rejected, leftAfterKill });

      // Restart on the same data: the start-up sweep must leave a clean state.
      server = await startServer(dataDir);
      const state = readPictureState(dataDir);
      expect(pictureProblems(state, mediaDir), `after restart ${cycle + 1}: ${JSON.stringify(cycles.at(-1))}`).toEqual(
        [],
      );
    }

    console.info('[crash] cycles:', JSON.stringify(cycles));
    // Not vacuous: the process died under uploads that were in flight.
    const uploadsCut = cycles.reduce((sum, cycle) => sum + cycle.inFlightAtKill.uploads, 0);
    const rejectedTotal = cycles.reduce((sum, cycle) => sum + cycle.rejected, 0);
    expect(uploadsCut).toBeGreaterThan(0);
    expect(rejectedTotal).toBeGreaterThan(0);

    // The final state, checked field by field.
    const final = readPictureState(dataDir);
    const referenced = final.users.map((user) => user.image_file).filter((name): name is string => name !== null);
    for (const name of referenced) expect(existsSync(path.join(mediaDir, name)), `missing ${name}`).toBe(true);
    const pictures = final.files.filter((file) => file.endsWith('.jpg'));
    for (const file of pictures)
      expect(
        referenced.filter((name) => name === file),
        `references to ${file}`,
      ).toHaveLength(1);
    expect(final.files.filter((file) => file.endsWith('.partial'))).toEqual([]);
    expect(final.files.filter((file) => !file.endsWith('.jpg'))).toEqual([]);
    expect(final.cleanup).toEqual([]);

    // Every user's picture (or the default avatar) is served.
    for (const account of accounts) {
      const profile = await fetch(`${server.base}/api/users/${account.id}`);
      expect(profile.status).toBe(200);
      const { image_path, image_file } = (await profile.json()) as { image_path: string; image_file: string | null };
      expect(image_path).toBe(image_file ? `/media/profile_pics/${image_file}` : DEFAULT_AVATAR_URL);
      const image = await fetch(`${server.base}${image_path}`);
      expect(image.status, image_path).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\/jpeg/);
      await image.arrayBuffer();
    }

    // The server still works normally after all this.
    const after = await uploadPicture(server.base, defined(accounts[0]), small);
    expect(after.status).toBe(200);
    await after.arrayBuffer();
    server.child.kill('SIGTERM');
    expect((await waitForExit(server, 10_000)).code).toBe(0);
    expect(pictureProblems(readPictureState(dataDir), mediaDir)).toEqual([]);
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('SIGTERM during requests: they all finish with 200, new connections are refused, exit code 0', async () => {
    const dataDir = newDataDir();
    const mediaDir = mediaDirOf(dataDir);
    const big = await makePicture(3000, 'jpeg', true);
    // debug level: the server logs "incoming request" once it has read a request's headers.
    const server = await startServer(dataDir, { LOG_LEVEL: 'debug' });
    const account = await registerAndLogIn(server.base, 'term');

    let finished = 0;
    let uploadsFinished = 0;
    const started = Date.now();
    const track = async (label: string, request: Promise<Response>) => {
      try {
        const response = await request;
        const body = await response.text();
        return { label, status: response.status, body, at: Date.now() };
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
        return {
          label,
          status: 0,
          body: `${(error as Error).message}: ${cause?.code ?? cause?.message ?? ''}`,
          at: Date.now(),
        };
      } finally {
        finished += 1;
        if (label.startsWith('PATCH')) uploadsFinished += 1;
      }
    };
    const logMark = server.logs.length;
    const UPLOADS = 4;
    const requests = [
      ...Array.from({ length: UPLOADS }, (_, i) =>
        track(`PATCH picture #${i + 1}`, uploadPicture(server.base, account, big)),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        track(`GET /api/posts #${i + 1}`, fetch(`${server.base}/api/posts?limit=5`)),
      ),
    ];

    // Signal once the server has read every request's headers (so each one is
    // really in flight on the server, not still in the client or a socket
    // buffer), and at least 30 ms after they were sent.
    const received = () =>
      server.logs
        .slice(logMark)
        .filter(
          (line) => line.msg === 'incoming request' && /^\/api\/(users\/\d+\/picture|posts)/.test(String(line.url)),
        ).length;
    await sleep(30);
    const receiveDeadline = Date.now() + 10_000;
    while (received() < requests.length && Date.now() < receiveDeadline) await sleep(2);
    expect(received(), 'requests the server had read before SIGTERM').toBe(requests.length);
    const finishedBeforeSignal = finished;
    const uploadsUnfinishedAtSignal = UPLOADS - uploadsFinished;
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');

    // The listener closes: a new connection is refused while the process still runs.
    let refusedAt: number | undefined;
    const probes: string[] = [];
    let exitedEarly = false;
    void server.exited.then(() => (exitedEarly = refusedAt === undefined));
    while (Date.now() - signalledAt < 5_000) {
      const result = await probeConnect(server.port);
      probes.push(result);
      if (result === 'refused') {
        refusedAt = Date.now();
        break;
      }
      await sleep(10);
    }

    const results = await Promise.all(requests);
    const exit = await waitForExit(server, 15_000);
    const timings = {
      sentToSignalMs: signalledAt - started,
      finishedBeforeSignal,
      uploadsUnfinishedAtSignal,
      refusedAfterMs: refusedAt === undefined ? undefined : refusedAt - signalledAt,
      probes: probes.length,
      requestsDoneAfterSignalMs: results.map(
        (result) => `${result.label}: ${result.status} at ${result.at - signalledAt} ms`,
      ),
      exitAfterSignalMs: exit.at - signalledAt,
      totalMs: exit.at - started,
    };
    console.info('[sigterm] timings:', JSON.stringify(timings));

    // The signal really came while requests were in flight.
    expect(finishedBeforeSignal).toBeLessThan(requests.length);
    expect(uploadsUnfinishedAtSignal).toBeGreaterThan(0);
    for (const result of results)
      expect({ label: result.label, status: result.status, body: result.body.slice(0, 200) }).toMatchObject({
        status: 200,
      });
    for (const result of results.filter((r) => r.label.startsWith('PATCH'))) {
      expect(JSON.parse(result.body)).toMatchObject({ id: account.id, image_file: matching(/^[0-9a-f]{32}\.jpg$/) });
    }
    expect(
      refusedAt,
      `probes after SIGTERM: ${probes.join(', ')}; exited before a refusal: ${exitedEarly}`,
    ).toBeDefined();
    expect(defined(refusedAt), 'refused while the process was still finishing its work').toBeLessThan(exit.at);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(8_000);

    // The requests finished completely, clean-up included, before the database closed.
    const state = readPictureState(dataDir);
    expect(pictureProblems(state, mediaDir)).toEqual([]);
    const picture = state.users.find((user) => user.id === account.id)?.image_file;
    expect(picture).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(state.files).toEqual([picture]);
  }, 60_000);

  it('SIGINT: an idle server exits with code 0', async () => {
    const server = await startServer(newDataDir());
    const healthy = await fetch(`${server.base}/healthz`);
    expect(healthy.status).toBe(200);
    await healthy.arrayBuffer();
    const signalledAt = Date.now();
    server.child.kill('SIGINT');
    const exit = await waitForExit(server, 10_000);
    console.info(`[sigint] exit after ${exit.at - signalledAt} ms`);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(8_000);
    expect(await probeConnect(server.port)).toBe('refused');
  }, 30_000);
});

describe('slow clients', () => {
  const HEADERS_TIMEOUT_MS = 1000;
  const REQUEST_TIMEOUT_MS = 3000;
  const timeouts = { HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) };

  it('slow-loris: 50 connections that never finish their headers are closed, and the server keeps answering', async () => {
    const server = await startServer(newDataDir(), timeouts);
    const clients: SlowSocket[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        clients.push(slowClient(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-a: ', 'abcdefgh', 300, 8_000));
      }
      await sleep(400);
      // Meanwhile, a normal client is served at once.
      const askedAt = Date.now();
      const health = await fetch(`${server.base}/healthz`);
      const healthMs = Date.now() - askedAt;
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const stillOpen = clients.filter((client) => !client.socket.destroyed).length;

      const closedAt = await Promise.all(clients.map((client) => client.closed));
      const lifetimes = clients.map((client, i) => (closedAt[i] == null ? null : closedAt[i] - client.opened));
      const responses = new Set(clients.map((client) => client.received().split('\r\n')[0] ?? ''));
      console.info(
        '[slow-loris]',
        JSON.stringify({
          healthMs,
          openWhileHealthAnswered: stillOpen,
          closedAfterMs: {
            min: Math.min(...lifetimes.map((l) => l ?? Infinity)),
            max: Math.max(...lifetimes.map((l) => l ?? Infinity)),
          },
          responses: [...responses],
        }),
      );
      expect(healthMs).toBeLessThan(1000);
      expect(stillOpen).toBe(50);
      expect(lifetimes.filter((lifetime) => lifetime === null || lifetime > 5_000)).toEqual([]);
      expect([...responses].filter((line) => line !== '' && !line.startsWith('HTTP/1.1 408'))).toEqual([]);

      // Still healthy afterwards.
      const again = await fetch(`${server.base}/healthz`);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    } finally {
      for (const client of clients) client.stop();
    }
  }, 60_000);

  it('a body dribbled byte by byte is cut off within REQUEST_TIMEOUT_MS (+2 s)', async () => {
    const server = await startServer(newDataDir(), timeouts);
    const account = await registerAndLogIn(server.base, 'slowbody');
    const head =
      'POST /api/posts HTTP/1.1\r\n' +
      `Host: 127.0.0.1:${server.port}\r\n` +
      `Authorization: Bearer ${account.token}\r\n` +
      'Content-Type: application/json\r\n' +
      'Content-Length: 1000000\r\n' +
      '\r\n' +
      '{"title": "slow", "content": "';
    const client = slowClient(server.port, head, 'x', 200, REQUEST_TIMEOUT_MS + 5_000);
    try {
      const closedAt = await client.closed;
      const lifetime = closedAt === null ? null : closedAt - client.opened;
      const status = client.received().split('\r\n')[0] ?? '';
      console.info('[slow-body]', JSON.stringify({ lifetime, status }));
      expect(lifetime, 'connection still open').not.toBeNull();
      expect(defined(lifetime)).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + 2_000);
      // Cut off by the timeout, not answered early for another reason (e.g. 401).
      expect(defined(lifetime)).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      if (status) expect(status).toMatch(/^HTTP\/1\.1 408/);

      const health = await fetch(`${server.base}/healthz`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
    } finally {
      client.stop();
    }
  }, 60_000);
});
