// /api/posts, reading: the listing (or a search), and one post.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toPostPage, toPostResponse } from '../../../presenters/posts.js';
import { errors } from '../../../schemas/errors.js';
import { PostIdParams } from '../../../schemas/posts.js';
import { PostsQuery } from '../../../schemas/search.js';

const tags = ['posts'];

const readingRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { posts } = app.services;

  app.get(
    '/',
    {
      config: { conditional: 'api' },
      schema: {
        tags,
        summary: 'Published posts, newest first; with q, those holding its words (title matches first)',
        querystring: PostsQuery(app.config.postsPerPage),
        response: { 200: Type.Ref('PostPage'), ...errors(422) },
      },
    },
    async (request) => {
      const { skip, limit, q } = request.query;
      const page = q === undefined ? await posts.page({ skip, limit }) : await posts.search(q, { skip, limit });
      return toPostPage(page, skip, limit);
    },
  );

  app.get(
    '/:post_id',
    {
      config: { conditional: 'api' },
      schema: {
        tags,
        summary: 'One post (a draft: only for its author)',
        params: PostIdParams,
        response: { 200: Type.Ref('PostResponse'), ...errors(404, 422) },
      },
    },
    // Only a draft asks who is reading (its author sees it, anyone else: 404).
    async (request) => toPostResponse(await posts.find(request.params.post_id, () => app.optionalUser(request))),
  );
  done();
};

export default readingRoutes;
