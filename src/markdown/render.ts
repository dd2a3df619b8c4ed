// Markdown to HTML for posts: CommonMark with GFM tables, strikethrough, task
// lists and autolinks; raw HTML in the source is shown as text. The link and
// image policy works on the token tree (policy.ts), then a sanitiser checks
// the result again (sanitize.ts).
import { tasklist } from '@mdit/plugin-tasklist';
import MarkdownIt from 'markdown-it';
import { linkPolicy } from './policy.js';
import { sanitizePostHtml } from './sanitize.js';

/**
 * Bumped whenever the rendering changes: stored HTML of an older version is
 * rendered again (src/services/posts.ts).
 */
export const RENDERER_VERSION = 1;

const renderers = new Map<string, MarkdownIt>();

function rendererFor(origin: string): MarkdownIt {
  let md = renderers.get(origin);
  if (!md) {
    // breaks: a line break in the source stays one, as posts showed before they were Markdown.
    md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: true })
      .use(tasklist, { disabled: true, label: false })
      .use(linkPolicy, origin);
    renderers.set(origin, md);
  }
  return md;
}

/** The HTML of a post's Markdown, for a site served from `origin` (PUBLIC_URL). */
export function renderMarkdown(source: string, origin: string): string {
  return sanitizePostHtml(rendererFor(origin).render(source));
}
