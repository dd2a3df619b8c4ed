// Assets shipped with the site under /static, uploaded pictures under
// /media/profile_pics from the picture store (local directory or S3).
// Picture names are random and never reused, so they are cached for a year.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notFound } from '../errors.js';
import { MEDIA_URL_PREFIX } from '../presenters/users.js';

export const PUBLIC_DIRECTORY = fileURLToPath(new URL('../../public/', import.meta.url));

export default fp(
  async function staticFiles(app: FastifyInstance) {
    await app.register(fastifyStatic, {
      root: PUBLIC_DIRECTORY,
      prefix: '/static/',
      maxAge: '1h',
      setHeaders: (reply) => {
        reply.header('x-content-type-options', 'nosniff');
      },
    });
    app.get<{ Params: { name: string } }>(
      `${MEDIA_URL_PREFIX}:name`,
      { schema: { hide: true } },
      async (request, reply) => {
        const picture = await app.pictureStore.read(request.params.name);
        if (!picture) throw notFound('Not Found');
        reply
          .type('image/jpeg')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff');
        if (picture.size !== undefined) reply.header('content-length', picture.size);
        if (picture.etag) reply.header('etag', picture.etag);
        return reply.send(picture.body);
      },
    );
  },
  { name: 'static-files', dependencies: ['services'] },
);
