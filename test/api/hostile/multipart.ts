// Multipart bodies for the picture upload: correctly framed ones with hostile
// names, file names, types and bytes; broken framing; uploads cut short.
import fc from 'fast-check';
import { headerSafe, partParameter, XSS } from './material.js';
import { hostileString } from './values.js';

type PartBytes = Uint8Array | 'real-png' | 'png-header';

export interface MultipartPlan {
  contentType: string;
  boundary: string;
  parts: { name: string; filename: string | null; type: string | null; bytes: PartBytes }[];
  mangle: 'none' | 'truncate' | 'no-closing' | 'garbage' | 'empty' | 'lf-only' | 'preamble';
}

const WELL_FORMED_CONTENT_TYPES = ['multipart/form-data; boundary={B}', 'multipart/form-data; boundary="{B}"'];
/** The characters RFC 2046 allows in a boundary (without the space, which may not end one). */
const BOUNDARY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?".split('');
const isWellFormedBoundary = (boundary: string) => /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(boundary);

const multipartPart = (parameter: fc.Arbitrary<string>) =>
  fc.record({
    name: fc.oneof(
      { weight: 4, arbitrary: fc.constant('file') },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('FILE', 'file[]', '', '__proto__', 'constructor'), parameter) },
    ),
    filename: fc.option(
      fc.oneof(
        fc.constantFrom(
          'me.png',
          '../../etc/passwd',
          '..%2F..%2Fetc%2Fpasswd',
          '.htaccess',
          `${XSS}<script>.png`,
          'a'.repeat(1_000),
        ),
        parameter,
      ),
    ),
    type: fc.option(fc.constantFrom('image/png', 'image/jpeg', 'text/html', 'application/x-php', 'image/svg+xml', '')),
    bytes: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ maxLength: 2_048 }) },
      { weight: 1, arbitrary: fc.constantFrom<'real-png' | 'png-header'>('real-png', 'png-header') },
    ),
  });

/** Correctly framed multipart bodies with hostile names, file names, types and bytes. */
export const wellFormedMultipart: fc.Arbitrary<MultipartPlan> = fc.record({
  contentType: fc.constantFrom(...WELL_FORMED_CONTENT_TYPES),
  boundary: fc.oneof(
    fc.constantFrom('XBOUNDARY', 'a', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'x'.repeat(70)),
    fc.string({ unit: fc.constantFrom(...BOUNDARY_CHARS), minLength: 1, maxLength: 70 }),
  ),
  parts: fc.array(multipartPart(hostileString.filter(partParameter)), { maxLength: 3 }),
  mangle: fc.constantFrom<MultipartPlan['mangle']>('none', 'preamble'),
});

/** A plan that a correct parser must not read as a well-framed body. */
const isMalformed = (plan: MultipartPlan) =>
  plan.mangle !== 'none' ||
  !WELL_FORMED_CONTENT_TYPES.includes(plan.contentType) ||
  !isWellFormedBoundary(plan.boundary) ||
  plan.parts.some((part) => !partParameter(part.name) || (part.filename !== null && !partParameter(part.filename)));

/** Broken framing: no or bad boundary, a body cut short, no closing delimiter, bare LF, garbage, another media type. */
export const malformedMultipart: fc.Arbitrary<MultipartPlan> = fc
  .record({
    contentType: fc.constantFrom(
      ...WELL_FORMED_CONTENT_TYPES,
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/mixed; boundary={B}',
      'multipart/form-data; boundary={B}; charset=utf-16',
      'application/octet-stream',
      'image/png',
      'application/json',
    ),
    boundary: fc.oneof(
      fc.constantFrom('XBOUNDARY', 'a', 'x'.repeat(200), '--', '"', ' ', 'a b '),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 70 }),
    ),
    parts: fc.array(multipartPart(hostileString.filter(headerSafe)), { maxLength: 3 }),
    mangle: fc.constantFrom<MultipartPlan['mangle']>('none', 'truncate', 'no-closing', 'garbage', 'empty', 'lf-only'),
  })
  .filter(isMalformed);

/** An upload cut short: a correctly started body with at least one file part that never reaches its closing delimiter. */
export const cutShortMultipart: fc.Arbitrary<MultipartPlan> = fc.record({
  contentType: fc.constantFrom(...WELL_FORMED_CONTENT_TYPES),
  boundary: fc.constantFrom('XBOUNDARY', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
  parts: fc.array(
    fc.record({
      name: fc.constant('file'),
      filename: fc.option(fc.constantFrom('me.png', 'photo.jpg'), { freq: 5 }),
      type: fc.option(fc.constantFrom('image/png', 'image/jpeg')),
      bytes: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 2_048 }),
        fc.constantFrom<'real-png' | 'png-header'>('real-png', 'png-header'),
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  mangle: fc.constantFrom<MultipartPlan['mangle']>('truncate', 'no-closing'),
});

type BodyPart = Omit<MultipartPlan['parts'][number], 'bytes'> & { bytes: Uint8Array };

/** The body of these parts, framed by `boundary` and then broken as `mangle` says. */
export function multipartBody(boundary: string, parts: BodyPart[], mangle: MultipartPlan['mangle']): Buffer {
  const eol = mangle === 'lf-only' ? '\n' : '\r\n';
  const chunks: Buffer[] = [];
  if (mangle === 'preamble') chunks.push(Buffer.from(`preamble ${XSS}${eol}`));
  for (const part of parts) {
    const filename = part.filename === null ? '' : `; filename="${part.filename}"`;
    const disposition = `Content-Disposition: form-data; name="${part.name}"${filename}`;
    const type = part.type === null ? '' : `${eol}Content-Type: ${part.type}`;
    chunks.push(
      Buffer.from(`--${boundary}${eol}${disposition}${type}${eol}${eol}`, 'utf8'),
      Buffer.from(part.bytes),
      Buffer.from(eol),
    );
  }
  if (mangle !== 'no-closing') chunks.push(Buffer.from(`--${boundary}--${eol}`));
  const body = Buffer.concat(chunks);
  switch (mangle) {
    case 'truncate':
      return body.subarray(0, Math.floor(body.length / 2));
    case 'garbage':
      return Buffer.concat([Buffer.from('garbage before the first boundary\r\n'), body.subarray(3)]);
    case 'empty':
      return Buffer.alloc(0);
    default:
      return body;
  }
}

/** The content type and body a plan stands for, with `png` for its real (or truncated) PNG parts. */
export function resolveMultipart(plan: MultipartPlan, png: Buffer): { contentType: string; payload: Buffer } {
  const bytesOf = (bytes: PartBytes) =>
    bytes === 'real-png'
      ? png
      : bytes === 'png-header'
        ? Buffer.concat([png.subarray(0, 33), Buffer.from('truncated')])
        : bytes;
  const parts = plan.parts.map((part) => ({ ...part, bytes: bytesOf(part.bytes) }));
  return {
    contentType: plan.contentType.replace('{B}', plan.boundary),
    payload: multipartBody(plan.boundary, parts, plan.mangle),
  };
}
