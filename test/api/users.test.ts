// The Users part of the HTTP contract (docs/api.md, "Users — /api/users"),
// without the picture endpoints and the hardening beyond the contract, plus the
// 404s for unknown paths and one test over a real listening socket.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostPageBody } from '../../src/schemas/posts.js';
import { DEFAULT_AVATAR_URL } from '../../src/presenters/users.js';
import {
  createPost,
  createTestApp,
  defined,
  expect422At,
  listen,
  login,
  newAccount,
  publicProfile,
  register,
  signedInUser,
  useTestApp,
  validationItems,
} from '../helpers/index.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function expectUserPrivate(body: Record<string, unknown>, expected: { id?: number; username: string; email: string }) {
  expect(Object.keys(body).sort()).toEqual([
    'email',
    'id',
    'image_file',
    'image_path',
    'role',
    'two_factor',
    'username',
  ]);
  expect(Number.isInteger(body.id)).toBe(true);
  if (expected.id !== undefined) expect(body.id).toBe(expected.id);
  expect(body.username).toBe(expected.username);
  expect(body.email).toBe(expected.email.toLowerCase());
  expect(body.image_file).toBeNull();
  expect(body.image_path).toBe(DEFAULT_AVATAR_URL);
}

async function countUsersWhere(app: App, field: 'username' | 'email', value: string): Promise<number> {
  const rows = await app.db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', [field]), '=', value.toLowerCase()))
    .execute();
  return rows.length;
}

/** A copy of the object without one of its fields. */
const without = (object: object, field: string) =>
  Object.fromEntries(Object.entries(object).filter(([key]) => key !== field));

const postUser = (app: App, payload: unknown) =>
  app.inject({ method: 'POST', url: '/api/users', payload: payload as object });

const tokenRequest = (app: App, fields: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/api/users/token',
    headers: FORM,
    payload: new URLSearchParams(fields).toString(),
  });

describe('POST /api/users (register)', () => {
  it('answers 201 with UserPrivate, the email lower-cased and no password or hash', async () => {
    const app = await getApp();
    const account = newAccount('Reg');
    const mixedEmail = account.email.replace('@example.com', '@Example.COM').replace(/^r/, 'R');
    const response = await postUser(app, { ...account, email: mixedEmail });
    expect(response.statusCode).toBe(201);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    const body = response.json<Record<string, unknown>>();
    expectUserPrivate(body, { username: account.username, email: account.email });
    expect(body.email).toBe(mixedEmail.toLowerCase());
    expect(response.body).not.toMatch(/password|hash|argon/i);
    expect(response.body).not.toContain(account.password);
  });

  it('stores the email lower-cased: the account logs in and /me shows the lower-cased email', async () => {
    const app = await getApp();
    const account = newAccount('Lower');
    const response = await postUser(app, { ...account, email: account.email.toUpperCase() });
    expect(response.statusCode).toBe(201);
    const token = await login(app, account.email, account.password);
    const me = await app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ email: string }>().email).toBe(account.email.toLowerCase());
  });

  it('ignores unknown fields and never echoes them', async () => {
    const app = await getApp();
    const account = newAccount();
    const response = await postUser(app, { ...account, is_admin: true, image_file: 'evil.jpg', id: 999999 });
    expect(response.statusCode).toBe(201);
    const body = response.json<Record<string, unknown>>();
    expect(body.is_admin).toBeUndefined();
    expect(body.image_file).toBeNull();
    expect(body.id).not.toBe(999999);
  });

  it('answers 400 "Username already exists" for the same username in another case', async () => {
    const app = await getApp();
    const first = await register(app);
    const other = newAccount();
    const response = await postUser(app, { ...other, username: first.username.toUpperCase() });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'Username already exists' });
    expect(await countUsersWhere(app, 'username', first.username)).toBe(1);
    expect(await countUsersWhere(app, 'email', other.email)).toBe(0);
  });

  it('answers 400 "Email already exists" for the same email in another case', async () => {
    const app = await getApp();
    const first = await register(app);
    const other = newAccount();
    const response = await postUser(app, { ...other, email: first.email.toUpperCase() });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'Email already exists' });
    expect(await countUsersWhere(app, 'email', first.email)).toBe(1);
    expect(await countUsersWhere(app, 'username', other.username)).toBe(0);
  });

  it('accepts the boundaries: 1 and 50 character usernames, a 120 character email, 8 and 128 character passwords', async () => {
    const app = await getApp();
    const tag = newAccount().username;
    // No other test in this file uses a one-character username.
    const shortName = await postUser(app, { username: 'Ж', email: `${tag}a@example.com`, password: 'k8#qv2!m' });
    expect(shortName.statusCode).toBe(201);
    expect(shortName.json<{ username: string }>().username).toBe('Ж');
    const name50 = (tag + 'n'.repeat(50)).slice(0, 50);
    const email120 = `${tag}${'e'.repeat(120 - tag.length - '@example.com'.length)}@example.com`;
    expect(email120).toHaveLength(120);
    const response = await postUser(app, { username: name50, email: email120, password: 'p'.repeat(128) });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ username: string }>().username).toBe(name50);
    expect(response.json<{ email: string }>().email).toBe(email120);
    expect(await login(app, email120, 'p'.repeat(128))).toEqual(expect.any(String));
    const eight = newAccount();
    expect((await postUser(app, { ...eight, password: 'k8#qv2!m' })).statusCode).toBe(201);
  });

  it('counts username length in characters: 50 emoji are accepted, 51 are not', async () => {
    const app = await getApp();
    const a = newAccount();
    const fifty = '😀'.repeat(50);
    expect(fifty.length).toBe(100); // UTF-16 code units: a naive length check would reject it
    const ok = await postUser(app, { ...a, username: fifty });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<{ username: string }>().username).toBe(fifty);
    const got = await app.inject({ url: `/api/users/${ok.json<{ id: number }>().id}` });
    expect(got.json<{ username: string }>().username).toBe(fifty);

    const b = newAccount();
    const tooLong = await postUser(app, { ...b, username: '🙂'.repeat(51) });
    const items = expect422At(tooLong, ['body', 'username']);
    expect(items.find((i) => i.loc[1] === 'username')?.type).toBe('string_too_long');
  });

  describe('answers 422 {detail:[{loc, msg, type}]} for each validation rule', () => {
    const cases: [string, (a: ReturnType<typeof newAccount>) => unknown, string, string?][] = [
      ['an empty username', (a) => ({ ...a, username: '' }), 'username', 'string_too_short'],
      ['a 51 character username', (a) => ({ ...a, username: 'u'.repeat(51) }), 'username', 'string_too_long'],
      ['an invalid email', (a) => ({ ...a, email: 'not-an-email' }), 'email'],
      ['an email without a domain', (a) => ({ ...a, email: `${a.username}@` }), 'email'],
      [
        'a 121 character email',
        (a) => ({
          ...a,
          email: `${a.username}${'e'.repeat(121 - a.username.length - '@example.com'.length)}@example.com`,
        }),
        'email',
        'string_too_long',
      ],
      ['a 7 character password', (a) => ({ ...a, password: '1234567' }), 'password', 'string_too_short'],
      ['a 129 character password', (a) => ({ ...a, password: 'p'.repeat(129) }), 'password', 'string_too_long'],
      ['a missing username', (a) => without(a, 'username'), 'username', 'missing'],
      ['a missing email', (a) => without(a, 'email'), 'email', 'missing'],
      ['a missing password', (a) => without(a, 'password'), 'password', 'missing'],
      ['a number as username', (a) => ({ ...a, username: 12345 }), 'username'],
      ['a number as email', (a) => ({ ...a, email: 42 }), 'email'],
      ['an array as password', (a) => ({ ...a, password: ['correct horse battery'] }), 'password'],
      ['null as username', (a) => ({ ...a, username: null }), 'username'],
    ];

    for (const [name, build, field, type] of cases) {
      it(`${name} -> loc ["body", "${field}"]`, async () => {
        const app = await getApp();
        const account = newAccount();
        const response = await postUser(app, build(account));
        const items = expect422At(response, ['body', field]);
        if (type) expect(items.find((i) => i.loc[0] === 'body' && i.loc[1] === field)?.type).toBe(type);
        // Nothing was created.
        expect(await countUsersWhere(app, 'email', account.email)).toBe(0);
      });
    }

    it('lists every missing field of an empty object', async () => {
      const app = await getApp();
      const items = validationItems(await postUser(app, {}));
      const locs = items.map((i) => i.loc);
      expect(locs).toContainEqual(['body', 'username']);
      expect(locs).toContainEqual(['body', 'email']);
      expect(locs).toContainEqual(['body', 'password']);
      for (const item of items) expect(item.type).toBe('missing');
    });

    it('a malformed JSON body', async () => {
      const app = await getApp();
      const response = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "x", "email": ',
      });
      const items = validationItems(response);
      expect(items[0]?.loc[0]).toBe('body');
      expect(response.body).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
    });

    it('a JSON array instead of an object', async () => {
      const app = await getApp();
      const response = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { 'content-type': 'application/json' },
        payload: '[]',
      });
      const items = validationItems(response);
      expect(items[0]?.loc[0]).toBe('body');
    });
  });
});

describe('concurrent duplicate registrations', () => {
  it('ten simultaneous registrations of one username: exactly one 201, the rest 400, one user stored', async () => {
    const app = await getApp();
    const base = newAccount('race');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postUser(app, { username: base.username, email: `r${i}.${base.email}`, password: base.password }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(9);
    for (const r of responses.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ detail: 'Username already exists' });
    }
    expect(await countUsersWhere(app, 'username', base.username)).toBe(1);
  });

  it('ten simultaneous registrations of one email in different cases: exactly one 201, the rest 400, one user stored', async () => {
    const app = await getApp();
    const base = newAccount('raceMail');
    const casings = (i: number) =>
      Array.from(base.email)
        .map((c, j) => ((i >> (j % 4)) & 1 ? c.toUpperCase() : c.toLowerCase()))
        .join('');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postUser(app, { username: `${base.username}n${i}`, email: casings(i), password: base.password }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(9);
    for (const r of responses.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ detail: 'Email already exists' });
    }
    expect(await countUsersWhere(app, 'email', base.email)).toBe(1);
    const winner = defined(responses.find((r) => r.statusCode === 201));
    expect(winner.json<{ email: string }>().email).toBe(base.email.toLowerCase());
  });
});

describe('POST /api/users/token (login)', () => {
  it('answers 200 with a bearer token that authenticates', async () => {
    const app = await getApp();
    const account = await register(app);
    const response = await tokenRequest(app, { username: account.email, password: account.password });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type']);
    expect(body.token_type).toBe('bearer');
    expect(typeof body.access_token).toBe('string');
    expect(String(body.access_token).split('.')).toHaveLength(3);
    const me = await app.inject({
      url: '/api/users/me',
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ id: number }>().id).toBe(account.id);
  });

  it('takes the email case-insensitively', async () => {
    const app = await getApp();
    const account = await register(app);
    const response = await tokenRequest(app, { username: account.email.toUpperCase(), password: account.password });
    expect(response.statusCode).toBe(200);
    const me = await app.inject({
      url: '/api/users/me',
      headers: { authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` },
    });
    expect(me.json<{ id: number }>().id).toBe(account.id);
  });

  it('answers 401 "Incorrect email or password", identically, for an unknown email and a wrong password', async () => {
    const app = await getApp();
    const account = await register(app);
    const wrongPassword = await tokenRequest(app, { username: account.email, password: 'wrong password!' });
    const unknownEmail = await tokenRequest(app, { username: `nobody.${account.email}`, password: account.password });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Incorrect email or password' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    expect(wrongPassword.body).toBe(unknownEmail.body);
  });

  it('does not accept the username in place of the email', async () => {
    const app = await getApp();
    const account = await register(app);
    const response = await tokenRequest(app, { username: account.username, password: account.password });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Incorrect email or password' });
  });

  it('answers 422 for a missing password, a missing username, or an empty form', async () => {
    const app = await getApp();
    const account = await register(app);
    expect422At(await tokenRequest(app, { username: account.email }), ['body', 'password']);
    expect422At(await tokenRequest(app, { password: account.password }), ['body', 'username']);
    const none = expect422At(await tokenRequest(app, {}), ['body', 'username']);
    expect(none.map((i) => i.loc)).toContainEqual(['body', 'password']);
  });
});

describe('GET /api/users/me', () => {
  it('answers 200 with the signed-in user as UserPrivate', async () => {
    const app = await getApp();
    const user = await signedInUser(app);
    const response = await app.inject({ url: '/api/users/me', headers: user.headers });
    expect(response.statusCode).toBe(200);
    expectUserPrivate(response.json(), { id: user.id, username: user.username, email: user.email });
  });

  it('answers 401 {"detail":"Not authenticated"} with WWW-Authenticate: Bearer without a token', async () => {
    const app = await getApp();
    const response = await app.inject({ url: '/api/users/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Not authenticated' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 with WWW-Authenticate: Bearer for a garbage token', async () => {
    const app = await getApp();
    const response = await app.inject({ url: '/api/users/me', headers: { authorization: 'Bearer not.a.jwt' } });
    expect(response.statusCode).toBe(401);
    expect(typeof response.json<{ detail: unknown }>().detail).toBe('string');
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('GET /api/users/{user_id}', () => {
  it('answers 200 with UserPublic and no email key', async () => {
    const app = await getApp();
    const user = await register(app);
    const response = await app.inject({ url: `/api/users/${user.id}` });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toEqual(publicProfile(user));
    expect('email' in body).toBe(false);
    expect(response.body).not.toContain(user.email);
  });

  it('answers 404 "User not found" for an id that does not exist', async () => {
    const app = await getApp();
    for (const id of [999999, 0, 2147483647, 99999999999]) {
      const response = await app.inject({ url: `/api/users/${id}` });
      expect(response.statusCode, `id ${id}`).toBe(404);
      expect(response.json()).toEqual({ detail: 'User not found' });
    }
  });

  it('answers 422 with loc ["path", "user_id"] for a non-integer id', async () => {
    const app = await getApp();
    for (const id of ['abc', '1.5', '1e', '1_000']) {
      const response = await app.inject({ url: `/api/users/${id}` });
      expect(response.statusCode, id).toBe(422);
      expect422At(response, ['path', 'user_id']);
    }
  });

  it("answers 422 for ids that only JavaScript's Number() reads as integers (blank, hex, exponent)", async () => {
    const app = await getApp();
    const user = await register(app);
    // "Path ids are integers; anything else: 422." None of these is an integer literal.
    for (const id of ['%20', `0x${user.id.toString(16)}`, `${user.id}e0`]) {
      const response = await app.inject({ url: `/api/users/${id}` });
      expect(response.statusCode, `GET /api/users/${id}`).toBe(422);
      expect422At(response, ['path', 'user_id']);
    }
  });
});

describe('PATCH /api/users/{user_id}', () => {
  const patch = (app: App, id: number | string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers, payload: payload as object });

  it('answers 200 UserPrivate with a new username and a new email stored lower-cased', async () => {
    const app = await getApp();
    const user = await signedInUser(app);
    const fresh = newAccount('Renamed');
    const response = await patch(
      app,
      user.id,
      { username: fresh.username, email: fresh.email.toUpperCase() },
      user.headers,
    );
    expect(response.statusCode).toBe(200);
    expectUserPrivate(response.json(), { id: user.id, username: fresh.username, email: fresh.email });
    expect(response.json<{ email: string }>().email).toBe(fresh.email.toLowerCase());

    const me = await app.inject({ url: '/api/users/me', headers: user.headers });
    expect(me.json()).toMatchObject({ username: fresh.username, email: fresh.email.toLowerCase() });
    // The new email logs in; the old one no longer does.
    expect(await login(app, fresh.email, user.password)).toEqual(expect.any(String));
    expect((await tokenRequest(app, { username: user.email, password: user.password })).statusCode).toBe(401);
  });

  it('changes only the fields given', async () => {
    const app = await getApp();
    const user = await signedInUser(app);
    const fresh = newAccount();
    const onlyName = await patch(app, user.id, { username: fresh.username }, user.headers);
    expect(onlyName.statusCode).toBe(200);
    expect(onlyName.json()).toMatchObject({ username: fresh.username, email: user.email });
    const onlyEmail = await patch(app, user.id, { email: fresh.email }, user.headers);
    expect(onlyEmail.statusCode).toBe(200);
    expect(onlyEmail.json()).toMatchObject({ username: fresh.username, email: fresh.email });
    const nothing = await patch(app, user.id, {}, user.headers);
    expect(nothing.statusCode).toBe(200);
    expect(nothing.json()).toMatchObject({ id: user.id, username: fresh.username, email: fresh.email });
  });

  it('lets a user keep their own username and email in a different case', async () => {
    const app = await getApp();
    const user = await signedInUser(app);
    const response = await patch(
      app,
      user.id,
      { username: user.username.toUpperCase(), email: user.email.toUpperCase() },
      user.headers,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: user.id,
      username: user.username.toUpperCase(),
      email: user.email.toLowerCase(),
    });
  });

  it("answers 403 for another user's account and changes nothing", async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const other = await register(app);
    const response = await patch(app, other.id, { username: newAccount().username }, me.headers);
    expect(response.statusCode).toBe(403);
    expect(typeof response.json<{ detail: unknown }>().detail).toBe('string');
    const unchanged = await app.inject({ url: `/api/users/${other.id}` });
    expect(unchanged.json<{ username: string }>().username).toBe(other.username);
  });

  it("answers 400 for another user's username or email, case-insensitively", async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const other = await register(app);
    const name = await patch(app, me.id, { username: other.username.toUpperCase() }, me.headers);
    expect(name.statusCode).toBe(400);
    expect(name.json()).toEqual({ detail: 'Username already exists' });
    const email = await patch(app, me.id, { email: other.email.toUpperCase() }, me.headers);
    expect(email.statusCode).toBe(400);
    expect(email.json()).toEqual({ detail: 'Email already exists' });
    const current = await app.inject({ url: '/api/users/me', headers: me.headers });
    expect(current.json()).toMatchObject({ username: me.username, email: me.email });
  });

  it('answers 404 for an id that does not exist, when authenticated', async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const response = await patch(app, 999999, { username: newAccount().username }, me.headers);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'User not found' });
  });

  it('answers 422 for invalid values', async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    expect422At(await patch(app, me.id, { username: '' }, me.headers), ['body', 'username']);
    expect422At(await patch(app, me.id, { username: 'u'.repeat(51) }, me.headers), ['body', 'username']);
    expect422At(await patch(app, me.id, { email: 'nope' }, me.headers), ['body', 'email']);
    expect422At(await patch(app, me.id, { username: 7 }, me.headers), ['body', 'username']);
    expect422At(await patch(app, 'abc', { username: 'fine' }, me.headers), ['path', 'user_id']);
    const current = await app.inject({ url: '/api/users/me', headers: me.headers });
    expect(current.json()).toMatchObject({ username: me.username, email: me.email });
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token', async () => {
    const app = await getApp();
    const user = await register(app);
    const response = await patch(app, user.id, { username: newAccount().username });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Not authenticated' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('checks in order: no token and an invalid body -> 401', async () => {
    const app = await getApp();
    const user = await register(app);
    const response = await patch(app, user.id, { username: '', email: 'bad' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Not authenticated' });
  });

  it("checks in order: a valid token and an invalid body on another user's id -> 422 (validation before 403)", async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const other = await register(app);
    expect422At(await patch(app, other.id, { username: '' }, me.headers), ['body', 'username']);
  });

  it('checks in order: a valid token and an invalid body on a missing id -> 422 (validation before 404)', async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    expect422At(await patch(app, 999999, { email: 'bad' }, me.headers), ['body', 'email']);
  });
});

describe('DELETE /api/users/{user_id}', () => {
  const del = (app: App, id: number | string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'DELETE', url: `/api/users/${id}`, headers });

  it('answers 204, removes the user and their posts, and the old token then answers 401', async () => {
    const app = await getApp();
    const user = await signedInUser(app);
    const bystander = await signedInUser(app);
    const mine = [await createPost(app, user.headers, 'mine 1'), await createPost(app, user.headers, 'mine 2')];
    const theirs = await createPost(app, bystander.headers, 'theirs');
    const totalBefore = (await app.inject({ url: '/api/posts' })).json<{ total: number }>().total;

    const response = await del(app, user.id, user.headers);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');

    expect((await app.inject({ url: `/api/users/${user.id}` })).statusCode).toBe(404);
    for (const post of mine) {
      const gone = await app.inject({ url: `/api/posts/${post.id}` });
      expect(gone.statusCode).toBe(404);
      expect(gone.json()).toEqual({ detail: 'Post not found' });
    }
    expect((await app.inject({ url: `/api/posts/${theirs.id}` })).statusCode).toBe(200);
    const totalAfter = (await app.inject({ url: '/api/posts' })).json<{ total: number }>().total;
    expect(totalAfter).toBe(totalBefore - 2);
    const remaining = await app.db.selectFrom('posts').select('id').where('user_id', '=', user.id).execute();
    expect(remaining).toEqual([]);

    const stale = await app.inject({ url: '/api/users/me', headers: user.headers });
    expect(stale.statusCode).toBe(401);
    expect(stale.headers['www-authenticate']).toBe('Bearer');
    // The account can no longer log in, and its username and email are free again.
    expect((await tokenRequest(app, { username: user.email, password: user.password })).statusCode).toBe(401);
    expect(
      (await postUser(app, { username: user.username, email: user.email, password: user.password })).statusCode,
    ).toBe(201);
  });

  it("answers 403 for another user's account and deletes nothing", async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const other = await signedInUser(app);
    const post = await createPost(app, other.headers);
    const response = await del(app, other.id, me.headers);
    expect(response.statusCode).toBe(403);
    expect(typeof response.json<{ detail: unknown }>().detail).toBe('string');
    expect((await app.inject({ url: `/api/users/${other.id}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/posts/${post.id}` })).statusCode).toBe(200);
  });

  it('answers 404 "User not found" for an id that does not exist', async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    const response = await del(app, 999999, me.headers);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'User not found' });
    expect((await app.inject({ url: '/api/users/me', headers: me.headers })).statusCode).toBe(200);
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token and deletes nothing', async () => {
    const app = await getApp();
    const user = await register(app);
    const response = await del(app, user.id);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Not authenticated' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect((await app.inject({ url: `/api/users/${user.id}` })).statusCode).toBe(200);
  });

  it('answers 422 for a non-integer id', async () => {
    const app = await getApp();
    const me = await signedInUser(app);
    expect422At(await del(app, 'abc', me.headers), ['path', 'user_id']);
  });
});

describe('GET /api/users/{user_id}/posts', () => {
  it("answers 200 PostPage with only that user's posts, newest first, honouring skip and limit", async () => {
    const app = await getApp();
    const author = await signedInUser(app);
    const other = await signedInUser(app);
    const created: number[] = [];
    for (let i = 0; i < 5; i++) {
      created.push((await createPost(app, author.headers, `post ${i}`, `content ${i}`)).id);
      await createPost(app, other.headers, `noise ${i}`);
    }
    const newestFirst = [...created].reverse();

    const all = await app.inject({ url: `/api/users/${author.id}/posts` });
    expect(all.statusCode).toBe(200);
    const page = all.json<PostPageBody>();
    expect(Object.keys(page).sort()).toEqual(['has_more', 'limit', 'posts', 'skip', 'total']);
    expect(page.total).toBe(5);
    expect(page.skip).toBe(0);
    expect(page.limit).toBe(10);
    expect(page.has_more).toBe(false);
    expect(page.posts.map((p) => p.id)).toEqual(newestFirst);
    for (const post of page.posts) {
      expect(post.user_id).toBe(author.id);
      expect(post.author).toEqual(publicProfile(author));
      expect(post.date_posted).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    }
    const dates = page.posts.map((p) => Date.parse(p.date_posted));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);

    const first = (await app.inject({ url: `/api/users/${author.id}/posts?skip=0&limit=2` })).json<PostPageBody>();
    expect(first.posts.map((p) => p.id)).toEqual(newestFirst.slice(0, 2));
    expect(first).toMatchObject({ total: 5, skip: 0, limit: 2, has_more: true });

    const middle = (await app.inject({ url: `/api/users/${author.id}/posts?skip=2&limit=2` })).json<PostPageBody>();
    expect(middle.posts.map((p) => p.id)).toEqual(newestFirst.slice(2, 4));
    expect(middle).toMatchObject({ total: 5, skip: 2, limit: 2, has_more: true });

    const last = (await app.inject({ url: `/api/users/${author.id}/posts?skip=4&limit=2` })).json<PostPageBody>();
    expect(last.posts.map((p) => p.id)).toEqual(newestFirst.slice(4));
    expect(last).toMatchObject({ total: 5, skip: 4, limit: 2, has_more: false });

    const exact = (await app.inject({ url: `/api/users/${author.id}/posts?skip=3&limit=2` })).json<PostPageBody>();
    expect(exact).toMatchObject({ total: 5, skip: 3, limit: 2, has_more: false });
    expect(exact.posts).toHaveLength(2);

    const beyond = (await app.inject({ url: `/api/users/${author.id}/posts?skip=50` })).json<PostPageBody>();
    expect(beyond).toMatchObject({ posts: [], total: 5, skip: 50, has_more: false });

    const bounds = await app.inject({ url: `/api/users/${author.id}/posts?limit=1` });
    expect(bounds.statusCode).toBe(200);
    expect((await app.inject({ url: `/api/users/${author.id}/posts?limit=100` })).statusCode).toBe(200);
  });

  it('answers 200 with an empty page for a user without posts', async () => {
    const app = await getApp();
    const user = await register(app);
    const response = await app.inject({ url: `/api/users/${user.id}/posts` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ posts: [], total: 0, skip: 0, limit: 10, has_more: false });
  });

  it('answers 404 "User not found" for a user that does not exist', async () => {
    const app = await getApp();
    const response = await app.inject({ url: '/api/users/999999/posts' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'User not found' });
  });

  it('answers 422 for a bad skip or limit, and for a non-integer id', async () => {
    const app = await getApp();
    const user = await register(app);
    const cases: [string, string][] = [
      ['skip=-1', 'skip'],
      ['skip=abc', 'skip'],
      ['skip=1.5', 'skip'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-5', 'limit'],
    ];
    for (const [query, field] of cases) {
      const response = await app.inject({ url: `/api/users/${user.id}/posts?${query}` });
      expect(response.statusCode, query).toBe(422);
      expect422At(response, ['query', field]);
    }
    expect422At(await app.inject({ url: '/api/users/abc/posts' }), ['path', 'user_id']);
  });

  it('answers 422 for a blank or non-decimal skip/limit (not an integer)', async () => {
    const app = await getApp();
    const user = await register(app);
    // "skip: integer >= 0 ... limit: integer 1..100 ... Anything else: 422."
    for (const [query, field] of [
      ['skip=%20', 'skip'],
      ['limit=0x10', 'limit'],
      ['limit=1e1', 'limit'],
    ] as const) {
      const response = await app.inject({ url: `/api/users/${user.id}/posts?${query}` });
      expect(response.statusCode, query).toBe(422);
      expect422At(response, ['query', field]);
    }
  });
});

describe('unknown paths', () => {
  it('an unknown /api path answers a JSON 404 {detail}', async () => {
    const app = await getApp();
    for (const url of ['/api/nothing-here', '/api/users/1/nothing', '/api']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body)).toEqual(['detail']);
      expect(typeof body.detail).toBe('string');
    }
  });

  it('an unknown page path answers an HTML 404, not JSON', async () => {
    const app = await getApp();
    const response = await app.inject({ url: '/no-such-page' });
    expect(response.statusCode).toBe(404);
    expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
    expect(() => JSON.parse(response.body) as unknown).toThrow();
  });
});

describe('over a real listening server', () => {
  it('register -> login -> /me over HTTP with fetch', async () => {
    const ctx = await createTestApp();
    try {
      const base = `http://127.0.0.1:${await listen(ctx)}`;
      const account = newAccount('Http');

      const registered = await fetch(`${base}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...account, email: account.email.toUpperCase() }),
      });
      expect(registered.status).toBe(201);
      const user = (await registered.json()) as Record<string, unknown>;
      expectUserPrivate(user, { username: account.username, email: account.email });

      const tokenResponse = await fetch(`${base}/api/users/token`, {
        method: 'POST',
        body: new URLSearchParams({ username: account.email, password: account.password }),
      });
      expect(tokenResponse.status).toBe(200);
      const token = (await tokenResponse.json()) as { access_token: string; token_type: string };
      expect(token.token_type).toBe('bearer');

      const me = await fetch(`${base}/api/users/me`, { headers: { authorization: `Bearer ${token.access_token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual(user);

      const anonymous = await fetch(`${base}/api/users/me`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(await anonymous.json()).toEqual({ detail: 'Not authenticated' });
    } finally {
      await ctx.close();
    }
  });
});
