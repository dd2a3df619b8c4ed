// `npm run backup -- <dir>`: a consistent copy of the site (DATA_DIR and
// DATABASE_URL as the server reads them) into a new or empty directory,
// while the server keeps taking writes. Restored by `npm run restore`.
//
// - The database is copied by SQLite's online backup API (better-sqlite3) in
//   one step: one read transaction, so the copy is the database as it was at
//   one moment; in WAL mode the server's writes neither wait for it nor make
//   it start over.
// - Then the pictures that copy points at are copied from the live
//   directory. A user may replace a picture in between (the old file is
//   deleted once the new one is committed): then the database is copied
//   again, until every picture it points at was found. Pictures no one points
//   at (being uploaded, or waiting for the sweep) are left out.
// - The secret key the server generated, if it did (it seals the two-factor
//   secrets and signs the sessions), is copied too, readable by its owner only.
// - manifest.json, written last, lists every file with its size and SHA-256.
//
// PostgreSQL sites use pg_dump, and an S3 bucket keeps its own copies (README,
// "Backups"); with S3 this copies the database and the key only.
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfigOrExit } from '../config/index.js';
import { isPostgresUrl, sqliteFileOf } from '../db/url.js';
import { localPictureDirectory } from '../storage/local-picture-store.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  DATABASE_FILE,
  isEmptyDirectory,
  MANIFEST_FILE,
  PICTURES_DIRECTORY,
  SECRET_KEY_FILE,
  sha256Of,
  type Manifest,
  type ManifestEntry,
} from './backup-manifest.js';
import { parseArguments } from './transfer.js';

const USAGE = 'Usage: npm run backup -- <directory>';
/** Copies of the database made before giving up on a site whose pictures change faster than it copies. */
const MAX_ATTEMPTS = 5;
/** Pages per backup step: all of them, so the copy is one read transaction. */
const ALL_PAGES = 0x7fffffff;

/** What the copied database holds, read from the copy itself. */
function describeCopy(file: string) {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    // One self-contained file: no -wal or -shm beside it (the server turns WAL on again when it opens it).
    copy.pragma('journal_mode = DELETE');
    const pictures = copy
      .prepare<[], string>('select image_file from users where image_file is not null')
      .pluck()
      .all();
    const count = (table: string) => copy.prepare<[], number>(`select count(*) from ${table}`).pluck().get() ?? 0;
    const schema =
      copy.prepare<[], string>('select name from kysely_migration order by name desc limit 1').pluck().get() ?? null;
    return { pictures, schema, counts: { users: count('users'), posts: count('posts'), pictures: pictures.length } };
  } finally {
    copy.close();
  }
}

/** Copies every named picture not copied yet; the names of those that are gone. */
async function copyPictures(from: string, to: string, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    try {
      await copyFile(path.join(from, name), path.join(to, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(name);
    }
  }
  return missing;
}

async function entryOf(directory: string, relative: string): Promise<ManifestEntry> {
  const file = path.join(directory, relative);
  return { path: relative, bytes: (await stat(file)).size, sha256: await sha256Of(file) };
}

async function backup(target: string): Promise<Manifest> {
  if (!(await isEmptyDirectory(target))) throw new BackupError(`${target} is not empty: back up into a new directory`);
  const config = loadConfigOrExit();
  if (isPostgresUrl(config.databaseUrl))
    throw new BackupError('DATABASE_URL is a PostgreSQL database: back it up with pg_dump (README, "Backups")');
  const source = new SQLite(sqliteFileOf(config.databaseUrl), { fileMustExist: true });
  source.pragma('busy_timeout = 5000');
  const livePictures = config.s3 ? undefined : localPictureDirectory(config.dataDir);
  const copiedPictures = path.join(target, PICTURES_DIRECTORY);
  const databaseCopy = path.join(target, DATABASE_FILE);
  await mkdir(copiedPictures, { recursive: true });
  try {
    for (let attempt = 1; ; attempt++) {
      await source.backup(databaseCopy, { progress: () => ALL_PAGES });
      const described = describeCopy(databaseCopy);
      const missing = livePictures ? await copyPictures(livePictures, copiedPictures, described.pictures) : [];
      if (missing.length === 0) {
        const files = [await entryOf(target, DATABASE_FILE)];
        for (const name of livePictures ? described.pictures : [])
          files.push(await entryOf(target, `${PICTURES_DIRECTORY}/${name}`));
        const secret = path.join(config.dataDir, SECRET_KEY_FILE);
        if (await stat(secret).catch(() => undefined)) {
          await copyFile(secret, path.join(target, SECRET_KEY_FILE));
          files.push(await entryOf(target, SECRET_KEY_FILE));
        }
        const manifest: Manifest = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          created_at: new Date().toISOString(),
          schema: described.schema,
          counts: described.counts,
          files,
        };
        await writeFile(path.join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
        return manifest;
      }
      if (attempt === MAX_ATTEMPTS)
        throw new BackupError(`pictures kept changing while they were copied (${missing.length} gone); try again`);
      await rm(databaseCopy, { force: true });
    }
  } finally {
    source.close();
  }
}

async function main(argv: string[]) {
  const { positional } = parseArguments(argv, { flags: [] });
  const [directory] = positional;
  if (directory === undefined || positional.length !== 1) throw new BackupError(USAGE);
  const target = path.resolve(directory);
  const started = Date.now();
  const manifest = await backup(target);
  const { users, posts, pictures } = manifest.counts;
  console.log(
    `Backed up ${users} users, ${posts} posts and ${pictures} pictures into ${target} in ${Date.now() - started} ms.`,
  );
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
