// Every answer of a test app to a documented API operation is checked
// against docs/openapi.json (kept equal to what the code generates by
// test/api/openapi.test.ts): the status is documented for that method and
// path, the content type is one the document lists (or none, for a response
// without content), documented headers are there, the body matches the
// response schema, and a request that succeeded sent a documented content
// type with a body of the documented shape. A violation fails the test that
// caused it (see the afterEach in app.ts). Each schema is compiled once per
// test process.
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// ajv-formats is CommonJS; its default export arrives one level down under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Media {
  schema?: unknown;
}
interface Response {
  content?: Record<string, Media>;
  headers?: Record<string, { schema?: unknown }>;
}
interface Operation {
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const DOCUMENT_ID = 'openapi.json';
let loaded: { document: Document; ajv: Ajv2020 } | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (!loaded) {
    const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Document;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, DOCUMENT_ID);
    loaded = { document, ajv };
  }
  return loaded;
}

/** The compiled validator of the schema at `pointer` (JSON Pointer segments) in the document. */
function validator(segments: string[]): ValidateFunction {
  const pointer = segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  let validate = validators.get(pointer);
  if (!validate) {
    validate = load().ajv.getSchema(`${DOCUMENT_ID}#/${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    validators.set(pointer, validate);
  }
  return validate;
}

const mediaType = (header: unknown) =>
  typeof header === 'string' ? (header.split(';')[0] ?? '').trim().toLowerCase() : undefined;

/** The document's path of a route: "/api/posts/:post_id" is "/api/posts/{post_id}". */
const documentPath = (url: string) => url.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1');

function problems(request: FastifyRequest, reply: FastifyReply, payload: unknown): string[] {
  const routeUrl = request.routeOptions.url;
  if (!routeUrl?.startsWith('/api/')) return [];
  const path = documentPath(routeUrl);
  const method = request.method.toLowerCase();
  const operation = load().document.paths[path]?.[method];
  if (!operation) return [];
  const where = `${request.method} ${path}`;
  const status = String(reply.statusCode);
  const response = operation.responses[status];
  if (!response) return [`${where} answered ${status}, which is not documented`];
  const found: string[] = [];
  // HTTP sends no body with a 204 or a HEAD answer, whatever was serialized.
  if (reply.statusCode !== 204 && request.method !== 'HEAD')
    found.push(...bodyProblems(response, reply, payload, [path, method, status]));
  for (const name of Object.keys(response.headers ?? {})) {
    if (reply.getHeader(name) === undefined) found.push(`${where} ${status} lacks the documented header ${name}`);
  }
  if (reply.statusCode < 300) found.push(...requestProblems(request, operation, [path, method], where));
  return found;
}

/** A body as it was before compression (a kept compressed answer arrives here encoded already). */
function decoded(reply: FastifyReply, payload: string | Buffer): string | Buffer {
  const encoding = reply.getHeader('content-encoding');
  if (encoding === 'br') return brotliDecompressSync(payload);
  if (encoding === 'gzip') return gunzipSync(payload);
  return payload;
}

/** The answer's content type is documented (or it has no body, when none is), and its JSON matches. */
function bodyProblems(
  response: Response,
  reply: FastifyReply,
  payload: unknown,
  [path = '', method = '', status = '']: string[],
) {
  const where = `${method.toUpperCase()} ${path} ${status}`;
  const type = mediaType(reply.getHeader('content-type'));
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? decoded(reply, payload).toString() : '';
  const content = response.content;
  if (!content) return body === '' ? [] : [`${where} has a body, but none is documented`];
  if (!type || !content[type])
    return [`${where} is ${type ?? 'without a content type'}; documented: ${Object.keys(content).join(', ')}`];
  if (type !== 'application/json' || !content[type].schema) return [];
  const validate = validator(['paths', path, method, 'responses', status, 'content', type, 'schema']);
  return validate(JSON.parse(body)) ? [] : [`${where} body: ${load().ajv.errorsText(validate.errors)}`];
}

/** A request that was accepted sent a documented content type, with a body of the documented shape. */
function requestProblems(request: FastifyRequest, operation: Operation, [path, method]: string[], where: string) {
  const sent = mediaType(request.headers['content-type']);
  const documented = operation.requestBody?.content;
  if (!documented) return [];
  if (!sent || !documented[sent])
    return [`${where} accepted a ${sent ?? 'bodiless'} request; documented: ${Object.keys(documented).join(', ')}`];
  // A form's values are all text and a multipart body is read by the handler: their content type is what is checked.
  if (sent !== 'application/json') return [];
  const validate = validator(['paths', path ?? '', method ?? '', 'requestBody', 'content', sent, 'schema']);
  return validate(request.body)
    ? []
    : [`${where} accepted a body the document refuses: ${load().ajv.errorsText(validate.errors)}`];
}

/** Checks every answer of `app` against the document, adding what is wrong to `violations`. */
export function checkAgainstOpenApi(app: FastifyInstance, violations: string[]): void {
  app.addHook('onSend', async (request, reply, payload) => {
    violations.push(...problems(request, reply, payload));
    return payload;
  });
}
