import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser } from '../../plugins/auth.js';
import { bearerAuth, errors, NoContent, PageQuery } from '../../schemas/common.js';
import { PostCreate, PostIdParams, PostUpdate } from '../../schemas/posts.js';
import { toPostPage, toPostResponse } from '../../services/present.js';

const postResponse = Type.Ref('PostResponse');
const tags = ['posts'];

const postsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { posts, config } = app;

  app.get('/', {
    schema: {
      tags,
      summary: 'Posts, newest first',
      querystring: PageQuery(config.postsPerPage),
      response: { 200: Type.Ref('PostPage'), ...errors(422) },
    },
  }, async (request) => {
    const { skip, limit } = request.query;
    return toPostPage(await posts.page({ skip, limit }), skip, limit);
  });

  app.post('/', {
    schema: {
      tags,
      summary: 'Write a post (you are its author)',
      security: bearerAuth,
      body: PostCreate,
      response: { 201: postResponse, ...errors(401, 422) },
    },
  }, async (request, reply) => {
    const post = await posts.create(currentUser(request), request.body);
    return reply.code(201).send(toPostResponse(post));
  });

  app.get('/:post_id', {
    schema: { tags, summary: 'One post', params: PostIdParams, response: { 200: postResponse, ...errors(404, 422) } },
  }, async (request) => toPostResponse(await posts.find(request.params.post_id)));

  app.put('/:post_id', {
    schema: {
      tags,
      summary: 'Replace your post',
      security: bearerAuth,
      params: PostIdParams,
      body: PostCreate,
      response: { 200: postResponse, ...errors(401, 403, 404, 422) },
    },
  }, async (request) => toPostResponse(await posts.update(currentUser(request), request.params.post_id, request.body)));

  app.patch('/:post_id', {
    schema: {
      tags,
      summary: 'Change the title or content of your post',
      security: bearerAuth,
      params: PostIdParams,
      body: PostUpdate,
      response: { 200: postResponse, ...errors(401, 403, 404, 422) },
    },
  }, async (request) => toPostResponse(await posts.update(currentUser(request), request.params.post_id, request.body)));

  app.delete('/:post_id', {
    schema: {
      tags,
      summary: 'Delete your post',
      security: bearerAuth,
      params: PostIdParams,
      response: { 204: NoContent, ...errors(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await posts.delete(currentUser(request), request.params.post_id);
    return reply.code(204).send(null);
  });
};

export default postsRoutes;
