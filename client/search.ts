// Search results in the browser: "Load more" appends the next page from
// GET /api/posts?q=, each result built from the server's own template and
// highlighted by the same code as on the server (src/shared/search-terms.ts):
// text nodes and <mark> elements, never HTML.
import type { PostResponseBody } from '../src/schemas/posts.js';
import { formatDate } from '../src/shared/format.js';
import { highlight, searchTerms, snippet, type SearchTerm, type Segment } from '../src/shared/search-terms.js';
import { setUpLoadMore } from './load-more.js';

function field<T extends HTMLElement>(root: ParentNode, name: string, type: new () => T): T {
  const element = root.querySelector(`[data-field="${name}"]`);
  if (!(element instanceof type)) throw new Error(`search result template lacks ${name}`);
  return element;
}

function showSegments(element: HTMLElement, segments: Segment[]) {
  element.replaceChildren(
    ...segments.map((segment) => {
      if (!segment.mark) return document.createTextNode(segment.text);
      const mark = document.createElement('mark');
      mark.textContent = segment.text;
      return mark;
    }),
  );
}

function renderResult(post: PostResponseBody, terms: readonly SearchTerm[]): HTMLElement {
  const template = document.querySelector<HTMLTemplateElement>('#search-result-template');
  if (!template) throw new Error('no search result template on this page');
  const result = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  result.dataset.postId = String(post.id);
  const title = field(result, 'title-link', HTMLAnchorElement);
  title.href = `/posts/${post.id}`;
  showSegments(title, highlight(post.title, terms));
  const author = field(result, 'author', HTMLAnchorElement);
  author.href = `/users/${post.author.id}/posts`;
  author.textContent = post.author.username;
  const date = field(result, 'date', HTMLTimeElement);
  date.dateTime = post.date_posted;
  date.textContent = formatDate(post.date_posted);
  showSegments(field(result, 'snippet', HTMLElement), snippet(post.content, terms));
  return result;
}

function setUpMoreResults(button: HTMLAnchorElement) {
  const list = document.querySelector<HTMLElement>('[data-search-results]');
  if (!list) return;
  const q = button.dataset.q ?? '';
  const terms = searchTerms(q);
  const query = (skip: number, limit?: string) =>
    new URLSearchParams({ q, skip: String(skip), ...(limit && { limit }) }).toString();
  setUpLoadMore(button, {
    list,
    apiUrl: (skip) => `/api/posts?${query(skip, button.dataset.limit ?? '10')}`,
    pageUrl: (skip) => `/search?${query(skip)}`,
    render: (post) => renderResult(post, terms),
    failure: 'Could not load more results.',
  });
}

export function setUpSearch(): void {
  document.querySelectorAll<HTMLAnchorElement>('[data-search-more]').forEach(setUpMoreResults);
}
