// Atom 1.0 feeds of posts, written by the `feed` package. Every link is
// absolute, from the site's PUBLIC_URL.
import { Feed } from 'feed';
import type { RenderedPost } from '../services/posts.js';
import { SITE_FEED_PATH, userFeedPath, type Site } from './head.js';
import { escapeHtml } from './html.js';

// Characters XML 1.0 forbids anywhere (a title may hold a control character;
// it would make the whole feed unreadable).
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Markup for a CDATA section. The `feed` package's writer (xml-js) splits
 * only the first `]]>` of a section, so none is left: in HTML text and
 * attribute values `&gt;` means the same `>`.
 */
const forCdata = (html: string) => html.replace(NOT_XML, '').replace(/]]>/g, ']]&gt;');

/** Text for an element: xml-js reads `&amp;` as an escaped `&` and would show it as one. */
const forText = (text: string) => text.replace(NOT_XML, '').replace(/&amp;/g, '&amp;amp;');

export interface FeedScope {
  /** One author's feed, or the site's. */
  author?: { id: number; username: string };
  posts: RenderedPost[];
  /** When an empty feed was last changed (now, as it is built). */
  emptyUpdated: Date;
}

export function atomFeed(site: Site, { author, posts, emptyUpdated }: FeedScope): string {
  const home = author ? `${site.url}/users/${author.id}/posts` : `${site.url}/`;
  const dates = posts.map((post) => new Date(post.updated_at ?? post.date_posted).getTime());
  const feed = new Feed({
    id: home,
    title: forText(author ? `${author.username} · ${site.name}` : site.name),
    description: forText(author ? `Posts by ${author.username}` : `The newest posts on ${site.name}`),
    link: home,
    feed: site.url + (author ? userFeedPath(author.id) : SITE_FEED_PATH),
    updated: dates.length > 0 ? new Date(Math.max(...dates)) : emptyUpdated,
    generator: false,
  });
  for (const post of posts) {
    const link = `${site.url}/posts/${post.id}`;
    feed.addItem({
      id: link,
      link,
      // Atom's type="html" title: markup as text, so a title's `<b>` is shown, not applied.
      title: forCdata(escapeHtml(post.title)),
      date: new Date(post.updated_at ?? post.date_posted),
      published: new Date(post.date_posted),
      author: [{ name: forText(post.author.username), link: `${site.url}/users/${post.user_id}/posts` }],
      content: forCdata(post.content_html),
    });
  }
  return feed.atom1();
}
