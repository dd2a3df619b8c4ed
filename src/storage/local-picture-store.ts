// Pictures in a local directory: DATA_DIR/media/profile_pics. Shared by
// several instances only when they share that directory (one machine).
import { createReadStream, mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PICTURE_NAME, type PictureStore } from './picture-store.js';

/** The directory of a site's pictures: the server and the import command both use it. */
export const localPictureDirectory = (dataDir: string) => path.join(dataDir, 'media', 'profile_pics');

export function createLocalPictureStore(directory: string): PictureStore & { directory: string } {
  mkdirSync(directory, { recursive: true });
  const pathOf = (name: string) => {
    if (!PICTURE_NAME.test(name)) throw new Error(`refusing picture name ${JSON.stringify(name)}`);
    return path.join(directory, name);
  };
  const partialPathOf = (name: string) => path.join(path.dirname(pathOf(name)), `.${name}.partial`);
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
