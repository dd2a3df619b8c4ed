// One error format for the whole API: `{detail: string}` for HTTP errors and
// `{detail: [{loc, msg, type}]}` for validation, as the contract says.
// Unexpected errors are logged and answered with a generic 500.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../services/errors.js';

export interface ValidationDetail {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function describe(error: AjvError): { msg: string; type: string } {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { msg: 'Field required', type: 'missing' };
    case 'minLength':
      return { msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`, type: 'string_too_short' };
    case 'maxLength':
      return { msg: `String should have at most ${p.limit} characters`, type: 'string_too_long' };
    case 'minimum':
      return { msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
    case 'maximum':
      return { msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
    case 'type':
      if (p.type === 'integer') return { msg: 'Input should be a valid integer', type: 'int_parsing' };
      if (p.type === 'object') return { msg: 'Input should be a valid object', type: 'model_attributes_type' };
      return { msg: `Input should be a valid ${p.type}`, type: `${p.type}_type` };
    case 'format':
      if (p.format === 'email') return { msg: 'value is not a valid email address', type: 'value_error' };
      return { msg: `Input should be a valid ${p.format}`, type: 'value_error' };
    case 'pattern':
      return { msg: 'String should not contain NUL characters or unpaired surrogates', type: 'string_pattern_mismatch' };
    case 'const':
    case 'enum':
      return { msg: `Input should be ${JSON.stringify(p.allowedValue ?? p.allowedValues)}`, type: 'literal_error' };
    default:
      return { msg: error.message ?? 'Invalid value', type: error.keyword };
  }
}

export function validationDetails(errors: AjvError[], context: string): ValidationDetail[] {
  return errors.map((error) => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    return { loc: [LOCATION[context] ?? context, ...path], ...describe(error) };
  });
}

export class RequestValidationError extends Error {
  readonly statusCode = 422;
  constructor(readonly details: ValidationDetail[]) {
    super('Request validation failed');
  }
}

const isApiRequest = (request: FastifyRequest) => request.url === '/api' || request.url.startsWith('/api/');

/** Renders an error for a page (non-/api) request; the web front end replaces the plain default. */
export type ErrorPageRenderer = (status: number, message: string, request: FastifyRequest, reply: FastifyReply) => unknown;

const plainErrorPage: ErrorPageRenderer = (status, message, _request, reply) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head>` +
      `<body><h1>${status}</h1><p>${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p><p><a href="/">Home</a></p></body></html>`);

export default fp(
  async function errorHandling(app: FastifyInstance) {
    let renderPage = plainErrorPage;
    app.decorate('setErrorPageRenderer', (renderer: ErrorPageRenderer) => {
      renderPage = renderer;
    });

    function answer(request: FastifyRequest, reply: FastifyReply, status: number, detail: string | ValidationDetail[]) {
      if (!isApiRequest(request)) {
        const message = typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ');
        return renderPage(status, message, request, reply);
      }
      return reply.code(status).type('application/json; charset=utf-8').send({ detail });
    }

    app.setErrorHandler(function handle(rawError: FastifyError | HttpError | RequestValidationError | Error, request, reply) {
      const error = rawError as FastifyError;
      if (rawError instanceof HttpError) {
        reply.headers(rawError.headers);
        return answer(request, reply, rawError.statusCode, rawError.detail);
      }
      if (rawError instanceof RequestValidationError) return answer(request, reply, 422, rawError.details);
      if (error.validation) {
        return answer(request, reply, 422, validationDetails(error.validation as AjvError[], error.validationContext ?? 'body'));
      }
      switch (error.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return answer(request, reply, 422, [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return answer(request, reply, 422, [{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return answer(request, reply, 413, 'Request body is too large');
        // Router errors: answered without echoing the offending URL back.
        case 'FST_ERR_BAD_URL':
          return answer(request, reply, 400, 'Malformed URL');
        case 'FST_ERR_MAX_PARAM_LENGTH':
          return answer(request, reply, 414, 'URL parameter is too long');
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return answer(request, reply, status, error.message);
      request.log.error({ err: rawError }, 'unhandled error');
      return answer(request, reply, 500, 'Internal Server Error');
    });

    // Strict JSON: a body that is not valid UTF-8 is refused (RFC 8259), never
    // stored with its bytes replaced. Parsing itself stays Fastify's, with its
    // prototype-poisoning protection.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(Object.assign(new Error('Body is not valid UTF-8'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
      }
      parseJson(request, text, done);
    });

    app.setNotFoundHandler(function notFound(request, reply) {
      return answer(request, reply, 404, 'Not Found');
    });
  },
  { name: 'error-handling' },
);

declare module 'fastify' {
  interface FastifyInstance {
    setErrorPageRenderer(renderer: ErrorPageRenderer): void;
  }
}
