// `npm run build:api`: writes the OpenAPI document the route schemas make
// (docs/openapi.json) and the browser code's types generated from it
// (client/api-schema.d.ts). `npm run build:client` runs it after bundling:
// the app reads the build's manifest, and esbuild only erases the types.
// test/api/openapi.test.ts fails when a checked-in copy is stale.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOCUMENT_FILE = path.join(root, 'docs/openapi.json');
export const TYPES_FILE = path.join(root, 'client/api-schema.d.ts');

/** The document of an app with the default settings, on a throwaway SQLite database. */
export async function buildDocument(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-openapi-'));
  try {
    const app = await buildApp(
      loadConfig({
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        // Only for this throwaway app: nothing is signed with it.
        SECRET_KEY: 'openapi-document-build-key-never-used-to-sign',
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      await app.ready();
      return `${JSON.stringify(app.swagger(), null, 2)}\n`;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript types openapi-fetch reads, generated from `document`. */
export async function buildTypes(document: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(document) as Parameters<typeof openapiTS>[0]);
  return `// Generated from docs/openapi.json by scripts/openapi.ts (npm run build:api): do not edit.\n${astToString(ast)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const document = await buildDocument();
  writeFileSync(DOCUMENT_FILE, document);
  writeFileSync(TYPES_FILE, await buildTypes(document));
}
