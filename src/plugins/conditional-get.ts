// Conditional GETs and the caching policy of what the server renders. A route
// opts in with one line, `config: { conditional: 'page' | 'api' | 'feed' }`;
// before its handler runs, a weak ETag is computed from everything the
// response depends on, and a request whose If-None-Match holds it is answered
// 304 without reading or rendering anything.
//
// What a response depends on:
// - posts_revision, which database triggers move on every change a public
//   read can show: a post written, edited, published, deleted or held back by
//   a suspension, an author renamed, given a picture, suspended or deleted
//   (migrations 0006, 0008, 0010);
// - the URL with its query (the page, the search, the post);
// - who is asking (an admin sees suspended authors, an author their drafts);
// - the code and settings that render it (a deploy may render the same posts
//   differently), folded into `generation`: the same on every instance of one
//   build, so their ETags agree (src/config/build-id.ts).
// The revision is read before the handler reads the posts, so a write in
// between can only make the body newer than its ETag, never older: the next
// revalidation then gets a 200.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../repositories/users.js';
import { currentBuildId } from '../config/build-id.js';

export type Conditional = 'page' | 'api' | 'feed';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer If-None-Match with 304 and send this kind's Cache-Control (src/plugins/conditional-get.ts). */
    conditional?: Conditional;
  }
  interface FastifyRequest {
    /** The validator and caching headers of a successful answer, set before the handler. */
    delivery: Delivery | null;
  }
}

export interface Delivery {
  etag: string;
  /** The posts_revision the ETag was computed at (it only grows). */
  revision: number;
  cacheControl: string;
  vary: string;
}

/**
 * Signed-out pages: browsers revalidate every time (max-age=0: a 304 is
 * cheap), shared caches may keep one a minute and serve it a little longer
 * while they revalidate. A signed-in page is `private, no-store` (sendHtml)
 * and gets no ETag.
 */
export const PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=30';
/** API reads: anyone may keep one, but must revalidate before each use. */
export const API_CACHE_CONTROL = 'no-cache';
/** With a token the answer is that user's: only their own client may keep it. */
export const PRIVATE_API_CACHE_CONTROL = 'private, no-cache';
/** Feeds and sitemaps are the same for everyone: a reader or proxy may keep one a few minutes. */
export const FEED_CACHE_CONTROL = 'public, max-age=300';

// Lower-case, as @fastify/compress looks for its own entry before adding it.
const FEED_VARY = 'accept-encoding';
const PAGE_VARY = 'cookie, accept-encoding';
const API_VARY = 'authorization, cookie, accept-encoding';

/**
 * Weak comparison (RFC 9110, 13.1.2): `W/` is ignored on both sides. `*`
 * ("any representation") is not honoured: it is checked before the handler
 * knows whether the resource exists, and answering 200 is always correct.
 */
export function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/** Methods that change nothing. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const viewerOf = (user: User | null) => (user ? `${String(user.id)}:${user.role}` : '');

export default fp(
  function conditionalGet(app: FastifyInstance, _options: unknown, done: () => void) {
    const { syndication } = app.services;
    const { siteName, publicUrl, registration, postsPerPage } = app.config;
    const generation = [currentBuildId(), siteName, publicUrl, registration, postsPerPage].join('\n');

    async function delivery(kind: Conditional, request: FastifyRequest): Promise<Delivery | null> {
      // Pages already know who is signed in (their onRequest hook); the API asks only when a credential came.
      const viewer =
        kind === 'page'
          ? request.currentUser
          : kind === 'api' && (request.headers.authorization ?? request.headers.cookie) !== undefined
            ? await app.optionalUser(request)
            : null;
      if (kind === 'page' && viewer) return null;
      const revision = await syndication.revision();
      const digest = createHash('sha1')
        .update([generation, revision, request.url, viewerOf(viewer)].join('\0'))
        .digest('base64url');
      const etag = `W/"${revision}-${digest}"`;
      const known = { etag, revision: Number(revision) };
      if (kind === 'feed') return { ...known, cacheControl: FEED_CACHE_CONTROL, vary: FEED_VARY };
      if (kind === 'page') return { ...known, cacheControl: PAGE_CACHE_CONTROL, vary: PAGE_VARY };
      return { ...known, cacheControl: viewer ? PRIVATE_API_CACHE_CONTROL : API_CACHE_CONTROL, vary: API_VARY };
    }

    const check =
      (kind: Conditional): preHandlerAsyncHookHandler =>
      async (request, reply) => {
        request.delivery = await delivery(kind, request);
        if (request.delivery && matchesETag(request.headers['if-none-match'], request.delivery.etag)) {
          return reply.code(304).send();
        }
        return undefined;
      };

    app.decorateRequest('delivery', null);
    app.addHook('onRoute', (route) => {
      const kind = route.config?.conditional;
      if (!kind) return;
      const hooks = route.preHandler;
      route.preHandler = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), check(kind)];
    });

    // Only a success carries the validator: an error page must not be kept, nor
    // anything that sets a cookie.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
      // Its client may ask again the moment this answer arrives: that request reads the revision afresh.
      if (!READS.has(request.method)) syndication.revision.forget();
      const { delivery } = request;
      if (!delivery || (reply.statusCode !== 200 && reply.statusCode !== 304) || reply.hasHeader('set-cookie')) return;
      reply.header('etag', delivery.etag).header('cache-control', delivery.cacheControl).header('vary', delivery.vary);
    });
    done();
  },
  { name: 'conditional-get', dependencies: ['services', 'auth'] },
);
