// Pictures in an S3-compatible object store. The server here is s3rver, an
// S3 implementation that speaks the real protocol over HTTP and checks
// request signatures; no S3 server is packaged for this machine's Debian.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { newPictureName } from '../../src/storage/picture-store.js';
import {
  createTestApp,
  defined,
  pngOf,
  signedInUser,
  uploadPicture,
  useCleanups,
  type Headers,
  type TestContext,
} from '../helpers/index.js';

const BUCKET = 'blog-pictures';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let s3Directory: string;
let server: S3rver;
let endpoint: string;
let client: S3Client;
let context: TestContext;

const s3Env = (overrides: Record<string, string> = {}) => ({
  S3_BUCKET: BUCKET,
  S3_ENDPOINT: endpoint,
  S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  ...overrides,
});

const closeAfter = useCleanups();

beforeAll(async () => {
  s3Directory = mkdtempSync(path.join(tmpdir(), 'blog-s3-'));
  closeAfter(() => {
    rmSync(s3Directory, { recursive: true, force: true });
  });
  server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: s3Directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  closeAfter(() => server.close());
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  closeAfter(() => {
    client.destroy();
  });
  context = await createTestApp(s3Env());
  closeAfter(() => context.close());
});

async function objectNames(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'profile_pics/' }));
  return (listed.Contents ?? []).map((object) => defined(object.Key).replace('profile_pics/', '')).sort();
}

async function pictureNames(): Promise<string[]> {
  return (await context.app.repositories.userPictures.allImageFiles()).sort();
}

const upload = (userId: number, headers: Headers, bytes: Buffer) => uploadPicture(context.app, userId, headers, bytes);

const png = (color: string) => pngOf(color, 500, 400);

describe('the S3 picture store', () => {
  it('stores uploads in the bucket, not on local disk, and serves them from there', async () => {
    const user = await signedInUser(context.app, 's3');
    const response = await upload(user.id, user.headers, await png('#2e86de'));
    expect(response.statusCode).toBe(200);
    const { image_file: name, image_path: url } = response.json<{ image_file: string; image_path: string }>();
    expect(await objectNames()).toContain(name);
    const localMedia = path.join(context.dataDir, 'media', 'profile_pics');
    expect(existsSync(localMedia) ? readdirSync(localMedia) : []).toEqual([]);

    const served = await context.app.inject(url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `profile_pics/${name}` }));
    expect(Buffer.from(await defined(stored.Body).transformToByteArray()).equals(served.rawPayload)).toBe(true);
    expect(await sharp(served.rawPayload).metadata()).toMatchObject({ format: 'jpeg', width: 300, height: 300 });
  });

  it('replacing, removing and account deletion delete the objects; the bucket matches the database', async () => {
    const user = await signedInUser(context.app, 's3b');
    const first = (await upload(user.id, user.headers, await png('#10ac84'))).json<{ image_file: string }>().image_file;
    const second = (await upload(user.id, user.headers, await png('#ee5253'))).json<{ image_file: string }>()
      .image_file;
    expect(await objectNames()).not.toContain(first);
    expect(await objectNames()).toContain(second);
    expect((await context.app.inject(`/media/profile_pics/${first}`)).statusCode).toBe(404);
    expect(await objectNames()).toEqual(await pictureNames());

    const removed = await context.app.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}/picture`,
      headers: user.headers,
    });
    expect(removed.statusCode).toBe(200);
    expect(await objectNames()).not.toContain(second);

    const third = (await upload(user.id, user.headers, await png('#feca57'))).json<{ image_file: string }>().image_file;
    expect(await objectNames()).toContain(third);
    const deleted = await context.app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: user.headers });
    expect(deleted.statusCode).toBe(204);
    expect(await objectNames()).not.toContain(third);
    expect(await objectNames()).toEqual(await pictureNames());
  });

  it('the start-up sweep removes objects a crash left without a user', async () => {
    const orphan = newPictureName();
    await context.app.db
      .insertInto('picture_cleanup')
      .values({ name: orphan, state: 'pending', created_at: Date.now() })
      .execute();
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `profile_pics/${orphan}`, Body: await png('#000000') }),
    );
    expect(await objectNames()).toContain(orphan);
    expect(await context.app.services.profilePictures.sweep(0)).toBe(1);
    expect(await objectNames()).not.toContain(orphan);
    expect(await objectNames()).toEqual(await pictureNames());
  });

  it('a store that refuses the write (unknown key id) changes nothing and answers a generic 500', async () => {
    const broken = await createTestApp(s3Env({ S3_ACCESS_KEY_ID: 'UNKNOWNKEY' }));
    try {
      const user = await signedInUser(broken.app, 's3bad');
      const response = await uploadPicture(broken.app, user.id, user.headers, await png('#576574'));
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ detail: 'Internal Server Error' });
      const me = await broken.app.inject({ method: 'GET', url: '/api/users/me', headers: user.headers });
      expect(me.json<{ image_file: string | null }>().image_file).toBeNull();
    } finally {
      await broken.close();
    }
  });

  it('is chosen by S3_BUCKET, with validated settings', () => {
    const base = { DATA_DIR: context.dataDir, SECRET_KEY: 'x'.repeat(40) };
    expect(loadConfig(base).s3).toBeUndefined();
    expect(loadConfig({ ...base, S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000' }).s3).toMatchObject({
      bucket: 'b',
      forcePathStyle: true,
      prefix: 'profile_pics/',
      region: 'us-east-1',
    });
    expect(() => loadConfig({ ...base, S3_BUCKET: 'b', S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ ...base, S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'only-one' })).toThrow(/set together/);
  });
});
