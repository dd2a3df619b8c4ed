// Posts: the owner of a post is always the authenticated user, and only the
// owner may change or delete it.
import type { PostRepository, PostWithAuthor } from '../repositories/posts.js';
import type { User } from '../repositories/users.js';
import { forbidden, notFound } from './errors.js';

export function createPostService(deps: { posts: PostRepository }) {
  const { posts } = deps;

  async function find(postId: number): Promise<PostWithAuthor> {
    const post = await posts.findById(postId);
    if (!post) throw notFound('Post not found');
    return post;
  }

  async function owned(actor: User, postId: number, action: 'update' | 'delete'): Promise<PostWithAuthor> {
    const post = await find(postId);
    if (post.user_id !== actor.id) throw forbidden(`Not authorized to ${action} this post`);
    return post;
  }

  return {
    find,
    page: posts.page,
    create(actor: User, values: { title: string; content: string }) {
      return posts.create({ title: values.title, content: values.content, userId: actor.id });
    },
    async update(actor: User, postId: number, changes: { title?: string; content?: string }) {
      await owned(actor, postId, 'update');
      const updated = await posts.update(postId, changes);
      if (!updated) throw notFound('Post not found');
      return updated;
    },
    async delete(actor: User, postId: number) {
      await owned(actor, postId, 'delete');
      if (!(await posts.delete(postId))) throw notFound('Post not found');
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
