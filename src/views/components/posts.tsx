// Posts on a page: the post card, and the list with its "Load more". The card
// is also rendered once inside a <template>, which the browser code clones
// for posts it loads, so the markup of a post exists in one place only.
import { renderToString } from 'preact-render-to-string';
import type { PostPageBody, PostResponseBody } from '../../schemas/posts.js';
import { toUserPublic } from '../../presenters/users.js';
import { editedTitle, formatDate } from '../../shared/format.js';

export function Avatar({ src, username, size }: { src: string; username: string; size: number }) {
  return (
    <img
      class="rounded-circle avatar flex-shrink-0"
      src={src}
      alt={`${username}'s profile picture`}
      width={size}
      height={size}
      data-field="avatar"
    />
  );
}

/** Where a card links; none in the template, whose links the browser code fills from the post it shows. */
export const linkTo = (post: PostResponseBody, path: string) => (post === EMPTY_POST ? undefined : path);

/**
 * One post: in a list (`link`), its title links to the post's own page and
 * the card shows the excerpt and "Read more"; on that page, the whole post.
 */
export function PostCard({ post, link = true }: { post: PostResponseBody; link?: boolean }) {
  const authorUrl = linkTo(post, `/users/${post.author.id}/posts`);
  const postUrl = linkTo(post, `/posts/${post.id}`);
  const Heading = link ? 'h2' : 'h1';
  return (
    <article class="card mb-3 post-card" data-post-id={String(post.id)}>
      <div class="card-body d-flex gap-3">
        <a href={authorUrl} data-field="avatar-link" tabIndex={-1} aria-hidden="true">
          <Avatar src={post.author.image_path} username={post.author.username} size={56} />
        </a>
        <div class="flex-grow-1 min-width-0">
          <p class="small text-body-secondary mb-1">
            <a href={authorUrl} class="fw-semibold" data-field="author">
              {post.author.username}
            </a>
            <span aria-hidden="true"> · </span>
            <time dateTime={post.date_posted} data-field="date">
              {post === EMPTY_POST ? '' : formatDate(post.date_posted)}
            </time>
            <span data-field="edited" hidden={!post.updated_at} title={editedTitle(post.updated_at)}>
              <span aria-hidden="true"> · </span>edited
            </span>
            <span class="badge text-bg-warning ms-2" data-field="draft" hidden={post.status !== 'draft'}>
              Draft
            </span>
            {/* Only admins are ever sent a held-back post (`withheld`). */}
            <span class="badge text-bg-danger ms-2" data-field="withheld" hidden={!post.withheld}>
              Author suspended — hidden from readers
            </span>
          </p>
          <Heading class={`${link ? 'h4' : 'h2'} card-title text-break`} data-field="title">
            {link ? (
              <a href={postUrl} class="link-body-emphasis text-decoration-none" data-field="title-link">
                {post.title}
              </a>
            ) : (
              post.title
            )}
          </Heading>
          {link ? <PostExcerpt post={post} postUrl={postUrl} /> : <PostContent post={post} />}
        </div>
      </div>
    </article>
  );
}

/** A listing shows the start of the text only (plain text, no markup), and links to the rest. */
function PostExcerpt({ post, postUrl }: { post: PostResponseBody; postUrl: string | undefined }) {
  return (
    <>
      <p class="card-text post-excerpt text-break mb-2" data-field="excerpt">
        {post.excerpt}
      </p>
      <a href={postUrl} class="small" data-field="read-more">
        {/* Named after its post ("Read more about <title>"): a list of links all named "Read more" says nothing. */}
        Read more
        <span class="visually-hidden">
          {' about '}
          <span data-field="read-more-title">{post.title}</span>
        </span>
      </a>
    </>
  );
}

function PostContent({ post }: { post: PostResponseBody }) {
  return (
    // The one HTML a page inserts: content_html is rendered and sanitised on
    // the server (src/markdown/: raw HTML is text, links and images pass a
    // scheme and origin policy), never the source.
    <div
      class="card-text post-content text-break"
      data-field="content"
      dangerouslySetInnerHTML={{ __html: post.content_html }}
    />
  );
}

/**
 * Rendered post cards, keyed by everything a card shows: an edited post or a
 * renamed author is a new key, so nothing is ever stale, and listing pages
 * render only cards they have not rendered before. Bounded; oldest out first.
 */
const cardCache = new Map<string, string>();
const CARD_CACHE_SIZE = 2000;

function postCardHtml(post: PostResponseBody): string {
  const { author } = post;
  const key = [
    post.id,
    post.date_posted,
    post.updated_at,
    post.status,
    post.withheld,
    author.username,
    author.image_path,
    post.title,
    post.excerpt,
  ].join('\u0000');
  let html = cardCache.get(key);
  if (html === undefined) {
    html = renderToString(<PostCard post={post} />);
    const oldest = cardCache.keys().next();
    if (cardCache.size >= CARD_CACHE_SIZE && !oldest.done) cardCache.delete(oldest.value);
    cardCache.set(key, html);
  }
  return html;
}

/** A post with nothing in it: what the browser templates are rendered from. */
export const EMPTY_POST: PostResponseBody = {
  id: 0,
  title: '',
  content: '',
  content_html: '',
  excerpt: '',
  status: 'published',
  user_id: 0,
  // A valid moment, as <time datetime> must be; the template shows no date text.
  date_posted: new Date(0).toISOString(),
  updated_at: null,
  // The default picture: an <img> needs a real source to be valid HTML, even in a template.
  author: toUserPublic({ id: 0, username: '', image_file: null }),
};

export function PostTemplate() {
  return (
    <template id="post-card-template">
      <PostCard post={EMPTY_POST} />
    </template>
  );
}

/**
 * The list of posts and its "Load more" control: a plain link to the next
 * page without JavaScript, a button that appends the next page with it.
 */
export function PostList(props: {
  posts: PostResponseBody[];
  hasMore: boolean;
  nextSkip: number;
  limit: number;
  pagePath: string;
  apiPath: string;
  emptyText: string;
}) {
  return (
    <>
      <div id="post-list" data-post-list dangerouslySetInnerHTML={{ __html: props.posts.map(postCardHtml).join('') }} />
      {props.posts.length === 0 && (
        <p class="text-body-secondary" data-empty-list>
          {props.emptyText}
        </p>
      )}
      <div class="text-center my-4" data-load-more-area>
        {props.hasMore && (
          <a
            class="btn btn-outline-primary"
            href={`${props.pagePath}?skip=${props.nextSkip}`}
            role="button"
            data-load-more
            data-api={props.apiPath}
            data-skip={String(props.nextSkip)}
            data-limit={String(props.limit)}
          >
            Load more
          </a>
        )}
      </div>
      <PostTemplate />
    </>
  );
}

/** The props of a PostList showing `page`, whose next page is at `pagePath` (HTML) and `apiPath` (JSON). */
export function postListProps(page: PostPageBody, pagePath: string, apiPath: string, emptyText: string) {
  return {
    posts: page.posts,
    hasMore: page.has_more,
    nextSkip: page.skip + page.posts.length,
    limit: page.limit,
    pagePath,
    apiPath,
    emptyText,
  };
}
