// PATCH/DELETE /api/users/{id}/picture over HTTP: the stored picture, its URL,
// the error statuses, and the promise that no file is left without a user and
// no user points at a missing file (checked after every operation).
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import {
  createTestApp,
  defined,
  expectPicturesConsistent,
  listen,
  me,
  measureRssGrowth,
  multipart,
  noisePng,
  pngOf,
  privateProfile,
  rawRequest,
  signedInUser,
  uploadParts,
  uploadPicture as upload,
  useTestApp,
  type Headers,
  type SignedIn,
  type TestContext,
} from '../helpers/index.js';

const context = useTestApp();

const PICTURE_FILE = /^[0-9a-f]{32}\.jpg$/;
const INVALID_IMAGE = /^Invalid image file/;

function deletePicture(app: App, userId: number, headers: Headers) {
  return app.inject({ method: 'DELETE', url: `/api/users/${userId}/picture`, headers });
}

const fileOnDisk = (ctx: TestContext, name: string) =>
  existsSync(path.join(ctx.dataDir, 'media', 'profile_pics', name));

/** Uploads a picture that must be accepted and returns the new file name. */
async function givePicture(ctx: TestContext, user: SignedIn, colour = '#ff0000') {
  const response = await upload(ctx.app, user.id, user.headers, await pngOf(colour));
  expect(response.statusCode).toBe(200);
  const name = response.json<{ image_file: string }>().image_file;
  expect(name).toMatch(PICTURE_FILE);
  await expectPicturesConsistent(ctx);
  return name;
}

describe('PATCH /api/users/{id}/picture', () => {
  it('stores the picture and answers the UserPrivate with the new image_file and image_path', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const response = await upload(ctx.app, user.id, user.headers, await pngOf('#00ff00'));
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual([
      'email',
      'id',
      'image_file',
      'image_path',
      'role',
      'two_factor',
      'username',
    ]);
    expect(body).toMatchObject({ id: user.id, username: user.username, email: user.email });
    expect(body.image_file).toMatch(PICTURE_FILE);
    expect(body.image_path).toBe(`/media/profile_pics/${body.image_file as string}`);
    expect(fileOnDisk(ctx, body.image_file as string)).toBe(true);
    expect(await expectPicturesConsistent(ctx)).toContain(body.image_file);

    // The profile and the public view agree.
    expect(await me(ctx.app, user.headers)).toMatchObject({ image_file: body.image_file, image_path: body.image_path });
    const publicView = await ctx.app.inject(`/api/users/${user.id}`);
    expect(publicView.json()).toMatchObject({ image_file: body.image_file, image_path: body.image_path });
  });

  it('serves the stored picture as a 300x300 JPEG with nosniff', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const response = await upload(ctx.app, user.id, user.headers, await pngOf('#0000ff', 500, 200));
    expect(response.statusCode).toBe(200);
    const { image_path: imagePath } = response.json<{ image_path: string }>();

    const served = await ctx.app.inject(imagePath);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^image\/jpeg/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const metadata = await sharp(served.rawPayload).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 300, 300]);
    expect(metadata.exif).toBeUndefined();
    await expectPicturesConsistent(ctx);
  });

  it('the default avatar URL serves an image too', async () => {
    const ctx = await context();
    const served = await ctx.app.inject(DEFAULT_AVATAR_URL);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^image\/jpeg/);
    expect((await sharp(served.rawPayload).metadata()).format).toBe('jpeg');
  });

  it('accepts JPEG, GIF and WebP as well, judged by content not by name or declared type', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const base = sharp({ create: { width: 90, height: 60, channels: 3, background: '#808000' } });
    const files: [Buffer, string, string][] = [
      [await base.clone().jpeg().toBuffer(), 'photo.jpg', 'image/jpeg'],
      [await base.clone().gif().toBuffer(), 'anim.gif', 'image/gif'],
      [await base.clone().webp().toBuffer(), 'pic.webp', 'image/webp'],
      [await base.clone().png().toBuffer(), 'document.txt', 'text/plain'],
    ];
    for (const [bytes, filename, type] of files) {
      const response = await upload(ctx.app, user.id, user.headers, bytes, filename, type);
      expect(response.statusCode, filename).toBe(200);
      const { image_file: name } = response.json<{ image_file: string }>();
      expect(name).toMatch(PICTURE_FILE);
      const served = await ctx.app.inject(`/media/profile_pics/${name}`);
      expect((await sharp(served.rawPayload).metadata()).format).toBe('jpeg');
      await expectPicturesConsistent(ctx);
    }
  });

  it('replacing the picture removes the old file', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const first = await givePicture(ctx, user, '#ff0000');
    expect((await ctx.app.inject(`/media/profile_pics/${first}`)).statusCode).toBe(200);

    const second = await givePicture(ctx, user, '#00ff00');
    expect(second).not.toBe(first);
    expect(fileOnDisk(ctx, first)).toBe(false);
    expect(fileOnDisk(ctx, second)).toBe(true);
    expect((await ctx.app.inject(`/media/profile_pics/${first}`)).statusCode).toBe(404);
    expect((await ctx.app.inject(`/media/profile_pics/${second}`)).statusCode).toBe(200);
    expect((await me(ctx.app, user.headers)).image_file).toBe(second);
    const onDisk = await expectPicturesConsistent(ctx);
    expect(onDisk).not.toContain(first);
  });

  it('the same bytes uploaded twice get a new random name each time', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const png = await pngOf('#123456');
    const names = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await upload(ctx.app, user.id, user.headers, png);
      expect(response.statusCode).toBe(200);
      names.push(response.json<{ image_file: string }>().image_file);
      await expectPicturesConsistent(ctx);
    }
    expect(new Set(names).size).toBe(3);
    expect(names.slice(0, 2).map((name) => fileOnDisk(ctx, name))).toEqual([false, false]);
  });

  describe('400 for content that is not a JPEG, PNG, GIF or WebP image', () => {
    let ctx: TestContext;
    let user: SignedIn;
    let existing: string;
    beforeAll(async () => {
      ctx = await context();
      user = await signedInUser(ctx.app);
      existing = await givePicture(ctx, user, '#abcdef');
    });

    async function expectRefused(bytes: Buffer, filename: string, type: string) {
      const before = await expectPicturesConsistent(ctx);
      const response = await upload(ctx.app, user.id, user.headers, bytes, filename, type);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ detail: string }>().detail).toMatch(INVALID_IMAGE);
      // Nothing stored, and the existing picture is untouched.
      expect(await expectPicturesConsistent(ctx)).toEqual(before);
      expect((await me(ctx.app, user.headers)).image_file).toBe(existing);
      expect(fileOnDisk(ctx, existing)).toBe(true);
    }

    it('a text file (even one named .png with an image type)', async () => {
      await expectRefused(Buffer.from('just some text, not an image\n'), 'notes.txt', 'text/plain');
      await expectRefused(Buffer.from('just some text, not an image\n'), 'photo.png', 'image/png');
    });

    it('a truncated image', async () => {
      const png = await noisePng(200, 200);
      await expectRefused(png.subarray(0, Math.floor(png.length / 2)), 'cut.png', 'image/png');
      const jpeg = await sharp(png).jpeg().toBuffer();
      await expectRefused(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg', 'image/jpeg');
    });

    it('an SVG', async () => {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>';
      await expectRefused(Buffer.from(svg), 'avatar.svg', 'image/svg+xml');
    });

    it('an empty file', async () => {
      await expectRefused(Buffer.alloc(0), 'empty.png', 'image/png');
    });

    it('an HTML page disguised as a JPEG', async () => {
      await expectRefused(Buffer.from('<html><script>alert(1)</script></html>'), 'x.jpg', 'image/jpeg');
    });
  });

  describe('413 for a file larger than MAX_UPLOAD_SIZE_BYTES', () => {
    let small: TestContext;
    beforeAll(async () => {
      small = await createTestApp({ MAX_UPLOAD_SIZE_BYTES: '100000' });
    });
    afterAll(async () => {
      await small.close();
    });

    it('a picture within the limit is accepted', async () => {
      const user = await signedInUser(small.app);
      const png = await noisePng(100, 100); // about 30 kB
      expect(png.length).toBeLessThan(100_000);
      const response = await upload(small.app, user.id, user.headers, png);
      expect(response.statusCode).toBe(200);
      await expectPicturesConsistent(small);
    });

    it('a file just over the limit (counted while streaming)', async () => {
      const user = await signedInUser(small.app);
      const png = await noisePng(200, 200); // about 120 kB, a valid image
      expect(png.length).toBeGreaterThan(100_000);
      expect(png.length).toBeLessThan(100_000 + 64 * 1024);
      const before = await expectPicturesConsistent(small);
      const response = await upload(small.app, user.id, user.headers, png);
      expect(response.statusCode).toBe(413);
      expect(response.json<{ detail: string }>().detail).toMatch(/too large/i);
      expect(await expectPicturesConsistent(small)).toEqual(before);
      expect((await me(small.app, user.headers)).image_file).toBeNull();
    });

    it('a body far over the limit (refused on its declared length)', async () => {
      const user = await signedInUser(small.app);
      const existing = await givePicture(small, user);
      const response = await upload(small.app, user.id, user.headers, Buffer.alloc(1024 * 1024, 1));
      expect(response.statusCode).toBe(413);
      expect(response.json<{ detail: string }>().detail).toMatch(/too large/i);
      expect((await me(small.app, user.headers)).image_file).toBe(existing);
      expect(await expectPicturesConsistent(small)).toContain(existing);
    });

    it('the default limit is 5 MiB: a 6 MiB file is refused on the default app', async () => {
      const ctx = await context();
      const user = await signedInUser(ctx.app);
      expect(ctx.config.maxUploadSizeBytes).toBe(5 * 1024 * 1024);
      const response = await upload(ctx.app, user.id, user.headers, Buffer.alloc(6 * 1024 * 1024, 7));
      expect(response.statusCode).toBe(413);
      await expectPicturesConsistent(ctx);
    });
  });

  describe('422 when there is no file', () => {
    it('multipart with the file under another field name', async () => {
      const ctx = await context();
      const user = await signedInUser(ctx.app);
      const response = await uploadParts(ctx.app, user.id, user.headers, [
        { name: 'picture', value: await pngOf('#ff00ff'), filename: 'me.png', type: 'image/png' },
      ]);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: [{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }] });
      expect((await me(ctx.app, user.headers)).image_file).toBeNull();
      await expectPicturesConsistent(ctx);
    });

    it('multipart with only a text field named file', async () => {
      const ctx = await context();
      const user = await signedInUser(ctx.app);
      const response = await uploadParts(ctx.app, user.id, user.headers, [{ name: 'file', value: 'not a file' }]);
      expect(response.statusCode).toBe(422);
      expect(defined(response.json<{ detail: { loc: unknown[] }[] }>().detail[0]).loc).toEqual(['body', 'file']);
      await expectPicturesConsistent(ctx);
    });

    it('a JSON body', async () => {
      const ctx = await context();
      const user = await signedInUser(ctx.app);
      const response = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.id}/picture`,
        headers: user.headers,
        payload: { file: 'aGVsbG8=' },
      });
      expect(response.statusCode).toBe(422);
      const detail = response.json<{ detail: { loc: unknown[] }[] }>().detail;
      expect(Array.isArray(detail)).toBe(true);
      expect(defined(detail[0]).loc).toEqual(['body', 'file']);
      await expectPicturesConsistent(ctx);
    });

    it('no body at all', async () => {
      const ctx = await context();
      const user = await signedInUser(ctx.app);
      const response = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.id}/picture`,
        headers: user.headers,
      });
      expect(response.statusCode).toBe(422);
      await expectPicturesConsistent(ctx);
    });
  });

  it("403 on another user's id, and their picture is untouched", async () => {
    const ctx = await context();
    const owner = await signedInUser(ctx.app, 'owner');
    const intruder = await signedInUser(ctx.app, 'intruder');
    const ownersPicture = await givePicture(ctx, owner);
    const before = await expectPicturesConsistent(ctx);

    const response = await upload(ctx.app, owner.id, intruder.headers, await pngOf('#000000'));
    expect(response.statusCode).toBe(403);
    expect(typeof response.json<{ detail: unknown }>().detail).toBe('string');
    expect((await me(ctx.app, owner.headers)).image_file).toBe(ownersPicture);
    expect((await me(ctx.app, intruder.headers)).image_file).toBeNull();
    expect(await expectPicturesConsistent(ctx)).toEqual(before);
  });

  it('404 for a user that does not exist, 422 for an id that is not an integer', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const missing = await upload(ctx.app, 2_000_000_000, user.headers, await pngOf('#000000'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'User not found' });
    const notAnId = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/users/abc/picture',
      headers: user.headers,
      payload: { file: 'x' },
    });
    expect(notAnId.statusCode).toBe(422);
    await expectPicturesConsistent(ctx);
  });

  it('401 without a token or with a bad one, even for a large body', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const before = await expectPicturesConsistent(ctx);
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
      const small = await upload(ctx.app, user.id, headers, await pngOf('#ff0000'));
      expect(small.statusCode).toBe(401);
      expect(small.headers['www-authenticate']).toBe('Bearer');
      const large = await upload(ctx.app, user.id, headers, Buffer.alloc(8 * 1024 * 1024, 1));
      expect(large.statusCode).toBe(401);
      expect(large.headers['www-authenticate']).toBe('Bearer');
    }
    expect(await expectPicturesConsistent(ctx)).toEqual(before);
  });
});

describe('DELETE /api/users/{id}/picture', () => {
  it('removes the picture: 200 with image_file null and the default image_path, file gone', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const name = await givePicture(ctx, user);

    const response = await deletePicture(ctx.app, user.id, user.headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(privateProfile(user));
    expect(fileOnDisk(ctx, name)).toBe(false);
    expect((await ctx.app.inject(`/media/profile_pics/${name}`)).statusCode).toBe(404);
    expect(await me(ctx.app, user.headers)).toMatchObject({ image_file: null, image_path: DEFAULT_AVATAR_URL });
    expect(await expectPicturesConsistent(ctx)).not.toContain(name);
  });

  it('400 "No profile picture to delete" when there is none (and after a delete)', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const never = await deletePicture(ctx.app, user.id, user.headers);
    expect(never.statusCode).toBe(400);
    expect(never.json()).toEqual({ detail: 'No profile picture to delete' });
    await expectPicturesConsistent(ctx);

    await givePicture(ctx, user);
    expect((await deletePicture(ctx.app, user.id, user.headers)).statusCode).toBe(200);
    await expectPicturesConsistent(ctx);
    const again = await deletePicture(ctx.app, user.id, user.headers);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ detail: 'No profile picture to delete' });
    await expectPicturesConsistent(ctx);
  });

  it("403 on another user's id, and their picture stays", async () => {
    const ctx = await context();
    const owner = await signedInUser(ctx.app, 'owner');
    const intruder = await signedInUser(ctx.app, 'intruder');
    const name = await givePicture(ctx, owner);
    await givePicture(ctx, intruder);

    const response = await deletePicture(ctx.app, owner.id, intruder.headers);
    expect(response.statusCode).toBe(403);
    expect(fileOnDisk(ctx, name)).toBe(true);
    expect((await me(ctx.app, owner.headers)).image_file).toBe(name);
    expect((await ctx.app.inject(`/media/profile_pics/${name}`)).statusCode).toBe(200);
    await expectPicturesConsistent(ctx);
  });

  it('401 without a token', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const name = await givePicture(ctx, user);
    const response = await deletePicture(ctx.app, user.id, {});
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(fileOnDisk(ctx, name)).toBe(true);
    await expectPicturesConsistent(ctx);
  });
});

describe('the picture and the account', () => {
  it("deleting the account removes the user's picture file", async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const other = await signedInUser(ctx.app, 'other');
    const name = await givePicture(ctx, user);
    const othersPicture = await givePicture(ctx, other);

    const response = await ctx.app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: user.headers });
    expect(response.statusCode).toBe(204);
    expect(fileOnDisk(ctx, name)).toBe(false);
    expect((await ctx.app.inject(`/media/profile_pics/${name}`)).statusCode).toBe(404);
    expect(fileOnDisk(ctx, othersPicture)).toBe(true);
    const onDisk = await expectPicturesConsistent(ctx);
    expect(onDisk).not.toContain(name);
    expect(onDisk).toContain(othersPicture);
  });

  it('when the database update fails, the new file is removed and the old picture is intact', async () => {
    const ctx = await context();
    const user = await signedInUser(ctx.app);
    const old = await givePicture(ctx, user, '#ff0000');
    const before = await expectPicturesConsistent(ctx);

    const spy = vi
      .spyOn(ctx.app.repositories.userPictures, 'replaceImageFile')
      .mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked (simulated)'));
    try {
      const response = await upload(ctx.app, user.id, user.headers, await pngOf('#00ff00'));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ detail: 'Internal Server Error' });
      expect(response.body).not.toMatch(/SQLITE|simulated/);
    } finally {
      spy.mockRestore();
    }

    // No new file remains, the old one is still there and still the user's.
    expect(await expectPicturesConsistent(ctx)).toEqual(before);
    expect(fileOnDisk(ctx, old)).toBe(true);
    expect((await me(ctx.app, user.headers)).image_file).toBe(old);
    expect((await ctx.app.inject(`/media/profile_pics/${old}`)).statusCode).toBe(200);

    // And the next upload works normally.
    const next = await givePicture(ctx, user, '#0000ff');
    expect(fileOnDisk(ctx, old)).toBe(false);
    const after = await expectPicturesConsistent(ctx);
    expect(after).toContain(next);
    expect(after).not.toContain(old);
    expect(after).toHaveLength(before.length);
  });
});

describe('uploads on a listening server (default 5 MiB limit)', () => {
  let server: TestContext;
  let port: number;
  let user: SignedIn;
  beforeAll(async () => {
    server = await createTestApp();
    port = await listen(server);
    user = await signedInUser(server.app);
  });
  afterAll(async () => {
    await server.close();
  });

  const GiB = 1024 * 1024 * 1024;
  const boundary = '----blogtestboundary7MA4YWxkTrZu0gW';

  /**
   * Sends a PATCH of the picture with the given headers and body stream (or,
   * without one, the headers alone, the request left open), resolving on the
   * first complete response.
   */
  const send = (headers: OutgoingHttpHeaders, body: Readable | undefined, onResponse?: () => void) =>
    rawRequest(port, {
      method: 'PATCH',
      path: `/api/users/${user.id}/picture`,
      headers,
      body,
      keepOpen: true,
      onResponse,
    });

  const filePartHead = (filename: string) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`,
    );
  const multipartTail = Buffer.from(`\r\n--${boundary}--\r\n`);

  /**
   * Streams a file part of up to 1 GiB of zeros, chunked (no Content-Length),
   * and stops generating as soon as the response arrives.
   */
  async function streamHugeUpload(chunkSize: number) {
    let stop = false;
    let sent = 0;
    const zeros = Buffer.alloc(chunkSize);
    function* generate() {
      yield filePartHead('huge.png');
      while (!stop && sent < GiB) {
        sent += zeros.length;
        yield zeros;
      }
      yield multipartTail;
    }

    let sentWhenAnswered = -1;
    const { result: answer, rssGrowth } = await measureRssGrowth(
      () =>
        send(
          {
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
            authorization: user.headers.authorization,
          },
          Readable.from(generate()),
          () => {
            stop = true;
            sentWhenAnswered = sent;
          },
        ),
      10,
    );
    return { answer, sentWhenAnswered, rssGrowth };
  }

  it('a 1 GiB chunked upload without Content-Length is answered 413 within seconds, without buffering it', async () => {
    // 100,000-byte chunks: the 5 MiB limit falls inside a chunk.
    const { answer, rssGrowth } = await streamHugeUpload(100_000);
    expect(answer.status, answer.body).toBe(413);
    expect((JSON.parse(answer.body) as { detail: string }).detail).toBe('File too large. The maximum size is 5 MiB.');
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect(rssGrowth).toBeLessThan(150 * 1024 * 1024);
    await expectPicturesConsistent(server);
    expect((await me(server.app, user.headers)).image_file).toBeNull();
  });

  it('the 413 for an oversized chunked upload comes before the client has sent the whole body', async () => {
    // The route says "whatever the client is still sending is not read": the
    // refusal must not wait for the rest of a 1 GiB body (on a real network
    // that would take minutes).
    const { answer, sentWhenAnswered } = await streamHugeUpload(100_000);
    expect(answer.status, answer.body).toBe(413);
    expect(sentWhenAnswered).toBeGreaterThan(5 * 1024 * 1024);
    expect(sentWhenAnswered).toBeLessThan(GiB);
    await expectPicturesConsistent(server);
  });

  it('a client that goes on sending after the 413 is not reset: the rest is read until the upload ends, then the connection closes', async () => {
    // A client that keeps writing after the answer must not meet a reset: a
    // reset can overtake the 413 and the client then sees EPIPE instead.
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    await once(socket, 'connect');
    const write = (data: Buffer | string) =>
      new Promise<void>((resolve, reject) => {
        socket.write(data, (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    const chunk = (data: Buffer) =>
      Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
    });
    const serverClosed = once(socket, 'end');
    await write(
      `PATCH /api/users/${user.id}/picture HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        `Authorization: ${user.headers.authorization}\r\nTransfer-Encoding: chunked\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n\r\n`,
    );
    await write(chunk(filePartHead('huge.png')));
    const zeros = Buffer.alloc(1024 * 1024);
    let sent = 0;
    while (!received.includes('too large')) {
      await write(chunk(zeros));
      sent += zeros.length;
    }
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(64 * 1024 * 1024);

    // 16 MiB more after the answer, then the end of the upload.
    for (let more = 0; more < 16; more += 1) await write(chunk(zeros));
    await write(chunk(multipartTail));
    await write('0\r\n\r\n');
    await serverClosed;
    socket.end();
    await once(socket, 'close');
    expect(errors).toEqual([]);
    await expectPicturesConsistent(server);
  });

  it('a file over the limit is refused even when a data chunk ends exactly at the limit', async () => {
    // A valid PNG padded with zeros to 6 MiB: over the 5 MiB limit. Cut at
    // exactly 5 MiB it would still decode, so silently truncating it instead
    // of refusing it stores a picture from an oversized upload.
    const limit = server.config.maxUploadSizeBytes;
    const png = await pngOf('#ff0000', 64, 64);
    const file = Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024 - png.length)]);
    expect(file.length).toBeGreaterThan(limit);
    const before = await expectPicturesConsistent(server);

    const answer = await send(
      {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'transfer-encoding': 'chunked',
        authorization: user.headers.authorization,
      },
      Readable.from([filePartHead('padded.png'), file.subarray(0, limit), file.subarray(limit), multipartTail]),
    );
    expect(answer.status, answer.body).toBe(413);
    expect(await expectPicturesConsistent(server)).toEqual(before);
    expect((await me(server.app, user.headers)).image_file).toBeNull();
  });

  it('a file of exactly MAX_UPLOAD_SIZE_BYTES is not refused as too large', async () => {
    const limit = server.config.maxUploadSizeBytes;
    const png = await pngOf('#00ff00', 64, 64);
    const file = Buffer.concat([png, Buffer.alloc(limit - png.length)]);
    const { payload, contentType } = await multipart([
      { name: 'file', value: file, filename: 'exact.png', type: 'image/png' },
    ]);
    const answer = await send(
      {
        'content-type': contentType,
        'content-length': String(payload.length),
        authorization: user.headers.authorization,
      },
      Readable.from([payload]),
    );
    expect(answer.status).not.toBe(413);
    expect([200, 400]).toContain(answer.status);
    if (answer.status === 200) {
      await server.app.inject({ method: 'DELETE', url: `/api/users/${user.id}/picture`, headers: user.headers });
    }
    await expectPicturesConsistent(server);
  });

  it('a request declaring a 1 GiB Content-Length is answered 413 without sending the body', async () => {
    const answer = await send(
      {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(GiB),
        authorization: user.headers.authorization,
      },
      undefined,
    );
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { detail: string }).detail).toMatch(/too large/i);
    expect(answer.elapsedMs).toBeLessThan(5_000);
    await expectPicturesConsistent(server);
  });

  it('a request declaring a 1 GiB Content-Length without a token is answered 401 without sending the body', async () => {
    const answer = await send(
      { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(GiB) },
      undefined,
    );
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect(answer.elapsedMs).toBeLessThan(5_000);
  });

  it('the server still serves requests afterwards, and a normal upload over the socket works', async () => {
    const png = await pngOf('#336699');
    const { payload, contentType } = await multipart([
      { name: 'file', value: png, filename: 'me.png', type: 'image/png' },
    ]);
    const answer = await send(
      {
        'content-type': contentType,
        'content-length': String(payload.length),
        authorization: user.headers.authorization,
      },
      Readable.from([payload]),
    );
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { image_file: string }).image_file).toMatch(PICTURE_FILE);
    await expectPicturesConsistent(server);
  });
});
