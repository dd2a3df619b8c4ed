// Invitations to register (REGISTRATION=invite): admins send, list and
// revoke them. The rules (admins only, one pending invitation an address,
// the token kept hashed and mailed) are the invitation service's.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../../../plugins/auth.js';
import { pageBody } from '../../../presenters/admin.js';
import { toInvitation } from '../../../presenters/invitations.js';
import { bearerAuth, NoContent, PageQuery, SMALL_BODY_LIMIT } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { Invitation, InvitationCreate, InvitationIdParams, InvitationPage } from '../../../schemas/invitations.js';

const tags = ['admin'];

const invitationRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { invitations } = app.services;

  app.post(
    '/invitations',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Invite an address: it is mailed a link to /register?invite=<token> (admins only)',
        description:
          'The link works once, for that address, until expires_at; a newer invitation to the same address revokes it. An address that an account already has: 400.',
        security: bearerAuth,
        body: InvitationCreate,
        response: { 201: Invitation, ...errors(400, 401, 403, 413, 422) },
      },
    },
    async (request, reply) => {
      const invitation = await invitations.invite(currentUser(request), request.body.email);
      return reply.code(201).send(toInvitation(invitation));
    },
  );

  app.get(
    '/invitations',
    {
      schema: {
        tags,
        summary: 'The pending invitations (not accepted, revoked or expired), newest first (admins only)',
        security: bearerAuth,
        querystring: PageQuery(app.config.postsPerPage),
        response: { 200: InvitationPage, ...errors(401, 403, 422) },
      },
    },
    async (request) => {
      const { skip, limit } = request.query;
      const page = await invitations.pendingPage(currentUser(request), { skip, limit });
      return pageBody('invitations', page.invitations.map(toInvitation), page.total, skip, limit);
    },
  );

  app.delete(
    '/invitations/:invitation_id',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation: its link stops working (admins only)',
        security: bearerAuth,
        params: InvitationIdParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await invitations.revoke(currentUser(request), request.params.invitation_id);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default invitationRoutes;
