// Where uploaded pictures live. Routes and services only see this interface,
// so another backend (an object store) can replace the local directory.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';

export interface StoredPicture {
  body: Readable;
  size?: number;
  etag?: string;
}

export interface PictureStore {
  /** Stores the bytes under a name from newPictureName. */
  save(name: string, bytes: Buffer): Promise<void>;
  /** Removes a picture, and any half-written copy of it; a missing one is not an error. */
  remove(name: string): Promise<void>;
  /** Every stored picture name. */
  list(): Promise<string[]>;
  /** A picture's bytes for serving, or undefined if there is none by that name. */
  read(name: string): Promise<StoredPicture | undefined>;
  close?(): void;
}

/** New names are 32 random hex characters plus `.jpg`; nothing else is ever served or removed. */
export const PICTURE_NAME = /^[0-9a-f]{32}\.jpg$/;

export function newPictureName(): string {
  return `${randomBytes(16).toString('hex')}.jpg`;
}

export function createLocalPictureStore(directory: string): PictureStore & { directory: string } {
  mkdirSync(directory, { recursive: true });
  const pathOf = (name: string) => {
    if (!PICTURE_NAME.test(name)) throw new Error(`refusing picture name ${JSON.stringify(name)}`);
    return path.join(directory, name);
  };
  const partialPathOf = (name: string) => `${path.join(path.dirname(pathOf(name)), `.${name}.partial`)}`;
  return {
    directory,
    async save(name, bytes) {
      // Written under a temporary name and renamed, so a crash never leaves a
      // half-written file under a name the database could point at.
      const temporary = partialPathOf(name);
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, pathOf(name));
    },
    async remove(name) {
      await rm(pathOf(name), { force: true });
      await rm(partialPathOf(name), { force: true });
    },
    async list() {
      return (await readdir(directory)).filter((name) => PICTURE_NAME.test(name));
    },
    async read(name) {
      if (!PICTURE_NAME.test(name)) return undefined;
      try {
        const { size } = await stat(pathOf(name));
        return { body: createReadStream(pathOf(name)), size };
      } catch {
        return undefined;
      }
    },
  };
}
