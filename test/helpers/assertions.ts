// Assertions about answers that many tests make: the 422 and 401 shapes of the
// contract (docs/api.md), security headers, and the pictures on disk.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ValidationDetail } from '../../src/errors.js';
import type { TestContext } from './app.js';

/** What the assertions read of an answer (app.inject's response has all of it). */
export interface JsonAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}

/** The fields of a PostResponse (docs/api.md, Shapes, "Publishing" and "Delivery"), sorted. */
export const POST_RESPONSE_FIELDS = [
  'author',
  'content',
  'content_html',
  'date_posted',
  'excerpt',
  'id',
  'status',
  'title',
  'updated_at',
  'user_id',
];

export type HeaderValues = Record<string, string | string[] | number | undefined>;

/** expect.any(type) inside toEqual and friends, typed unknown (vitest types it any). */
export const ofType = (type: unknown): unknown => expect.any(type);

/** expect.stringMatching(pattern), typed unknown. */
export const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

/** The value, which must be there: neither undefined nor null. */
export function defined<T>(value: T | null | undefined, what = 'the value'): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}

/** Asserts the 422 shape and returns the items; every item is {loc, msg, type}. */
export function validationItems(response: JsonAnswer): ValidationDetail[] {
  expect(response.statusCode).toBe(422);
  expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
  const body = response.json() as { detail: ValidationDetail[] };
  expect(Object.keys(body)).toEqual(['detail']);
  expect(Array.isArray(body.detail)).toBe(true);
  expect(body.detail.length).toBeGreaterThan(0);
  for (const item of body.detail) {
    expect(Array.isArray(item.loc)).toBe(true);
    expect(typeof item.msg).toBe('string');
    expect(item.msg.length).toBeGreaterThan(0);
    expect(typeof item.type).toBe('string');
    expect(item.type.length).toBeGreaterThan(0);
  }
  return body.detail;
}

/** A 422 that names exactly the given location (among possibly others); returns the items. */
export function expect422At(response: JsonAnswer, loc: (string | number)[]): ValidationDetail[] {
  const items = validationItems(response);
  expect(items.map((item) => item.loc)).toContainEqual(loc);
  return items;
}

/** A 401 with `WWW-Authenticate: Bearer` and a string detail (this one, if given); returns the body. */
export function expect401(response: JsonAnswer, detail?: string) {
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer');
  const body = response.json() as { detail: unknown };
  expect(typeof body.detail).toBe('string');
  if (detail !== undefined) expect(body.detail).toBe(detail);
  return body;
}

/** This status with exactly `{detail}`. */
export function expectDetail(response: JsonAnswer, status: number, detail: string) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toEqual({ detail });
}

/** Content-Security-Policy as directive -> sources. */
export function parseCsp(header: unknown): Map<string, string[]> {
  expect(typeof header, 'Content-Security-Policy header').toBe('string');
  const directives = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const SAFE_REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

/** The headers every response of `url` carries; returns the parsed CSP for further checks. */
export function expectSecurityHeaders(url: string, headers: HeaderValues): Map<string, string[]> {
  const csp = parseCsp(headers['content-security-policy']);
  const referrer = headers['referrer-policy'];
  // JSON, and the files under /static and /media, are never a page: the API set, which allows nothing at all.
  const file = /^\/(static|media)\//.test(url) && !String(headers['content-type']).startsWith('text/html');
  if (url.startsWith('/api/') || file) {
    expect([...csp], `${url} CSP`).toEqual([
      ['default-src', ["'none'"]],
      ['frame-ancestors', ["'none'"]],
    ]);
    expect(headers['x-content-type-options'], `${url} X-Content-Type-Options`).toBe('nosniff');
    expect(headers['x-frame-options'], `${url} X-Frame-Options`).toBe('DENY');
    expect(headers['cross-origin-resource-policy'], `${url} Cross-Origin-Resource-Policy`).toBe('same-origin');
    expect(SAFE_REFERRER_POLICIES, `${url} Referrer-Policy`).toContain(referrer);
    return csp;
  }
  expect(csp.get('default-src'), `${url} default-src`).toEqual(["'self'"]);
  expect(csp.get('script-src'), `${url} script-src`).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors'), `${url} frame-ancestors`).toEqual(["'none'"]);
  expect(csp.get('object-src'), `${url} object-src`).toEqual(["'none'"]);
  for (const [name, sources] of csp) {
    if (name.startsWith('script-src') || name === 'default-src') {
      expect(sources, `${url} ${name}`).not.toContain("'unsafe-inline'");
      expect(sources, `${url} ${name}`).not.toContain("'unsafe-eval'");
    }
  }
  expect(headers['x-content-type-options'], `${url} X-Content-Type-Options`).toBe('nosniff');
  expect(SAFE_REFERRER_POLICIES, `${url} Referrer-Policy ${String(referrer)}`).toContain(referrer);
  expect(['SAMEORIGIN', 'DENY'], `${url} X-Frame-Options`).toContain(String(headers['x-frame-options']).toUpperCase());
  return csp;
}

/** The picture files on disk and the picture names in the database, both sorted. */
export async function picturesOnDiskAndInDatabase(context: TestContext) {
  const directory = path.join(context.dataDir, 'media', 'profile_pics');
  const onDisk = readdirSync(directory).sort();
  const inDatabase = (await context.app.repositories.userPictures.allImageFiles()).sort();
  return { onDisk, inDatabase };
}

/** The promise about pictures: the files on disk are exactly the pictures the users point at. Returns the files. */
export async function expectPicturesConsistent(context: TestContext): Promise<string[]> {
  const { onDisk, inDatabase } = await picturesOnDiskAndInDatabase(context);
  expect(onDisk).toEqual(inDatabase);
  return onDisk;
}
