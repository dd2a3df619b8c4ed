// Request bodies: JSON (strict UTF-8) and HTML forms. Picture uploads are
// multipart and parsed only on their route (src/plugins/upload.ts).
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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
  },
  { name: 'body-parsers' },
);
