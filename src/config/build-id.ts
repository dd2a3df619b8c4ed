// What identifies the code that renders the answers: a hash of the server's
// own modules (dist/ as deployed, src/ under tsx) and of the asset manifest
// (which names the hashed stylesheet and scripts every page links to). Every
// worker and every instance running one build computes the same id, so their
// ETags agree; a deploy that changes anything a page could show moves it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIRECTORY, MANIFEST_NAME } from '../views/assets.js';

const CODE_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const MODULE = /\.(?:[cm]?js|tsx?)$/;

function computeBuildId(): string {
  const hash = createHash('sha256');
  const files = readdirSync(CODE_DIRECTORY, { recursive: true, encoding: 'utf8' })
    .filter((file) => MODULE.test(file))
    .sort();
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(CODE_DIRECTORY, file)));
  hash.update(readFileSync(path.join(BUILD_DIRECTORY, MANIFEST_NAME)));
  return hash.digest('base64url').slice(0, 16);
}

let buildId: string | undefined;

/** Computed once per process (about 150 files, a few milliseconds). */
export function currentBuildId(): string {
  buildId ??= computeBuildId();
  return buildId;
}
