// The pages of an account: register, /account (and its password change) and
// /drafts. Registration and the password change are plain form posts (see
// form-reply.ts), so they work without JavaScript. What
// /register offers depends on REGISTRATION and, when only invited addresses
// may register, on the invitation link followed.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpError, type ValidationDetail } from '../../errors.js';
import { toPostPage } from '../../presenters/posts.js';
import { toUserPrivate } from '../../presenters/users.js';
import type { User } from '../../repositories/users.js';
import { PasswordChange, UserCreate } from '../../schemas/users.js';
import { fieldErrors } from '../../shared/fields.js';
import { compileBodyValidator } from '../../plugins/validation.js';
import { sendHtml } from '../../views/html.js';
import { accountPage, draftsPage, registerPage } from '../../views/pages/index.js';
import { presentCurrentUser } from './current-user.js';
import { assertSameOrigin, formReply } from './form-reply.js';

// Forms are validated by the handlers, which show the problems on the page again.
const RegisterForm = Type.Object({
  username: Type.String({ default: '' }),
  email: Type.String({ default: '' }),
  password: Type.String({ default: '' }),
  invite: Type.String({ default: '' }),
});
const PasswordForm = Type.Object({
  current_password: Type.String({ default: '' }),
  new_password: Type.String({ default: '' }),
});
const AccountQuery = Type.Object({ password: Type.Optional(Type.String()) });
/** The service's "Incorrect password" is about the current password: shown next to that field. */
const onCurrentPassword = (msg: string): ValidationDetail[] => [
  { loc: ['body', 'current_password'], msg, type: 'value_error' },
];
// Any token: one that is not a pending invitation's opens the page that says so.
const RegisterQuery = Type.Object({ invite: Type.Optional(Type.String()) });
const hide = { hide: true };

/** An invitation link's token is in the URL: no Referer may carry it on, and no cache may keep the page. */
const keepInvitationPrivate = async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
  reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
  return payload;
};

const accountPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { accounts, authentication, invitations, posts } = app.services;
  const validateRegistration = compileBodyValidator(UserCreate);

  const validatePasswordChange = compileBodyValidator(PasswordChange);
  const toLogin = (reply: FastifyReply) => reply.redirect(`/login?next=${encodeURIComponent('/account')}`, 303);
  const postCounts = async (user: User) => ({
    all: (await posts.mine(user, { skip: 0, limit: 1 })).total,
    drafts: (await posts.mine(user, { skip: 0, limit: 1, status: 'draft' })).total,
  });

  app.get('/account', { schema: { ...hide, querystring: AccountQuery } }, async (request, reply) => {
    const user = request.currentUser;
    if (!user) return toLogin(reply);
    const changed = request.query.password === 'changed';
    return sendHtml(reply, 200, accountPage(toUserPrivate(user), await postCounts(user), { changed }));
  });

  // Every other session and token of the user ends (the service); this browser stays signed in with a new one.
  app.post('/account/password', { schema: { ...hide, body: PasswordForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const user = request.currentUser;
    if (!user) return toLogin(reply);
    const { current_password, new_password } = request.body;
    const counts = await postCounts(user);
    const form = formReply(request, reply, (detail) =>
      accountPage(toUserPrivate(user), counts, { state: fieldErrors(detail, ['current_password', 'new_password']) }),
    );
    return form.run(async () => {
      const problems = validatePasswordChange({ current_password, new_password });
      if (problems) return form.fail(422, problems);
      try {
        const changed = await authentication.changePassword(user, current_password, new_password);
        await app.startSession(request, reply, changed);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 400)
          return form.fail(400, onCurrentPassword(error.detail));
        throw error;
      }
      return form.done('/account?password=changed');
    });
  });

  const DraftsQuery = Type.Object({ skip: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }) });
  app.get('/drafts', { schema: { ...hide, querystring: DraftsQuery } }, async (request, reply) => {
    const user = request.currentUser;
    if (!user) return reply.redirect(`/login?next=${encodeURIComponent('/drafts')}`, 303);
    const { skip } = request.query;
    const limit = app.config.postsPerPage;
    const page = toPostPage(await posts.mine(user, { skip, limit, status: 'draft' }), skip, limit);
    return sendHtml(reply, 200, draftsPage(toUserPrivate(user), page));
  });

  app.get(
    '/register',
    { schema: { ...hide, querystring: RegisterQuery }, onSend: keepInvitationPrivate },
    async (request, reply) => {
      if (request.currentUser) return reply.redirect('/', 303);
      const gate = await invitations.gate(request.query.invite);
      const status = gate.state === 'invitation-required' && gate.linkInvalid ? 400 : 200;
      return sendHtml(reply, status, registerPage(presentCurrentUser(request), gate));
    },
  );

  app.post(
    '/register',
    { schema: { ...hide, body: RegisterForm }, onSend: keepInvitationPrivate },
    async (request, reply) => {
      assertSameOrigin(request);
      const { invite, ...values } = request.body;
      const gate = await invitations.gate(invite || undefined);
      const form = formReply(request, reply, (detail) =>
        registerPage(null, gate, {
          values: { username: values.username, email: values.email },
          ...fieldErrors(detail),
        }),
      );
      return form.run(async () => {
        // No form to show a field's problem on: the page says why.
        if ('refusal' in gate) return form.fail(403, gate.refusal);
        const problems = validateRegistration(values);
        if (problems) return form.fail(422, problems);
        const user = await accounts.register({ ...values, invite }, request.ip);
        await app.startSession(request, reply, user);
        return form.done('/', 201);
      });
    },
  );

  done();
};

export default accountPages;
