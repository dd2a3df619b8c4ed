// Who is signed in. A route that declares the bearer security requirement in
// its schema gets the `authenticate` hook, so the OpenAPI document and the
// enforcement cannot drift apart. The hook runs on request, before the body
// is read or validated: 401 comes before 422, and an anonymous upload is
// refused without reading it.
//
// Two ways to present a token: the `Authorization: Bearer` header (API
// clients, /docs) or the HttpOnly session cookie that the web pages' login
// sets, so page scripts never see the token. A cookie is sent by the browser
// on its own, so a state-changing request authenticated by it must come from
// this site's own pages (CSRF).
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors.js';
import type { User } from '../repositories/users.js';
import type { TokenClaims } from '../services/tokens.js';

export const SESSION_COOKIE = 'session';

/** The token a request was signed in with. */
export interface CurrentToken {
  claims: TokenClaims;
  /** It came in the session cookie rather than the Authorization header. */
  fromCookie: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user: set by `authenticate` on secured routes, by `loadCurrentUser` on pages. */
    currentUser: User | null;
    /** Set with currentUser. */
    currentToken: CurrentToken | null;
  }
  interface FastifyInstance {
    authenticate: onRequestAsyncHookHandler;
    /** For public API reads that show more to some users: the bearer token's or session cookie's user, or null (none, or not valid). */
    optionalUser(request: FastifyRequest): Promise<User | null>;
    /** For pages, which show both states: the session cookie's user (also set as request.currentUser), or null. */
    loadCurrentUser(request: FastifyRequest): Promise<User | null>;
    startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
    /** Revokes the session cookie's token, if any, and clears the cookie. */
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** The signed-in user of a route that declares the bearer security requirement. */
export function currentUser(request: FastifyRequest): User {
  const user = request.currentUser;
  if (!user) throw new Error(`route ${request.routeOptions.url} reads the current user but declares no security`);
  return user;
}

/** The token of a route that declares the bearer security requirement. */
export function currentToken(request: FastifyRequest): CurrentToken {
  const token = request.currentToken;
  if (!token) throw new Error(`route ${request.routeOptions.url} reads the current token but declares no security`);
  return token;
}

/** The token of an `Authorization: Bearer` header: undefined without one, '' when it is malformed. */
export function bearerToken(request: FastifyRequest): string | undefined {
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
    const { authentication, tokens } = app.services;
    // Cookies are parsed only where a session is read, not on every request.
    await app.register(cookie, { hook: false });
    const sessionToken = (request: FastifyRequest): string | undefined => {
      const header = request.headers.cookie;
      return header ? app.parseCookie(header)[SESSION_COOKIE] : undefined;
    };
    const cookieOptions = (request: FastifyRequest) =>
      ({ path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' }) as const;
    app.decorateRequest('currentUser', null);
    app.decorateRequest('currentToken', null);

    const authenticate: onRequestAsyncHookHandler = async function authenticate(request) {
      const bearer = bearerToken(request);
      const token = bearer ?? sessionToken(request);
      if (!token) throw unauthorized('Not authenticated');
      const fromCookie = bearer === undefined;
      if (fromCookie && !SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
        throw forbidden('Cross-site request refused');
      }
      const signedIn = await authentication.userForToken(token);
      if (!signedIn) throw unauthorized('Invalid or expired token');
      request.currentUser = signedIn.user;
      request.currentToken = { claims: signedIn.claims, fromCookie };
    };
    app.decorate('authenticate', authenticate);

    app.decorate('optionalUser', async (request: FastifyRequest) => {
      const token = bearerToken(request) ?? sessionToken(request);
      const signedIn = token ? await authentication.userForToken(token) : undefined;
      return signedIn?.user ?? null;
    });

    app.decorate('loadCurrentUser', async (request: FastifyRequest) => {
      const token = sessionToken(request);
      const signedIn = token ? await authentication.userForToken(token) : undefined;
      if (signedIn) {
        request.currentUser = signedIn.user;
        request.currentToken = { claims: signedIn.claims, fromCookie: true };
      }
      return request.currentUser;
    });

    app.decorate('startSession', async (request: FastifyRequest, reply: FastifyReply, user: User) => {
      reply.setCookie(SESSION_COOKIE, await tokens.issue(user), {
        ...cookieOptions(request),
        maxAge: app.config.accessTokenExpireMinutes * 60,
      });
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = sessionToken(request);
      const claims = token ? await tokens.verify(token) : null;
      if (claims) await authentication.revoke(claims);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    });

    app.addHook('onRoute', (route) => {
      if (!route.schema?.security?.length) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [authenticate, ...existing];
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
