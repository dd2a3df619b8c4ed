// The web pages. They are rendered on the server already knowing who is
// signed in (from the HttpOnly session cookie), and use the same services as
// the API. Login, registration and logout are plain form posts, so they work
// without JavaScript; the browser code sends the same forms with fetch and
// asks for JSON to show errors in place.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isSameOriginRequest } from '../plugins/auth.js';
import { compileBodyValidator } from '../plugins/validation.js';
import type { User } from '../repositories/users.js';
import { NO_NUL } from '../schemas/common.js';
import { PostIdParams } from '../schemas/posts.js';
import { UserCreate, UserIdParams, type UserPrivateBody } from '../schemas/users.js';
import { HttpError, forbidden } from '../services/errors.js';
import { toPostPage, toPostResponse, toUserPrivate, toUserPublic } from '../services/present.js';
import { fieldErrors, type ErrorDetail } from '../shared/fields.js';
import { accountPage, errorPage, homePage, loginPage, postPage, registerPage, userPostsPage, type FormState } from '../views/pages/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: User | null;
  }
}

const PageQuery = Type.Object({ skip: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }) });
const LoginForm = Type.Object({
  email: Type.String({ default: '', maxLength: 320, pattern: NO_NUL }),
  password: Type.String({ default: '', maxLength: 1024 }),
  next: Type.String({ default: '/', maxLength: 2048 }),
});
const RegisterForm = Type.Object({
  username: Type.String({ default: '' }),
  email: Type.String({ default: '' }),
  password: Type.String({ default: '' }),
});

/**
 * Only a path on this site. Browsers drop tabs and newlines and read "\\" as
 * "/", so "/\t/evil.example" or "/\\evil.example" would lead elsewhere: such
 * values, and anything that resolves to another origin, fall back to "/".
 */
export function safeNextPath(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const base = 'http://site.invalid';
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const viewerOf = (request: FastifyRequest): UserPrivateBody | null => (request.viewer ? toUserPrivate(request.viewer) : null);

const pagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, posts, config } = app;
  const validateRegistration = compileBodyValidator(UserCreate);

  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request) => {
    request.viewer = await app.sessionUser(request);
  });

  // Error pages for every non-/api path, in the site's layout.
  app.setErrorPageRenderer(async (status, message, request, reply) => {
    const user = request.viewer ?? (await app.sessionUser(request).catch(() => null));
    return html(reply, status, errorPage(user ? toUserPrivate(user) : null, status, message));
  });

  /** Login CSRF: a form post that signs someone in must come from this site. */
  function assertSameOrigin(request: FastifyRequest) {
    if (!isSameOriginRequest(request)) throw forbidden('Cross-site request refused');
  }

  async function firstPage(skip: number, userId?: number) {
    const limit = config.postsPerPage;
    return toPostPage(await posts.page({ skip, limit, userId }), skip, limit);
  }

  const hide = { hide: true };

  for (const url of ['/', '/posts']) {
    app.get(url, { schema: { ...hide, querystring: PageQuery } }, async (request, reply) =>
      html(reply, 200, homePage(viewerOf(request), await firstPage(request.query.skip))),
    );
  }

  app.get('/posts/:post_id', { schema: { ...hide, params: PostIdParams } }, async (request, reply) =>
    html(reply, 200, postPage(viewerOf(request), toPostResponse(await posts.find(request.params.post_id)))),
  );

  app.get('/users/:user_id/posts', { schema: { ...hide, params: UserIdParams, querystring: PageQuery } }, async (request, reply) => {
    const author = await accounts.getPublic(request.params.user_id);
    return html(reply, 200, userPostsPage(viewerOf(request), toUserPublic(author), await firstPage(request.query.skip, author.id)));
  });

  app.get('/account', { schema: hide }, async (request, reply) => {
    if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent('/account')}`, 303);
    const { total } = await posts.page({ skip: 0, limit: 1, userId: request.viewer.id });
    return html(reply, 200, accountPage(toUserPrivate(request.viewer), total));
  });

  app.get('/login', { schema: { ...hide, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) }) } }, async (request, reply) => {
    const next = safeNextPath(request.query.next);
    if (request.viewer) return reply.redirect(next, 303);
    return html(reply, 200, loginPage(viewerOf(request), next));
  });

  app.post('/login', { schema: { ...hide, body: LoginForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const { email, password } = request.body;
    const next = safeNextPath(request.body.next);
    const fail = (status: number, detail: string) => {
      if (wantsJson(request)) return reply.code(status).send({ detail });
      return html(reply, status, loginPage(null, next, { values: { email }, ...fieldErrors(detail) }));
    };
    let user: User | null;
    try {
      user = email && password ? await accounts.authenticate(email, password, request.ip) : null;
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
      reply.headers(error.headers); // Retry-After of a 429
      return fail(error.statusCode, error.detail);
    }
    if (!user) return fail(401, 'Incorrect email or password');
    await app.startSession(request, reply, user);
    return wantsJson(request) ? reply.send({ redirect: next }) : reply.redirect(next, 303);
  });

  app.get('/register', { schema: hide }, async (request, reply) => {
    if (request.viewer) return reply.redirect('/', 303);
    return html(reply, 200, registerPage(viewerOf(request)));
  });

  app.post('/register', { schema: { ...hide, body: RegisterForm } }, async (request, reply) => {
    assertSameOrigin(request);
    const values = request.body;
    const fail = (status: number, detail: ErrorDetail) => {
      if (wantsJson(request)) return reply.code(status).send({ detail });
      const state: FormState = { values: { username: values.username, email: values.email }, ...fieldErrors(detail) };
      return html(reply, status, registerPage(null, state));
    };
    const problems = validateRegistration(values);
    if (problems) return fail(422, problems);
    let user: User;
    try {
      user = await accounts.register(values, request.ip);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
      reply.headers(error.headers); // Retry-After of a 429
      return fail(error.statusCode, error.detail);
    }
    await app.startSession(request, reply, user);
    return wantsJson(request) ? reply.code(201).send({ redirect: '/' }) : reply.redirect('/', 303);
  });

  app.post('/logout', { schema: hide }, async (request, reply) => {
    assertSameOrigin(request);
    await app.endSession(request, reply);
    return wantsJson(request) ? reply.code(204).send() : reply.redirect('/', 303);
  });
};

export default pagesRoutes;
