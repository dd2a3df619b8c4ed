import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { buildDocument, buildTypes, DOCUMENT_FILE, TYPES_FILE } from '../../scripts/openapi.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import { defined, ofType, register, signedInUser, useTestApp } from '../helpers/index.js';

const context = useTestApp();

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema: { default?: unknown };
}
interface Response {
  description: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  security?: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, Response>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}
/** The document type Swagger Parser reads. */
type OpenApiDocument = NonNullable<Parameters<SwaggerParser.ApiCallback>[1]>;

async function openapi(): Promise<Document> {
  const { app } = await context();
  const response = await app.inject('/openapi.json');
  expect(response.statusCode).toBe(200);
  return response.json<Document>();
}

describe('API documentation', () => {
  it('/openapi.json is a valid OpenAPI 3 document listing every API route', async () => {
    const document = await openapi();
    expect(document.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(document) as unknown as OpenApiDocument);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/admin/audit',
      '/api/admin/invitations',
      '/api/admin/invitations/{invitation_id}',
      '/api/admin/users',
      '/api/admin/users/{user_id}/suspend',
      '/api/admin/users/{user_id}/unsuspend',
      '/api/posts',
      '/api/posts/preview',
      '/api/posts/{post_id}',
      '/api/users',
      '/api/users/logout',
      '/api/users/me',
      '/api/users/me/2fa',
      '/api/users/me/2fa/confirm',
      '/api/users/me/password',
      '/api/users/me/posts',
      '/api/users/password-reset',
      '/api/users/password-reset/confirm',
      '/api/users/token',
      '/api/users/{user_id}',
      '/api/users/{user_id}/picture',
      '/api/users/{user_id}/posts',
    ]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'UserPublic',
        'UserPrivate',
        'PostResponse',
        'PostPage',
        'Token',
        'ErrorResponse',
        'ValidationErrorResponse',
      ]),
    );
  });

  it('declares the OAuth2 password flow that Swagger UI "Authorize" uses', async () => {
    const document = await openapi();
    expect(document.components.securitySchemes.OAuth2PasswordBearer).toMatchObject({
      type: 'oauth2',
      flows: { password: { tokenUrl: '/api/users/token' } },
    });
    const token = defined(defined(document.paths['/api/users/token']).post, 'POST /api/users/token');
    expect(Object.keys(defined(token.requestBody, 'its request body').content)).toEqual([
      'application/x-www-form-urlencoded',
    ]);
  });

  it('every operation documented as secured answers 401 without a token, and the others do not', async () => {
    const { app } = await context();
    const document = await openapi();
    const secured: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const url = path.replace('{user_id}', '1').replace('{post_id}', '1').replace('{invitation_id}', '1');
        const response = await app.inject({ method: method.toUpperCase() as 'GET', url });
        if (operation.security?.length) {
          secured.push(`${method.toUpperCase()} ${path}`);
          expect(response.statusCode, `${method} ${path}`).toBe(401);
          expect(response.headers['www-authenticate']).toBe('Bearer');
        } else {
          expect(response.statusCode, `${method} ${path}`).not.toBe(401);
        }
      }
    }
    expect(secured.sort()).toEqual([
      'DELETE /api/admin/invitations/{invitation_id}',
      'DELETE /api/posts/{post_id}',
      'DELETE /api/users/me/2fa',
      'DELETE /api/users/{user_id}',
      'DELETE /api/users/{user_id}/picture',
      'GET /api/admin/audit',
      'GET /api/admin/invitations',
      'GET /api/admin/users',
      'GET /api/users/me',
      'GET /api/users/me/posts',
      'HEAD /api/admin/audit',
      'HEAD /api/admin/invitations',
      'HEAD /api/admin/users',
      'HEAD /api/users/me',
      'HEAD /api/users/me/posts',
      'PATCH /api/posts/{post_id}',
      'PATCH /api/users/{user_id}',
      'PATCH /api/users/{user_id}/picture',
      'POST /api/admin/invitations',
      'POST /api/admin/users/{user_id}/suspend',
      'POST /api/admin/users/{user_id}/unsuspend',
      'POST /api/posts',
      'POST /api/posts/preview',
      'POST /api/users/logout',
      'POST /api/users/me/2fa',
      'POST /api/users/me/2fa/confirm',
      'POST /api/users/me/password',
      'PUT /api/posts/{post_id}',
    ]);
  });

  it('the token endpoint accepts the form Swagger UI "Authorize" sends', async () => {
    const { app } = await context();
    await register(app, { username: 'swagger', email: 'swagger@example.com', password: 'swagger password' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: 'grant_type=password&username=swagger%40example.com&password=swagger%20password&scope=&client_id=',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'bearer', access_token: ofType(String) });
  });

  it('/docs serves Swagger UI from this server', async () => {
    const { app } = await context();
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[^"']*\.(js|css)/);
  });
});

/** Every operation of the document, as "METHOD /path". */
const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method,
      operation,
    })),
  );

describe('the document is exact', () => {
  it('documents the picture upload as multipart/form-data with its one field, file', async () => {
    const document = await openapi();
    const upload = defined(document.paths['/api/users/{user_id}/picture']?.patch, 'PATCH picture');
    const body = defined(upload.requestBody, 'its request body');
    expect(Object.keys(body.content)).toEqual(['multipart/form-data']);
    expect(body.content['multipart/form-data']?.schema).toMatchObject({
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string' } },
    });
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415', '422']));
  });

  it('skip and limit are optional, with their defaults', async () => {
    const document = await openapi();
    const paged = operations(document).filter(({ operation }) => operation.parameters?.some((p) => p.name === 'skip'));
    expect(paged.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['GET /api/posts', 'GET /api/users/{user_id}/posts']),
    );
    for (const { name, operation } of paged) {
      const skip = operation.parameters?.find((p) => p.name === 'skip');
      const limit = operation.parameters?.find((p) => p.name === 'limit');
      expect(skip, name).toMatchObject({ in: 'query', required: false, schema: { default: 0 } });
      expect(limit, name).toMatchObject({ in: 'query', required: false, schema: { default: 10 } });
    }
  });

  it('every write answers 413 (body too large), 415 and 422, and every operation 500', async () => {
    const document = await openapi();
    for (const { name, method, operation } of operations(document)) {
      if (['post', 'put', 'patch', 'delete'].includes(method)) {
        expect(Object.keys(operation.responses), name).toEqual(expect.arrayContaining(['413', '415', '422']));
      }
      expect(operation.responses['500'], name).toBeDefined();
    }
  });

  it('declares the session cookie, accepted wherever the bearer token is', async () => {
    const document = await openapi();
    expect(document.components.securitySchemes.SessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'session',
    });
    for (const { name, operation } of operations(document)) {
      if (!operation.security) continue;
      expect(operation.security, name).toEqual([{ OAuth2PasswordBearer: [] }, { SessionCookie: [] }]);
    }
  });

  it('a secured write documents the 403 of the cross-site guard; a 401 its WWW-Authenticate; a 429 its Retry-After', async () => {
    const document = await openapi();
    for (const { name, method, operation } of operations(document)) {
      const unsafe = !['get', 'head'].includes(method);
      if (operation.security && unsafe) expect(operation.responses['403']?.description, name).toMatch(/Cross-site/);
      if (operation.responses['401'])
        expect(operation.responses['401'].headers, name).toHaveProperty('WWW-Authenticate');
      if (operation.responses['429']) expect(operation.responses['429'].headers, name).toHaveProperty('Retry-After');
    }
  });

  it('HEAD is documented beside each GET, without bodies; 204 answers have none either', async () => {
    const document = await openapi();
    for (const [path, byMethod] of Object.entries(document.paths)) {
      if (byMethod.get) expect(byMethod.head, path).toBeDefined();
      for (const response of Object.values(byMethod.head?.responses ?? {}))
        expect(response.content, path).toBeUndefined();
    }
    for (const { name, operation } of operations(document)) {
      expect(operation.responses['204']?.content, name).toBeUndefined();
    }
  });

  it('a JSON route reads only JSON: a form body is a 415, as documented, and changes nothing', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'form');
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { ...user.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=Form&content=Sent%20as%20a%20form',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ detail: 'Unsupported Media Type: application/x-www-form-urlencoded' });
    const document = await openapi();
    expect(Object.keys(defined(document.paths['/api/posts']?.post?.requestBody).content)).toEqual(['application/json']);
  });

  it('the checked-in docs/openapi.json and client/api-schema.d.ts are what the code generates (npm run build:api)', async () => {
    const document = await buildDocument();
    expect(readFileSync(DOCUMENT_FILE, 'utf8'), 'docs/openapi.json is stale: run npm run build:api').toBe(document);
    expect(readFileSync(TYPES_FILE, 'utf8'), 'client/api-schema.d.ts is stale: run npm run build:api').toBe(
      await buildTypes(document),
    );
  });
});

describe('errors', () => {
  it('an unexpected error is a generic 500 with no internals', async () => {
    const { app } = await context();
    const original = app.services.posts.find;
    app.services.posts.find = () =>
      Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path'));
    try {
      const response = await app.inject('/api/posts/1');
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ detail: 'Internal Server Error' });
      expect(response.body).not.toContain('SQLITE');
    } finally {
      app.services.posts.find = original;
    }
  });

  it('unknown /api paths answer JSON 404, other paths an HTML page', async () => {
    const { app } = await context();
    const api = await app.inject('/api/nothing/here');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ detail: 'Not Found' });
    const page = await app.inject('/nothing/here');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('the default avatar is served as an image', async () => {
    const { app } = await context();
    const response = await app.inject(DEFAULT_AVATAR_URL);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });
});
