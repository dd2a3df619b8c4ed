// Posts as the contract shows them: each with its author's public profile,
// and pages of them with the total and whether more follow.
import type { PostWithAuthor } from '../repositories/posts/index.js';
import type { PostPageBody, PostResponseBody } from '../schemas/posts.js';
import { toUserPublic } from './users.js';

export function toPostResponse(post: PostWithAuthor): PostResponseBody {
  return { ...post, author: toUserPublic(post.author) };
}

export function toPostPage(
  page: { posts: PostWithAuthor[]; total: number },
  skip: number,
  limit: number,
): PostPageBody {
  return {
    posts: page.posts.map(toPostResponse),
    total: page.total,
    skip,
    limit,
    has_more: skip + page.posts.length < page.total,
  };
}
