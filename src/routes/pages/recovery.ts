// Account recovery pages: ask for a reset link (/forgot-password), then set a
// new password with it (/reset-password). Plain form posts like login (see
// form-reply.ts), so they work without JavaScript.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ValidationDetail } from '../../errors.js';
import { compileBodyValidator } from '../../plugins/validation.js';
import { PasswordResetConfirm, PasswordResetRequest } from '../../schemas/users.js';
import { fieldErrors } from '../../shared/fields.js';
import { sendHtml } from '../../views/html.js';
import { forgotPasswordPage, resetLinkInvalidPage, resetPasswordPage } from '../../views/pages/index.js';
import { RESET_REQUESTED } from '../api/users/password-reset.js';
import { presentCurrentUser } from './current-user.js';
import { assertSameOrigin, formReply } from './form-reply.js';

// Forms are validated by the handlers, which show the problems on the page again.
const ForgotForm = Type.Object({ email: Type.String({ default: '' }) });
const ForgotQuery = Type.Object({ sent: Type.Optional(Type.String()) });
// Any token: one that is not a real one opens the page that says so.
const ResetQuery = Type.Object({ token: Type.Optional(Type.String()) });
const ResetForm = Type.Object({
  token: Type.String({ default: '' }),
  new_password: Type.String({ default: '' }),
  confirm_password: Type.String({ default: '' }),
});
const hide = { hide: true };

const mismatch = (newPassword: string, confirmation: string): ValidationDetail[] =>
  newPassword === confirmation
    ? []
    : [{ loc: ['body', 'confirm_password'], msg: 'The two passwords do not match', type: 'value_error' }];

const recoveryPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { passwordReset } = app.services;
  const validateRequest = compileBodyValidator(PasswordResetRequest);
  const validateConfirm = compileBodyValidator(PasswordResetConfirm);

  // The reset link's token is in the URL: no Referer may carry it to another
  // page, and no cache may keep these pages. onSend, so error answers (a
  // refused cross-site post, a 422 page) get the headers too.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    return payload;
  });

  app.get('/forgot-password', { schema: { ...hide, querystring: ForgotQuery } }, async (request, reply) => {
    const notice = request.query.sent ? RESET_REQUESTED : undefined;
    return sendHtml(reply, 200, forgotPasswordPage(presentCurrentUser(request), { notice }));
  });

  app.post('/forgot-password', { schema: { ...hide, body: ForgotForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const { email } = request.body;
    const form = formReply(request, reply, (detail) =>
      forgotPasswordPage(presentCurrentUser(request), {
        state: { values: { email }, ...fieldErrors(detail, ['email']) },
      }),
    );
    return form.run(async () => {
      const problems = validateRequest({ email });
      if (problems) return form.fail(422, problems);
      await passwordReset.request(email, request.ip);
      // The same answer for every address; the address stays out of the URL.
      return form.done('/forgot-password?sent=1');
    });
  });

  app.get('/reset-password', { schema: { ...hide, querystring: ResetQuery } }, async (request, reply) => {
    const { token = '' } = request.query;
    const currentUser = presentCurrentUser(request);
    if (token && (await passwordReset.isValid(token)))
      return sendHtml(reply, 200, resetPasswordPage(currentUser, token));
    return sendHtml(reply, 400, resetLinkInvalidPage(currentUser));
  });

  app.post('/reset-password', { schema: { ...hide, body: ResetForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const { token, new_password, confirm_password } = request.body;
    const form = formReply(request, reply, (detail) =>
      resetPasswordPage(presentCurrentUser(request), token, fieldErrors(detail, ['new_password', 'confirm_password'])),
    );
    return form.run(async () => {
      const problems = [
        ...(validateConfirm({ token, new_password }) ?? []),
        ...mismatch(new_password, confirm_password),
      ];
      if (problems.length > 0) return form.fail(422, problems);
      const user = await passwordReset.confirm(token, new_password);
      await app.startSession(request, reply, user);
      return form.done('/');
    });
  });
  done();
};

export default recoveryPages;
