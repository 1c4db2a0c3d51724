// The browser build's size budget (`pnpm bench`): all of @gd/tensor, @gd/autograd, @gd/nn and
// @gd/optim (their main entry points, everything they export) bundled by esbuild for the
// browser (ESM, minified, code splitting), gzipped. What a page loads up front counts against
// the budget; the packages' other entry points (@gd/optim/lr-scheduler, @gd/nn/rnn, ...), which
// a page loads only where it imports them, are reported with what each adds; chunks loaded on
// demand (Graphviz behind renderSvg, the WebGPU backend behind initWebGpu, the wasm thread pool
// where a shared memory allows threads) and the wasm backend (its runtime with the kernels'
// loader, then the kernels) are reported apart, with the total a page on the wasm backend loads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { gzippedBySource } from './attribution.mjs';
import { ENTRY, budgetBuildOptions } from './budget.mjs';

/** jax-js's published size; TF.js's is 269 KB. */
const BUDGET_KB = 80;
const TFJS_KB = 269;

/**
 * The four packages' entry points other than the main ones: the subpaths of their `exports`
 * that are modules of dist/, except @gd/tensor/wasm-inline (the kernels, reported apart) and
 * @gd/tensor/webgpu-worker (the script of a worker, part of the WebGPU backend).
 */
function optionalEntries() {
  const names = [];
  for (const pkg of ['tensor', 'autograd', 'nn', 'optim']) {
    const url = new URL(`../../../packages/${pkg}/package.json`, import.meta.url);
    const manifest = JSON.parse(readFileSync(url, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = typeof target === 'string' ? target : target.import;
      if (subpath === '.' || !/^\.\/dist\/.*\.js$/.test(file ?? '')) continue;
      if (subpath === './wasm-inline' || subpath === './webgpu-worker') continue;
      names.push(`${manifest.name}/${subpath.slice(2)}`);
    }
  }
  return names;
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

const outdir = mkdtempSync(join(tmpdir(), 'gd-size-'));

/**
 * Bundles `entry` as the budget counts it; returns the output files by name, the metafile's
 * outputs by name, and the files a page loads before the app runs (the entry and its static
 * imports, transitively).
 */
async function build(entry) {
  const result = await esbuild.build({
    ...budgetBuildOptions(entry, outdir),
    // For the attribution of the gzipped bytes to modules (the maps are not counted).
    sourcemap: 'external',
  });
  // Outputs by file name (they all sit in outdir).
  const meta = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([k, v]) => [basename(k), v]),
  );
  const files = result.outputFiles.filter((f) => !f.path.endsWith('.map'));
  const bytes = new Map(files.map((f) => [basename(f.path), f.contents]));
  const texts = new Map(files.map((f) => [basename(f.path), f.text]));
  const maps = new Map(
    result.outputFiles
      .filter((f) => f.path.endsWith('.map'))
      .map((f) => [basename(f.path, '.map'), JSON.parse(f.text)]),
  );
  const initial = new Set();
  const visit = (path) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const i of meta[path].imports) {
      if (i.kind !== 'import-statement' || i.external) continue;
      visit(basename(i.path));
    }
  };
  visit([...bytes.keys()].find((name) => meta[name].entryPoint));
  const gzipped = [...initial].reduce((n, p) => n + gz(bytes.get(p)), 0);
  return { meta, bytes, texts, maps, initial, gzipped };
}

try {
  const { meta, bytes, texts, maps, initial, gzipped } = await build(ENTRY);
  const minified = [...initial].reduce((n, p) => n + bytes.get(p).length, 0);
  console.log(
    `browser build (tensor + autograd + nn + optim, esbuild, minified): ${kb(minified)} KB, ` +
      `gzipped ${kb(gzipped)} KB loaded up front; budget ${BUDGET_KB} KB (jax-js), TF.js ${TFJS_KB} KB`,
  );
  console.log(
    gzipped <= BUDGET_KB * 1024
      ? `  within budget: ${gzipped} of ${BUDGET_KB * 1024} bytes (${BUDGET_KB * 1024 - gzipped} to spare)`
      : `  OVER BUDGET: ${gzipped} of ${BUDGET_KB * 1024} bytes (${gzipped - BUDGET_KB * 1024} over)`,
  );
  let wasmRuntime = 0;
  for (const [path, contents] of bytes) {
    if (initial.has(path)) continue;
    const inputs = Object.keys(meta[path].inputs);
    const what = inputs.some((i) => i.includes('@viz-js'))
      ? 'Graphviz (renderSvg)'
      : inputs.some((i) => i.includes('/webgpu/'))
        ? 'WebGPU backend (initWebGpu)'
        : inputs.some((i) => i.endsWith('/wasm/threads.js'))
          ? 'wasm thread pool (cross-origin-isolated pages)'
          : inputs.some((i) => /\/wasm\/(runtime|gemm-task)\.js$/.test(i))
            ? 'wasm backend runtime and kernel loader'
            : inputs.map((i) => basename(i)).join(', ');
    // The runtime and the GEMM task it shares with the thread pool: one line for both.
    if (what.startsWith('wasm backend runtime')) wasmRuntime += gz(contents);
    else console.log(`  on demand: ${what}: gzipped ${kb(gz(contents))} KB`);
  }
  console.log(
    `  on demand: wasm backend runtime and kernel loader (loaded as the backend starts): gzipped ${kb(wasmRuntime)} KB`,
  );
  const tensor = fileURLToPath(new URL('../../../packages/tensor/build/', import.meta.url));
  const wasm = readFileSync(join(tensor, 'gd_kernels_single.wasm'));
  console.log(`  wasm kernels (fetched, or @gd/tensor/wasm-inline): gzipped ${kb(gz(wasm))} KB`);
  // A page on the wasm backend loads its runtime and kernels as it starts: the whole of it.
  console.log(
    `  a page on the wasm backend loads up front + its runtime + its kernels: gzipped ` +
      `${kb(gzipped)} + ${kb(wasmRuntime)} + ${kb(gz(wasm))} = ${kb(gzipped + wasmRuntime + gz(wasm))} KB`,
  );
  // Where the up-front bytes go: what each module costs gzipped, by leaving it out.
  const { shares } = gzippedBySource(
    [...initial].map((p) => ({
      code: texts.get(p),
      map: maps.get(p),
    })),
  );
  const byModule = new Map();
  for (const [source, n] of shares) {
    if (!/(packages|node_modules)\//.test(source)) continue; // the entry itself
    const name = source.replace(/^.*?(packages|node_modules)\//, '').replace(/\/(dist|src)\//, '/');
    byModule.set(name, (byModule.get(name) ?? 0) + n);
  }
  const byPackage = new Map();
  for (const [name, n] of byModule) {
    const pkg = name.split('/')[0];
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n);
  }
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${k} ${kb(v)}`)
      .join(', ');
  console.log(
    `  gzipped KB each package's modules cost (left out one at a time): ${top(byPackage, 10)}`,
  );
  console.log(
    `  costliest modules, gzipped KB: ${top(byModule, Number(process.env.GD_SIZE_TOP ?? 12))}`,
  );
  // What each package adds, gzipped: the build of the entry's first lines, one more at a time.
  const lines = ENTRY.split('\n');
  const steps = [];
  let previous = 0;
  for (let n = 1; n <= lines.length; n++) {
    const { gzipped: size } =
      n === lines.length ? { gzipped } : await build(lines.slice(0, n).join('\n'));
    steps.push(`${/@gd\/(\w+)/.exec(lines[n - 1])[1]} +${kb(size - previous)}`);
    previous = size;
  }
  console.log(`  gzipped KB added by each package, in dependency order: ${steps.join(', ')}`);
  // The packages' other entry points (PyTorch's submodules: torch.optim.lr_scheduler, ...):
  // what each adds up front when a page imports it next to the four main entries.
  const optional = [];
  for (const name of optionalEntries()) {
    const { gzipped: size } = await build(`${ENTRY}\nexport * as extra from '${name}';`);
    optional.push(`${name} +${kb(size - gzipped)}`);
  }
  console.log(
    `  optional entry points, gzipped KB each adds when imported: ${optional.join(', ')}`,
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
