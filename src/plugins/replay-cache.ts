// Answers built once and sent again. An ETag (src/plugins/conditional-get.ts)
// names everything an answer shows: the code and settings, posts_revision,
// the URL and who asks. So an answer built for one ETag is the answer for
// every request that computes the same ETag, and is kept under it: the next
// request sends the same bytes without reading a post or rendering a page.
// The revision is still read on every request, so whatever instance made a
// change, the next request here computes a new ETag and builds afresh.
//
// An answer may be a little newer than its ETag (a write landing between the
// revision read and the handler's reads), never older, so a replay is never
// staler than building it again would be.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

/** Bytes of answers kept, at most (the least recently used go first). */
export const REPLAY_CACHE_BYTES = 8 * 1024 * 1024;

export interface CacheStats {
  /** Requests answered from the cache since start. */
  readonly hits: number;
  readonly entries: number;
  readonly bytes: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the answers kept for replay hold (src/plugins/replay-cache.ts). */
    replayedAnswers: CacheStats;
  }
}

interface Answer {
  body: string;
  type: string;
}

/** The stats of an LRU cache of bytes, read when asked. */
export function statsOf(
  cache: { readonly size: number; readonly calculatedSize: number },
  hits: () => number,
): CacheStats {
  return {
    get hits() {
      return hits();
    },
    get entries() {
      return cache.size;
    },
    get bytes() {
      return cache.calculatedSize;
    },
  };
}

export default fp(
  function replayCache(app: FastifyInstance, _options: unknown, done: () => void) {
    const answers = new LRUCache<string, Answer>({
      maxSize: REPLAY_CACHE_BYTES,
      sizeCalculation: (answer) => Buffer.byteLength(answer.body) + 64,
    });
    let hits = 0;
    // Every answer kept at an older revision can never be asked for again.
    let newest = 0;

    const replay = async (request: FastifyRequest, reply: FastifyReply) => {
      const { delivery } = request;
      if (!delivery || reply.sent) return undefined;
      const { etag, revision } = delivery;
      if (revision > newest) {
        newest = revision;
        answers.clear();
      }
      const answer = answers.get(etag);
      if (!answer) return undefined;
      hits += 1;
      return reply.code(200).type(answer.type).send(answer.body);
    };

    app.decorate(
      'replayedAnswers',
      statsOf(answers, () => hits),
    );
    // After conditional-get's own preHandler (added in its onRoute, registered before this one).
    app.addHook('onRoute', (route) => {
      if (!route.config?.conditional) return;
      const hooks = route.preHandler;
      route.preHandler = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), replay];
    });

    // What conditional-get gave an ETag (a success that sets no cookie), as the
    // handler built it: before compression, which keeps its own.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const { delivery } = request;
      const type = reply.getHeader('content-type');
      if (
        !delivery ||
        reply.statusCode !== 200 ||
        typeof payload !== 'string' ||
        typeof type !== 'string' ||
        reply.hasHeader('set-cookie') ||
        reply.hasHeader('content-encoding') ||
        delivery.revision < newest ||
        answers.has(delivery.etag)
      ) {
        return payload;
      }
      answers.set(delivery.etag, { body: payload, type });
      return payload;
    });
    done();
  },
  { name: 'replay-cache', dependencies: ['conditional-get'] },
);
