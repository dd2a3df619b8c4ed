// Posts: the author of a post is always the signed-in user, and only the
// author may change or delete it. Content is Markdown, rendered when it is
// written and stored with the post; a post read without a current rendering
// (written before Markdown, or by an older renderer) is rendered then, once.
import { notFound } from '../errors.js';
import { RENDERER_VERSION, type MarkdownRenderer } from '../markdown/index.js';
import type { PostRepository, PostWithAuthor, Rendered } from '../repositories/posts/index.js';
import type { User } from '../repositories/users.js';
import { assertMayChangePost } from './permissions.js';

/** A post as it is shown: with its current HTML. */
export type RenderedPost = PostWithAuthor & { content_html: string };

export function createPostService(deps: { posts: PostRepository; markdown: MarkdownRenderer }) {
  const { posts, markdown } = deps;

  async function render(content: string): Promise<Rendered> {
    return { html: await markdown.render(content), version: RENDERER_VERSION };
  }

  // Only an older rendering is redone: during a rolling upgrade, an older
  // instance must not undo what a newer one rendered.
  const isCurrent = (post: PostWithAuthor): post is RenderedPost =>
    post.content_html !== null && post.render_version >= RENDERER_VERSION;

  async function current(post: PostWithAuthor): Promise<RenderedPost> {
    if (isCurrent(post)) return post;
    const rendered = await render(post.content);
    await posts.storeRendering(post.id, post.content, rendered);
    return { ...post, content_html: rendered.html, render_version: rendered.version };
  }

  async function find(postId: number): Promise<RenderedPost> {
    const post = await posts.findById(postId);
    if (!post) throw notFound('Post not found');
    return isCurrent(post) ? post : current(post);
  }

  return {
    find,
    /** A page of all posts, or of one user's (`userId`), newest first. */
    async page(options: { skip: number; limit: number; userId?: number }) {
      const page = await posts.page(options);
      // The common case, every post rendered, costs no further await.
      const rendered = page.posts.filter(isCurrent);
      if (rendered.length === page.posts.length) return { total: page.total, posts: rendered };
      return { total: page.total, posts: await Promise.all(page.posts.map(current)) };
    },
    /** The HTML that `content` would be shown as (the editors' preview). */
    preview: (content: string) => markdown.render(content),
    async create(actor: User, values: { title: string; content: string }): Promise<RenderedPost> {
      const rendered = await render(values.content);
      return current(await posts.create({ ...values, rendered, userId: actor.id }));
    },
    async update(actor: User, postId: number, changes: { title?: string; content?: string }) {
      assertMayChangePost(actor, await find(postId), 'update');
      const rendered = changes.content === undefined ? undefined : await render(changes.content);
      const updated = await posts.update(postId, { ...changes, rendered });
      if (!updated) throw notFound('Post not found');
      return current(updated);
    },
    async delete(actor: User, postId: number) {
      assertMayChangePost(actor, await find(postId), 'delete');
      if (!(await posts.delete(postId))) throw notFound('Post not found');
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
