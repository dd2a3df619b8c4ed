// Compression of what the server builds per request: pages, JSON and the XML
// feeds, with brotli or gzip as the client asks. Static assets under /static
// are compressed once at build time and served as they are (their types are
// not listed here, and a response that already has a Content-Encoding is left
// alone); the JPEGs under /media are compressed already.
import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** HTML, JSON (also problem+json) and XML (Atom, the sitemap): the types the server renders. */
export const COMPRESSIBLE_TYPES = /^(?:text\/html|application\/(?:[\w.-]+\+)?(?:json|xml))(?:;|$)/;

/**
 * Below this a response fits in one packet anyway, and the encoder's setup
 * costs more than the bytes saved (an error body, a tiny profile).
 */
export const COMPRESSION_THRESHOLD = 1024;

// Levels chosen with `npm run bench` (bench/README.md): brotli 4 and gzip 6
// cost a few percent of throughput on a page of posts and shrink it about 4x;
// brotli 6+ costs much more for little more gain.
export const BROTLI_QUALITY = 4;
export const GZIP_LEVEL = 6;

export default fp(
  async function compression(app: FastifyInstance) {
    await app.register(compress, {
      global: true,
      threshold: COMPRESSION_THRESHOLD,
      encodings: ['br', 'gzip'],
      customTypes: COMPRESSIBLE_TYPES,
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
      zlibOptions: { level: GZIP_LEVEL },
    });
  },
  { name: 'compression' },
);
