// `npm run restore -- <dir>`: loads a backup made by `npm run backup` into
// an empty DATA_DIR (a new site: it refuses one that holds anything). Every
// file is checked against the manifest before anything is written; files
// are written under temporary names and the database is moved into place
// last, so an interrupted restore leaves no site that looks whole.
//
// The configuration is read without the rest of the server's start-up (which
// would generate a secret key into DATA_DIR and make it non-empty).
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { environmentWithDotEnv } from '../config/index.js';
import { readDatabaseUrl, readDataDir } from '../config/storage.js';
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
} from './backup-manifest.js';
import { parseArguments } from './transfer.js';

const USAGE = 'Usage: npm run restore -- <backup directory>';
const SAFE_PATH = new RegExp(`^(?:${DATABASE_FILE}|${SECRET_KEY_FILE}|${PICTURES_DIRECTORY}/[\\w.-]+)$`);

async function readManifest(source: string): Promise<Manifest> {
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await readFile(path.join(source, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
  } catch {
    throw new BackupError(`${source} has no readable ${MANIFEST_FILE}: not a finished backup`);
  }
  const { format, version, files } = manifest;
  if (format !== BACKUP_FORMAT || version !== BACKUP_VERSION || !Array.isArray(files))
    throw new BackupError(`${source}: not a backup of this format (${BACKUP_FORMAT} version ${BACKUP_VERSION})`);
  for (const entry of files) {
    if (!SAFE_PATH.test(entry.path)) throw new BackupError(`${source}: the manifest names ${entry.path}`);
    const actual = await sha256Of(path.join(source, entry.path)).catch(() => 'missing');
    if (actual !== entry.sha256)
      throw new BackupError(`${source}: ${entry.path} is ${actual === 'missing' ? 'missing' : 'damaged'}`);
  }
  if (!files.some((entry) => entry.path === DATABASE_FILE)) throw new BackupError(`${source} holds no database`);
  return { ...manifest, format, version, files } as Manifest;
}

async function restore(source: string, env = environmentWithDotEnv()): Promise<Manifest> {
  const dataDir = readDataDir(env);
  const databaseUrl = readDatabaseUrl(env, dataDir);
  if (isPostgresUrl(databaseUrl))
    throw new BackupError('DATABASE_URL is a PostgreSQL database: restore it with pg_restore (README, "Backups")');
  if (!(await isEmptyDirectory(dataDir))) throw new BackupError(`${dataDir} is not empty: restore into a new DATA_DIR`);
  const manifest = await readManifest(source);
  const pictures = localPictureDirectory(dataDir);
  await mkdir(pictures, { recursive: true });
  const destinations = new Map([
    [DATABASE_FILE, sqliteFileOf(databaseUrl)],
    [SECRET_KEY_FILE, path.join(dataDir, SECRET_KEY_FILE)],
  ]);
  const ordered = [...manifest.files].sort(
    (a, b) => Number(a.path === DATABASE_FILE) - Number(b.path === DATABASE_FILE),
  );
  for (const entry of ordered) {
    const destination =
      destinations.get(entry.path) ?? path.join(pictures, entry.path.slice(PICTURES_DIRECTORY.length + 1));
    await mkdir(path.dirname(destination), { recursive: true });
    const partial = `${destination}.partial`;
    await copyFile(path.join(source, entry.path), partial);
    await rename(partial, destination);
  }
  return manifest;
}

async function main(argv: string[]) {
  const { positional } = parseArguments(argv, { flags: [] });
  const [directory] = positional;
  if (directory === undefined || positional.length !== 1) throw new BackupError(USAGE);
  const manifest = await restore(path.resolve(directory));
  const { users, posts, pictures } = manifest.counts;
  console.log(`Restored ${users} users, ${posts} posts and ${pictures} pictures (backup of ${manifest.created_at}).`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
