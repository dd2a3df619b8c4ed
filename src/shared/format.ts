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
