// Bundles the browser code and styles into public/build/ with esbuild.
// `--watch` rebuilds on change (npm run dev).
import * as esbuild from 'esbuild';

const options = {
  entryPoints: {
    app: 'client/main.ts',
    theme: 'client/theme-boot.ts',
    styles: 'client/styles.css',
  },
  outdir: 'public/build',
  entryNames: '[name]',
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  format: 'esm',
  logLevel: 'warning',
};

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching client/ for changes');
} else {
  await esbuild.build(options);
}
