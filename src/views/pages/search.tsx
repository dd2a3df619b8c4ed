import type { PostPageBody } from '../../schemas/posts.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { searchTerms } from '../../shared/search-terms.js';
import { SearchBox, SearchResult, SearchResultTemplate } from '../components/search.js';
import { renderPage } from '../layout.js';

export const searchPath = (q: string, skip = 0) =>
  `/search?${new URLSearchParams({ q, ...(skip > 0 ? { skip: String(skip) } : {}) }).toString()}`;

/** /search: the box, and for a query its first page of results with "Load more". */
export function searchPage(currentUser: UserPrivateBody | null, q: string, page: PostPageBody | null) {
  const terms = searchTerms(q);
  const nextSkip = page ? page.skip + page.posts.length : 0;
  return renderPage(
    q ? `Search: ${q}` : 'Search',
    currentUser,
    <>
      <h1 class="h2 mb-3">Search</h1>
      <SearchBox id="search-page-q" value={q} class="mb-4" />
      {page && (
        <>
          <p class="text-body-secondary" data-search-summary>
            {page.total === 0
              ? `No posts match “${q}”. Try other or fewer words, or end a word with * to match its beginning.`
              : `${page.total === 1 ? '1 post matches' : `${page.total} posts match`} “${q}”.`}
          </p>
          <div data-search-results>
            {page.posts.map((post) => (
              <SearchResult post={post} terms={terms} />
            ))}
          </div>
          <div class="text-center my-4">
            {page.has_more && (
              <a
                class="btn btn-outline-primary"
                href={searchPath(q, nextSkip)}
                role="button"
                data-search-more
                data-q={q}
                data-skip={String(nextSkip)}
                data-limit={String(page.limit)}
              >
                Load more
              </a>
            )}
          </div>
          <SearchResultTemplate />
        </>
      )}
    </>,
    // Results are for the reader who asked: the posts themselves are what a search engine should index.
    { noindex: true, description: q ? `Posts matching “${q}”.` : 'Search the posts.' },
  );
}
