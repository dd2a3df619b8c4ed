// Account recovery: ask for a reset link by mail, then set a new password with it.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { NoContent, SMALL_BODY_LIMIT } from '../../../schemas/common.js';
import { errors, Message } from '../../../schemas/errors.js';
import { PasswordResetConfirm, PasswordResetRequest } from '../../../schemas/users.js';

const tags = ['users'];

/** The one answer to every reset request: it tells nothing about whether an account has the address. */
export const RESET_REQUESTED =
  'If an account uses this address, a link to reset its password is on its way. It works once and expires.';

const passwordResetRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { passwordReset } = app.services;

  app.post(
    '/password-reset',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Ask for a password-reset link by mail (the same answer for any address)',
        body: PasswordResetRequest,
        response: { 202: Message, ...errors(413, 422, 429) },
      },
    },
    async (request, reply) => {
      await passwordReset.request(request.body.email, request.ip);
      return reply.code(202).send({ detail: RESET_REQUESTED });
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: "Set a new password with a reset link's token: every earlier token and session ends",
        body: PasswordResetConfirm,
        response: { 204: NoContent, ...errors(400, 413, 422) },
      },
    },
    async (request, reply) => {
      await passwordReset.confirm(request.body.token, request.body.new_password);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default passwordResetRoutes;
