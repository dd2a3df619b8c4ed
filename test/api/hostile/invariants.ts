// What must hold for any answer to hostile input: the API contract's shapes,
// text stored byte for byte, and pages that never echo markup from the input.
import { expect } from 'vitest';
import { describeExchange, type Answer, type Sent } from './exchange.js';
import { codePointLength, utf8, XSS } from './material.js';

function expectDetailItems(detail: unknown, where: string) {
  expect(Array.isArray(detail), where).toBe(true);
  const items = detail as Record<string, unknown>[];
  expect(items.length, where).toBeGreaterThan(0);
  for (const item of items) {
    expect(Object.keys(item).sort(), where).toEqual(['loc', 'msg', 'type']);
    expect(Array.isArray(item.loc), where).toBe(true);
    const loc = item.loc as unknown[];
    expect(['body', 'query', 'path'], where).toContain(loc[0]);
    for (const part of loc) expect(['string', 'number'], where).toContain(typeof part);
    expect(item.msg, where).toBeTypeOf('string');
    expect(item.type, where).toBeTypeOf('string');
  }
}

/** The contract for any /api answer: never 5xx; an error is JSON `{detail}` of the contract's shape. */
export function expectApiContract(request: Sent, response: Answer) {
  const where = describeExchange(request, response);
  expect(response.statusCode, where).toBeLessThan(500);
  expect(response.statusCode, where).toBeGreaterThanOrEqual(200);
  if (response.statusCode < 400) return;
  expect(String(response.headers['content-type']), where).toMatch(/^application\/json/);
  let body: unknown;
  expect(() => {
    body = JSON.parse(response.body);
  }, where).not.toThrow();
  expect(body, where).toBeTypeOf('object');
  expect(Object.keys(body as object), where).toEqual(['detail']);
  const { detail } = body as { detail: unknown };
  if (typeof detail === 'string') {
    expect(detail.length, where).toBeGreaterThan(0);
    // No stack trace or SQL ever reaches a client.
    expect(detail, where).not.toMatch(/\bat .+\.(ts|js):\d+|SQLITE_|sqlite|SELECT .+ FROM|node_modules/i);
  } else {
    expect(response.statusCode, where).toBe(422);
    expectDetailItems(detail, where);
  }
  if (response.statusCode === 401) expect(String(response.headers['www-authenticate']), where).toMatch(/^Bearer/);
}

/** Asserts that `actual` is `expected`, byte for byte in UTF-8 (and so code unit for code unit). */
export function expectSameText(actual: unknown, expected: string, label: string) {
  expect(typeof actual, label).toBe('string');
  const text = actual as string;
  const same = utf8(text).equals(utf8(expected)) && text === expected;
  const sent = `sent ${JSON.stringify(expected.slice(0, 80))} (${codePointLength(expected)} code points)`;
  const got = `got ${JSON.stringify(text.slice(0, 80))} (${codePointLength(text)} code points)`;
  expect(same, `${label}: ${sent}, ${got}`).toBe(true);
}

/**
 * Markup that came from the input unescaped: a <script> whose text carries the
 * marker, a tag of a kind the payloads inject (script, img, svg, iframe) that
 * carries it, an event-handler attribute carrying it, or a comment made by the
 * input. Attribute values are read as the browser reads them, so an escaped
 * payload inside value="..." is not mistaken for an attribute of its own.
 */
export function unescapedEcho(html: string): string | null {
  const script = new RegExp(`<script\\b[^>]*>[^<]*${XSS}`, 'i').exec(html);
  if (script) return script[0];
  const comment = new RegExp(`<!--[^>]*${XSS}`).exec(html);
  if (comment) return comment[0];
  for (const tag of html.matchAll(
    /<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)*)\s*\/?>/g,
  )) {
    const [whole, name = '', attributes = ''] = tag;
    if (/^(script|img|svg|iframe)$/i.test(name) && whole.includes(XSS)) return whole;
    for (const attribute of attributes.matchAll(/\s+([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?/g)) {
      const [, attributeName = '', value = ''] = attribute;
      if (/^on/i.test(attributeName) && value.includes(XSS)) return whole;
      if (attributeName.includes(XSS)) return whole;
    }
  }
  return null;
}

/** The contract for a web form post: never 5xx, redirects stay on this site, HTML never echoes markup from `values`. */
export function expectPageContract(request: Sent, response: Answer, values: string[]) {
  const where = describeExchange(request, response);
  expect(response.statusCode, where).toBeLessThan(500);
  const type = String(response.headers['content-type'] ?? '');
  if (response.statusCode >= 300 && response.statusCode < 400) {
    // Redirects stay on this site.
    const location = String(response.headers.location);
    expect(location, where).toMatch(/^\/(?![/\\])/);
    return;
  }
  if (type.startsWith('application/json')) {
    expect(() => JSON.parse(response.body) as unknown, where).not.toThrow();
    return;
  }
  if (response.statusCode === 204) return;
  expect(type, where).toMatch(/^text\/html/);
  expect(unescapedEcho(response.body), where).toBeNull();
  // A value with markup characters never appears verbatim: it was escaped.
  for (const value of values) {
    if (value.includes(XSS) && /[<>"]/.test(value)) {
      expect(response.body.includes(value), `${where}\n  echoed: ${value}`).toBe(false);
    }
  }
}
