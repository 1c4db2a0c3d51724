// What the browser size budget bundles, and how: shared by size.mjs (the report) and the tests
// that check the bundle's shape (chunks.test.ts).
import { fileURLToPath } from 'node:url';

// @gd/tensor under a name of its own: @gd/autograd exports functions of the same names at the
// Tensor level (tensor, zeros, randn, cat, conv2d, einsum, ... about a hundred), and two `export *`
// of one name cancel each other out (an ambiguous name is not exported at all), which left both
// levels' functions out of the count unless something else in the bundle used them.
/** The four packages' main entry points, everything they export. */
export const ENTRY = [
  "export * as gdTensor from '@gd/tensor';",
  "export * from '@gd/autograd';",
  "export * as nn from '@gd/nn';",
  "export * as optim from '@gd/optim';",
].join('\n');

/** esbuild's options for a browser build as the budget counts it (ESM, minified, split). */
export function budgetBuildOptions(entry, outdir) {
  return {
    stdin: {
      contents: entry,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      sourcefile: 'entry.js',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir,
    external: ['node:*', 'webgpu'],
    metafile: true,
    write: false,
    logLevel: 'error',
  };
}
