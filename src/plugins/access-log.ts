// One log line per request, written when the response has gone, like a
// proxy's access log: method, route, URL (without the tokens some links
// carry), status, time taken and the request's id. It replaces Fastify's own
// two lines per request (received, completed): writing those cost about 30%
// of a single post's throughput. The request's count and duration metrics are
// recorded at the same moment, so they cost no hook either.
//
// The id is the client's X-Request-Id when it looks like one (a proxy's or a
// load balancer's), else a fresh UUID; it is sent back on every response and
// carried by every log line of the request, so one request can be followed
// through the logs of every hop.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../metrics/index.js';

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

/**
 * Fastify's LogController decides the lines a request writes: this one
 * writes the access line once the response has gone (at error level when
 * the connection failed first), and at debug level also marks each
 * request's arrival, so a slow one can be seen while it runs. Being called
 * by Fastify itself, it costs no hook of its own on every request.
 */
export class AccessLogController extends LogController {
  private readonly arrivals: boolean;

  constructor(
    level: string,
    private readonly metrics: Pick<Metrics, 'requestCompleted'>,
  ) {
    super({ disableRequestLogging: false });
    this.arrivals = level === 'debug' || level === 'trace';
  }

  override incomingRequest(request: FastifyRequest): void {
    if (this.arrivals)
      request.log.debug({ method: request.method, url: withoutSecrets(request.url) }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const { method } = request;
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    this.metrics.requestCompleted(method, route, status, ms / 1000);
    const line = {
      method,
      route,
      url: withoutSecrets(request.url),
      status,
      ms: Math.round(ms * 100) / 100,
      ip: request.ip,
    };
    if (error) request.log.error({ ...line, err: error }, 'request');
    else request.log.info(line, 'request');
  }
}

/** The id goes back on every answer: onRequest comes before any error or 404 can be sent. */
export default fp(
  function requestIdHeader(app: FastifyInstance, _options: unknown, done: () => void) {
    app.addHook('onRequest', (request, reply, next) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      next();
    });
    done();
  },
  { name: 'access-log' },
);
