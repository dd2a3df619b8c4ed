import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { currentUser } from '../../plugins/auth.js';
import { RequestValidationError } from '../../plugins/errors.js';
import { bearerAuth, errors, NoContent, PageQuery, SMALL_BODY_LIMIT } from '../../schemas/common.js';
import { PasswordChange, TokenForm, UserCreate, UserIdParams, UserUpdate } from '../../schemas/users.js';
import { badRequest, payloadTooLarge, unauthorized } from '../../services/errors.js';
import { toPostPage, toUserPrivate, toUserPublic } from '../../services/present.js';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';

const userPublic = Type.Ref('UserPublic');
const userPrivate = Type.Ref('UserPrivate');
const tags = ['users'];

const FILE_TOO_LARGE = Symbol('file too large');

/** How long the rest of a refused oversized upload is drained before the connection is dropped. */
const UPLOAD_LINGER_MS = 5_000;

/** Once the whole request is in, a file part still open after this long was never closed by its boundary. */
const UNFINISHED_PART_GRACE_MS = 200;

/**
 * Collects an uploaded file, failing as soon as it passes the size limit
 * (the multipart parser stops there and marks the stream truncated), so an
 * oversized upload is answered at once instead of after it was all received.
 * A body that ends inside the file part (no closing boundary) fails too: the
 * parser reports nothing for it, so the end of the request is watched here.
 */
function readWithinLimit(file: Readable & { truncated?: boolean }, request: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const unfinished = () => {
      if (settled) return;
      timer = setTimeout(() => settle(() => reject(new Error('the body ended inside the file part'))), UNFINISHED_PART_GRACE_MS);
    };
    file.on('limit', () => settle(() => reject(FILE_TOO_LARGE)));
    file.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.on('error', (error) => settle(() => reject(error)));
    file.on('end', () => settle(() => (file.truncated ? reject(FILE_TOO_LARGE) : resolve(Buffer.concat(chunks)))));
    file.on('close', () => settle(() => reject(new Error('the upload ended before the file did'))));
    if (request.readableEnded) unfinished();
    else request.once('end', unfinished);
  });
}

/** Errors of the multipart parser are the client's: a 400, unless the parser gave a status itself. */
function asClientError(error: unknown): unknown {
  if (error === FILE_TOO_LARGE || (error as { statusCode?: number }).statusCode) return error;
  return badRequest('Malformed multipart body');
}

const missingFile = () =>
  new RequestValidationError([{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }]);

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, posts, tokens, config } = app;
  const mib = (config.maxUploadSizeBytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');

  app.post('/', {
    bodyLimit: SMALL_BODY_LIMIT,
    schema: { tags, summary: 'Register', body: UserCreate, response: { 201: userPrivate, ...errors(400, 413, 422, 429) } },
  }, async (request, reply) => {
    const user = await accounts.register(request.body, request.ip);
    return reply.code(201).send(toUserPrivate(user));
  });

  app.post('/token', {
    schema: {
      tags,
      summary: 'Log in (OAuth2 password flow: username is the email)',
      consumes: ['application/x-www-form-urlencoded'],
      body: TokenForm,
      response: { 200: Type.Ref('Token'), ...errors(401, 413, 422, 429) },
    },
  }, async (request) => {
    const user = await accounts.authenticate(request.body.username, request.body.password, request.ip);
    if (!user) throw unauthorized('Incorrect email or password');
    return { access_token: await tokens.issue(user), token_type: 'bearer' as const };
  });

  app.post('/logout', {
    schema: {
      tags,
      summary: 'Log out: this token (and the web session cookie) stops working',
      security: bearerAuth,
      response: { 204: NoContent, ...errors(401) },
    },
  }, async (request, reply) => {
    await app.revokeToken(request.authenticatedToken!);
    await app.endSession(request, reply);
    return reply.code(204).send(null);
  });

  app.post('/me/password', {
    bodyLimit: SMALL_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Change your password: every token issued before stops working',
      security: bearerAuth,
      body: PasswordChange,
      response: { 204: NoContent, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => {
    const user = await accounts.changePassword(currentUser(request), request.body.current_password, request.body.new_password);
    // A web session stays signed in with a fresh cookie; Bearer clients log in again.
    if (request.authenticatedByCookie) await app.startSession(request, reply, user);
    return reply.code(204).send(null);
  });

  app.get('/me', {
    schema: { tags, summary: 'The signed-in user', security: bearerAuth, response: { 200: userPrivate, ...errors(401) } },
  }, async (request) => toUserPrivate(currentUser(request)));

  app.get('/:user_id', {
    schema: { tags, summary: 'A user\'s public profile', params: UserIdParams, response: { 200: userPublic, ...errors(404, 422) } },
  }, async (request) => toUserPublic(await accounts.getPublic(request.params.user_id)));

  app.patch('/:user_id', {
    bodyLimit: SMALL_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Change your username or email',
      security: bearerAuth,
      params: UserIdParams,
      body: UserUpdate,
      response: { 200: userPrivate, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => toUserPrivate(await accounts.update(currentUser(request), request.params.user_id, request.body)));

  app.delete('/:user_id', {
    schema: {
      tags,
      summary: 'Delete your account, its posts and its picture',
      security: bearerAuth,
      params: UserIdParams,
      response: { 204: NoContent, ...errors(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await accounts.delete(currentUser(request), request.params.user_id);
    return reply.code(204).send(null);
  });

  app.get('/:user_id/posts', {
    schema: {
      tags,
      summary: 'A user\'s posts, newest first',
      params: UserIdParams,
      querystring: PageQuery(config.postsPerPage),
      response: { 200: Type.Ref('PostPage'), ...errors(404, 422) },
    },
  }, async (request) => {
    const user = await accounts.getPublic(request.params.user_id);
    const { skip, limit } = request.query;
    return toPostPage(await posts.page({ skip, limit, userId: user.id }), skip, limit);
  });

  // The multipart parser only where a file is uploaded: registered for the
  // whole app it would add two hooks to every request.
  const pictureUpload: FastifyPluginAsyncTypebox = async (uploads) => {
    await uploads.register(multipart, { limits: { fileSize: config.maxUploadSizeBytes, files: 1 } });
    uploads.patch('/:user_id/picture', {
      schema: {
        tags,
        summary: 'Upload a profile picture',
        description: `multipart/form-data with one field \`file\`: a JPEG, PNG, GIF or WebP image of at most ${mib} MiB. ` +
          'It is cropped to a 300x300 JPEG.',
        security: bearerAuth,
        consumes: ['multipart/form-data'],
        params: UserIdParams,
        response: { 200: userPrivate, ...errors(400, 401, 403, 404, 413, 422) },
      },
    }, async (request, reply) => {
      const tooLarge = () => {
        // Answered at once. What the client is still sending is discarded (Node
        // drains it) for a few seconds, so the client gets to read the answer
        // instead of a reset; then the connection is dropped.
        reply.raw.once('finish', () => {
          if (!request.raw.readableEnded) setTimeout(() => request.raw.destroy(), UPLOAD_LINGER_MS).unref();
        });
        return payloadTooLarge(`File too large. The maximum size is ${mib} MiB.`);
      };
      const declaredLength = Number(request.headers['content-length'] ?? 0);
      if (declaredLength > config.maxUploadSizeBytes + 64 * 1024) throw tooLarge();
      if (!request.isMultipart()) throw missingFile();
      // Streamed: the file size limit is enforced while reading, never buffering more.
      let bytes: Buffer;
      try {
        const part = await request.file({ limits: { fileSize: config.maxUploadSizeBytes, files: 1, fields: 10, parts: 20 } });
        if (!part || part.fieldname !== 'file') throw missingFile();
        bytes = await readWithinLimit(part.file, request.raw);
      } catch (error) {
        if (error instanceof RequestValidationError) throw error;
        throw error === FILE_TOO_LARGE ? tooLarge() : asClientError(error);
      }
      return toUserPrivate(await accounts.setPicture(currentUser(request), request.params.user_id, bytes));
    });
  };
  await app.register(pictureUpload);

  app.delete('/:user_id/picture', {
    schema: {
      tags,
      summary: 'Remove your profile picture',
      security: bearerAuth,
      params: UserIdParams,
      response: { 200: userPrivate, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => toUserPrivate(await accounts.removePicture(currentUser(request), request.params.user_id)));
};

export default usersRoutes;
