// The audit log, newest first (admins only).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../../../plugins/auth.js';
import { pageBody, toAuditEntry } from '../../../presenters/admin.js';
import { AuditPage } from '../../../schemas/admin.js';
import { bearerAuth, PageQuery } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';

const auditRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every admin action (who, what, to whom, when, what changed), newest first (admins only)',
        security: bearerAuth,
        querystring: PageQuery(app.config.postsPerPage),
        response: { 200: AuditPage, ...errors(401, 403, 422) },
      },
    },
    async (request) => {
      const { skip, limit } = request.query;
      const page = await app.services.moderation.auditPage(currentUser(request), { skip, limit });
      return pageBody('entries', page.entries.map(toAuditEntry), page.total, skip, limit);
    },
  );
  done();
};

export default auditRoutes;
