// Builds the Fastify application: infrastructure plugins first, then the
// application services, then the routes. Nothing here listens on a port, so
// tests can build an app and drive it with `inject`.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyRequest } from 'fastify';
import type { Config } from './config/index.js';
import { createMetrics } from './metrics/index.js';
import accessLog, { AccessLogController, requestId, withoutSecrets } from './plugins/access-log.js';
import auth from './plugins/auth.js';
import benchMetrics from './plugins/bench-metrics.js';
import bodyParsers from './plugins/body-parsers.js';
import compression from './plugins/compression.js';
import conditionalGet from './plugins/conditional-get.js';
import docs from './plugins/docs.js';
import errorHandling from './plugins/errors.js';
import maintenance from './plugins/maintenance.js';
import metricsRoute from './plugins/metrics.js';
import securityHeaders from './plugins/security-headers.js';
import services from './plugins/services.js';
import staticFiles from './plugins/static-files.js';
import validation from './plugins/validation.js';
import adminRoutes from './routes/api/admin/index.js';
import replayCache from './plugins/replay-cache.js';
import postsRoutes from './routes/api/posts/index.js';
import usersRoutes from './routes/api/users/index.js';
import healthRoutes from './routes/health.js';
import pagesRoutes from './routes/pages/index.js';
import syndicationRoutes from './routes/syndication.js';

/**
 * JSON bodies are small: a post of 100,000 characters fits. Picture uploads
 * are multipart (parsed only on their route, src/plugins/upload.ts) and
 * limited separately (MAX_UPLOAD_SIZE_BYTES); forms and
 * account bodies have lower limits of their own.
 */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Never logged: credentials travel in these headers. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

const serializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: withoutSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  }),
};

export interface BuildOptions {
  /** Where log lines go (standard output by default); tests capture them here. */
  logStream?: { write(line: string): void };
  /** The services' clock (epoch ms): tests move it to expire reset links and limits. */
  now?: () => number;
}

export async function buildApp(config: Config, options: BuildOptions = {}) {
  // Before the app: the log controller that records each request is one of its options.
  const metrics = createMetrics();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // One access line per request instead of Fastify's two (src/plugins/access-log.ts).
    logController: new AccessLogController(config.logLevel, metrics),
    requestIdHeader: false,
    genReqId: requestId,
    bodyLimit: JSON_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: config.trustProxy,
    // Slow clients: headers must arrive within headersTimeoutMs and the whole
    // request within requestTimeoutMs (checked every second), an idle socket
    // closes after 30 s and an idle keep-alive connection after 5 s.
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 30_000,
    keepAliveTimeout: 5_000,
    // Router errors (a malformed URL, an over-long parameter) go through the
    // error handler like any other, in the contract's shape.
    frameworkErrors: (error, request, reply) => {
      request.server.errorHandler(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(accessLog);
  await app.register(validation);
  await app.register(errorHandling);
  await app.register(bodyParsers);
  await app.register(securityHeaders);
  await app.register(services, { config, metrics, now: options.now });
  await app.register(auth);
  await app.register(maintenance);
  // Before any route: both wrap the routes registered after them.
  await app.register(compression);
  await app.register(conditionalGet);
  await app.register(replayCache);
  await app.register(docs);
  await app.register(staticFiles);
  await app.register(healthRoutes);
  await app.register(usersRoutes, { prefix: '/api/users' });
  await app.register(postsRoutes, { prefix: '/api/posts' });
  await app.register(adminRoutes, { prefix: '/api/admin' });
  await app.register(pagesRoutes);
  await app.register(syndicationRoutes);
  if (config.metricsToken) await app.register(metricsRoute, { token: config.metricsToken, metrics });
  if (config.benchMetrics) await app.register(benchMetrics);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
