// "Load more" under a list: fetches the next page from the API, appends what
// it has not shown yet (a post published meanwhile shifts the offsets), keeps
// the button's no-JavaScript link pointing at the page after, and goes away
// when nothing follows. The post listings and the search results both use it.
import type { PostPageBody, PostResponseBody } from '../src/schemas/posts.js';
import { api, ApiError } from './api.js';
import { toast } from './toast.js';

export interface LoadMoreOptions {
  /** Where the items go; each item carries data-post-id. */
  list: HTMLElement;
  /** The API URL of the page starting at `skip`. */
  apiUrl(skip: number): string;
  /** The HTML page starting at `skip` (the link without JavaScript). */
  pageUrl(skip: number): string;
  render(post: PostResponseBody): HTMLElement;
  failure: string;
}

export function setUpLoadMore(button: HTMLAnchorElement, options: LoadMoreOptions): void {
  const { list } = options;
  let loading = false;
  const setBusy = (busy: boolean) => {
    button.classList.toggle('disabled', busy);
    if (busy) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
    button.textContent = busy ? 'Loading…' : 'Load more';
  };
  const loadMore = async () => {
    if (loading) return;
    loading = true;
    setBusy(true);
    try {
      const skip = Number(button.dataset.skip);
      const page = await api<PostPageBody>('GET', options.apiUrl(skip));
      const shown = new Set(
        Array.from(list.querySelectorAll<HTMLElement>('[data-post-id]'), (item) => item.dataset.postId),
      );
      for (const post of page.posts) if (!shown.has(String(post.id))) list.append(options.render(post));
      const nextSkip = skip + page.posts.length;
      button.dataset.skip = String(nextSkip);
      button.href = options.pageUrl(nextSkip);
      if (!page.has_more) button.remove();
    } catch (error) {
      toast(error instanceof ApiError ? error.message : options.failure, 'danger');
    } finally {
      loading = false;
      setBusy(false);
    }
  };
  button.addEventListener('click', (event) => {
    event.preventDefault();
    void loadMore();
  });
}
