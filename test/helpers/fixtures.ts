// Request bodies and image files the tests build: multipart uploads, PNGs
// drawn by sharp, and PNGs made by hand (a header that declares any size, with
// little or no data).
import { crc32, createDeflate, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { App } from '../../src/app.js';
import type { Headers } from './api.js';

export interface Part {
  name: string;
  value: Buffer | string;
  filename?: string;
  type?: string;
}

/** A multipart/form-data body serialised by the platform's own FormData; a string without a filename is a plain field. */
export async function multipart(parts: Part[]) {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === 'string' && part.filename === undefined) {
      form.append(part.name, part.value);
    } else {
      const bytes = typeof part.value === 'string' ? Buffer.from(part.value) : part.value;
      const blob = new Blob([new Uint8Array(bytes)], { type: part.type ?? 'application/octet-stream' });
      form.append(part.name, blob, part.filename ?? 'upload.bin');
    }
  }
  const request = new Request('http://localhost/', { method: 'PATCH', body: form });
  const contentType = request.headers.get('content-type');
  if (!contentType) throw new Error('FormData gave no content type');
  return { payload: Buffer.from(await request.arrayBuffer()), contentType };
}

/** PATCH /api/users/{userId}/picture with these multipart parts. */
export async function uploadParts(app: App, userId: number, headers: Headers, parts: Part[]) {
  const { payload, contentType } = await multipart(parts);
  return app.inject({
    method: 'PATCH',
    url: `/api/users/${userId}/picture`,
    headers: { ...headers, 'content-type': contentType },
    payload,
  });
}

/** Uploads one file as the `file` field. */
export function uploadPicture(
  app: App,
  userId: number,
  headers: Headers,
  file: Buffer,
  filename = 'me.png',
  type = 'image/png',
) {
  return uploadParts(app, userId, headers, [{ name: 'file', value: file, filename, type }]);
}

/** A PNG of one colour. */
export const pngOf = (colour: string, width = 120, height = 80) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();

/** Random pixels: a valid PNG that does not compress. */
export function noisePng(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** The IHDR of a greyscale, non-interlaced PNG of width x height. */
export function greyscaleIhdr(width: number, height: number, bitDepth = 8) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  return ihdr;
}

/** A small PNG whose header declares width x height pixels, with only `rows` rows of (zero) data. */
export function pngDeclaring(width: number, height: number, rows = 16) {
  // Each row is a filter byte (0) and the pixels: valid data, far short of the declared size.
  const idat = deflateSync(Buffer.alloc(Math.min(rows, height) * (width + 1)));
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', greyscaleIhdr(width, height)),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const MiB = 1024 * 1024;

/** zlib data for `total` zero bytes, compressed as a stream (never holding the raw bytes). */
async function deflatedZeros(total: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const zeros = Buffer.alloc(MiB);
  for (let written = 0; written < total; written += zeros.length) {
    const piece = zeros.subarray(0, Math.min(zeros.length, total - written));
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * A complete 1-bit greyscale PNG of width x height: every row present (zeros),
 * so a decoder without a pixel limit decodes all of it.
 */
export async function completePng(width: number, height: number) {
  const idat = await deflatedZeros(height * (Math.ceil(width / 8) + 1));
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', greyscaleIhdr(width, height, 1)),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 2x2 24-bit uncompressed Windows bitmap. */
export function bmp() {
  const width = 2;
  const height = 2;
  const rowBytes = 8; // 2 pixels * 3 bytes, padded to 4
  const bytes = Buffer.alloc(54 + rowBytes * height, 0x80);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(bytes.length, 2);
  bytes.writeUInt32LE(0, 6);
  bytes.writeUInt32LE(54, 10);
  bytes.writeUInt32LE(40, 14);
  bytes.writeInt32LE(width, 18);
  bytes.writeInt32LE(height, 22);
  bytes.writeUInt16LE(1, 26);
  bytes.writeUInt16LE(24, 28);
  bytes.writeUInt32LE(0, 30);
  bytes.writeUInt32LE(rowBytes * height, 34);
  bytes.writeInt32LE(2835, 38);
  bytes.writeInt32LE(2835, 42);
  bytes.writeUInt32LE(0, 46);
  bytes.writeUInt32LE(0, 50);
  return bytes;
}
