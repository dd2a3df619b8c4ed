// /account/two-factor: turning two-factor sign-in on (password, scan, first
// code, recovery codes) and off, as plain form posts over the same service
// as the API. The pages that show the secret or the recovery codes are never
// stored by a cache.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ErrorDetail } from '../../errors.js';
import { toUserPrivate } from '../../presenters/users.js';
import type { User } from '../../repositories/users.js';
import { CODE_MAX_LENGTH } from '../../schemas/two-factor.js';
import { fieldErrors } from '../../shared/fields.js';
import { sendHtml } from '../../views/html.js';
import { twoFactorPage, type TwoFactorView } from '../../views/pages/index.js';
import { assertSameOrigin, formReply } from './form-reply.js';

const PasswordForm = Type.Object({ current_password: Type.String({ default: '', maxLength: 1024 }) });
const Code = Type.String({ default: '', maxLength: CODE_MAX_LENGTH });
const CodeForm = Type.Object({ code: Code });
const DisableForm = Type.Object({ current_password: Type.String({ default: '', maxLength: 1024 }), code: Code });
const hide = { hide: true };
const PAGE = '/account/two-factor';

/** The service's messages, next to the field they are about: the password's, or the code's. */
function onFields(detail: ErrorDetail) {
  if (typeof detail !== 'string') return fieldErrors(detail);
  if (/password/i.test(detail)) return { fields: { current_password: detail }, general: [] };
  if (/code/i.test(detail) && !detail.startsWith('Too many')) return { fields: { code: detail }, general: [] };
  return { fields: {}, general: [detail] };
}

const twoFactorPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { twoFactor } = app.services;

  /** The signed-in user, or null after answering with a redirect to the login that leads back here. */
  function signedIn(request: FastifyRequest, reply: FastifyReply): User | null {
    reply.header('cache-control', 'no-store');
    if (!request.currentUser) void reply.redirect(`/login?next=${encodeURIComponent(PAGE)}`, 303);
    return request.currentUser;
  }
  const page = (user: User, view: TwoFactorView, detail?: ErrorDetail) =>
    twoFactorPage(toUserPrivate(user), view, detail === undefined ? {} : onFields(detail));
  const currentView = async (user: User): Promise<TwoFactorView> =>
    user.two_factor_enabled_at === null
      ? { step: 'off' }
      : { step: 'on', recoveryCodesLeft: await twoFactor.unusedRecoveryCodes(user) };
  /** A form post of this page, answered by `action`, or by `view` again with the problem shown. */
  function post(request: FastifyRequest, reply: FastifyReply, user: User, view: () => Promise<TwoFactorView>) {
    assertSameOrigin(request);
    let shown: TwoFactorView = { step: 'off' };
    const form = formReply(request, reply, (detail) => page(user, shown, detail));
    return {
      run: (action: () => Promise<TwoFactorView | string>) =>
        form.run(async () => {
          try {
            const next = await action();
            if (typeof next === 'string') return await form.done(next);
            return await sendHtml(reply, 200, page(user, next));
          } catch (error) {
            shown = await view();
            throw error;
          }
        }),
    };
  }

  app.get(PAGE, { schema: hide }, async (request, reply) => {
    const user = signedIn(request, reply);
    return user ? sendHtml(reply, 200, page(user, await currentView(user))) : reply;
  });

  app.post(PAGE, { schema: { ...hide, body: PasswordForm } }, async (request, reply) => {
    const user = signedIn(request, reply);
    if (!user) return reply;
    return post(request, reply, user, () => currentView(user)).run(async () => ({
      step: 'scan',
      enrolment: await twoFactor.begin(user, request.body.current_password),
    }));
  });

  app.post(`${PAGE}/confirm`, { schema: { ...hide, body: CodeForm } }, async (request, reply) => {
    const user = signedIn(request, reply);
    if (!user) return reply;
    // After a wrong code the same key and QR code are shown again.
    const again = async (): Promise<TwoFactorView> => {
      const enrolment = await twoFactor.enrolmentInProgress(user);
      return enrolment ? { step: 'scan', enrolment } : currentView(user);
    };
    return post(request, reply, user, again).run(async () => ({
      step: 'recovery-codes',
      codes: (await twoFactor.confirm(user, request.body.code)).recoveryCodes,
    }));
  });

  app.post(`${PAGE}/disable`, { schema: { ...hide, body: DisableForm } }, async (request, reply) => {
    const user = signedIn(request, reply);
    if (!user) return reply;
    return post(request, reply, user, () => currentView(user)).run(async () => {
      await twoFactor.disable(user, request.body.current_password, request.body.code);
      return PAGE;
    });
  });
  done();
};

export default twoFactorPages;
