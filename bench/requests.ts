// What the scenarios send: request sets drawn from the seeded data (the same
// for the blog and the floor), accounts and tokens, the upload body, and the
// check that the floor answers the very bytes the blog does.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { BENCH_PASSWORD, benchEmail, prng } from './dataset.js';
import { element } from './lists.js';
import type { Server } from './processes.js';
import type { ReportInput } from './report.js';
import { log, settings } from './settings.js';

const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

export interface RequestSets {
  /** 1,000 random existing posts. */
  postPaths: string[];
  userPostsPaths: string[];
  /** Pages skip=0..1000, for the quiet and mixed readers. */
  readerPaths: string[];
  /** BENCH_DEEP_SKIP, capped to the last page. */
  deepSkip: number;
  loginBodies: string[];
  /** The body of POST /api/posts. */
  postBody: string;
}

/** Seeded, so every run sends the same sequences. */
export function requestSets(): RequestSets {
  const random = prng(7);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const postPaths = Array.from({ length: 1000 }, () => `/api/posts/${pick(settings.posts)}`);
  const userPostsPaths = Array.from(
    { length: Math.min(1000, settings.users) },
    () => `/api/users/${pick(settings.users)}/posts`,
  );
  const readerPaths = Array.from({ length: 1001 }, (_, skip) => `/api/posts?skip=${skip}`);
  const deepSkip = Math.min(settings.deepSkip, Math.max(0, settings.posts - settings.postsPerPage));
  const loginBodies = Array.from({ length: Math.min(500, settings.users) }, () =>
    formBody({ username: benchEmail(pick(settings.users), settings.users), password: BENCH_PASSWORD }),
  );
  const postBody = JSON.stringify({
    title: 'A benchmark post',
    content: 'Benchmark content. '.repeat(55).trim(), // about 1,000 characters
  });
  return { postPaths, userPostsPaths, readerPaths, deepSkip, loginBodies, postBody };
}

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
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

function multipart(file: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.jpg"\r\n` +
    'Content-Type: image/jpeg\r\n\r\n';
  const body = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface WriteSets {
  writerToken: string;
  /** Size of the JPEG inside the multipart body. */
  jpegBytes: number;
  /** The multipart body, base64 (as load.ts takes it). */
  uploadBase64: string;
  /** Upload path and headers of each connection: its own user and token. */
  uploadPerConnection: { path: string; headers: Record<string, string> }[];
}

/**
 * Accounts for the writing scenarios, made only after the read scenarios:
 * Argon2's 19 MiB buffers and libvips stay resident once used, so the read
 * scenarios' memory is of reading alone. One writer, and one user per upload
 * connection; one upload is sent to check it is accepted.
 */
export async function prepareWrites(blog: Server, notes: string[]): Promise<WriteSets> {
  const uploadUsers = Math.min(settings.users, settings.authConnections);
  const writerToken = await login(blog.origin, 1);
  const uploadTokens: { user: number; token: string }[] = [];
  for (let user = 1; user <= uploadUsers; user++) uploadTokens.push({ user, token: await login(blog.origin, user) });
  if (uploadUsers < settings.authConnections)
    notes.push(`Only ${uploadUsers} users: some upload connections share a user.`);

  const jpeg = await makeJpeg();
  const upload = multipart(jpeg);
  const uploadPerConnection = uploadTokens.map(({ user, token }) => ({
    path: `/api/users/${user}/picture`,
    headers: { authorization: `Bearer ${token}`, 'content-type': upload.contentType },
  }));
  const first = element(uploadPerConnection, 0);
  const smoke = await fetch(`${blog.origin}${first.path}`, {
    method: 'PATCH',
    headers: first.headers,
    body: new Uint8Array(upload.body),
  });
  if (!smoke.ok) throw new Error(`a test upload answered ${smoke.status}: ${await smoke.text()}`);
  return { writerToken, jpegBytes: jpeg.length, uploadBase64: upload.body.toString('base64'), uploadPerConnection };
}

type IdentityCheck = ReportInput['identity'][number];

async function getBytes(target: Server, requestPath: string) {
  const response = await fetch(`${target.origin}${requestPath}`);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function compareBytes(what: string, blog: Server, floor: Server, requestPath: string): Promise<IdentityCheck> {
  const [a, b] = await Promise.all([getBytes(blog, requestPath), getBytes(floor, requestPath)]);
  if (a.status !== 200 || b.status !== 200) {
    return { what, identical: false, detail: `status blog ${a.status}, floor ${b.status}` };
  }
  if (a.bytes.equals(b.bytes)) return { what, identical: true, detail: `${a.bytes.length} bytes` };
  let at = 0;
  while (at < a.bytes.length && a.bytes[at] === b.bytes[at]) at++;
  const around = (buf: Buffer) => JSON.stringify(buf.subarray(Math.max(0, at - 40), at + 40).toString());
  return {
    what,
    identical: false,
    detail: `first difference at byte ${at}: blog ${around(a.bytes)} vs floor ${around(b.bytes)}`,
  };
}

/** The floor is only a floor if it answers what the blog answers, byte for byte. */
export async function compareWithFloor(blog: Server, floor: Server, sets: RequestSets): Promise<IdentityCheck[]> {
  const postPath = element(sets.postPaths, 0);
  const identity = [
    await compareBytes('first page GET /api/posts', blog, floor, '/api/posts'),
    await compareBytes(`single post GET ${postPath}`, blog, floor, postPath),
    await compareBytes('page GET /api/posts?skip=1000&limit=25', blog, floor, '/api/posts?skip=1000&limit=25'),
  ];
  for (const check of identity) {
    log(`identity, ${check.what}: ${check.identical ? 'identical' : `DIFFERS: ${check.detail}`}`);
  }
  return identity;
}
