// The digit preprocessing (canvas or PNG -> MNIST's 28x28 layout) lives in @gd/datasets/drawing,
// shared with the studio. The page is served as tsc compiles it, with no bundler, and the
// server needs no @gd package at run time (its image has production dependencies only), so
// the build bundles dist/web/preprocess.js in place: the page and the server both load it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const file = fileURLToPath(new URL('../dist/web/preprocess.js', import.meta.url));
await build({
  entryPoints: [file],
  outfile: file,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
