// Bootstrap's styles for the site: built from its Sass sources
// (client/bootstrap.scss picks the parts), then cut by PurgeCSS to the rules
// whose classes appear in the pages, in posts' Markdown or in the browser code.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PurgeCSS } from 'purgecss';
import * as sass from 'sass';

const SITE_STYLES = 'client/styles.css';
const BOOTSTRAP = path.dirname(createRequire(import.meta.url).resolve('bootstrap/package.json'));

/** Where the class names, tags and attributes in use are found: `directory` and the file endings read there. */
const CONTENT = [
  ['src/views', /\.tsx?$/], // the server-rendered pages
  ['src/markdown', /\.ts$/], // the tags and classes a post's HTML may carry
  ['client', /\.ts$/], // classes the browser code sets
  // Classes Bootstrap's plugins set (show, fade, collapsing, modal-backdrop…).
  [path.join(BOOTSTRAP, 'js/src'), /\.js$/],
];

/**
 * Kept whatever the sources say, because they are put together at run time
 * (`btn-${variant}`, `text-bg-${tone}`) or set by Bootstrap's plugins; named
 * here so that they cannot be lost to a change of the content above.
 * test/web/assets.test.ts checks each in the built stylesheet.
 */
const SAFELIST = {
  standard: [
    'show',
    'fade',
    'showing',
    'hiding',
    'collapsing',
    'modal-backdrop',
    'modal-open',
    'modal-static',
    'is-invalid',
    'active',
    'disabled',
    'toast',
    /^text-bg-(success|danger)$/,
    /^btn-(outline-)?(primary|danger)$/,
  ],
  // The dark theme's rules (color modes), and the dropdown menu's placement
  // (Bootstrap marks a menu it places itself with data-bs-popper).
  greedy: [/data-bs-theme/, /data-bs-popper/],
};

function contentFiles() {
  return CONTENT.flatMap(([directory, ending]) =>
    readdirSync(directory, { recursive: true, encoding: 'utf8' })
      .filter((name) => ending.test(name))
      .map((name) => path.resolve(directory, name)),
  );
}

/** An esbuild plugin: a .scss file, compiled by Sass and purged, is bundled as CSS. */
export function bootstrapCss() {
  return {
    name: 'bootstrap-css',
    setup(build) {
      build.onLoad({ filter: /\.scss$/ }, async (args) => {
        const compiled = await sass.compileAsync(args.path, {
          loadPaths: [path.dirname(BOOTSTRAP)],
          // Bootstrap 5 is written for @import and Sass's older functions: its own warnings are not ours.
          quietDeps: true,
          silenceDeprecations: ['import'],
        });
        const content = contentFiles();
        // Custom properties no kept rule reads are dropped too, except those
        // the site's own stylesheet reads (it is not purged, so PurgeCSS cannot see them).
        const siteVariables = Array.from(
          readFileSync(SITE_STYLES, 'utf8').matchAll(/var\((--[\w-]+)/g),
          (match) => match[1],
        );
        const [purged] = await new PurgeCSS().purge({
          content,
          css: [{ raw: compiled.css }],
          safelist: { ...SAFELIST, variables: siteVariables },
          variables: true,
        });
        const sources = compiled.loadedUrls.filter((url) => url.protocol === 'file:').map((url) => fileURLToPath(url));
        return { contents: purged.css, loader: 'css', watchFiles: [...sources, ...content, SITE_STYLES] };
      });
    },
  };
}
