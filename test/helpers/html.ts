// Reading the server-rendered pages: entities, start tags and attributes, post
// cards, form fields, and the checks every page must pass.
import { expect } from 'vitest';
import { ASSETS } from '../../src/views/assets.js';
import { defined } from './assertions.js';

/** What the page checks read of an answer. */
export interface PageAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Decodes the entities the renderer may produce, to compare text with the original. */
export function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

/** A complete HTML page inside the site's layout, with this status; returns the document. */
export function expectHtml(response: PageAnswer, status: number): string {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
  expect(response.body).toMatch(/^<!doctype html>/i);
  expect(response.body).toMatch(/<nav\b[^>]*aria-label="Main"/);
  expect(() => JSON.parse(response.body) as unknown).toThrow();
  return response.body;
}

export interface Tag {
  name: string;
  attrs: Map<string, string | true>;
  raw: string;
}

/** Every start tag of the document, with its attributes (quoted values may hold '>'). */
export function startTags(html: string): Tag[] {
  const tagPattern =
    /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  const attrPattern = /([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
  const result: Tag[] = [];
  for (const [raw, name = '', attributes = ''] of html.matchAll(tagPattern)) {
    const attrs = new Map<string, string | true>();
    for (const [, attrName = '', value] of attributes.matchAll(attrPattern)) {
      attrs.set(attrName.toLowerCase(), value === undefined ? true : decode(value.replace(/^["']|["']$/g, '')));
    }
    result.push({ name: name.toLowerCase(), attrs, raw });
  }
  return result;
}

/** The document without the <template> that the browser code clones. */
const withoutTemplates = (html: string) => html.replace(/<template\b[\s\S]*?<\/template>/gi, '');

/** Ids of the post cards rendered in the page, in document order. */
export function cardIds(html: string): number[] {
  return startTags(withoutTemplates(html))
    .filter((tag) => tag.name === 'article' && tag.attrs.has('data-post-id'))
    .map((tag) => Number(tag.attrs.get('data-post-id')));
}

/** The HTML of one post card. */
export function card(html: string, postId: number): string {
  const start = html.indexOf(`data-post-id="${postId}"`);
  expect(start, `card of post ${postId}`).toBeGreaterThan(-1);
  const end = html.indexOf('</article>', start);
  return html.slice(start, end);
}

/** The text inside the first element carrying the given attribute. */
export function textOf(html: string, attribute: string): string | undefined {
  const match = new RegExp(`<([a-z0-9]+)[^>]*\\s${attribute}(?:="[^"]*")?[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? decode(defined(match[2]).replace(/<[^>]+>/g, '')) : undefined;
}

/** The href of the "Load more" link, if any. */
export function loadMoreHref(html: string): string | undefined {
  const tag = startTags(html).find((t) => t.name === 'a' && t.attrs.has('data-load-more'));
  if (tag) return String(tag.attrs.get('href'));
  // Fall back to any link whose text is "Load more".
  const match = /<a\b[^>]*href="([^"]*)"[^>]*>\s*Load more\s*<\/a>/.exec(html);
  return match ? decode(defined(match[1])) : undefined;
}

export const hasButton = (html: string, label: string) =>
  new RegExp(`<button\\b[^>]*>\\s*${label}\\s*</button>`).test(html);

export const hasLink = (html: string, href: string, label?: string) =>
  startTags(html).some((t) => t.name === 'a' && t.attrs.get('href') === href) &&
  (label === undefined ||
    new RegExp(`<a\\b[^>]*href="${href.replace(/[/?.]/g, '\\$&')}"[^>]*>\\s*${label}\\s*</a>`).test(html));

/** The site's navigation bar is there (the page is inside the layout). */
export function expectLayout(html: string) {
  expect(html).toMatch(/<nav\b[^>]*aria-label="Main"/);
  expect(hasLink(html, '/', 'Blog')).toBe(true);
  expect(startTags(html).some((t) => t.name === 'script' && t.attrs.get('src') === ASSETS.script)).toBe(true);
}

export function expectSignedOutNav(html: string) {
  expect(hasLink(html, '/login', 'Login')).toBe(true);
  expect(hasLink(html, '/register', 'Register')).toBe(true);
  expect(hasButton(html, 'New Post')).toBe(false);
  expect(hasButton(html, 'Logout')).toBe(false);
  expect(html).not.toContain('href="/account"');
}

export function expectSignedInNav(html: string, username: string) {
  expect(hasButton(html, 'New Post')).toBe(true);
  const accountLink = /<a\b[^>]*href="\/account"[^>]*>([^<]*)<\/a>/.exec(html);
  expect(accountLink, 'link to /account').not.toBeNull();
  expect(decode(defined(accountLink?.[1], 'the account link')).trim()).toBe(username);
  expect(html).toMatch(/<form\b[^>]*method="post"[^>]*action="\/logout"[^>]*>[\s\S]*?Logout[\s\S]*?<\/form>/);
  expect(hasLink(html, '/login', 'Login')).toBe(false);
  expect(hasLink(html, '/register', 'Register')).toBe(false);
}

/**
 * No inline script, no inline style, no event-handler attribute anywhere in
 * the page. A JSON-LD block is data, never run: it must parse as JSON and hold no `<`.
 */
export function expectNoInlineCode(html: string) {
  for (const [whole, attributes, text = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (attributes === ' type="application/ld+json"') {
      expect(text, whole).not.toContain('<');
      expect(() => JSON.parse(text) as unknown, whole).not.toThrow();
      continue;
    }
    expect(attributes, whole).toMatch(/\ssrc="[^"]+"/);
    expect(text.trim(), whole).toBe('');
  }
  for (const tag of startTags(html)) {
    expect(tag.attrs.has('style'), tag.raw).toBe(false);
    for (const name of tag.attrs.keys()) expect(name, tag.raw).not.toMatch(/^on/);
  }
  expect(html).not.toMatch(/\bhref="\s*javascript:/i);
}

/** The message shown next to a field of a re-rendered form (its invalid-feedback element). */
export function fieldError(html: string, field: string): string {
  const match = new RegExp(`<div\\b[^>]*data-error-for="${field}"[^>]*>([\\s\\S]*?)</div>`).exec(html);
  expect(match, `error element for ${field}`).not.toBeNull();
  return decode(defined(match?.[1], `the error element for ${field}`).replace(/<[^>]+>/g, '')).trim();
}

/** The value of the first input with this name, decoded; undefined when there is no such input or value. */
export function inputValue(html: string, field: string): string | undefined {
  const tag = new RegExp(`<input\\b[^>]*\\sname="${field}"[^>]*>`).exec(html)?.[0];
  const value = tag === undefined ? undefined : /\svalue="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? undefined : decode(value);
}
