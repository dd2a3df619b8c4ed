// The web session: form posts as a browser sends them from this site's own
// pages, and users signed in through the login form (a session cookie).
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { signedInUser, type Account, type Headers } from './api.js';
import { defined } from './assertions.js';

export type Fields = Record<string, string>;
type Answer = Awaited<ReturnType<App['inject']>>;

export const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
export const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
export const JSON_ACCEPT = { accept: 'application/json' };

/** A form post as a browser sends it from this site's own page (unless other headers are given). */
export const formPost = (app: App, url: string, fields: Fields, headers: Headers = SAME_ORIGIN, cookies?: Fields) =>
  app.inject({
    method: 'POST',
    url,
    headers: { ...FORM_TYPE, ...headers },
    payload: new URLSearchParams(fields).toString(),
    ...(cookies ? { cookies } : {}),
  });

export const sessionCookie = (response: Answer) => response.cookies.find((c) => c.name === 'session');

/** The answer sets a session cookie; returns its value. */
export function expectSessionSet(response: Answer): string {
  const cookie = sessionCookie(response);
  expect(cookie, 'a session cookie is set').toBeDefined();
  const { value } = defined(cookie, 'the session cookie');
  expect(value.length).toBeGreaterThan(10);
  return value;
}

export function expectNoSessionSet(response: Answer) {
  const cookie = sessionCookie(response);
  expect(cookie?.value ?? '', 'no session cookie is set').toBe('');
}

/** Signs in through the login form and returns the session cookie value. */
export async function sessionFor(app: App, email: string, password: string): Promise<string> {
  const response = await formPost(app, '/login', { email, password });
  expect(response.statusCode).toBe(303);
  return expectSessionSet(response);
}

/** A registered user with a bearer token and headers, and a page session cookie from the login form. */
export async function webUser(app: App, who: string | Account = 'web') {
  const user = await signedInUser(app, who);
  return { ...user, cookies: { session: await sessionFor(app, user.email, user.password) } };
}
