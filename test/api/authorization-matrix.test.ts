// Who may call which write endpoint (docs/api.md, "Moderation" and the
// ownership rules): every actor against every secured write operation of
// /openapi.json, one test a row, each on fresh accounts. Nobody signed in and
// a suspended user (their token is dead) get 401; another user 403 on what is
// not theirs; the owner 2xx; an admin 2xx on posts, account deletion and the
// admin endpoints, but 403 on someone else's profile and picture. A refused
// request changes nothing. A new write endpoint without its rows fails here.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostResponseBody } from '../../src/schemas/posts.js';
import {
  createPost,
  createTestApp,
  defined,
  enableTwoFactor,
  me,
  newAccount,
  oathtoolCode,
  pngOf,
  requestMe,
  signedInAdmin,
  signedInUser,
  uploadPicture,
  useCleanups,
  useTestApp,
  type Headers,
  type SignedIn,
} from '../helpers/index.js';

type Actor = 'anonymous' | 'user' | 'owner' | 'admin' | 'suspended';

const ACTORS: Record<Actor, string> = {
  anonymous: 'nobody signed in',
  user: 'another user',
  owner: 'the owner',
  admin: 'an admin',
  suspended: 'the owner, suspended',
};

/** What each actor gets from one endpoint. */
type Statuses = Record<Actor, number>;

// The rules, as statuses. For endpoints on no one else's resource (writing a
// post, a preview, your password, logging out) every actor is "the owner" of what they act on.
const signedIn = (ok: number): Statuses => ({ anonymous: 401, user: ok, owner: ok, admin: ok, suspended: 401 });
const ownerOrAdmin = (ok: number): Statuses => ({ anonymous: 401, user: 403, owner: ok, admin: ok, suspended: 401 });
const ownerOnly = (ok: number): Statuses => ({ anonymous: 401, user: 403, owner: ok, admin: 403, suspended: 401 });
const adminsOnly = (ok: number): Statuses => ({ anonymous: 401, user: 403, owner: 403, admin: ok, suspended: 401 });

/** One row's world: the owner, their published post, and the acting account (none when nobody is signed in). */
interface World {
  app: App;
  owner: SignedIn;
  post: PostResponseBody;
  invitationId: number;
  actor: SignedIn | undefined;
  headers: Headers;
}

interface Endpoint {
  /** The operation as /openapi.json names it: `METHOD /path/{param}`. */
  operation: string;
  statuses: Statuses;
  /** Before the actor is made (a suspended actor is suspended last). */
  setup?: (world: Omit<World, 'actor' | 'headers'>, actor: Actor) => Promise<void>;
  /** The request beside method, URL and the actor's headers. */
  request?: (world: World) => Omit<InjectOptions, 'method' | 'url' | 'headers'>;
  /** For requests inject does not build (multipart). */
  send?: (world: World) => Promise<LightMyRequestResponse>;
}

const context = useTestApp();
/** An admin for the fixtures (suspending, inviting), so no row ever removes the site's last admin. */
let moderator: SignedIn;

async function suspend(app: App, userId: number) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/admin/users/${userId}/suspend`,
    headers: moderator.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
}

const ENDPOINTS: Endpoint[] = [
  {
    operation: 'POST /api/posts',
    statuses: signedIn(201),
    request: () => ({ payload: { title: 'A new post', content: 'Its content' } }),
  },
  {
    operation: 'PUT /api/posts/{post_id}',
    statuses: ownerOrAdmin(200),
    request: () => ({ payload: { title: 'Replaced', content: 'Replaced content' } }),
  },
  {
    operation: 'PATCH /api/posts/{post_id}',
    statuses: ownerOrAdmin(200),
    request: () => ({ payload: { title: 'Changed' } }),
  },
  { operation: 'DELETE /api/posts/{post_id}', statuses: ownerOrAdmin(204) },
  {
    operation: 'POST /api/posts/preview',
    statuses: signedIn(200),
    request: () => ({ payload: { content: '*Previewed*' } }),
  },
  {
    operation: 'PATCH /api/users/{user_id}',
    statuses: ownerOnly(200),
    request: () => ({ payload: { username: newAccount('renamed').username } }),
  },
  { operation: 'DELETE /api/users/{user_id}', statuses: ownerOrAdmin(204) },
  {
    operation: 'PATCH /api/users/{user_id}/picture',
    statuses: ownerOnly(200),
    send: async (world) => uploadPicture(world.app, world.owner.id, world.headers, await pngOf('#3a7')),
  },
  {
    operation: 'DELETE /api/users/{user_id}/picture',
    statuses: ownerOnly(200),
    setup: async ({ app, owner }) => {
      const response = await uploadPicture(app, owner.id, owner.headers, await pngOf('#a37'));
      expect(response.statusCode).toBe(200);
    },
  },
  {
    operation: 'POST /api/users/me/password',
    statuses: signedIn(204),
    request: ({ actor }) => ({
      payload: { current_password: actor?.password ?? 'no password', new_password: 'a new password, long enough' },
    }),
  },
  { operation: 'POST /api/users/logout', statuses: signedIn(204) },
  {
    operation: 'POST /api/users/me/2fa',
    statuses: signedIn(200),
    request: ({ actor }) => ({ payload: { current_password: actor?.password ?? 'no password' } }),
  },
  {
    operation: 'POST /api/users/me/2fa/confirm',
    statuses: signedIn(200),
    // A signed-in actor has begun an enrolment (a suspended one cannot: their token is dead).
    send: async ({ app, actor, headers }) => {
      const begun =
        actor &&
        (await app.inject({
          method: 'POST',
          url: '/api/users/me/2fa',
          headers,
          payload: { current_password: actor.password },
        }));
      const secret = begun?.statusCode === 200 ? begun.json<{ secret: string }>().secret : 'JBSWY3DPEHPK3PXP';
      const code = await oathtoolCode(secret, Date.now());
      return app.inject({ method: 'POST', url: '/api/users/me/2fa/confirm', headers, payload: { code } });
    },
  },
  {
    operation: 'DELETE /api/users/me/2fa',
    statuses: signedIn(204),
    send: async ({ app, actor, headers }) => {
      const signedInNow = actor && (await requestMe(app, headers)).statusCode === 200;
      const recoveryCode = signedInNow
        ? (await enableTwoFactor(app, actor, { now: Date.now })).recoveryCodes[0]
        : 'none';
      return app.inject({
        method: 'DELETE',
        url: '/api/users/me/2fa',
        headers,
        payload: { current_password: actor?.password ?? 'no password', code: recoveryCode ?? 'none' },
      });
    },
  },
  { operation: 'POST /api/admin/users/{user_id}/suspend', statuses: adminsOnly(200) },
  {
    operation: 'POST /api/admin/users/{user_id}/unsuspend',
    statuses: adminsOnly(200),
    // The target is suspended, except for the owner's own row: to be refused as a non-admin they must be signed in.
    setup: async ({ app, owner }, actor) => {
      if (actor !== 'owner' && actor !== 'suspended') await suspend(app, owner.id);
    },
  },
  {
    operation: 'POST /api/admin/invitations',
    statuses: adminsOnly(201),
    request: () => ({ payload: { email: newAccount('invited').email } }),
  },
  {
    operation: 'DELETE /api/admin/invitations/{invitation_id}',
    statuses: adminsOnly(204),
    setup: async (world) => {
      const response = await world.app.inject({
        method: 'POST',
        url: '/api/admin/invitations',
        headers: moderator.headers,
        payload: { email: newAccount('invited').email },
      });
      expect(response.statusCode, response.body).toBe(201);
      world.invitationId = response.json<{ id: number }>().id;
    },
  },
];

/**
 * Writes open to everyone by design (registering, logging in, password
 * resets), and so in no row; their own files test them.
 */
const PUBLIC_WRITES = [
  'POST /api/users',
  'POST /api/users/password-reset',
  'POST /api/users/password-reset/confirm',
  'POST /api/users/token',
];

async function makeWorld(endpoint: Endpoint, actor: Actor): Promise<World> {
  const { app } = await context();
  const owner = await signedInUser(app, 'owner');
  const post = await createPost(app, owner.headers, 'The owner’s post', 'Owned content');
  const base = { app, owner, post, invitationId: 0 };
  await endpoint.setup?.(base, actor);
  let account: SignedIn | undefined;
  if (actor === 'user') account = await signedInUser(app, 'other');
  if (actor === 'admin') account = await signedInAdmin(app);
  if (actor === 'owner' || actor === 'suspended') account = owner;
  if (actor === 'suspended') await suspend(app, owner.id);
  return { ...base, actor: account, headers: account?.headers ?? {} };
}

const urlOf = (path: string, world: World) =>
  path
    .replace('{post_id}', String(world.post.id))
    .replace('{user_id}', String(world.owner.id))
    .replace('{invitation_id}', String(world.invitationId));

/** What a refused request must leave as it was: the accounts, the owner's posts, the logs and the tokens. */
async function state(world: World) {
  const { db } = world.app;
  const ids = [world.owner.id, ...(world.actor ? [world.actor.id] : [])];
  const count = async (table: 'audit_log' | 'invitations' | 'revoked_tokens') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await db.selectFrom('users').selectAll().where('id', 'in', ids).orderBy('id').execute(),
    posts: await db.selectFrom('posts').selectAll().where('user_id', 'in', ids).orderBy('id').execute(),
    auditEntries: await count('audit_log'),
    // Not the token hash: the mail sender makes a new token when it sends an invitation's mail, in the background.
    invitations: await db
      .selectFrom('invitations')
      .select(['id', 'email', 'invited_by', 'expires_at', 'accepted_at', 'revoked_at'])
      .orderBy('id')
      .execute(),
    revokedTokens: await count('revoked_tokens'),
  };
}

beforeAll(async () => {
  moderator = await signedInAdmin((await context()).app, 'moderator');
});

describe('the authorization matrix: every write endpoint × every actor', () => {
  it('covers every write operation of /openapi.json: a row for each secured one, the rest public on purpose', async () => {
    const { app } = await context();
    const document = (await app.inject('/openapi.json')).json<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>();
    const writes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => !['get', 'head', 'options'].includes(method))
        .map(([method, operation]) => ({
          name: `${method.toUpperCase()} ${path}`,
          secured: !!operation.security?.length,
        })),
    );
    const secured = writes.filter((write) => write.secured).map((write) => write.name);
    expect(secured.sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.operation).sort());
    expect(
      writes
        .filter((write) => !write.secured)
        .map((write) => write.name)
        .sort(),
    ).toEqual(PUBLIC_WRITES);
  });

  for (const endpoint of ENDPOINTS) {
    const [method, path] = endpoint.operation.split(' ') as [InjectOptions['method'], string];
    describe(endpoint.operation, () => {
      for (const [actor, status] of Object.entries(endpoint.statuses) as [Actor, number][]) {
        it(`as ${ACTORS[actor]} → ${status}`, async () => {
          const world = await makeWorld(endpoint, actor);
          const url = urlOf(path, world);
          const before = status >= 400 ? await state(world) : undefined;
          const response = endpoint.send
            ? await endpoint.send(world)
            : await world.app.inject({ method, url, headers: world.headers, ...endpoint.request?.(world) });
          expect(response.statusCode, response.body).toBe(status);
          if (status >= 400) {
            expect(Object.keys(response.json<object>())).toEqual(['detail']);
            expect(await state(world)).toEqual(before);
          }
        });
      }
    });
  }
});

describe('the last admin in good standing stays (409)', () => {
  const closeAfter = useCleanups(afterEach);

  async function site() {
    const created = await createTestApp();
    closeAfter(() => created.close());
    return created.app;
  }

  const suspendAs = (app: App, actor: SignedIn, target: { id: number }) =>
    app.inject({ method: 'POST', url: `/api/admin/users/${target.id}/suspend`, headers: actor.headers });
  const deleteAs = (app: App, actor: SignedIn, target: { id: number }) =>
    app.inject({ method: 'DELETE', url: `/api/users/${target.id}`, headers: actor.headers });

  it('the only admin cannot delete their own account, nor suspend it', async () => {
    const app = await site();
    const admin = await signedInAdmin(app);

    const deleted = await deleteAs(app, admin, admin);
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json()).toEqual({ detail: 'The site must keep at least one admin' });
    const suspended = await suspendAs(app, admin, admin);
    expect(suspended.statusCode).toBe(400);
    expect(suspended.json()).toEqual({ detail: 'You cannot suspend your own account' });
    expect((await me(app, admin.headers)).role).toBe('admin');
  });

  it('with two admins, one can be suspended; the remaining one cannot be, nor delete itself', async () => {
    const app = await site();
    const first = await signedInAdmin(app, 'first');
    const second = await signedInAdmin(app, 'second');

    expect((await suspendAs(app, first, second)).statusCode).toBe(200);
    // The suspended admin's token is dead, and a suspended admin does not count as one.
    expect((await suspendAs(app, second, first)).statusCode).toBe(401);
    expect((await suspendAs(app, first, first)).statusCode).toBe(400);
    const deleted = await deleteAs(app, first, first);
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json()).toEqual({ detail: 'The site must keep at least one admin' });
    expect((await me(app, first.headers)).role).toBe('admin');
  });

  it('with two admins, one can delete the other, and then not itself', async () => {
    const app = await site();
    const first = await signedInAdmin(app, 'first');
    const second = await signedInAdmin(app, 'second');

    expect((await deleteAs(app, first, second)).statusCode).toBe(204);
    expect((await deleteAs(app, first, first)).statusCode).toBe(409);
  });

  it('two admins suspending each other at once: only one suspension goes through', async () => {
    const app = await site();
    const first = await signedInAdmin(app, 'first');
    const second = await signedInAdmin(app, 'second');

    const answers = await Promise.all([suspendAs(app, first, second), suspendAs(app, second, first)]);
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // The other is refused: 409 if it was past sign-in when the first committed, else 401 (its token died first).
    const refused = defined(answers.find((answer) => answer.statusCode !== 200));
    expect(refused.json()).toEqual(
      refused.statusCode === 409
        ? { detail: 'The site must keep at least one admin' }
        : { detail: 'Invalid or expired token' },
    );
    const standing = await Promise.all(
      [first, second].map(async (admin) => (await requestMe(app, admin.headers)).statusCode),
    );
    expect(standing.sort()).toEqual([200, 401]);
  });
});
