// File uploads: multipart/form-data read as a stream within a size limit.
// The parser is registered only in the scope of the routes that take a file:
// for the whole app it would add two hooks to every request.
import multipart from '@fastify/multipart';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest, payloadTooLarge, RequestValidationError } from '../errors.js';

/** How long the rest of a refused oversized upload is drained before the connection is dropped. */
const UPLOAD_LINGER_MS = 5_000;

/** Once the whole request is in, a file part still open after this long was never closed by its boundary. */
const UNFINISHED_PART_GRACE_MS = 200;

/** Room for the multipart framing and other fields around a file of the largest allowed size. */
const FRAMING_ALLOWANCE = 64 * 1024;

/** The file passed the size limit; answered 413. */
class FileTooLargeError extends Error {}

/** A size in MiB for messages: "5", "1.5". */
export const mebibytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');

/**
 * Collects an uploaded file, failing as soon as it passes the size limit
 * (the multipart parser stops there and marks the stream truncated), so an
 * oversized upload is answered at once instead of after it was all received.
 * A body that ends inside the file part (no closing boundary) fails too: the
 * parser reports nothing for it, so the end of the request is watched here.
 */
function readWithinLimit(file: Readable & { truncated?: boolean }, request: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    /** Settles once: with the bytes, or with `error`. */
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const unfinished = () => {
      if (settled) return;
      timer = setTimeout(() => {
        finish(new Error('the body ended inside the file part'));
      }, UNFINISHED_PART_GRACE_MS);
    };
    file.on('limit', () => {
      finish(new FileTooLargeError());
    });
    file.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });
    file.on('error', finish);
    file.on('end', () => {
      finish(file.truncated ? new FileTooLargeError() : undefined);
    });
    file.on('close', () => {
      finish(new Error('the upload ended before the file did'));
    });
    if (request.readableEnded) unfinished();
    else request.once('end', unfinished);
  });
}

/**
 * A 413, answered at once, while the client may still be sending the file.
 * Node closes a connection the client asked to close as soon as the answer
 * is written; with the rest of the upload still arriving, the kernel then
 * resets it, and the reset can overtake the answer (the client sees EPIPE or
 * ECONNRESET, not the 413). So the close lingers, as RFC 9112 (9.6) asks:
 * Node is told to keep the connection, its sending side is shut once the
 * answer is out, what the client still sends is read and discarded, and the
 * connection is dropped when the upload ends or after UPLOAD_LINGER_MS.
 */
function tooLarge(request: FastifyRequest, reply: FastifyReply, maxBytes: number) {
  const incoming = request.raw;
  if (!incoming.readableEnded) {
    reply.raw.shouldKeepAlive = true;
    reply.raw.once('finish', () => {
      closeLingering(incoming);
    });
  }
  return payloadTooLarge(`File too large. The maximum size is ${mebibytes(maxBytes)} MiB.`);
}

/** Shuts the sending side of the request's connection, discards what still arrives, then drops it. */
function closeLingering(incoming: IncomingMessage) {
  const socket = incoming.socket;
  socket.end();
  const drop = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(drop, UPLOAD_LINGER_MS).unref();
  if (incoming.readableEnded) drop();
  else incoming.once('end', drop).resume();
  socket.once('close', () => {
    clearTimeout(timer);
  });
}

const missingField = (field: string) =>
  new RequestValidationError([{ loc: ['body', field], msg: 'Field required', type: 'missing' }]);

/**
 * The bytes of the one file sent in `field`, read within `maxBytes`: 413 past
 * the limit, 422 when the field is missing, 400 for a malformed body.
 */
export async function readSingleFile(
  request: FastifyRequest,
  reply: FastifyReply,
  { field, maxBytes }: { field: string; maxBytes: number },
): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes + FRAMING_ALLOWANCE)
    throw tooLarge(request, reply, maxBytes);
  if (!request.isMultipart()) throw missingField(field);
  try {
    const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 20 } });
    if (part?.fieldname !== field) throw missingField(field);
    return await readWithinLimit(part.file, request.raw);
  } catch (error) {
    if (error instanceof RequestValidationError) throw error;
    if (error instanceof FileTooLargeError) throw tooLarge(request, reply, maxBytes);
    // Errors of the multipart parser are the client's: a 400, unless the parser gave a status itself.
    if ((error as { statusCode?: number }).statusCode) throw error;
    throw badRequest('Malformed multipart body');
  }
}

/** Registered inside the scope of the upload routes, it makes request.file() available there only. */
export default fp(
  async function uploads(app: FastifyInstance, options: { maxBytes: number }) {
    await app.register(multipart, { limits: { fileSize: options.maxBytes, files: 1 } });
  },
  { name: 'uploads' },
);
