// /search: the first page of results rendered here; "Load more" fetches the
// next from GET /api/posts?q= (or, without JavaScript, is a link to ?skip=).
// An empty query shows the box alone.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toPostPage } from '../../presenters/posts.js';
import { SEARCH_TEXT_MAX } from '../../schemas/search.js';
import { sendHtml } from '../../views/html.js';
import { searchPage } from '../../views/pages/search.js';
import { presentCurrentUser } from './current-user.js';

const SearchPageQuery = Type.Object({
  q: Type.String({ maxLength: SEARCH_TEXT_MAX, default: '' }),
  skip: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
});

const searchPages: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const { posts } = app.services;

  app.get(
    '/search',
    { config: { conditional: 'page' }, schema: { hide: true, querystring: SearchPageQuery } },
    async (request, reply) => {
      const { q, skip } = request.query;
      const limit = app.config.postsPerPage;
      const page = q.trim() === '' ? null : toPostPage(await posts.search(q, { skip, limit }), skip, limit);
      return sendHtml(reply, 200, searchPage(presentCurrentUser(request), q, page));
    },
  );
  done();
};

export default searchPages;
