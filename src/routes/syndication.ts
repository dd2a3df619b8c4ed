// Feeds, the sitemap and robots.txt: documents for feed readers and
// crawlers, built by the syndication service (cached against posts_revision).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../errors.js';
import { FEED_CACHE_CONTROL } from '../plugins/conditional-get.js';
import { UserIdParams } from '../schemas/users.js';
import { robotsTxt } from '../views/sitemap.js';

const hide = { hide: true };
const feed = { conditional: 'feed' } as const;
const SitemapParams = Type.Object({ number: Type.Integer({ minimum: 1, maximum: 1_000 }) });

const send = (reply: FastifyReply, type: string, body: string) =>
  reply.type(`${type}; charset=utf-8`).header('cache-control', FEED_CACHE_CONTROL).send(body);

const syndicationRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { syndication } = app.services;
  const atom = 'application/atom+xml';

  app.get('/feed.xml', { config: feed, schema: hide }, async (_request, reply) =>
    send(reply, atom, await syndication.siteFeed()),
  );

  app.get(
    '/users/:user_id/feed.xml',
    { config: feed, schema: { ...hide, params: UserIdParams } },
    async (request, reply) => send(reply, atom, await syndication.userFeed(request.params.user_id)),
  );

  app.get('/sitemap.xml', { config: feed, schema: hide }, async (_request, reply) =>
    send(reply, 'application/xml', (await syndication.sitemap()) ?? ''),
  );

  app.get(
    '/sitemap-:number.xml',
    { config: feed, schema: { ...hide, params: SitemapParams } },
    async (request, reply) => {
      const part = await syndication.sitemap(request.params.number);
      if (part === undefined) throw notFound('Not found');
      return send(reply, 'application/xml', part);
    },
  );

  const robots = robotsTxt(app.config.publicUrl);
  app.get('/robots.txt', { schema: hide }, async (_request, reply) => send(reply, 'text/plain', robots));
  done();
};

export default syndicationRoutes;
