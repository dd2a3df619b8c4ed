// Database rows to the response shapes of the contract.
import type { PostWithAuthor } from '../repositories/posts.js';
import type { User } from '../repositories/users.js';
import type { PostResponseBody, PostPageBody } from '../schemas/posts.js';
import type { UserPrivateBody, UserPublicBody } from '../schemas/users.js';

export const MEDIA_URL_PREFIX = '/media/profile_pics/';
export const DEFAULT_AVATAR_URL = '/static/profile_pics/default.jpg';

export function imagePath(imageFile: string | null): string {
  return imageFile ? `${MEDIA_URL_PREFIX}${imageFile}` : DEFAULT_AVATAR_URL;
}

export function toUserPublic(user: { id: number; username: string; image_file: string | null }): UserPublicBody {
  return { id: user.id, username: user.username, image_file: user.image_file, image_path: imagePath(user.image_file) };
}

export function toUserPrivate(user: User): UserPrivateBody {
  return { ...toUserPublic(user), email: user.email };
}

export function toPostResponse(post: PostWithAuthor): PostResponseBody {
  return { ...post, author: toUserPublic(post.author) };
}

export function toPostPage(page: { posts: PostWithAuthor[]; total: number }, skip: number, limit: number): PostPageBody {
  return {
    posts: page.posts.map(toPostResponse),
    total: page.total,
    skip,
    limit,
    has_more: skip + page.posts.length < page.total,
  };
}
