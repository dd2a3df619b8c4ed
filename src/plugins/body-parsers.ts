// Request bodies: JSON (strict UTF-8) and HTML forms. Picture uploads are
// multipart and parsed only on their route (src/plugins/upload.ts). An API
// route with a body reads only the content types its schema documents
// (`consumes`, JSON when it names none): the forms parser serves the pages
// and the token endpoint, and a form sent to a JSON route is a 415, as the
// OpenAPI document says, not a body read some other way.
import formbody from '@fastify/formbody';
import type { FastifyInstance, preParsingHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { unsupportedMediaType } from '../errors.js';
import { SMALL_BODY_LIMIT } from '../schemas/common.js';

export default fp(
  async function bodyParsers(app: FastifyInstance) {
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
        const error = Object.assign(new Error('Body is not valid UTF-8'), {
          statusCode: 400,
          code: 'FST_ERR_CTP_INVALID_JSON_BODY',
        });
        done(error, undefined);
        return;
      }
      void parseJson(request, text, done);
    });

    await app.register(formbody, { bodyLimit: SMALL_BODY_LIMIT });

    app.addHook('onRoute', (route) => {
      const schema = route.schema as { body?: unknown; consumes?: string[] } | undefined;
      if (!route.url.startsWith('/api/') || schema?.body === undefined) return;
      const documented = schema.consumes ?? ['application/json'];
      const onlyDocumented: preParsingHookHandler = (request, _reply, payload, done) => {
        const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (type && !documented.includes(type)) done(unsupportedMediaType(`Unsupported Media Type: ${type}`));
        else done(null, payload);
      };
      route.preParsing = [...(route.preParsing ? [route.preParsing].flat() : []), onlyDocumented];
    });
  },
  { name: 'body-parsers' },
);
