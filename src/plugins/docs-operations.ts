// What the OpenAPI document says of a route beyond its own schema, derived
// from what that schema declares, so that no route repeats it by hand and it
// cannot drift from the code that answers it:
// - a route with a security requirement answers 401 (with WWW-Authenticate)
//   and, for a state-changing method, 403: the session cookie's cross-site
//   guard (src/plugins/auth.ts);
// - a method that may carry a body answers 413 (past the body limit), 415 (a
//   content type the server does not parse) and 422 (say, malformed JSON),
//   whether or not the route reads one: Fastify parses it first;
// - a route with path or query parameters answers 422;
// - a 429 carries Retry-After;
// - any route may fail unexpectedly: 500, with a generic detail;
// - a query parameter with a default is optional;
// - HEAD answers the headers of its GET, without a body;
// - a multipart upload (route config `multipartBody`) documents its form.
// Fastify never sees these: they shape the document only (the `transform` of
// @fastify/swagger), so serialization and validation stay the routes' own.
import type { FastifySchema, RouteOptions } from 'fastify';
import type { TObject, TSchema } from 'typebox';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The multipart/form-data fields of an upload route, read by the handler itself. */
    multipartBody?: TObject;
  }
}

type ResponseSchema = Record<string, unknown>;
interface RouteSchema {
  body?: unknown;
  params?: unknown;
  querystring?: TSchema & { properties?: Record<string, { default?: unknown }>; required?: string[] };
  security?: unknown[];
  consumes?: string[];
  response?: Record<string, ResponseSchema>;
  [key: string]: unknown;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Fastify reads no body for GET and HEAD; for these it does, and answers its faults. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request was refused',
  401: 'Not signed in, or the token is not valid (header WWW-Authenticate: Bearer)',
  403: 'Not allowed',
  404: 'Not found',
  409: 'In conflict with the current state',
  413: 'The request body is too large',
  415: 'The body is not in a content type this route reads',
  422: 'The request did not pass validation',
  429: 'Too many attempts: try again after Retry-After seconds',
  500: 'An unexpected failure, logged on the server; the detail says nothing more',
};
const CROSS_SITE =
  'Also: a request signed in by the session cookie that does not come from this site\'s own pages ("Cross-site request refused")';

const errorResponse = (status: number, description = DESCRIPTIONS[status]): ResponseSchema => ({
  $ref: status === 422 ? 'ValidationErrorResponse' : 'ErrorResponse',
  description,
});

/** The statuses the route's declarations imply, added to those it lists. */
function withImpliedErrors(method: string, schema: RouteSchema): Record<string, ResponseSchema> {
  const responses: Record<string, ResponseSchema> = { ...schema.response };
  const add = (status: number, response = errorResponse(status)) => {
    if (!(status in responses)) responses[status] = response;
  };
  if (schema.security?.length) {
    add(401);
    if (!SAFE_METHODS.has(method)) {
      const own = responses[403] ? `${DESCRIPTIONS[403]}. ` : '';
      responses[403] = errorResponse(403, own + CROSS_SITE);
    }
  }
  if (BODY_METHODS.has(method)) for (const status of [413, 415, 422]) add(status);
  if (schema.params !== undefined || schema.querystring !== undefined) add(422);
  add(500);
  for (const [status, response] of Object.entries(responses)) {
    const code = Number(status);
    if (code >= 400 && typeof response.$ref === 'string') {
      responses[status] = { ...response, description: response.description ?? DESCRIPTIONS[code] };
    }
  }
  if (responses[401]) responses[401] = { ...responses[401], headers: { 'WWW-Authenticate': { const: 'Bearer' } } };
  if (responses[429]) {
    responses[429] = {
      ...responses[429],
      headers: { 'Retry-After': { type: 'integer', description: 'Seconds until the next attempt is counted' } },
    };
  }
  return responses;
}

/** A query whose defaulted parameters are optional: the server fills them in. */
function optionalDefaults(query: NonNullable<RouteSchema['querystring']>): RouteSchema['querystring'] {
  const defaulted = new Set(
    Object.entries(query.properties ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [k])),
  );
  return { ...query, required: (query.required ?? []).filter((name) => !defaulted.has(name)) };
}

/** A HEAD answers what its GET does, headers only. */
function withoutBodies(responses: Record<string, ResponseSchema>): Record<string, ResponseSchema> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      { type: 'null', description: response.description ?? 'Headers only', headers: response.headers },
    ]),
  );
}

/** The @fastify/swagger `transform`: the route's schema as the document shows it. */
export function documentedOperation({ schema, url, route }: { schema: unknown; url: string; route: RouteOptions }): {
  schema: FastifySchema;
  url: string;
} {
  const original = (schema ?? {}) as RouteSchema;
  if (original.hide) return { schema: original as FastifySchema, url };
  const method = [route.method].flat()[0] ?? 'GET';
  const upload = route.config?.multipartBody;
  const documented: RouteSchema = { ...original };
  if (upload) documented.body = { content: { 'multipart/form-data': { schema: upload } } };
  if (original.querystring) documented.querystring = optionalDefaults(original.querystring);
  const responses = withImpliedErrors(method, documented);
  // Conditional reads (src/plugins/conditional-get.ts) answer a current If-None-Match with 304.
  if (route.config?.conditional) {
    responses[304] = { type: 'null', description: 'Not Modified: the ETag sent in If-None-Match is still current' };
  }
  documented.response = method === 'HEAD' ? withoutBodies(responses) : responses;
  return { schema: documented as FastifySchema, url };
}
