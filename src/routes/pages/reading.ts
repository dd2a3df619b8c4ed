// The pages for reading: all posts, one post, one author's posts. The first
// page of a listing is rendered here; "Load more" fetches the next ones from
// the API (or, without JavaScript, is a link to ?skip=).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toPostPage, toPostResponse } from '../../presenters/posts.js';
import { toUserPublic } from '../../presenters/users.js';
import type { User } from '../../repositories/users.js';
import { PostIdParams } from '../../schemas/posts.js';
import { UserIdParams } from '../../schemas/users.js';
import { sendHtml } from '../../views/html.js';
import { homePage, postPage, userPostsPage } from '../../views/pages/index.js';
import { presentCurrentUser } from './current-user.js';

const PageQuery = Type.Object({ skip: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }) });
const hide = { hide: true };
const page = { conditional: 'page' } as const;

const readingPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { accounts, posts } = app.services;

  async function firstPage(skip: number, author?: User) {
    const limit = app.config.postsPerPage;
    return toPostPage(await posts.page({ skip, limit, author }), skip, limit);
  }

  for (const url of ['/', '/posts']) {
    app.get(url, { config: page, schema: { ...hide, querystring: PageQuery } }, async (request, reply) =>
      sendHtml(reply, 200, homePage(presentCurrentUser(request), await firstPage(request.query.skip))),
    );
  }

  app.get('/posts/:post_id', { config: page, schema: { ...hide, params: PostIdParams } }, async (request, reply) => {
    // A draft is shown to its author only.
    const post = toPostResponse(await posts.find(request.params.post_id, request.currentUser));
    return sendHtml(reply, 200, postPage(presentCurrentUser(request), post));
  });

  app.get(
    '/users/:user_id/posts',
    { config: page, schema: { ...hide, params: UserIdParams, querystring: PageQuery } },
    async (request, reply) => {
      const author = await accounts.getPublic(request.params.user_id, request.currentUser);
      const page = await firstPage(request.query.skip, author);
      const suspended = author.suspended_at !== null;
      return sendHtml(reply, 200, userPostsPage(presentCurrentUser(request), toUserPublic(author), page, suspended));
    },
  );
  done();
};

export default readingPages;
