// The world the properties run in: one app, a victim with a post and a
// picture, an attacker with its own post, an author for the round trips, and
// tokens that name the victim but must not authenticate. The victim's data,
// as the API shows it and as the database holds it, is snapshot once and
// compared after every attack.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import type { App } from '../../../src/app.js';
import {
  createPost,
  pngOf,
  signedInUser,
  TEST_SECRET,
  type Headers,
  type SignedIn,
  type TestContext,
} from '../../helpers/index.js';
import { multipartBody } from './multipart.js';

export interface VictimState {
  api: Record<string, { status: number; body: string }>;
  rows: { user: unknown; posts: unknown[]; victimPost: unknown };
  picture: { file: string | null; sha256: string | null };
}

interface Forged {
  none: string;
  wrongKey: string;
  wrongAlg: string;
  expired: string;
}

export interface World {
  ctx: TestContext;
  app: App;
  victim: SignedIn;
  attacker: SignedIn;
  /** Writes the round-trip posts. */
  author: SignedIn;
  /** The only token hostile logout requests may revoke. */
  sacrificial: SignedIn;
  victimPostId: number;
  attackerPostId: number;
  realPng: Buffer;
  forged: Forged;
  /** The victim's data before any property ran. */
  snapshot: VictimState;
}

let current: World | undefined;

/** The world, once buildWorld has made it. */
export function world(): World {
  if (!current) throw new Error('the hostile-input world is not built yet (buildWorld in beforeAll)');
  return current;
}

/** Stands for the victim's id inside a drawn body; replaced when the body is serialised. */
export const VICTIM_ID = Object.freeze({ toJSON: () => world().victim.id, [fc.toStringMethod]: () => '<victim id>' });

export type Ref = 'victim' | 'attacker' | 'victimPost' | 'attackerPost';

export function idOf(ref: Ref): number {
  const { victim, attacker, victimPostId, attackerPostId } = world();
  switch (ref) {
    case 'victim':
      return victim.id;
    case 'attacker':
      return attacker.id;
    case 'victimPost':
      return victimPostId;
    case 'attackerPost':
      return attackerPostId;
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that name the victim but must not authenticate. */
async function forgeTokens(victimId: number): Promise<Forged> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: String(victimId), exp: now + 3_600, iat: now, jti: randomUUID(), ver: 0, token_version: 0 };
  const secret = new TextEncoder().encode(TEST_SECRET);
  return {
    none: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
    wrongKey: await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('not-the-secret-key-of-this-server-at-all')),
    wrongAlg: await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(secret),
    expired: await new SignJWT({ ...claims, exp: now - 120, iat: now - 4_000 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secret),
  };
}

type Actors = Omit<World, 'snapshot'>;

async function victimStateOf(w: Actors): Promise<VictimState> {
  const { app, victim, victimPostId } = w;
  const get = async (url: string, headers: Headers = {}) => {
    const response = await app.inject({ method: 'GET', url, headers });
    return { status: response.statusCode, body: response.body };
  };
  const api = {
    user: await get(`/api/users/${victim.id}`),
    // The victim's own token still works (no logout or password change was forced on it).
    me: await get('/api/users/me', victim.headers),
    post: await get(`/api/posts/${victimPostId}`),
    posts: await get(`/api/users/${victim.id}/posts?limit=100`),
  };
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', victim.id).executeTakeFirst();
  const posts = await app.db.selectFrom('posts').selectAll().where('user_id', '=', victim.id).orderBy('id').execute();
  const victimPost = await app.db.selectFrom('posts').selectAll().where('id', '=', victimPostId).executeTakeFirst();
  const file = user?.image_file ?? null;
  const picturePath = file ? path.join(w.ctx.dataDir, 'media', 'profile_pics', file) : null;
  const sha256 =
    picturePath && existsSync(picturePath)
      ? createHash('sha256').update(readFileSync(picturePath)).digest('hex')
      : null;
  return { api, rows: { user, posts, victimPost }, picture: { file, sha256 } };
}

/** Builds the world on this app (in beforeAll) and takes the victim's snapshot. */
export async function buildWorld(ctx: TestContext): Promise<World> {
  const { app } = ctx;
  const victim = await signedInUser(app, 'victim');
  const attacker = await signedInUser(app, 'attacker');
  const author = await signedInUser(app, 'author');
  const sacrificial = await signedInUser(app, 'sacrificial');
  const victimPostId = (await createPost(app, victim.headers, "The victim's title", "The victim's content")).id;
  const attackerPostId = (await createPost(app, attacker.headers, "The attacker's title", "The attacker's content")).id;

  const realPng = await pngOf('#336699', 40, 30);
  // The victim has a picture, so that removing or replacing it would show.
  const upload = await app.inject({
    method: 'PATCH',
    url: `/api/users/${victim.id}/picture`,
    headers: { ...victim.headers, 'content-type': 'multipart/form-data; boundary=SETUP' },
    payload: multipartBody('SETUP', [{ name: 'file', filename: 'me.png', type: 'image/png', bytes: realPng }], 'none'),
  });
  expect(upload.statusCode, upload.body).toBe(200);

  const forged = await forgeTokens(victim.id);
  const actors: Actors = {
    ctx,
    app,
    victim,
    attacker,
    author,
    sacrificial,
    victimPostId,
    attackerPostId,
    realPng,
    forged,
  };
  current = { ...actors, snapshot: await victimStateOf(actors) };
  return current;
}

/** The victim's data now. */
export const victimState = () => victimStateOf(world());

export async function expectVictimUnchanged(because: string) {
  const { snapshot } = world();
  const now = await victimState();
  expect(now.api, because).toEqual(snapshot.api);
  expect(now.rows, because).toEqual(snapshot.rows);
  expect(now.picture, because).toEqual(snapshot.picture);
}
