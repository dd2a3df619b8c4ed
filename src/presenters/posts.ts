// Posts as the contract shows them: each with its author's public profile,
// and pages of them with the total and whether more follow.
import type { RenderedPost } from '../services/posts.js';
import type { PostPageBody, PostResponseBody } from '../schemas/posts.js';
import { toUserPublic } from './users.js';

export function toPostResponse(post: RenderedPost): PostResponseBody {
  const { id, title, content, content_html, status, user_id, date_posted, updated_at, author, withheld } = post;
  return {
    id,
    title,
    content,
    content_html,
    status,
    user_id,
    date_posted,
    updated_at,
    author: toUserPublic(author),
    ...(withheld && { withheld: true as const }),
  };
}

export function toPostPage(page: { posts: RenderedPost[]; total: number }, skip: number, limit: number): PostPageBody {
  return {
    posts: page.posts.map(toPostResponse),
    total: page.total,
    skip,
    limit,
    has_more: skip + page.posts.length < page.total,
  };
}
