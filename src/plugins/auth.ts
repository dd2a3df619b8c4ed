// The "current user" mechanism. A route that declares the bearer security
// requirement in its schema gets the `authenticate` hook, so the OpenAPI
// document and the enforcement cannot drift apart. The hook runs on request,
// before the body is read or validated: 401 comes before 422, and an
// anonymous upload is refused without reading it.
//
// Two ways to present a token: the `Authorization: Bearer` header (API
// clients, /docs) or the HttpOnly session cookie that the web pages' login
// sets, so page scripts never see the token. A cookie is sent by the browser
// on its own, so a state-changing request authenticated by it must come from
// this site's own pages (CSRF).
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../repositories/users.js';
import { forbidden, unauthorized } from '../services/errors.js';
import type { TokenClaims } from '../services/tokens.js';

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on routes that require a user. */
    authenticatedUser: User | null;
    /** The claims of the token that authenticated the request (for logout). */
    authenticatedToken: TokenClaims | null;
    /** Whether that token came in the session cookie rather than the Authorization header. */
    authenticatedByCookie: boolean;
  }
  interface FastifyInstance {
    authenticate: onRequestHookHandler;
    /** The user of the session cookie, or null: for pages, which show both states. */
    sessionUser(request: FastifyRequest): Promise<User | null>;
    startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
    /** Revokes the session cookie's token, if any, and clears the cookie. */
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** Ends one token for good (logout). */
    revokeToken(claims: TokenClaims): Promise<void>;
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
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] ?? '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the browser says the request comes from a page of this origin. */
export function isSameOriginRequest(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site) return site === 'same-origin';
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    // Both through the URL parser, so "localhost:80" and "localhost" compare equal.
    return new URL(origin).host === new URL(`${request.protocol}://${request.headers.host}`).host;
  } catch {
    return false;
  }
}

export default fp(
  async function auth(app: FastifyInstance) {
    // Cookies are parsed only where a session is read, not on every request.
    await app.register(cookie, { hook: false });
    const sessionToken = (request: FastifyRequest): string | undefined => {
      const header = request.headers.cookie;
      return header ? app.parseCookie(header)[SESSION_COOKIE] : undefined;
    };
    app.decorateRequest('authenticatedUser', null);
    app.decorateRequest('authenticatedToken', null);
    app.decorateRequest('authenticatedByCookie', false);

    /** The user and claims of a token that is valid now: signed, unexpired, not revoked, current version. */
    async function resolve(token: string): Promise<{ user: User; claims: TokenClaims } | undefined> {
      const claims = await app.tokens.verify(token);
      const user = claims && (await app.repositories.users.findForToken(claims));
      return user && claims ? { user, claims } : undefined;
    }

    const authenticate: onRequestHookHandler = async function authenticate(request) {
      const bearer = bearerToken(request);
      const token = bearer ?? sessionToken(request);
      if (!token) throw unauthorized('Not authenticated');
      const byCookie = bearer === undefined;
      if (byCookie && !SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
        throw forbidden('Cross-site request refused');
      }
      const resolved = await resolve(token);
      if (!resolved) throw unauthorized('Invalid or expired token');
      request.authenticatedUser = resolved.user;
      request.authenticatedToken = resolved.claims;
      request.authenticatedByCookie = byCookie;
    };
    app.decorate('authenticate', authenticate);

    app.decorate('sessionUser', async (request: FastifyRequest) => {
      const token = sessionToken(request);
      return (token && (await resolve(token))?.user) || null;
    });

    app.decorate('revokeToken', (claims: TokenClaims) => app.repositories.revokedTokens.revoke(claims.jti, claims.expiresAt));

    app.decorate('startSession', async (request: FastifyRequest, reply: FastifyReply, user: User) => {
      reply.setCookie(SESSION_COOKIE, await app.tokens.issue(user), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: app.config.accessTokenExpireMinutes * 60,
      });
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = sessionToken(request);
      const claims = token ? await app.tokens.verify(token) : null;
      if (claims) await app.revokeToken(claims);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
    });

    app.addHook('onRoute', (route) => {
      if (!route.schema?.security?.length) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [authenticate, ...existing];
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
