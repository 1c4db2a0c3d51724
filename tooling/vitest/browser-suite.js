// Test files of a package run as they are inside a browser: each file is bundled with esbuild
// (vitest's runner and matchers in place of `vitest`, see browser-suite/) into a module worker
// entry of its own, and runs in a fresh Web Worker of a cross-origin-isolated page, where a
// thread may block on a SharedArrayBuffer as in Node (the synchronous readers of a GPU tensor
// work there). Each worker posts the outcome of every case back. Nothing is downloaded.
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPath } from './browser.js';

const RUNNER = fileURLToPath(new URL('./browser-suite/runner.js', import.meta.url));
const VITEST_STAND_IN = fileURLToPath(new URL('./browser-suite/vitest.js', import.meta.url));
const VITEST_DIR = (() => {
  try {
    return dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
  } catch {
    return null;
  }
})();
// vitest's own pieces, resolved where vitest's dependencies are (pnpm keeps them beside it);
// chai from @vitest/expect's folder, so the matchers and the stand-in share one chai.
const FROM_VITEST = /^@vitest\/(runner|expect)$/;

/** An esbuild plugin: the per-file entries, and `vitest` as the browser stand-in. */
function suitePlugin(root, setup) {
  return {
    name: 'gd-browser-suite',
    setup(build) {
      build.onResolve({ filter: /^gd-suite:/ }, (args) => ({
        path: args.path.slice('gd-suite:'.length),
        namespace: 'gd-suite',
      }));
      build.onLoad({ filter: /.*/, namespace: 'gd-suite' }, (args) => ({
        contents: [
          `import { runFile } from ${JSON.stringify(RUNNER)};`,
          `import setup from ${JSON.stringify(setup)};`,
          `runFile(${JSON.stringify(relative(root, args.path))}, setup, () => import(${JSON.stringify(args.path)}));`,
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      }));
      build.onResolve({ filter: /^vitest$/ }, () => ({ path: VITEST_STAND_IN }));
      build.onResolve({ filter: /^(@vitest\/(runner|expect)|chai)$/ }, async (args) => {
        if (args.pluginData?.resolving) return undefined;
        const from = async (id, resolveDir) =>
          build.resolve(id, { resolveDir, kind: args.kind, pluginData: { resolving: true } });
        if (FROM_VITEST.test(args.path)) return from(args.path, VITEST_DIR);
        const expect = await from('@vitest/expect', VITEST_DIR);
        return from('chai', dirname(expect.path));
      });
    },
  };
}

/**
 * Bundles each of `files` (absolute paths of test files under `root`) into a worker entry that
 * runs `setup` (a module whose default export is an async function; what it returns is reported
 * as the run's `info`) and then the file. Returns the output files (name -> text, all in one
 * folder) and each test file's entry name.
 */
export async function bundleTestFiles({ root, files, setup }) {
  const esbuild = createRequire(import.meta.url)(esbuildPath());
  const out = await esbuild.build({
    entryPoints: files.map((file, i) => ({ in: `gd-suite:${file}`, out: `file-${i}` })),
    plugins: [suitePlugin(root, setup)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/gd-suite',
    write: false,
    logLevel: 'silent',
  });
  const outputs = Object.fromEntries(
    out.outputFiles.map((f) => [relative('/gd-suite', f.path), f.text]),
  );
  const entries = Object.fromEntries(files.map((file, i) => [file, `file-${i}.js`]));
  return { outputs, entries };
}

/** Runs in the page: one worker for one file, resolved with what the worker reported. */
function runWorker(url) {
  return new Promise((resolve) => {
    const worker = new Worker(url, { type: 'module' });
    worker.onmessage = (e) => {
      if (e.data?.type !== 'gd-suite-result') return;
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      resolve({
        file: url,
        info: null,
        cases: [{ name: url, state: 'fail', errors: [`uncaught in the worker: ${e.message}`] }],
      });
    };
  });
}

/** Runs the file bundled at `url` (a worker entry of bundleTestFiles) in a worker of `page`. */
export function runTestFileInPage(page, url) {
  return page.evaluate(runWorker, url);
}
