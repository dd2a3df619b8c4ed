// Two-factor sign-in of your own account: enrol, confirm with a first code, turn off.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../../../plugins/auth.js';
import { bearerAuth, NoContent, SMALL_BODY_LIMIT } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import {
  RecoveryCodes,
  TwoFactorBegin,
  TwoFactorConfirm,
  TwoFactorDisable,
  TwoFactorEnrolment,
} from '../../../schemas/two-factor.js';

const tags = ['users'];

const twoFactorRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { twoFactor } = app.services;

  app.post(
    '/me/2fa',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Start turning on two-factor sign-in: a new secret, its otpauth URL and QR code',
        description:
          'Nothing changes at sign-in until the enrolment is confirmed with a code; starting again replaces the secret. 400 "Incorrect password", 409 when it is on already.',
        security: bearerAuth,
        body: TwoFactorBegin,
        response: { 200: TwoFactorEnrolment, ...errors(400, 401, 409, 413, 422) },
      },
    },
    (request) => twoFactor.begin(currentUser(request), request.body.current_password),
  );

  app.post(
    '/me/2fa/confirm',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Turn on two-factor sign-in with a first code from the app; returns ten recovery codes, this once',
        description:
          '400 "Invalid two-factor code" or "No two-factor enrolment in progress: start one first"; 409 when it is on already; 429 after too many wrong codes. The account\'s address gets a notice.',
        security: bearerAuth,
        body: TwoFactorConfirm,
        response: { 200: RecoveryCodes, ...errors(400, 401, 409, 413, 422, 429) },
      },
    },
    async (request) => {
      const { recoveryCodes } = await twoFactor.confirm(currentUser(request), request.body.code);
      return { recovery_codes: recoveryCodes };
    },
  );

  app.delete(
    '/me/2fa',
    {
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Turn off two-factor sign-in, with your password and a code (or a recovery code)',
        description:
          '400 "Incorrect password" or "Invalid two-factor code"; 409 when it is off; 429 after too many wrong codes. The secret and recovery codes are forgotten, and the account\'s address gets a notice.',
        security: bearerAuth,
        body: TwoFactorDisable,
        response: { 204: NoContent, ...errors(400, 401, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { current_password, code } = request.body;
      await twoFactor.disable(currentUser(request), current_password, code);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default twoFactorRoutes;
