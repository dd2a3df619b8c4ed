// Accounts: public profiles, changing and deleting your own, a user's posts (the signed-in user's own: me.ts).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser } from '../../../plugins/auth.js';
import { toPostPage } from '../../../presenters/posts.js';
import { toUserPrivate, toUserPublic } from '../../../presenters/users.js';
import { bearerAuth, NoContent, PageQuery, SMALL_BODY_LIMIT } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { UserIdParams, UserUpdate } from '../../../schemas/users.js';

const userPrivate = Type.Ref('UserPrivate');
const tags = ['users'];

const accountRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { accounts, posts } = app.services;

  app.get(
    '/:user_id',
    {
      config: { conditional: 'api' },
      schema: {
        tags,
        summary: "A user's public profile (a suspended user's: admins only)",
        params: UserIdParams,
        response: { 200: Type.Ref('UserPublic'), ...errors(404, 422) },
      },
    },
    async (request) => toUserPublic(await accounts.getPublic(request.params.user_id, () => app.optionalUser(request))),
  );

  app.patch(
    '/:user_id',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Change your username or email',
        security: bearerAuth,
        params: UserIdParams,
        body: UserUpdate,
        response: { 200: userPrivate, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => toUserPrivate(await accounts.update(currentUser(request), request.params.user_id, request.body)),
  );

  app.delete(
    '/:user_id',
    {
      schema: {
        tags,
        summary: 'Delete your account, its posts and its picture (admins: any account)',
        description:
          'The owner may; so may an admin, on any account (recorded in the audit log). Everyone else: 403. The last admin in good standing cannot be deleted: 409.',
        security: bearerAuth,
        params: UserIdParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await accounts.delete(currentUser(request), request.params.user_id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/:user_id/posts',
    {
      config: { conditional: 'api' },
      schema: {
        tags,
        summary: "A user's published posts, newest first (a suspended user's: admins only, marked withheld)",
        params: UserIdParams,
        querystring: PageQuery(app.config.postsPerPage),
        response: { 200: Type.Ref('PostPage'), ...errors(404, 422) },
      },
    },
    async (request) => {
      const author = await accounts.getPublic(request.params.user_id, () => app.optionalUser(request));
      const { skip, limit } = request.query;
      return toPostPage(await posts.page({ skip, limit, author }), skip, limit);
    },
  );
  done();
};

export default accountRoutes;
