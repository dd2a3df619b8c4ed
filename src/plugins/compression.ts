// Compression of what the server builds per request: pages, JSON and the XML
// feeds, with brotli or gzip as the client asks. Static assets under /static
// are compressed once at build time and served as they are (their types are
// not listed here, and a response that already has a Content-Encoding is left
// alone); the JPEGs under /media are compressed already.
//
// Compressing costs more than building most answers: brotli at quality 4
// takes about 25 µs per KB, a page of posts (25 KB) costs several times what
// reading and serialising it does. So what was compressed is kept, keyed by
// the answer's ETag (src/plugins/conditional-get.ts: it moves with anything
// the answer shows) and the request's Accept-Encoding: the same answer to
// the same kind of client is compressed once.
import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { statsOf, type CacheStats } from './replay-cache.js';

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

/**
 * Up to this size an answer is compressed in one call on the event loop (and
 * then kept); larger ones are streamed through the thread pool and not kept.
 * The plugin's default on two cores is 8 KB, which would stream (and never
 * keep) every page; 128 KB takes about 3 ms at brotli 4, once per change.
 */
export const SYNC_COMPRESSION_LIMIT = 128 * 1024;

/** Bytes of compressed answers kept, at most (the least recently used go first). */
export const COMPRESSED_CACHE_BYTES = 8 * 1024 * 1024;

const cacheKey = (request: FastifyRequest) => {
  const etag = request.delivery?.etag;
  const accepted = request.headers['accept-encoding'];
  return etag && accepted ? `${etag} ${accepted}` : undefined;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** What the compressed answers kept hold (src/plugins/compression.ts). */
    compressedAnswers: CacheStats;
  }
}

export default fp(
  async function compression(app: FastifyInstance) {
    const cache = new LRUCache<string, { body: Buffer; encoding: string }>({
      maxSize: COMPRESSED_CACHE_BYTES,
      sizeCalculation: (entry) => entry.body.length + 64,
    });
    const pending = new WeakSet<FastifyRequest>();
    let hits = 0;
    app.decorate(
      'compressedAnswers',
      statsOf(cache, () => hits),
    );

    // Before @fastify/compress (an app-level hook runs before a route's): a
    // kept answer is sent as it is, and the plugin leaves an encoded body alone.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const key = reply.statusCode === 200 ? cacheKey(request) : undefined;
      if (key === undefined) return payload;
      const kept = cache.get(key);
      if (!kept) {
        pending.add(request);
        return payload;
      }
      hits += 1;
      reply.header('content-encoding', kept.encoding).header('content-length', kept.body.length);
      return kept.body;
    });

    await app.register(compress, {
      global: true,
      threshold: COMPRESSION_THRESHOLD,
      syncThreshold: SYNC_COMPRESSION_LIMIT,
      encodings: ['br', 'gzip'],
      customTypes: COMPRESSIBLE_TYPES,
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
      zlibOptions: { level: GZIP_LEVEL },
    });

    // After @fastify/compress's own hook on each route (it adds it in its onRoute, registered just before):
    // a body it compressed in one piece is kept. (A large one it streams is not.)
    const keep = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const encoding = reply.getHeader('content-encoding');
      const key = cacheKey(request);
      if (pending.has(request) && key && typeof encoding === 'string' && Buffer.isBuffer(payload)) {
        cache.set(key, { body: payload, encoding });
      }
      return payload;
    };
    app.addHook('onRoute', (route) => {
      if (!route.config?.conditional) return;
      const hooks = route.onSend;
      route.onSend = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), keep];
    });
  },
  { name: 'compression' },
);
