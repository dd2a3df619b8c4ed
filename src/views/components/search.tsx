// Search on a page: the box (in the navigation bar and on /search) and a
// result. A result's title and snippet are cut into segments
// (src/shared/search-terms.ts) and rendered as text and <mark> nodes: no
// HTML is ever built from a post's text. The result is also rendered once
// inside a <template>, which the browser code fills the same way.
import { SEARCH_TEXT_MAX } from '../../schemas/search.js';
import type { PostResponseBody } from '../../schemas/posts.js';
import { formatDate } from '../../shared/format.js';
import { highlight, snippet, type SearchTerm, type Segment } from '../../shared/search-terms.js';
import { EMPTY_POST, linkTo } from './posts.js';

/** A labelled search box that works without JavaScript (GET /search?q=). */
export function SearchBox(props: { id: string; value?: string; small?: boolean; class?: string }) {
  return (
    <form class={`d-flex gap-2 ${props.class ?? ''}`} role="search" action="/search" method="get">
      <label class="visually-hidden" for={props.id}>
        Search posts
      </label>
      <input
        class={`form-control${props.small ? ' form-control-sm' : ''}`}
        type="search"
        id={props.id}
        name="q"
        value={props.value}
        placeholder="Search posts"
        maxLength={SEARCH_TEXT_MAX}
      />
      {/* Filled: an outline button's blue on the navigation bar's grey is below WCAG AA contrast. */}
      <button class={`btn btn-primary${props.small ? ' btn-sm' : ''}`} type="submit">
        Search
      </button>
    </form>
  );
}

export function Highlighted({ segments }: { segments: Segment[] }) {
  return <>{segments.map((segment) => (segment.mark ? <mark>{segment.text}</mark> : segment.text))}</>;
}

/** One search result: the title linking to the post, its author and date, a snippet around the first match. */
export function SearchResult({ post, terms }: { post: PostResponseBody; terms: readonly SearchTerm[] }) {
  const authorUrl = linkTo(post, `/users/${post.author.id}/posts`);
  return (
    <article class="card mb-3 search-result" data-post-id={String(post.id)}>
      <div class="card-body">
        <h2 class="h5 card-title text-break mb-1">
          <a href={linkTo(post, `/posts/${post.id}`)} class="link-body-emphasis" data-field="title-link">
            <Highlighted segments={highlight(post.title, terms)} />
          </a>
        </h2>
        <p class="small text-body-secondary mb-2">
          <a href={authorUrl} data-field="author">
            {post.author.username}
          </a>
          <span aria-hidden="true"> · </span>
          <time dateTime={post.date_posted} data-field="date">
            {post === EMPTY_POST ? '' : formatDate(post.date_posted)}
          </time>
        </p>
        <p class="card-text text-break mb-0" data-field="snippet">
          <Highlighted segments={snippet(post.content, terms)} />
        </p>
      </div>
    </article>
  );
}

export function SearchResultTemplate() {
  return (
    <template id="search-result-template">
      <SearchResult post={EMPTY_POST} terms={[]} />
    </template>
  );
}
