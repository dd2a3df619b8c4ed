// Posts as the contract shows them: each with its author's public profile,
// and pages of them with the total and whether more follow.
import type { RenderedPost } from '../services/posts.js';
import type { PostPageBody, PostResponseBody } from '../schemas/posts.js';
import { toUserPublic } from './users.js';

export function toPostResponse(post: RenderedPost): PostResponseBody {
  const { id, title, content, content_html, excerpt, status, user_id, date_posted, updated_at, author } = post;
  const body: PostResponseBody = {
    id,
    title,
    content,
    content_html,
    excerpt,
    status,
    user_id,
    date_posted,
    updated_at,
    author: toUserPublic(author),
  };
  // Only on the rare held-back post: every other body keeps one shape (and the spread's cost off the hot path).
  if (post.withheld) body.withheld = true;
  return body;
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
