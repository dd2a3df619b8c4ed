// Assets shipped with the site under /static, uploaded pictures under
// /media/profile_pics. Picture names are random and never reused, so they
// can be cached for a year.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MEDIA_URL_PREFIX } from '../services/present.js';
import { mediaDirectory } from './services.js';

export const PUBLIC_DIRECTORY = fileURLToPath(new URL('../../public/', import.meta.url));

export default fp(
  async function staticFiles(app: FastifyInstance) {
    await app.register(fastifyStatic, {
      root: PUBLIC_DIRECTORY,
      prefix: '/static/',
      maxAge: '1h',
      setHeaders: (reply) => reply.header('x-content-type-options', 'nosniff'),
    });
    await app.register(fastifyStatic, {
      root: mediaDirectory(app.config),
      prefix: MEDIA_URL_PREFIX,
      decorateReply: false,
      immutable: true,
      maxAge: '365d',
      index: false,
      list: false,
      setHeaders: (reply) => reply.header('x-content-type-options', 'nosniff'),
    });
  },
  { name: 'static-files', dependencies: ['services'] },
);
