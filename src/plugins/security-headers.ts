// Security headers on every response. helmet decides the headers; they are
// computed once at start (they never vary by request) and copied onto each
// reply, instead of running helmet's middleware on every request. The
// Content-Security-Policy allows only this server's own scripts and styles:
// the pages carry no inline script or style, so an injected <script> cannot run.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'], // data: for Bootstrap's inline SVG icons, blob: for the picture preview
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * JSON from /api is never rendered as a page, so it gets the set OWASP
 * recommends for APIs instead: a policy that allows nothing, no framing, no
 * sniffing, and no reads from other origins. (Fewer headers to write on the
 * busiest responses, too.)
 */
export const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
const API_PREFIX = '/api/';

/** Runs helmet once against a stand-in response and keeps the headers it sets. */
function helmetHeaders(): Record<string, string> {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  } as unknown as ServerResponse;
  const request = { headers: {} } as unknown as IncomingMessage;
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false, // added below, only on responses that went out over HTTPS
  })(request, response, () => undefined);
  return Object.fromEntries(headers);
}

const pageHeaders = helmetHeaders();
const PAGE_ONLY = Object.keys(pageHeaders).filter((name) => !(name in API_HEADERS));

/**
 * A file that is never a page (a script, a stylesheet, a picture) gets the
 * API set as well: the page set would add some 450 bytes to every asset, and
 * a policy that allows nothing also keeps an SVG opened on its own from
 * running anything. Called by static-files.ts once a file is found (its 404
 * is a page, with the page set).
 */
export function useFileHeaders(reply: FastifyReply): void {
  for (const name of PAGE_ONLY) reply.removeHeader(name);
  reply.headers(API_HEADERS);
}

export default fp(
  function securityHeaders(app: FastifyInstance, _options: unknown, done: () => void) {
    const withHsts = (headers: Record<string, string>) => ({ ...headers, 'strict-transport-security': HSTS });
    const plain = { page: pageHeaders, api: API_HEADERS };
    const secure = { page: withHsts(pageHeaders), api: withHsts(API_HEADERS) };
    // Behind a TLS-terminating proxy, request.protocol is https only when
    // TRUST_PROXY lets Fastify believe X-Forwarded-Proto.
    app.addHook('onRequest', (request, reply, next) => {
      const set = request.protocol === 'https' ? secure : plain;
      reply.headers(request.url.startsWith(API_PREFIX) ? set.api : set.page);
      next();
    });
    done();
  },
  { name: 'security-headers' },
);
