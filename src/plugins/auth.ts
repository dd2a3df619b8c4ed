// The "current user" mechanism. A route that declares the bearer security
// requirement in its schema gets the `authenticate` hook, so the OpenAPI
// document and the enforcement cannot drift apart. The hook runs on request,
// before the body is read or validated: 401 comes before 422, and an
// anonymous upload is refused without reading it.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../repositories/users.js';
import { unauthorized } from '../services/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on routes that require a user. */
    authenticatedUser: User | null;
  }
  interface FastifyInstance {
    authenticate: onRequestHookHandler;
  }
}

/** The signed-in user of a route that declares the bearer security requirement. */
export function currentUser(request: FastifyRequest): User {
  const user = request.authenticatedUser;
  if (!user) throw new Error(`route ${request.routeOptions.url} reads the current user but declares no security`);
  return user;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('authenticatedUser', null);

    const authenticate: onRequestHookHandler = async function authenticate(request) {
      const token = bearerToken(request);
      if (!token) throw unauthorized('Not authenticated');
      const userId = await app.tokens.verify(token);
      const user = userId === null ? undefined : await app.repositories.users.findById(userId);
      if (!user) throw unauthorized('Invalid or expired token');
      request.authenticatedUser = user;
    };
    app.decorate('authenticate', authenticate);

    app.addHook('onRoute', (route) => {
      if (!route.schema?.security?.length) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [authenticate, ...existing];
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
