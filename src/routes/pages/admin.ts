// /admin: moderation for admins. Anyone else, signed in or not, gets the
// site's ordinary 404 page, before the query is even read, so the page does
// not tell that it exists. The first page of each list is rendered here;
// "Load more" fetches the next from /api/admin (or, without JavaScript, is a
// link to this page with that list's skip).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../errors.js';
import { pageBody, toAdminUser, toAuditEntry } from '../../presenters/admin.js';
import { toInvitation } from '../../presenters/invitations.js';
import { toUserPrivate } from '../../presenters/users.js';
import { AdminUsersQuery } from '../../schemas/admin.js';
import { currentUser } from '../../plugins/auth.js';
import { isAdmin } from '../../services/permissions.js';
import { sendHtml } from '../../views/html.js';
import { adminPage } from '../../views/pages/admin.js';

const Skip = Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 });

const adminPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { invitations, moderation } = app.services;
  // The users' search has the API's rules.
  const { q } = AdminUsersQuery(app.config.postsPerPage).properties;
  const AdminPageQuery = Type.Object({
    q,
    skip: Skip,
    invitations_skip: Skip,
    audit_skip: Skip,
  });

  app.get(
    '/admin',
    {
      schema: { hide: true, querystring: AdminPageQuery },
      // The same answer as a path that does not exist (the pages' onRequest hook has loaded the user).
      onRequest: (request, _reply, done) => {
        done(isAdmin(request.currentUser) ? undefined : notFound('Not Found'));
      },
    },
    async (request, reply) => {
      const admin = currentUser(request);
      const { skip, invitations_skip: invitationsSkip, audit_skip: auditSkip } = request.query;
      const q = request.query.q?.trim() ?? '';
      const limit = app.config.postsPerPage;
      const users = await moderation.listUsers(admin, { search: q, skip, limit });
      const pending = await invitations.pendingPage(admin, { skip: invitationsSkip, limit });
      const audit = await moderation.auditPage(admin, { skip: auditSkip, limit });
      return sendHtml(
        reply,
        200,
        adminPage(toUserPrivate(admin), {
          q,
          users: pageBody('users', users.users.map(toAdminUser), users.total, skip, limit),
          invitations: pageBody(
            'invitations',
            pending.invitations.map(toInvitation),
            pending.total,
            invitationsSkip,
            limit,
          ),
          registration: app.config.registration,
          audit: pageBody('entries', audit.entries.map(toAuditEntry), audit.total, auditSkip, limit),
        }),
      );
    },
  );
  done();
};

export default adminPages;
