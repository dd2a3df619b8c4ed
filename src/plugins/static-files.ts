// Assets shipped with the site under /static, uploaded pictures under
// /media/profile_pics from the picture store (local directory or S3).
// The built assets' names carry a hash of their content, and picture names
// are random and never reused, so both are cached for a year. The built
// assets and the favicon are sent as the brotli or gzip copy made by the
// build when the client accepts it.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notFound } from '../errors.js';
import { MEDIA_URL_PREFIX } from '../presenters/users.js';
import { useFileHeaders } from './security-headers.js';
import { BUILD_DIRECTORY, BUILD_URL_PREFIX, MANIFEST_NAME } from '../views/assets.js';

export const PUBLIC_DIRECTORY = fileURLToPath(new URL('../../public/', import.meta.url));

export default fp(
  async function staticFiles(app: FastifyInstance) {
    await app.register(fastifyStatic, {
      root: BUILD_DIRECTORY,
      prefix: BUILD_URL_PREFIX,
      preCompressed: true,
      maxAge: '365d',
      immutable: true,
      // Never revalidated nor resumed, so validators and ranges would only add bytes to every response.
      etag: false,
      lastModified: false,
      acceptRanges: false,
      // The manifest is the server's, and not hashed.
      allowedPath: (pathname) => pathname !== `/${MANIFEST_NAME}`,
      setHeaders: useFileHeaders,
    });
    // The rest of public/ (favicon, default picture) keeps its names: an hour.
    await app.register(fastifyStatic, {
      root: PUBLIC_DIRECTORY,
      prefix: '/static/',
      preCompressed: true,
      maxAge: '1h',
      decorateReply: false,
      setHeaders: useFileHeaders,
    });
    app.get<{ Params: { name: string } }>(
      `${MEDIA_URL_PREFIX}:name`,
      { schema: { hide: true } },
      async (request, reply) => {
        const picture = await app.pictureStore.read(request.params.name);
        if (!picture) throw notFound('Not Found');
        useFileHeaders(reply);
        reply.type('image/jpeg').header('cache-control', 'public, max-age=31536000, immutable');
        if (picture.size !== undefined) reply.header('content-length', picture.size);
        if (picture.etag) reply.header('etag', picture.etag);
        return reply.send(picture.body);
      },
    );
  },
  { name: 'static-files', dependencies: ['services'] },
);
