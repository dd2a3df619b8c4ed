// Credentials: registering, logging in and out with tokens, changing the password.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { unauthorized } from '../../../errors.js';
import { currentToken, currentUser } from '../../../plugins/auth.js';
import { bearerAuth, NoContent, SMALL_BODY_LIMIT } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { toUserPrivate } from '../../../presenters/users.js';
import { PasswordChange, TokenForm, UserCreate } from '../../../schemas/users.js';

const tags = ['users'];

const credentialRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { accounts, authentication, tokens } = app.services;

  app.post(
    '/',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Register',
        description:
          'REGISTRATION=closed: 403 "Registration is closed". REGISTRATION=invite: `invite` must hold the token of a pending invitation to this email (403 "Invitation required" otherwise), used up by the registration.',
        body: UserCreate,
        response: { 201: Type.Ref('UserPrivate'), ...errors(400, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const user = await accounts.register(request.body, request.ip);
      return reply.code(201).send(toUserPrivate(user));
    },
  );

  app.post(
    '/token',
    {
      schema: {
        tags,
        summary: 'Log in (OAuth2 password flow: username is the email)',
        description:
          'With two-factor sign-in on, `otp` must hold a code (or a recovery code): without it 401 "Two-factor code required", a wrong or used one 401 "Invalid two-factor code" (counted by the login limits). Both only after a right password.',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: Type.Ref('Token'), ...errors(401, 403, 413, 422, 429) },
      },
    },
    async (request) => {
      const { username, password, otp } = request.body;
      const user = await authentication.logIn(username, password, request.ip, otp);
      if (!user) throw unauthorized('Incorrect email or password');
      return { access_token: await tokens.issue(user), token_type: 'bearer' as const };
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'Log out: this token (and the web session cookie) stops working',
        security: bearerAuth,
        response: { 204: NoContent, ...errors(401) },
      },
    },
    async (request, reply) => {
      await authentication.revoke(currentToken(request).claims);
      await app.endSession(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/me/password',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Change your password: every token issued before stops working',
        security: bearerAuth,
        body: PasswordChange,
        response: { 204: NoContent, ...errors(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const { current_password, new_password } = request.body;
      const user = await authentication.changePassword(currentUser(request), current_password, new_password);
      // A web session stays signed in with a fresh cookie; Bearer clients log in again.
      if (currentToken(request).fromCookie) await app.startSession(request, reply, user);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default credentialRoutes;
