// HTML out: escaping for text put into HTML by hand, outside Preact's
// rendering, and sending a rendered page.
import type { FastifyReply } from 'fastify';
import type { Site } from './head.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe to place in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A whole page, rendered for a site (see renderPage in layout.tsx). */
export type HtmlPage = (site: Site) => string;

/** A whole page, for the site of the app that answers. Pages show who is signed in, so no cache may keep one. */
export function sendHtml(reply: FastifyReply, status: number, page: HtmlPage): FastifyReply {
  const { siteName, publicUrl, registration } = reply.server.config;
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page({ name: siteName, url: publicUrl, registration }));
}
