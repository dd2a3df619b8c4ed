// Bundles the browser code and styles into public/build/ with esbuild, under
// content-hashed names (served as immutable), with a manifest that maps each
// entry to its file, and a brotli and a gzip copy of every text asset for
// @fastify/static's preCompressed. Files of earlier builds are removed.
// `--watch` rebuilds on change (npm run dev).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { bootstrapCss } from './client-css.mjs';

const BUILD_DIRECTORY = 'public/build';
/** Read by src/views/assets.ts. */
const MANIFEST = path.join(BUILD_DIRECTORY, 'manifest.json');
/** Served from public/ under its own name, so compressed beside it too. */
const UNHASHED = ['public/favicon.svg'];
const COMPRESSIBLE = /\.(js|css|svg)$/;
const COMPRESSED = ['.br', '.gz'];

const entryPoints = {
  app: 'client/main.ts',
  theme: 'client/theme-boot.ts',
  styles: 'client/styles.css',
};

function compress(file) {
  const content = readFileSync(file);
  const brotli = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  writeFileSync(`${file}.br`, brotli);
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
}

/** Entry name and extension (`app.js`) → the file esbuild wrote (`app-3FZ2K7QX.js`). */
function manifestOf(metafile) {
  const names = new Map(Object.entries(entryPoints).map(([name, source]) => [source, name]));
  const manifest = {};
  for (const [output, { entryPoint }] of Object.entries(metafile.outputs)) {
    const name = entryPoint && names.get(entryPoint);
    if (name) manifest[`${name}${path.extname(output)}`] = path.basename(output);
  }
  return manifest;
}

function removeStale(outputs) {
  const kept = new Set([path.basename(MANIFEST), ...outputs.map((output) => path.basename(output))]);
  for (const name of readdirSync(BUILD_DIRECTORY)) {
    const original = COMPRESSED.reduce(
      (base, ending) => (base.endsWith(ending) ? base.slice(0, -ending.length) : base),
      name,
    );
    if (!kept.has(original)) rmSync(path.join(BUILD_DIRECTORY, name));
  }
}

/** After every build: compressed copies, the manifest, no leftovers. */
const publish = {
  name: 'publish',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const outputs = Object.keys(result.metafile.outputs);
      for (const file of [...outputs, ...UNHASHED]) if (COMPRESSIBLE.test(file)) compress(file);
      removeStale(outputs);
      const manifest = `${JSON.stringify(manifestOf(result.metafile), null, 2)}\n`;
      // Written only when it changes: npm run dev restarts the server on it.
      if (!existsSync(MANIFEST) || readFileSync(MANIFEST, 'utf8') !== manifest) writeFileSync(MANIFEST, manifest);
    });
  },
};

const options = {
  entryPoints,
  outdir: BUILD_DIRECTORY,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: true,
  metafile: true,
  // Bootstrap places only the dropdowns outside a navbar with Popper, and the
  // site's one dropdown (the theme menu) is in the navbar: a no-op stands in
  // for Popper (see client/static-popper.ts).
  alias: { '@popperjs/core': './client/static-popper.ts' },
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  format: 'esm',
  logLevel: 'warning',
  plugins: [bootstrapCss(), publish],
};

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching client/ for changes');
} else {
  await esbuild.build(options);
}
