// The OpenAPI document, built from the route schemas, at /openapi.json, and
// Swagger UI at /docs, whose "Authorize" button logs in with the password flow.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './auth.js';
import { documentedOperation } from './docs-operations.js';
import { ErrorResponse, ValidationErrorResponse } from '../schemas/errors.js';

import { PostPage, PostResponse } from '../schemas/posts.js';
import { Token, UserPrivate, UserPublic } from '../schemas/users.js';

export default fp(
  async function docs(app: FastifyInstance) {
    // Shared schemas: referenced by $id from routes, listed as named components.
    for (const schema of [
      ErrorResponse,
      ValidationErrorResponse,
      UserPublic,
      UserPrivate,
      PostResponse,
      PostPage,
      Token,
    ]) {
      app.addSchema(schema);
    }
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Blog API',
          version: '1.0.0',
          description: 'Accounts, posts and profile pictures. Errors are `{"detail": ...}`.',
        },
        tags: [
          { name: 'users', description: 'Accounts, login and profile pictures' },
          { name: 'posts', description: 'Posts' },
          { name: 'admin', description: 'Moderation: accounts, invitations and the audit log (admins only)' },
        ],
        components: {
          securitySchemes: {
            OAuth2PasswordBearer: {
              type: 'oauth2',
              description: 'Log in with your email as the username.',
              flows: { password: { tokenUrl: '/api/users/token', scopes: {} } },
            },
            SessionCookie: {
              type: 'apiKey',
              in: 'cookie',
              name: SESSION_COOKIE,
              description:
                "The web pages' HttpOnly session cookie, set by logging in at /login. A state-changing request it signs in must come from this site's own pages (Sec-Fetch-Site or Origin): otherwise 403.",
            },
          },
        },
      },
      exposeHeadRoutes: true,
      transform: documentedOperation,
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { persistAuthorization: false },
      // Swagger UI sets inline styles from its scripts; only its own pages relax
      // style-src for that. Scripts stay 'self' only.
      transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    });
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  },
  { name: 'docs' },
);
