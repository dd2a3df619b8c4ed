// Profile pictures: the upload is judged by its bytes (magic number, then a
// full decode by libvips), never by its name or declared type. sharp works on
// libuv's thread pool, so decoding and resizing never block the event loop.
import type { Sharp, SharpOptions } from 'sharp';
import { heavyWork } from './index.js';

/**
 * sharp (libvips) is loaded on the first upload, not at start: a server that
 * only serves pages never pays for its memory. Every upload is a new image,
 * so libvips' operation cache would only hold memory; one libvips thread per
 * image, and images wait their turn with the other heavy work.
 */
let loadSharp: Promise<(input: Buffer, options: SharpOptions) => Sharp> | undefined;
function sharpFor(input: Buffer, options: SharpOptions): Promise<Sharp> {
  loadSharp ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  });
  return loadSharp.then((sharp) => sharp(input, options));
}

export const PICTURE_SIZE = 300;
/** Decoding stops before allocating for anything larger (decompression bombs). */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * mozjpeg's quantisation tables with optimised Huffman coding, without its
 * trellis quantisation: trellis made a 300x300 picture about 20% smaller
 * (6.8 against 8.4 KB) at five times the encoding time (6.4 against 1.5 ms),
 * a third of an upload's whole cost.
 */
const JPEG_OUTPUT = { quality: 85, quantisationTable: 3, optimiseCoding: true } as const;

export class InvalidImageError extends Error {
  override name = 'InvalidImageError';
}

type Format = 'jpeg' | 'png' | 'gif' | 'webp';

function sniffFormat(bytes: Buffer): Format | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Decodes an uploaded image (JPEG, PNG, GIF first frame or WebP), applies its
 * EXIF orientation, centre-crops it to a 300x300 square and re-encodes it as a
 * JPEG without metadata. Throws InvalidImageError for anything else.
 */
export async function processProfilePicture(bytes: Buffer): Promise<Buffer> {
  const sniffed = sniffFormat(bytes);
  if (!sniffed) throw new InvalidImageError('not a JPEG, PNG, GIF or WebP file');
  try {
    const image = await sharpFor(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
    return await heavyWork(async () => {
      const { format, hasAlpha } = await image.metadata();
      if (format !== sniffed) throw new InvalidImageError(`content is ${format}, header says ${sniffed}`);
      // JPEG shrink-on-load still applies after rotate(): the decoder works at 1/2, 1/4 or 1/8 scale.
      image.rotate().resize(PICTURE_SIZE, PICTURE_SIZE, { fit: 'cover', position: 'centre' });
      if (hasAlpha) image.flatten({ background: '#ffffff' }); // JPEG has no transparency
      // sharp drops EXIF/ICC/XMP unless asked to keep them.
      return image.jpeg(JPEG_OUTPUT).toBuffer();
    });
  } catch (error) {
    if (error instanceof InvalidImageError) throw error;
    throw new InvalidImageError((error as Error).message);
  }
}
