// "Load more" under a list: fetches the next page from the API, appends what
// it has not shown yet (a post published meanwhile shifts the offsets), keeps
// the button's no-JavaScript link pointing at the page after, and goes away
// when nothing follows. The post listings, the search results and the admin
// page's lists use it.
import type { PostResponseBody } from '../src/schemas/posts.js';
import { ApiError, fetchJson } from './api.js';
import { toast } from './toast.js';

export interface LoadMoreOptions<Item extends { id: number } = PostResponseBody> {
  /** Where the items go; each item carries its id in `idAttribute`. */
  list: HTMLElement;
  /** The API URL of the page starting at `skip`. */
  apiUrl(skip: number): string;
  /** The HTML page starting at `skip` (the link without JavaScript). */
  pageUrl(skip: number): string;
  render(item: Item): HTMLElement;
  failure: string;
  /** Where a page of the API holds its items, and the attribute of their ids in the list; posts by default. */
  items?: { key: string; idAttribute: string };
}

export function setUpLoadMore<Item extends { id: number } = PostResponseBody>(
  button: HTMLAnchorElement,
  options: LoadMoreOptions<Item>,
): void {
  const { list } = options;
  const { key, idAttribute } = options.items ?? { key: 'posts', idAttribute: 'data-post-id' };
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
      const page = await fetchJson<{ has_more: boolean; [items: string]: unknown }>(options.apiUrl(skip));
      const items = (page[key] as Item[] | undefined) ?? [];
      const shown = new Set(
        Array.from(list.querySelectorAll(`[${idAttribute}]`), (item) => item.getAttribute(idAttribute)),
      );
      for (const item of items) if (!shown.has(String(item.id))) list.append(options.render(item));
      const nextSkip = skip + items.length;
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
