// Accounts, tokens and posts made through the API, the way a client makes them.
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostStatus } from '../../src/db/schema.js';
import type { PostResponseBody } from '../../src/schemas/posts.js';
import type { UserPrivateBody, UserPublicBody } from '../../src/schemas/users.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';

export type Headers = Record<string, string>;

let counter = 0;
/** Unique account values so tests sharing an app never collide. */
export function newAccount(prefix = 'user') {
  counter += 1;
  const tag = `${prefix}${process.pid}x${counter}`;
  return { username: tag, email: `${tag}@example.com`, password: 'correct horse battery' };
}

/** What registering takes: a username, an email and a password. */
export type Account = ReturnType<typeof newAccount>;

export async function register(app: App, account = newAccount()) {
  const response = await app.inject({ method: 'POST', url: '/api/users', payload: account });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return { ...account, id: response.json<UserPrivateBody>().id };
}

export async function login(app: App, email: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: email, password }).toString(),
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json<{ access_token: string }>().access_token;
}

/** The Authorization header of a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A registered user (a new account with this prefix, or the given one) with a valid token and ready-made Authorization headers. */
export async function signedInUser(app: App, who: string | Account = 'user') {
  const account = await register(app, typeof who === 'string' ? newAccount(who) : who);
  const token = await login(app, account.email, account.password);
  return { ...account, token, headers: bearer(token) };
}

export type SignedIn = Awaited<ReturnType<typeof signedInUser>>;

/** Makes the account an admin, as `npm run admin -- grant <email>` does (the command line's own service call). */
export async function grantAdmin(app: App, email: string): Promise<void> {
  await app.services.moderation.setRoleByEmail(null, email, 'admin');
}

/** A registered, signed-in admin. */
export async function signedInAdmin(app: App, prefix = 'admin'): Promise<SignedIn> {
  const admin = await signedInUser(app, prefix);
  await grantAdmin(app, admin.email);
  return admin;
}

export async function createPost(
  app: App,
  headers: Headers,
  title = 'A title',
  content = 'Some content',
  status?: PostStatus,
) {
  const payload = { title, content, ...(status && { status }) };
  const response = await app.inject({ method: 'POST', url: '/api/posts', headers, payload });
  if (response.statusCode !== 201) throw new Error(`create post failed: ${response.statusCode} ${response.body}`);
  return response.json<PostResponseBody>();
}

/** GET /api/users/me with these headers (and cookies), whatever it answers. */
export function requestMe(app: App, headers: Headers = {}, cookies?: Record<string, string>) {
  return app.inject({ method: 'GET', url: '/api/users/me', headers, ...(cookies ? { cookies } : {}) });
}

/** The signed-in user's own account: GET /api/users/me, which must answer 200. */
export async function me(app: App, headers: Headers): Promise<UserPrivateBody> {
  const response = await requestMe(app, headers);
  expect(response.statusCode).toBe(200);
  return response.json<UserPrivateBody>();
}

/** A user's public profile as the API shows it while they have no picture (the default avatar). */
export const publicProfile = (user: { id: number; username: string }): UserPublicBody => ({
  id: user.id,
  username: user.username,
  image_file: null,
  image_path: DEFAULT_AVATAR_URL,
});

/** A user's own account as the API shows it while they have no picture. */
export const privateProfile = (user: { id: number; username: string; email: string }): UserPrivateBody => ({
  ...publicProfile(user),
  email: user.email,
  role: 'user',
  two_factor: false,
});
