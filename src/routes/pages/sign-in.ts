// Logging in and out on the web. Plain form posts (see form-reply.ts), so
// they work without JavaScript. An account with two-factor sign-in on takes
// a second step: between the two the browser holds only a signed challenge
// in an HttpOnly cookie that ends in minutes (src/services/sign-in-challenges.ts),
// never a session.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { NO_NUL } from '../../schemas/common.js';
import { CODE_MAX_LENGTH } from '../../schemas/two-factor.js';
import { TwoFactorRequired } from '../../services/authentication.js';
import { SIGN_IN_CHALLENGE_MINUTES } from '../../services/sign-in-challenges.js';
import { fieldErrors } from '../../shared/fields.js';
import { sendHtml } from '../../views/html.js';
import { loginCodePage, loginPage } from '../../views/pages/index.js';
import { presentCurrentUser } from './current-user.js';
import { assertSameOrigin, formReply, wantsJson } from './form-reply.js';
import { safeNextPath } from './safe-next-path.js';

// Forms are validated by the handlers, which show the problems on the page again.
const LoginForm = Type.Object({
  email: Type.String({ default: '', maxLength: 320, pattern: NO_NUL }),
  password: Type.String({ default: '', maxLength: 1024 }),
  next: Type.String({ default: '/', maxLength: 2048 }),
});
const LoginCodeForm = Type.Object({
  code: Type.String({ default: '', maxLength: CODE_MAX_LENGTH, pattern: NO_NUL }),
  next: Type.String({ default: '/', maxLength: 2048 }),
});
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) });
const hide = { hide: true };

const CHALLENGE_COOKIE = 'login_challenge';
const challengeCookie = (request: FastifyRequest) =>
  ({ path: '/login', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }) as const;
const challengeOf = (request: FastifyRequest, parse: (header: string) => Record<string, string | undefined>) =>
  request.headers.cookie ? parse(request.headers.cookie)[CHALLENGE_COOKIE] : undefined;
const codeStep = (next: string) => `/login/two-factor?next=${encodeURIComponent(next)}`;

const signInPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { authentication } = app.services;
  const canRegister = app.config.registration !== 'closed';
  const challenge = (request: FastifyRequest) => challengeOf(request, (header) => app.parseCookie(header));
  const endChallenge = (request: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(CHALLENGE_COOKIE, challengeCookie(request));

  app.get('/login', { schema: { ...hide, querystring: NextQuery } }, async (request, reply) => {
    const next = safeNextPath(request.query.next);
    if (request.currentUser) return reply.redirect(next, 303);
    return sendHtml(reply, 200, loginPage(presentCurrentUser(request), next, {}, canRegister));
  });

  app.post('/login', { schema: { ...hide, body: LoginForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const { email, password } = request.body;
    const next = safeNextPath(request.body.next);
    const form = formReply(request, reply, (detail) =>
      loginPage(null, next, { values: { email }, ...fieldErrors(detail) }, canRegister),
    );
    return form.run(async () => {
      try {
        const user = email && password ? await authentication.logIn(email, password, request.ip) : null;
        if (!user) return await form.fail(401, 'Incorrect email or password');
        await app.startSession(request, reply, user);
        return await form.done(next);
      } catch (error) {
        if (!(error instanceof TwoFactorRequired)) throw error;
        reply.setCookie(CHALLENGE_COOKIE, await authentication.challengeFor(error.user), {
          ...challengeCookie(request),
          maxAge: SIGN_IN_CHALLENGE_MINUTES * 60,
        });
        return form.done(codeStep(next));
      }
    });
  });

  app.get('/login/two-factor', { schema: { ...hide, querystring: NextQuery } }, async (request, reply) => {
    const next = safeNextPath(request.query.next);
    if (request.currentUser) return reply.redirect(next, 303);
    if (!challenge(request)) return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    return sendHtml(reply, 200, loginCodePage(next));
  });

  app.post('/login/two-factor', { schema: { ...hide, body: LoginCodeForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const next = safeNextPath(request.body.next);
    // A wrong code is the field's problem; an ended challenge or a limit is the form's.
    const form = formReply(request, reply, (detail) => loginCodePage(next, fieldErrors(detail, ['code'])));
    return form.run(async () => {
      const user = await authentication.logInWithChallenge(challenge(request) ?? '', request.body.code, request.ip);
      endChallenge(request, reply);
      await app.startSession(request, reply, user);
      return form.done(next);
    });
  });

  app.post('/logout', { schema: hide }, async (request, reply) => {
    assertSameOrigin(request);
    await app.endSession(request, reply);
    return wantsJson(request) ? reply.code(204).send() : reply.redirect('/', 303);
  });
  done();
};

export default signInPages;
