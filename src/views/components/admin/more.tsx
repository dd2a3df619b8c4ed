// The "Load more" of an admin list: a plain link to the next page of /admin
// without JavaScript; client/admin.ts fetches the API's next page instead.

/** `list` names the list it extends (the browser code finds it by that name). */
export function AdminLoadMore(props: { list: string; href: string; api: string; skip: number; limit: number }) {
  return (
    <div class="text-center my-3">
      <a
        class="btn btn-outline-primary"
        href={props.href}
        role="button"
        data-admin-more={props.list}
        data-api={props.api}
        data-skip={String(props.skip)}
        data-limit={String(props.limit)}
      >
        Load more
      </a>
    </div>
  );
}

/** `path?query` with the empty values left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '' && value !== 0) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
