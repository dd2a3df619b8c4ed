// /api/posts, writing: a new post, the editors' preview, and changing or deleting your own.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject } from 'typebox';
import { currentUser } from '../../../plugins/auth.js';
import { toPostResponse } from '../../../presenters/posts.js';
import { bearerAuth, NoContent } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { PostCreate, PostIdParams, PostPreview, PostPreviewRequest, PostUpdate } from '../../../schemas/posts.js';

const tags = ['posts'];

const postResponse = Type.Ref('PostResponse');

const MODERATOR_NOTE =
  "The author may; so may an admin, on anyone's published post (a moderator action, recorded in the audit log). Everyone else: 403.";

const writingRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { posts } = app.services;

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Write a post (you are its author)',
        security: bearerAuth,
        body: PostCreate,
        response: { 201: postResponse, ...errors(401, 422) },
      },
    },
    async (request, reply) => {
      const post = await posts.create(currentUser(request), request.body);
      return reply.code(201).send(toPostResponse(post));
    },
  );

  app.post(
    '/preview',
    {
      schema: {
        tags,
        summary: "The HTML that a content would be shown as (the editors' preview); nothing is saved",
        security: bearerAuth,
        body: PostPreviewRequest,
        response: { 200: PostPreview, ...errors(401, 422) },
      },
    },
    async (request) => ({ content_html: await posts.preview(request.body.content) }),
  );

  // PUT replaces both fields, PATCH changes either: one rule, two bodies.
  const changes = [
    ['PUT', 'Replace your post (admins: any post)', PostCreate],
    ['PATCH', 'Change the title, content or status of your post (admins: any post)', PostUpdate],
  ] as const satisfies readonly (readonly [string, string, TObject])[];
  for (const [method, summary, body] of changes) {
    app.route({
      method,
      url: '/:post_id',
      schema: {
        tags,
        summary,
        description: MODERATOR_NOTE,
        security: bearerAuth,
        params: PostIdParams,
        body,
        response: { 200: postResponse, ...errors(401, 403, 404, 422) },
      },
      handler: async (request) => {
        const post = await posts.update(currentUser(request), request.params.post_id, request.body);
        return toPostResponse(post);
      },
    });
  }

  app.delete(
    '/:post_id',
    {
      schema: {
        tags,
        summary: 'Delete your post (admins: any post)',
        description: MODERATOR_NOTE,
        security: bearerAuth,
        params: PostIdParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await posts.delete(currentUser(request), request.params.post_id);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default writingRoutes;
