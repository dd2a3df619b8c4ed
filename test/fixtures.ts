// Request bodies and image files the tests build: multipart uploads, and PNGs
// made by hand (a header that declares any size, with little or no data).
import { crc32, deflateSync } from 'node:zlib';
import type { App } from '../src/app.js';

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
      form.append(part.name, new Blob([new Uint8Array(bytes)], { type: part.type ?? 'application/octet-stream' }), part.filename ?? 'upload.bin');
    }
  }
  const request = new Request('http://localhost/', { method: 'PATCH', body: form });
  const contentType = request.headers.get('content-type');
  if (!contentType) throw new Error('FormData gave no content type');
  return { payload: Buffer.from(await request.arrayBuffer()), contentType };
}

/** PATCH /api/users/{userId}/picture with these multipart parts. */
export async function uploadParts(app: App, userId: number, headers: Record<string, string>, parts: Part[]) {
  const { payload, contentType } = await multipart(parts);
  return app.inject({
    method: 'PATCH',
    url: `/api/users/${userId}/picture`,
    headers: { ...headers, 'content-type': contentType },
    payload,
  });
}

/** Uploads one file as the `file` field. */
export function uploadPicture(app: App, userId: number, headers: Record<string, string>, file: Buffer, filename = 'me.png', type = 'image/png') {
  return uploadParts(app, userId, headers, [{ name: 'file', value: file, filename, type }]);
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
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', greyscaleIhdr(width, height)), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}
