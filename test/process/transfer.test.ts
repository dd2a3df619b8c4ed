// `npm run export` / `npm run import`: a seeded SQLite site is exported by the
// real CLI in a child process, imported into a fresh SQLite database (and, with
// TEST_DATABASE_URL, a fresh PostgreSQL schema), and the new site is checked
// through its API: same users, same posts byte for byte, working passwords,
// fresh ids after the imported ones, pictures served. Refusals write nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from '../../src/cli/transfer.js';
import { createDatabase } from '../../src/db/database.js';
import {
  bearer,
  createPost,
  createPostgresSchema,
  createTestApp,
  defined,
  login,
  oathtoolCode,
  me,
  register,
  requestToken,
  signedInAdmin,
  signedInUser,
  runCommand,
  useCleanups,
  type TestContext,
} from '../helpers/index.js';

const temporaryDirectories: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'blog-transfer-'));
  temporaryDirectories.push(dir);
  return dir;
}

const runCli = (script: 'export' | 'import', args: string[], site: { dataDir: string; databaseUrl?: string }) =>
  runCommand(script, args, site);

const mediaDir = (dataDir: string) => path.join(dataDir, 'media', 'profile_pics');

/** Every page of GET /api/posts, as the raw response bodies. */
async function allPostPages(context: TestContext): Promise<string[]> {
  const bodies: string[] = [];
  for (let skip = 0; ; skip += 100) {
    const response = await context.app.inject({ url: `/api/posts?skip=${skip}&limit=100` });
    expect(response.statusCode).toBe(200);
    bodies.push(response.body);
    if (!response.json<{ has_more: boolean }>().has_more) return bodies;
  }
}

async function countRows(databaseUrl: string) {
  const db = createDatabase(databaseUrl, { poolSize: 1 });
  try {
    const count = async (table: 'users' | 'posts') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { users: await count('users'), posts: await count('posts') };
  } finally {
    await db.destroy();
  }
}

// --- The source site ---

const ALICE = {
  username: 'Zoë 😀 Łukasz 中文 ‮rtl',
  email: 'Zoe.Unicode@Example.com',
  password: 'pässwörd 🔑 long enough',
};
const BOB = { username: 'bob <b>&amp;</b>', email: 'bob@example.com', password: 'first password' };
const BOB_NEW_PASSWORD = 'second password, changed';
const CAROL = { username: 'carol', email: 'carol@example.com', password: 'carol password' };
const BULK_POSTS = 1100; // more than one export read batch (1000) and two import write batches (500)

let source: TestContext;
let exportFile: string;
let exported: ExportFile;
let alice: { id: number };
let bob: { id: number };
let carolId: number;
let longPostId: number;
let maxUserId: number;
let maxPostId: number;
let pictureBytes: Buffer;
let bobTwoFactor: { secret: string; recoveryCodes: string[] };
let targetsChecked = 0;

const closeAfter = useCleanups();
closeAfter(() => {
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  source = await createTestApp();
  closeAfter(() => source.close());
  expect(source.config.databaseUrl).toMatch(/^sqlite:/);
  const { app } = source;

  alice = await register(app, ALICE);
  bob = await register(app, BOB);
  const carol = await register(app, CAROL);
  carolId = carol.id;

  // A picture (stored as a processed JPEG), a changed password (token_version 1), and a deleted user (an id gap).
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c03' } })
    .png()
    .toBuffer();
  const aliceUser = defined(await app.repositories.users.findById(alice.id));
  const withPicture = await app.services.profilePictures.set(aliceUser, alice.id, png);
  pictureBytes = readFileSync(path.join(mediaDir(source.dataDir), defined(withPicture.image_file)));
  const bobUser = defined(await app.repositories.users.findById(bob.id));
  await app.services.authentication.changePassword(bobUser, BOB.password, BOB_NEW_PASSWORD);
  await app.repositories.users.delete(carolId);

  const aliceHeaders = { authorization: `Bearer ${await login(app, ALICE.email, ALICE.password)}` };
  const bobHeaders = { authorization: `Bearer ${await login(app, BOB.email, BOB_NEW_PASSWORD)}` };
  await createPost(
    app,
    aliceHeaders,
    '<script>alert("x")</script> & \'quotes\'',
    '<img src=x onerror=alert(1)>\n<p>Ünïcödé</p>',
  );
  const edited = await createPost(
    app,
    bobHeaders,
    '日本語 — émoji 🎉 \\ "backslash"',
    'tabs\tand\r\nCRLF and  spaces  ',
  );
  await app.inject({
    method: 'PATCH',
    url: `/api/posts/${edited.id}`,
    headers: bobHeaders,
    payload: { title: '日本語 ✎' },
  });
  const unit = '<p>Ünïcödé 😀 &amp; "q" \\ </p>\n';
  const longContent = Array.from(unit.repeat(Math.ceil(100_000 / Array.from(unit).length)))
    .slice(0, 100_000)
    .join('');
  longPostId = (await createPost(app, aliceHeaders, 'A long one', longContent)).id;
  const doomed = await createPost(app, bobHeaders, 'Deleted later', 'gone');

  // Bulk posts straight into the table: dates with milliseconds, some shared (ties are broken by id).
  const base = Date.parse('2021-03-04T05:06:07.089Z');
  const rows = Array.from({ length: BULK_POSTS }, (_, i) => ({
    title: `Bulk ${i} ✓`,
    content: `Body ${i}: ${'x'.repeat(i % 50)}`,
    user_id: i % 3 === 0 ? bob.id : alice.id,
    date_posted: new Date(base + Math.floor(i / 3) * 1_234).toISOString(),
    // A few drafts: they travel too, and stay out of the public pages.
    status: i % 100 === 7 ? ('draft' as const) : ('published' as const),
  }));
  for (let i = 0; i < rows.length; i += 200)
    await app.db
      .insertInto('posts')
      .values(rows.slice(i, i + 200))
      .execute();
  await app.repositories.posts.delete(doomed.id);

  maxUserId = Math.max(alice.id, bob.id, carolId);
  maxPostId = (
    await app.db
      .selectFrom('posts')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirstOrThrow()
  ).max;

  // Bob turns on two-factor sign-in: it travels sealed, with his recovery codes.
  const bobNow = defined(await app.repositories.users.findById(bob.id));
  const { secret } = await app.services.twoFactor.begin(bobNow, BOB_NEW_PASSWORD);
  bobTwoFactor = { secret, ...(await app.services.twoFactor.confirm(bobNow, await oathtoolCode(secret, Date.now()))) };

  exportFile = path.join(tempDir(), 'backup.json');
  const run = await runCli('export', [exportFile], { dataDir: source.dataDir, databaseUrl: source.config.databaseUrl });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`Exported 2 user(s) and ${BULK_POSTS + 3} post(s)`);
  exported = JSON.parse(readFileSync(exportFile, 'utf8')) as ExportFile;
}, 120_000);

/** The checks every imported site must pass, against the source site. */
async function expectSameSite(target: TestContext) {
  const { app } = target;

  // Users: the same public records (the picture name included); the deleted id stays unused.
  for (const id of [alice.id, bob.id, carolId]) {
    const [before, after] = await Promise.all([
      source.app.inject({ url: `/api/users/${id}` }),
      app.inject({ url: `/api/users/${id}` }),
    ]);
    expect(after.statusCode).toBe(before.statusCode);
    expect(after.body).toBe(before.body);
  }
  expect((await app.inject({ url: `/api/users/${carolId}` })).statusCode).toBe(404);

  // Posts: every page byte-identical (titles, content, dates, order, authors).
  const [sourcePages, targetPages] = await Promise.all([allPostPages(source), allPostPages(target)]);
  expect(targetPages.length).toBe(Math.ceil((BULK_POSTS + 3 - BULK_POSTS / 100) / 100));
  expect(targetPages).toEqual(sourcePages);
  // Drafts and edit times came along.
  const statuses = (context: TestContext) =>
    context.app.db.selectFrom('posts').select(['id', 'status', 'updated_at']).orderBy('id').execute();
  const [sourceStatuses, targetStatuses] = await Promise.all([statuses(source), statuses(target)]);
  const normalised = (rows: typeof sourceStatuses) =>
    rows.map((row) => ({ ...row, updated_at: row.updated_at && new Date(row.updated_at).toISOString() }));
  expect(normalised(targetStatuses)).toEqual(normalised(sourceStatuses));
  expect(targetStatuses.filter((row) => row.status === 'draft')).toHaveLength(BULK_POSTS / 100);
  expect(targetStatuses.filter((row) => row.updated_at !== null)).toHaveLength(1);
  const longPost = await app.inject({ url: `/api/posts/${longPostId}` });
  expect(Array.from(longPost.json<{ content: string }>().content).length).toBe(100_000);
  expect(longPost.body).toBe((await source.app.inject({ url: `/api/posts/${longPostId}` })).body);
  // The excerpt is derived, not in the file: the new site makes it again from the content, the same.
  expect(exported.posts.some((post) => 'excerpt' in post)).toBe(false);
  expect(longPost.json<{ excerpt: string }>().excerpt).toMatch(/^\S.{200,}…$/);

  // The original passwords work (Bob's changed one, not his first), and token_version came along.
  const aliceToken = await login(app, ALICE.email, ALICE.password);
  // Bob's two-factor sign-in came along: a code is required, his app's next code and a recovery code work, each once.
  expect((await requestToken(app, BOB.email, BOB_NEW_PASSWORD)).json()).toEqual({ detail: 'Two-factor code required' });
  const nextCode = await oathtoolCode(bobTwoFactor.secret, Date.now() + 30_000);
  expect((await requestToken(app, BOB.email, BOB_NEW_PASSWORD, nextCode)).statusCode).toBe(200);
  const recoveryCode = defined(bobTwoFactor.recoveryCodes[targetsChecked++]);
  expect((await requestToken(app, BOB.email, BOB_NEW_PASSWORD, recoveryCode)).statusCode).toBe(200);
  expect((await requestToken(app, BOB.email, BOB_NEW_PASSWORD, recoveryCode)).statusCode).toBe(401);
  const oldPassword = await app.inject({
    method: 'POST',
    url: '/api/users/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: BOB.email, password: BOB.password }).toString(),
  });
  expect(oldPassword.statusCode).toBe(401);
  expect((await app.repositories.users.findById(bob.id))?.token_version).toBe(1);

  // The picture is served from the target's media directory, byte for byte.
  const imagePath = (await app.inject({ url: `/api/users/${alice.id}` })).json<{ image_path: string }>().image_path;
  expect(imagePath).toMatch(/^\/media\/profile_pics\/[0-9a-f]{32}\.jpg$/);
  const picture = await app.inject({ url: imagePath });
  expect(picture.statusCode).toBe(200);
  expect(picture.rawPayload.equals(pictureBytes)).toBe(true);

  // New rows get ids after every imported one (the PostgreSQL sequences were reset).
  const post = await createPost(app, { authorization: `Bearer ${aliceToken}` }, 'After the move', 'Fresh id');
  expect(post.id).toBeGreaterThan(maxPostId);
  const newcomer = await register(app, {
    username: 'newcomer',
    email: 'newcomer@example.com',
    password: 'newcomer password',
  });
  expect(newcomer.id).toBeGreaterThan(maxUserId);
}

describe('npm run export', () => {
  it('writes the format version, the export time and every user and post column, ordered by id', async () => {
    expect(Object.keys(exported)).toEqual(['format', 'version', 'exported_at', 'last_ids', 'users', 'posts']);
    // The deleted user's id counts: the target must never hand it out again.
    expect(exported.last_ids).toEqual({ users: carolId, posts: maxPostId });
    expect(exported.format).toBe(EXPORT_FORMAT);
    expect(exported.version).toBe(EXPORT_VERSION);
    expect(Date.now() - Date.parse(exported.exported_at)).toBeLessThan(120_000);

    const dbUsers = await source.app.db.selectFrom('users').selectAll().orderBy('id').execute();
    expect(exported.users).toEqual(
      dbUsers.map(({ two_factor_enabled_at, ...row }) => ({
        ...row,
        created_at: new Date(row.created_at).toISOString(),
        suspended_at: row.suspended_at === null ? null : new Date(Number(row.suspended_at)).toISOString(),
        ...(two_factor_enabled_at !== null && {
          two_factor: {
            enabled_at: new Date(Number(two_factor_enabled_at)).toISOString(),
            secret_sealed: expect.stringMatching(/^v1\./) as string,
            last_used_step: expect.any(Number) as number,
            recovery_codes: expect.any(Array) as unknown[],
          },
        }),
      })),
    );
    // The secret is in the file only sealed, the recovery codes only as hashes.
    const bobExported = defined(exported.users.find((user) => user.id === bob.id)?.two_factor);
    const fileText = readFileSync(exportFile, 'utf8');
    expect(fileText).not.toContain(bobTwoFactor.secret);
    for (const code of bobTwoFactor.recoveryCodes) expect(fileText).not.toContain(code.replace(/-/g, ''));
    expect(bobExported.recovery_codes).toHaveLength(10);
    for (const code of bobExported.recovery_codes)
      expect(code).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string, used_at: null });
    expect(exported.users.map((user) => user.id)).toEqual([alice.id, bob.id]);
    const bobRow = defined(exported.users.find((user) => user.id === bob.id));
    expect(bobRow.password_hash).toMatch(/^\$argon2id\$/);
    expect(bobRow.token_version).toBe(1);
    expect(defined(exported.users[0]).username).toBe(ALICE.username);
    expect(defined(exported.users[0]).image_file).toMatch(/^[0-9a-f]{32}\.jpg$/);

    const ids = exported.posts.map((post) => post.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(exported.posts).toHaveLength(BULK_POSTS + 3);
    for (const post of exported.posts) expect(post.date_posted).toBe(new Date(post.date_posted).toISOString());
  });

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const file = path.join(tempDir(), 'taken.json');
    writeFileSync(file, 'keep me');
    const site = { dataDir: source.dataDir, databaseUrl: source.config.databaseUrl };

    const refused = await runCli('export', [file], site);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists; pass --force to overwrite it');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(readdirSync(path.dirname(file))).toEqual(['taken.json']); // no partial file left behind

    const forced = await runCli('export', [file, '--force'], site);
    expect(forced.status).toBe(0);
    const replaced = JSON.parse(readFileSync(file, 'utf8')) as ExportFile;
    expect(replaced.posts).toEqual(exported.posts);
  });

  it('refuses a DATA_DIR without a database instead of exporting an empty site', async () => {
    const empty = tempDir();
    const run = await runCli('export', [path.join(tempDir(), 'out.json')], { dataDir: empty });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no SQLite database at');
    expect(existsSync(path.join(empty, 'blog.db'))).toBe(false);
  });
});

describe('npm run import', () => {
  it('moves the site into a fresh SQLite database, pictures included', async () => {
    const dataDir = tempDir();
    const run = await runCli('import', [exportFile, '--pictures-from', mediaDir(source.dataDir)], { dataDir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Imported 2 user(s) and ${BULK_POSTS + 3} post(s)`);
    expect(run.stdout).toContain('Copied 1 picture file(s)');

    const target = await createTestApp({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      expect(target.config.databaseUrl).toBe(`sqlite:${path.join(dataDir, 'blog.db')}`);
      await expectSameSite(target);
    } finally {
      await target.close();
    }

    // A second import into the now non-empty database is refused and changes nothing.
    const before = await countRows(`sqlite:${path.join(dataDir, 'blog.db')}`);
    const again = await runCli('import', [exportFile], { dataDir });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has users or posts');
    expect(await countRows(`sqlite:${path.join(dataDir, 'blog.db')}`)).toEqual(before);
  }, 120_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'moves the site into a fresh PostgreSQL schema (TEST_DATABASE_URL), sequences reset',
    async () => {
      const schema = await createPostgresSchema();
      const dataDir = tempDir();
      try {
        const run = await runCli('import', [exportFile, '--pictures-from', mediaDir(source.dataDir)], {
          dataDir,
          databaseUrl: schema.url,
        });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);

        const target = await createTestApp({ DATA_DIR: dataDir, DATABASE_URL: schema.url });
        try {
          expect(target.config.databaseUrl).toMatch(/^postgres/);
          await expectSameSite(target);
        } finally {
          await target.close();
        }

        const before = await countRows(schema.url);
        const again = await runCli('import', [exportFile], { dataDir, databaseUrl: schema.url });
        expect(again.status).toBe(1);
        expect(again.stderr).toContain('already has users or posts');
        expect(await countRows(schema.url)).toEqual(before);

        // And back: PostgreSQL exports the same rows SQLite did.
        const roundTrip = path.join(tempDir(), 'from-postgres.json');
        expect((await runCli('export', [roundTrip], { dataDir, databaseUrl: schema.url })).status).toBe(0);
        const fromPostgres = JSON.parse(readFileSync(roundTrip, 'utf8')) as ExportFile;
        // But for what the checks above used up: Bob's newest code step and one recovery code.
        const unused = (users: ExportFile['users']) =>
          users.map(({ two_factor: twoFactor, ...user }) => ({
            ...user,
            recoveryCodes: twoFactor?.recovery_codes.map((code) => code.hash),
            secret: twoFactor?.secret_sealed,
          }));
        const roundTripped = fromPostgres.users.filter((user) => user.id <= maxUserId);
        expect(unused(roundTripped)).toEqual(unused(exported.users));
        const bobAfter = defined(roundTripped.find((user) => user.id === bob.id)?.two_factor);
        expect(bobAfter.recovery_codes.filter((code) => code.used_at !== null)).toHaveLength(1);
        expect(fromPostgres.posts.filter((post) => post.id <= maxPostId)).toEqual(exported.posts);
        expect(fromPostgres.last_ids.users).toBeGreaterThan(maxUserId);
        expect(fromPostgres.last_ids.posts).toBeGreaterThan(maxPostId);
      } finally {
        await schema.drop();
      }
    },
    120_000,
  );

  it('keeps roles and suspensions: the admin stays one, the suspended user stays out with their posts held back', async () => {
    const site = await createTestApp();
    closeAfter(() => site.close());
    const admin = await signedInAdmin(site.app);
    const spammer = await signedInUser(site.app, 'spammer');
    const spam = await createPost(site.app, spammer.headers, 'Spam', 'Spam');
    await site.app.services.moderation.suspend(
      defined(await site.app.repositories.users.findById(admin.id)),
      spammer.id,
    );
    const file = path.join(tempDir(), 'moderated.json');
    expect(
      (await runCli('export', [file], { dataDir: site.dataDir, databaseUrl: site.config.databaseUrl })).status,
    ).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as ExportFile;
    expect(written.users.map(({ role, suspended_at }) => ({ role, suspended: suspended_at !== null }))).toEqual([
      { role: 'admin', suspended: false },
      { role: 'user', suspended: true },
    ]);

    const dataDir = tempDir();
    expect((await runCli('import', [file], { dataDir })).status).toBe(0);
    const target = await createTestApp({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      const { app } = target;
      const adminToken = await login(app, admin.email, admin.password);
      expect((await me(app, bearer(adminToken))).role).toBe('admin');
      expect((await app.inject({ url: `/api/posts/${spam.id}` })).statusCode).toBe(404);
      expect((await app.inject({ url: '/api/posts' })).json<{ total: number }>().total).toBe(0);
      const seen = await app.inject({ url: `/api/posts/${spam.id}`, headers: bearer(adminToken) });
      expect(seen.json<{ withheld?: boolean }>().withheld).toBe(true);
      const refused = await app.inject({
        method: 'POST',
        url: '/api/users/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: spammer.email, password: spammer.password }).toString(),
      });
      expect(refused.statusCode).toBe(403);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses an existing site with users or posts, and changes nothing there', async () => {
    const before = await allPostPages(source);
    const run = await runCli('import', [exportFile], {
      dataDir: source.dataDir,
      databaseUrl: source.config.databaseUrl,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Import failed: the target database already has users or posts');
    expect(await allPostPages(source)).toEqual(before);
  });

  it('reminds that pictures must be copied when --pictures-from is not given', async () => {
    const dataDir = tempDir();
    const run = await runCli('import', [exportFile], { dataDir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Reminder: 1 user(s) have a profile picture');
    expect(run.stdout).toContain(mediaDir(dataDir));
  });

  const text = () => readFileSync(exportFile, 'utf8');
  /** An export file as parsed JSON, to be broken on purpose. */
  interface EditableExport {
    version: number;
    last_ids?: unknown;
    users: Record<string, unknown>[];
    posts?: Record<string, unknown>[];
  }
  const nth = <T>(rows: T[] | undefined, i: number): T => defined(defined(rows)[i]);
  const withChange = (change: (file: EditableExport) => void) => () => {
    const file = JSON.parse(text()) as EditableExport;
    change(file);
    return JSON.stringify(file);
  };
  const invalidFiles: [string, () => string, RegExp][] = [
    ['a truncated file', () => text().slice(0, Math.floor(text().length / 2)), /is not valid JSON .*cut short/],
    ['not an export', () => JSON.stringify({ hello: 'world' }), /"format" must be "fastblog-export"/],
    [
      'a newer format version',
      withChange((file) => (file.version = EXPORT_VERSION + 1)),
      /"version" is 5; this version of the blog reads versions 1, 2, 3 and 4/,
    ],
    ['missing last ids', withChange((file) => delete file.last_ids), /"last_ids" is not an object/],
    ['a missing posts list', withChange((file) => delete file.posts), /"posts" is not an array/],
    [
      'a post by a user not in the file',
      withChange((file) => (nth(file.posts, 5).user_id = 999)),
      /posts\[5\]\.user_id refers to user 999/,
    ],
    [
      'a bad timestamp',
      withChange((file) => (nth(file.users, 1).created_at = 'yesterday')),
      /users\[1\]\.created_at is not an ISO 8601 timestamp/,
    ],
    [
      'duplicate post ids',
      withChange((file) => (nth(file.posts, 7).id = nth(file.posts, 6).id)),
      /posts\[7\]\.id is not greater/,
    ],
    [
      'a NUL in a title',
      withChange((file) => (nth(file.posts, 0).title = 'a\u0000b')),
      /posts\[0\]\.title contains a NUL/,
    ],
    [
      'an over-long username',
      withChange((file) => (nth(file.users, 0).username = 'u'.repeat(51))),
      /users\[0\]\.username must be 1 to 50/,
    ],
  ];
  for (const [name, content, message] of invalidFiles) {
    it(`refuses ${name} before writing anything`, async () => {
      const file = path.join(tempDir(), 'bad.json');
      writeFileSync(file, content());
      const dataDir = tempDir();
      const run = await runCli('import', [file], { dataDir });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
      expect(readdirSync(dataDir)).toEqual([]); // no database file, no media directory, nothing
    });
  }

  it('refuses when a referenced picture is missing from --pictures-from, before writing anything', async () => {
    const dataDir = tempDir();
    const run = await runCli('import', [exportFile, '--pictures-from', tempDir()], { dataDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1 picture(s) the users point at are not in');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('is all or nothing: a conflict in a later batch rolls back every row and the copied pictures', async () => {
    // 600 users (two insert batches) whose last one repeats an email in another case.
    const file = JSON.parse(text()) as ExportFile;
    const [first] = file.users;
    const users = Array.from({ length: 600 }, (_, i) => ({
      ...defined(first),
      id: i + 1,
      username: `user${i}`,
      email: i === 599 ? 'USER0@example.com' : `user${i}@example.com`,
      image_file: i === 0 ? defined(first).image_file : null,
    }));
    const posts = file.posts.slice(0, 3).map((post) => ({ ...post, user_id: 1 }));
    const bad = path.join(tempDir(), 'conflict.json');
    writeFileSync(bad, JSON.stringify({ ...file, users, posts }));

    const dataDir = tempDir();
    const run = await runCli('import', [bad, '--pictures-from', mediaDir(source.dataDir)], { dataDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/unique index users_email_lower_key.*nothing was imported/);
    expect(await countRows(`sqlite:${path.join(dataDir, 'blog.db')}`)).toEqual({ users: 0, posts: 0 });
    expect(readdirSync(mediaDir(dataDir)).filter((name) => name.endsWith('.jpg'))).toEqual([]);
  });

  it('refuses unknown options and a missing file name with the usage line', async () => {
    const dataDir = tempDir();
    const unknown = await runCli('import', [exportFile, '--merge'], { dataDir });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown option --merge');
    const missing = await runCli('import', [], { dataDir });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Usage: npm run import -- <file.json>');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
