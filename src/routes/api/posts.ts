// /api/posts: the listing, one post, and writing, changing and deleting your own.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject } from 'typebox';
import { currentUser } from '../../plugins/auth.js';
import { toPostPage, toPostResponse } from '../../presenters/posts.js';
import { bearerAuth, NoContent } from '../../schemas/common.js';
import { errors } from '../../schemas/errors.js';
import { PostCreate, PostIdParams, PostPreview, PostPreviewRequest, PostUpdate } from '../../schemas/posts.js';
import { PostsQuery } from '../../schemas/search.js';

const postResponse = Type.Ref('PostResponse');
const tags = ['posts'];

const postsRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { posts } = app.services;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Published posts, newest first; with q, those holding its words (title matches first)',
        querystring: PostsQuery(app.config.postsPerPage),
        response: { 200: Type.Ref('PostPage'), ...errors(422) },
      },
    },
    async (request) => {
      const { skip, limit, q } = request.query;
      const page = q === undefined ? await posts.page({ skip, limit }) : await posts.search(q, { skip, limit });
      return toPostPage(page, skip, limit);
    },
  );

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

  app.get(
    '/:post_id',
    {
      schema: {
        tags,
        summary: 'One post (a draft: only for its author)',
        params: PostIdParams,
        response: { 200: postResponse, ...errors(404, 422) },
      },
    },
    // Only a draft asks who is reading (its author sees it, anyone else: 404).
    async (request) => toPostResponse(await posts.find(request.params.post_id, () => app.optionalUser(request))),
  );

  // PUT replaces both fields, PATCH changes either: one rule, two bodies.
  const changes = [
    ['PUT', 'Replace your post', PostCreate],
    ['PATCH', 'Change the title, content or status of your post', PostUpdate],
  ] as const satisfies readonly (readonly [string, string, TObject])[];
  for (const [method, summary, body] of changes) {
    app.route({
      method,
      url: '/:post_id',
      schema: {
        tags,
        summary,
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
        summary: 'Delete your post',
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

export default postsRoutes;
