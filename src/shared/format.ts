// Shared by the server-rendered pages and the browser bundle, so a post
// loaded with "Load more" reads exactly like one rendered by the server.
const dateFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** The tooltip of a post's "edited" mark: when. */
export const editedTitle = (updatedAt: string | null): string => (updatedAt ? `Edited ${formatDate(updatedAt)}` : '');
