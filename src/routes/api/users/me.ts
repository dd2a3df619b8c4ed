// The signed-in user (/me) and their own posts, drafts too.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser } from '../../../plugins/auth.js';
import { toPostPage } from '../../../presenters/posts.js';
import { toUserPrivate } from '../../../presenters/users.js';
import { bearerAuth } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { OwnPostsQuery } from '../../../schemas/posts.js';

const userPrivate = Type.Ref('UserPrivate');
const tags = ['users'];

const meRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { posts } = app.services;

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user',
        security: bearerAuth,
        response: { 200: userPrivate, ...errors(401) },
      },
    },
    (request) => toUserPrivate(currentUser(request)),
  );

  app.get(
    '/me/posts',
    {
      schema: {
        tags,
        summary: 'Your own posts, drafts too, newest first',
        security: bearerAuth,
        querystring: OwnPostsQuery(app.config.postsPerPage),
        response: { 200: Type.Ref('PostPage'), ...errors(401, 422) },
      },
    },
    async (request) => {
      const { skip, limit, status } = request.query;
      return toPostPage(await posts.mine(currentUser(request), { skip, limit, status }), skip, limit);
    },
  );
  done();
};

export default meRoutes;
