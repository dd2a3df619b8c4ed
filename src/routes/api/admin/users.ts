// Admins' view of the accounts: every one with its standing, suspension and
// reinstatement. The rules (admins only, the last admin stays) are the
// moderation service's.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../../../plugins/auth.js';
import { pageBody, toAdminUser } from '../../../presenters/admin.js';
import { AdminUser, AdminUserPage, AdminUsersQuery } from '../../../schemas/admin.js';
import { bearerAuth } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { UserIdParams } from '../../../schemas/users.js';

const tags = ['admin'];

const adminUserRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { moderation } = app.services;

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'Every account, newest first, with its role, standing and post count (admins only)',
        security: bearerAuth,
        querystring: AdminUsersQuery(app.config.postsPerPage),
        response: { 200: AdminUserPage, ...errors(401, 403, 422) },
      },
    },
    async (request) => {
      const { skip, limit, q } = request.query;
      const page = await moderation.listUsers(currentUser(request), { search: q?.trim(), skip, limit });
      return pageBody('users', page.users.map(toAdminUser), page.total, skip, limit);
    },
  );

  for (const action of ['suspend', 'unsuspend'] as const) {
    app.post(
      `/users/:user_id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'suspend'
              ? 'Suspend an account: its tokens and sessions end, it cannot log in, its posts are held back (admins only)'
              : 'Reinstate a suspended account and its posts (admins only)',
          security: bearerAuth,
          params: UserIdParams,
          response: { 200: AdminUser, ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => toAdminUser(await moderation[action](currentUser(request), request.params.user_id)),
    );
  }

  done();
};

export default adminUserRoutes;
