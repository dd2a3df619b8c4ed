// One error format for the whole API: `{detail: string}` for HTTP errors and
// `{detail: [{loc, msg, type}]}` for validation, as the contract says; pages
// get an HTML page instead. Unexpected errors are logged and answered with a
// generic 500.
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, RequestValidationError, type ErrorDetail } from '../errors.js';
import { escapeHtml, sendHtml } from '../views/html.js';
import { validationDetails } from './validation.js';

const isApiRequest = (request: FastifyRequest) => request.url === '/api' || request.url.startsWith('/api/');

/** Renders an error for a page (non-/api) request; the web front end replaces the plain default. */
export type ErrorPageRenderer = (
  status: number,
  message: string,
  request: FastifyRequest,
  reply: FastifyReply,
) => unknown;

const plainErrorPage: ErrorPageRenderer = (status, message, _request, reply) =>
  sendHtml(
    reply,
    status,
    () =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head>` +
      `<body><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Home</a></p></body></html>`,
  );

/** Fastify's own errors that have a status and wording of their own in the contract. */
const FRAMEWORK_ERRORS = new Map<string, { status: number; detail: ErrorDetail }>([
  [
    'FST_ERR_CTP_INVALID_JSON_BODY',
    { status: 422, detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] },
  ],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', { status: 422, detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] }],
  ['FST_ERR_CTP_BODY_TOO_LARGE', { status: 413, detail: 'Request body is too large' }],
  // Router errors: answered without echoing the offending URL back.
  ['FST_ERR_BAD_URL', { status: 400, detail: 'Malformed URL' }],
  ['FST_ERR_MAX_PARAM_LENGTH', { status: 414, detail: 'URL parameter is too long' }],
]);

export default fp(
  function errorHandling(app: FastifyInstance, _options: unknown, done: () => void) {
    let renderPage = plainErrorPage;
    app.decorate('setErrorPageRenderer', (renderer: ErrorPageRenderer) => {
      renderPage = renderer;
    });

    function answer(request: FastifyRequest, reply: FastifyReply, status: number, detail: ErrorDetail) {
      if (!isApiRequest(request)) {
        const message =
          typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ');
        return renderPage(status, message, request, reply);
      }
      return reply.code(status).type('application/json; charset=utf-8').send({ detail });
    }

    app.setErrorHandler(function handle(
      rawError: FastifyError | HttpError | RequestValidationError | Error,
      request,
      reply,
    ) {
      if (rawError instanceof HttpError) {
        reply.headers(rawError.headers);
        return answer(request, reply, rawError.statusCode, rawError.detail);
      }
      if (rawError instanceof RequestValidationError) return answer(request, reply, 422, rawError.details);
      const error = rawError as FastifyError;
      if (error.validation) {
        return answer(
          request,
          reply,
          422,
          validationDetails(error.validation as ErrorObject[], error.validationContext ?? 'body'),
        );
      }
      const known = FRAMEWORK_ERRORS.get(error.code);
      if (known) return answer(request, reply, known.status, known.detail);
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return answer(request, reply, status, error.message);
      // The request's id is on every line already; the route says where to look.
      request.log.error({ err: rawError, method: request.method, route: request.routeOptions.url }, 'unhandled error');
      return answer(request, reply, 500, 'Internal Server Error');
    });

    app.setNotFoundHandler(function notFound(request, reply) {
      return answer(request, reply, 404, 'Not Found');
    });
    done();
  },
  { name: 'error-handling' },
);

declare module 'fastify' {
  interface FastifyInstance {
    setErrorPageRenderer(renderer: ErrorPageRenderer): void;
  }
}
