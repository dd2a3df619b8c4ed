// The search query of GET /api/posts and of the /search page: one schema, so
// the API, the page and the navigation bar's box allow the same length.
import { Type } from 'typebox';
import { PageQuery } from './common.js';

/** The longest query, in characters. */
export const SEARCH_TEXT_MAX = 200;

export const SearchText = Type.String({
  minLength: 1,
  maxLength: SEARCH_TEXT_MAX,
  description:
    'Words to find (1-200 characters): published posts holding every word in the title or content, whole words, ' +
    'case-insensitive; a word ending in * matches as a prefix. Title matches first, then newest first.',
});

/** GET /api/posts: a page, of search results when `q` is given. */
export const PostsQuery = (defaultLimit: number) =>
  Type.Object({ ...PageQuery(defaultLimit).properties, q: Type.Optional(SearchText) });
