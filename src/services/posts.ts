// Posts: the author of a post is always the signed-in user, and only the
// author may change or delete it. Content is Markdown, rendered when it is
// written and stored with the post; a post read without a current rendering
// (written before Markdown, or by an older renderer) is rendered then, once.
// A draft exists only for its author: for anyone else it is not found.
import { notFound } from '../errors.js';
import { RENDERER_VERSION, type MarkdownRenderer } from '../markdown/index.js';
import type { PostRepository, PostStatus, PostWithAuthor, Rendered } from '../repositories/posts/index.js';
import type { User } from '../repositories/users.js';
import { searchTerms } from '../shared/search-terms.js';
import { assertMayChangePost } from './permissions.js';

/** A post as it is shown: with its current HTML. */
export type RenderedPost = PostWithAuthor & { content_html: string };

/** Who is reading: a user, nobody, or a way to find out, asked only when it matters (a draft). */
export type Viewer = User | null | (() => Promise<User | null>);

async function isAuthor(post: PostWithAuthor, viewer: Viewer): Promise<boolean> {
  const user = typeof viewer === 'function' ? await viewer() : viewer;
  return user?.id === post.user_id;
}

export function createPostService(deps: { posts: PostRepository; markdown: MarkdownRenderer; now: () => number }) {
  const { posts, markdown } = deps;
  const timestamp = () => new Date(deps.now()).toISOString();

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

  async function find(postId: number, viewer: Viewer = null): Promise<RenderedPost> {
    const post = await posts.findById(postId);
    if (!post || (post.status === 'draft' && !(await isAuthor(post, viewer)))) throw notFound('Post not found');
    return isCurrent(post) ? post : current(post);
  }

  async function renderedPage(page: { posts: PostWithAuthor[]; total: number }) {
    // The common case, every post rendered, costs no further await.
    const rendered = page.posts.filter(isCurrent);
    if (rendered.length === page.posts.length) return { total: page.total, posts: rendered };
    return { total: page.total, posts: await Promise.all(page.posts.map(current)) };
  }

  return {
    find,
    /** A page of the published posts, everyone's or one user's (`userId`), newest first. */
    page: async (options: { skip: number; limit: number; userId?: number | undefined }) =>
      renderedPage(await posts.page(options)),
    /** A page of the published posts holding every word of `query` (see src/shared/search-terms.ts). */
    search: async (query: string, options: { skip: number; limit: number }) =>
      renderedPage(await posts.search({ ...options, terms: searchTerms(query) })),
    /** A page of the actor's own posts, of one status or both. */
    mine: async (actor: User, options: { skip: number; limit: number; status?: PostStatus | undefined }) =>
      renderedPage(await posts.page({ ...options, userId: actor.id, status: options.status ?? 'any' })),
    /**
     * Renders every post whose rendering is missing or older than this
     * renderer, `batch` at a time (after an upgrade, so that no reader
     * waits for one); `stopped` is asked between batches. Returns how many.
     */
    async renderStale(options: { batch?: number; stopped?: () => boolean } = {}): Promise<number> {
      const { batch = 100, stopped = () => false } = options;
      let afterId = 0;
      let count = 0;
      while (!stopped()) {
        const stale = await posts.staleRenderings(afterId, RENDERER_VERSION, batch);
        for (const { id, content } of stale) await posts.storeRendering(id, content, await render(content));
        count += stale.length;
        const last = stale.at(-1);
        if (!last || stale.length < batch) break;
        afterId = last.id;
      }
      return count;
    },
    /** The HTML that `content` would be shown as (the editors' preview). */
    preview: (content: string) => markdown.render(content),
    async create(actor: User, values: { title: string; content: string; status?: PostStatus }): Promise<RenderedPost> {
      const rendered = await render(values.content);
      return current(await posts.create({ ...values, rendered, userId: actor.id, datePosted: timestamp() }));
    },
    /**
     * An edit: what differs is written and dates it (updated_at). Publishing
     * a draft instead dates the post itself: it appears as new, at the top.
     */
    async update(actor: User, postId: number, changes: { title?: string; content?: string; status?: PostStatus }) {
      const post = await find(postId, actor);
      assertMayChangePost(actor, post, 'update');
      const differs = (key: keyof typeof changes) => changes[key] !== undefined && changes[key] !== post[key];
      const title = differs('title') ? changes.title : undefined;
      const content = differs('content') ? changes.content : undefined;
      const status = differs('status') ? changes.status : undefined;
      if (title === undefined && content === undefined && status === undefined) return post;
      const now = timestamp();
      const dates = status === 'published' ? { date_posted: now, updated_at: null } : { updated_at: now };
      const rendered = content === undefined ? undefined : await render(content);
      const updated = await posts.update(postId, { title, content, status, rendered, ...dates });
      if (!updated) throw notFound('Post not found');
      return current(updated);
    },
    async delete(actor: User, postId: number) {
      assertMayChangePost(actor, await find(postId, actor), 'delete');
      if (!(await posts.delete(postId))) throw notFound('Post not found');
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
