// Shared by `npm run backup` and `npm run restore`: what a backup directory
// holds and how its manifest proves it whole. A backup is plain files (the
// SQLite database, the pictures its users point at, the generated secret
// key when there is one) and manifest.json, written last: a directory
// without a manifest is a backup that did not finish.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'fastblog-backup';
export const BACKUP_VERSION = 1;
/** Where things go inside a backup directory. */
export const DATABASE_FILE = 'blog.db';
export const PICTURES_DIRECTORY = 'profile_pics';
export const SECRET_KEY_FILE = 'secret_key';

export interface ManifestEntry {
  /** Relative to the backup directory, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  created_at: string;
  /** The newest migration applied to the copied database. */
  schema: string | null;
  counts: { users: number; posts: number; pictures: number };
  files: ManifestEntry[];
}

/** An expected failure: printed as one line, without a stack trace, and exit code 1. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** True when `directory` does not exist or holds nothing. */
export async function isEmptyDirectory(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}
