// `npm run backup` and `npm run restore` (docs/api.md, "Operations"): the
// real commands in child processes. A backup is taken while the site takes
// writes (posts written, pictures replaced) and restored into a new DATA_DIR:
// the database passes SQLite's integrity check, every post acknowledged
// before the backup began is there, every picture a user points at is there
// and whole, nothing half-written is, and the restored site serves it all.
// Refusals (a non-empty target, a damaged backup, PostgreSQL) write nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, type Manifest } from '../../src/cli/backup-manifest.js';
import {
  createPost,
  createTestApp,
  defined,
  pngOf,
  runCommand,
  type SignedIn,
  signedInUser,
  type TestContext,
  uploadPicture,
  useCleanups,
} from '../helpers/index.js';

const closeAfter = useCleanups();
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});
function tempDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'blog-backup-'));
  directories.push(directory);
  return directory;
}

const picturesOf = (dataDir: string) => path.join(dataDir, 'media', 'profile_pics');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let site: TestContext;
let writers: SignedIn[];
/** The backup the first test takes and the others try to restore. */
let backupDir: string;

beforeAll(async () => {
  site = await createTestApp();
  closeAfter(() => site.close());
  backupDir = path.join(tempDir(), 'backup');
  writers = [];
  for (let i = 0; i < 3; i++) {
    const writer = await signedInUser(site.app, `writer${i}`);
    expect((await uploadPicture(site.app, writer.id, writer.headers, await pngOf('#336699'))).statusCode).toBe(200);
    writers.push(writer);
  }
  for (let i = 0; i < 30; i++) await createPost(site.app, defined(writers[i % 3]).headers, `Before ${i}`, 'Kept.');
});

describe('a backup taken while the site takes writes', () => {
  it('restores into a new DATA_DIR whole: integrity, every acknowledged post and picture, nothing half-written', async () => {
    const acknowledged: { id: number; at: number }[] = [];
    const state = { writing: true };
    const colours = ['#aa0000', '#00aa00', '#0000aa', '#aaaa00'];
    const load = (async () => {
      for (let round = 0; state.writing; round++) {
        const writer = defined(writers[round % 3]);
        const post = await createPost(site.app, writer.headers, `During ${round}`, 'Written while copying.');
        acknowledged.push({ id: post.id, at: Date.now() });
        // A picture replaced: the old file is deleted once the new one is committed.
        const png = await pngOf(defined(colours[round % colours.length]));
        expect((await uploadPicture(site.app, writer.id, writer.headers, png)).statusCode).toBe(200);
      }
    })();
    while (acknowledged.length < 3) await new Promise((resolve) => setImmediate(resolve));
    const began = Date.now();
    const run = await runCommand('backup', [backupDir], site);
    state.writing = false;
    await load;
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^Backed up 3 users, \d+ posts and 3 pictures into /);

    const manifest = JSON.parse(readFileSync(path.join(backupDir, MANIFEST_FILE), 'utf8')) as Manifest;
    expect(manifest.counts).toMatchObject({ users: 3, pictures: 3 });
    expect(manifest.schema).toMatch(/^\d{4}_/);

    const restored = tempDir();
    const restoring = await runCommand('restore', [backupDir], { dataDir: restored });
    expect(restoring.stderr).toBe('');
    expect(restoring.status, restoring.stdout).toBe(0);

    const db = new SQLite(path.join(restored, 'blog.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set(db.prepare<[], number>('select id from posts').pluck().all());
      expect(ids.size).toBe(manifest.counts.posts);
      for (const { id, at } of acknowledged) if (at < began) expect(ids.has(id), `post ${id}`).toBe(true);
      const pointedAt = db
        .prepare<[], string>('select image_file from users where image_file is not null')
        .pluck()
        .all();
      expect(pointedAt).toHaveLength(3);
      for (const name of pointedAt) {
        const file = path.join(picturesOf(restored), name);
        expect(existsSync(file), name).toBe(true);
        expect(manifest.files.find((entry) => entry.path === `profile_pics/${name}`)?.sha256).toBe(sha256(file));
      }
    } finally {
      db.close();
    }
    const everything = readdirSync(restored, { recursive: true, encoding: 'utf8' });
    expect(everything.filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(readdirSync(picturesOf(restored))).toHaveLength(3);

    // The restored site serves its posts and its pictures.
    const copy = await createTestApp({ DATA_DIR: restored, DATABASE_URL: `sqlite:${path.join(restored, 'blog.db')}` });
    closeAfter(() => copy.close());
    const first = await copy.app.inject({ url: `/api/posts/${defined(acknowledged[0]).id}` });
    expect(first.statusCode).toBe(200);
    const author = await copy.app.inject({ url: `/api/users/${defined(writers[0]).id}` });
    const picture = await copy.app.inject({ url: author.json<{ image_path: string }>().image_path });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/jpeg');
  });

  it('refuses a target that is not empty, and a DATA_DIR that is not empty, writing nothing', async () => {
    const busy = tempDir();
    writeFileSync(path.join(busy, 'something'), 'x');
    const run = await runCommand('backup', [busy], site);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is not empty');
    expect(readdirSync(busy)).toEqual(['something']);

    const occupied = tempDir();
    writeFileSync(path.join(occupied, 'blog.db'), 'an existing site');
    const restoring = await runCommand('restore', [backupDir], { dataDir: occupied });
    expect(restoring.status).toBe(1);
    expect(restoring.stderr).toContain('is not empty');
    expect(readFileSync(path.join(occupied, 'blog.db'), 'utf8')).toBe('an existing site');
  });

  it('refuses a damaged or unfinished backup before writing anything', async () => {
    const damaged = path.join(tempDir(), 'damaged');
    expect((await runCommand('backup', [damaged], site)).status).toBe(0);
    const picture = defined(readdirSync(path.join(damaged, 'profile_pics'))[0]);
    const file = path.join(damaged, 'profile_pics', picture);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const target = tempDir();
    const restoring = await runCommand('restore', [damaged], { dataDir: target });
    expect(restoring.status).toBe(1);
    expect(restoring.stderr).toContain(`profile_pics/${picture} is damaged`);
    expect(readdirSync(target)).toEqual([]);

    rmSync(path.join(damaged, MANIFEST_FILE));
    const unfinished = await runCommand('restore', [damaged], { dataDir: target });
    expect(unfinished.status).toBe(1);
    expect(unfinished.stderr).toContain('not a finished backup');
    expect(readdirSync(target)).toEqual([]);
  });

  it('sends a PostgreSQL site to pg_dump', async () => {
    const run = await runCommand('backup', [path.join(tempDir(), 'pg')], {
      dataDir: tempDir(),
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('pg_dump');
  });
});
