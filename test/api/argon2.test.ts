// Argon2 parameters are settings (ARGON2_*): the site's defaults are RFC 9106's
// second recommendation (64 MiB, 3 passes, 4 lanes), and a hash made with
// other parameters, by an earlier release or another setting, is made again
// at its account's next successful login. The settings' validation:
// test/unit/config.test.ts.
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/heavy-work/passwords.js';
import { bearer, login, register, requestToken, useTestApp } from '../helpers/index.js';

/** The site's defaults, spelt out: the other tests run cheaper ones (TEST_ARGON2). */
const context = useTestApp({ ARGON2_MEMORY_KIB: '65536', ARGON2_TIME_COST: '3', ARGON2_PARALLELISM: '4' });
const appOf = async () => (await context()).app;

/** What release 1 stored: OWASP's 19 MiB, 2 passes, 1 lane. */
const olderHasher = createPasswordHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const OLDER = { m: 19456, t: 2, p: 1 };
const CURRENT = { m: 65536, t: 3, p: 4 };

/** The parameters a PHC string names (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`, in any order). */
function parametersOf(hash: string): { m: number; t: number; p: number } | undefined {
  const [, variant, , params] = hash.split('$');
  if (variant !== 'argon2id' || !params) return undefined;
  const values = new Map(params.split(',').map((pair) => pair.split('=') as [string, string]));
  return { m: Number(values.get('m')), t: Number(values.get('t')), p: Number(values.get('p')) };
}

async function storedHash(email: string): Promise<string> {
  const app = await appOf();
  const row = await app.db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

async function withOlderHash(email: string, password: string): Promise<void> {
  const app = await appOf();
  const passwordHash = await olderHasher.hash(password);
  await app.db.updateTable('users').set({ password_hash: passwordHash }).where('email', '=', email).execute();
  expect(parametersOf(await storedHash(email))).toEqual(OLDER);
}

describe('Argon2 parameters', () => {
  it('hashes a new password with the settings', async () => {
    const app = await appOf();
    const user = await register(app);
    expect(parametersOf(await storedHash(user.email))).toEqual(CURRENT);
  });

  it('upgrades an older hash at the next successful login, and tokens issued before it go on', async () => {
    const app = await appOf();
    const user = await register(app);
    const earlier = await login(app, user.email, user.password);
    await withOlderHash(user.email, user.password);
    const older = await storedHash(user.email);

    // A wrong password proves nothing: the hash stays.
    expect((await requestToken(app, user.email, 'not the password at all')).statusCode).toBe(401);
    expect(await storedHash(user.email)).toBe(older);

    await login(app, user.email, user.password);
    const upgraded = await storedHash(user.email);
    expect(parametersOf(upgraded)).toEqual(CURRENT);
    const me = await app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(earlier) });
    expect(me.statusCode).toBe(200);

    // Made once: the next login keeps it, and the password still works.
    await login(app, user.email, user.password);
    expect(await storedHash(user.email)).toBe(upgraded);
  });

  it('replaces a hash only while it is still the one that was checked', async () => {
    const app = await appOf();
    const user = await register(app);
    const current = await storedHash(user.email);
    const stale = await olderHasher.hash(user.password);
    expect(await app.repositories.users.replacePasswordHash(user.id, stale, 'would overwrite')).toBeUndefined();
    expect(await storedHash(user.email)).toBe(current);
  });
});
