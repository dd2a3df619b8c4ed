// One log line per request, written when the response has gone, like a
// proxy's access log: method, route, URL (without the tokens some links
// carry), status, time taken and the request's id. Fastify's own two lines
// per request (received, completed) are turned off in src/app.ts: writing
// them cost about 30% of a single post's throughput.
//
// The id is the client's X-Request-Id when it looks like one (a proxy's or a
// load balancer's), else a fresh UUID; it is sent back on every response and
// carried by every log line of the request, so one request can be followed
// through the logs of every hop.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a client's request id may be: short, and nothing that could forge or break a log line. */
const SANE_REQUEST_ID = /^[\w.-]{1,100}$/;

/** A password-reset or invitation link carries its token in the query: the log shows the URL without it. */
export function withoutSecrets(url: string): string {
  return url.replace(/([?&](?:token|invite)=)[^&#]*/gi, '$1[redacted]');
}

/** Fastify's genReqId: the client's id when sane, else a new one. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

export default fp(
  function accessLog(app: FastifyInstance, _options: unknown, done: () => void) {
    // onRequest comes before any error or 404 can be sent, so every answer has it.
    // At debug level a line also marks each request's arrival (a slow one can
    // then be seen while it runs); at info level that check is not paid for.
    const arrivals = app.log.level === 'debug' || app.log.level === 'trace';
    app.addHook('onRequest', async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      if (arrivals) request.log.debug({ method: request.method, url: withoutSecrets(request.url) }, 'incoming request');
    });
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url,
          url: withoutSecrets(request.url),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          ip: request.ip,
        },
        'request',
      );
    });
    done();
  },
  { name: 'access-log' },
);
