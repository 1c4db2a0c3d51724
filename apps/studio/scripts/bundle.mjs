// Bundles the page and its training worker (compiled by tsc into dist/web/) for the browser
// with esbuild: ES modules, split so that the library chunk is shared and Graphviz (imported
// dynamically by renderSvg) loads only when a graph is drawn.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}static/js/app`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    page: `${dist}web/page.js`,
    worker: `${dist}web/worker.js`,
    // @gd/tensor's WebGPU device worker, loaded by the training worker when a run asks for it
    'webgpu-worker': createRequire(import.meta.url).resolve('@gd/tensor/webgpu-worker'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Minifiers rename classes; layers print and name themselves by class name (PyTorch's
  // `Linear(inFeatures=...)`), so keep them (tooling/bundle-check/src/keep-names.test.ts).
  keepNames: true,
  sourcemap: false,
  // onnxruntime-web is loaded at run time from /ort/, not bundled.
  external: ['/ort/*'],
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `studio bundles: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB`,
);
