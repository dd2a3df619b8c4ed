// The browser code and styles, under the content-hashed names that
// `npm run build:client` gives them (scripts/build-client.mjs). Its manifest
// is read once, when the server starts; the files are served as immutable.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BUILD_DIRECTORY = fileURLToPath(new URL('../../public/build/', import.meta.url));
export const BUILD_URL_PREFIX = '/static/build/';
/** Entry (`app.js`) → its file in BUILD_DIRECTORY (`app-3FZ2K7QX.js`). */
export const MANIFEST_NAME = 'manifest.json';

function readManifest(): Record<string, string> {
  const path = `${BUILD_DIRECTORY}${MANIFEST_NAME}`;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new Error(`Cannot read ${path}: run \`npm run build:client\` first`, { cause: error });
  }
}

function assetUrl(manifest: Record<string, string>, entry: string): string {
  const file = manifest[entry];
  if (!file) throw new Error(`${entry} is not in ${MANIFEST_NAME}: run \`npm run build:client\` again`);
  return `${BUILD_URL_PREFIX}${file}`;
}

const manifest = readManifest();

/**
 * The favicon, in the page as a data: URL: 330 bytes in the HTML instead of a
 * request whose headers alone weigh four times that on a first visit. The
 * file stays at /static/favicon.svg for whoever asks for it.
 */
const favicon = readFileSync(new URL('../../public/favicon.svg', import.meta.url), 'utf8').trim();

/** The URLs the layout links to. */
export const ASSETS = {
  css: assetUrl(manifest, 'styles.css'),
  script: assetUrl(manifest, 'app.js'),
  theme: assetUrl(manifest, 'theme.js'),
  favicon: `data:image/svg+xml,${encodeURIComponent(favicon).replace(/%(2F|3A|3D)/g, (escape) => decodeURIComponent(escape))}`,
};
