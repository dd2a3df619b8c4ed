// Posts: the author of a post is always the signed-in user, and only the
// author may change or delete it.
import { notFound } from '../errors.js';
import type { PostRepository, PostWithAuthor } from '../repositories/posts/index.js';
import type { User } from '../repositories/users.js';
import { assertMayChangePost } from './permissions.js';

export function createPostService(deps: { posts: PostRepository }) {
  const { posts } = deps;

  async function find(postId: number): Promise<PostWithAuthor> {
    const post = await posts.findById(postId);
    if (!post) throw notFound('Post not found');
    return post;
  }

  return {
    find,
    /** A page of all posts, or of one user's (`userId`), newest first. */
    page(options: { skip: number; limit: number; userId?: number }) {
      return posts.page(options);
    },
    create(actor: User, values: { title: string; content: string }) {
      return posts.create({ title: values.title, content: values.content, userId: actor.id });
    },
    async update(actor: User, postId: number, changes: { title?: string; content?: string }) {
      assertMayChangePost(actor, await find(postId), 'update');
      const updated = await posts.update(postId, changes);
      if (!updated) throw notFound('Post not found');
      return updated;
    },
    async delete(actor: User, postId: number) {
      assertMayChangePost(actor, await find(postId), 'delete');
      if (!(await posts.delete(postId))) throw notFound('Post not found');
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
