#!/usr/bin/env node
// Builds the native backend (native/*.cc -> build/gd_native.node) with the machine's C++
// compiler and Node's own N-API headers. Runs at install and in `build`; it never fails the
// install: where it cannot build, it prints one line and gd uses WebAssembly instead.
// GD_NATIVE=0 skips it; CXX picks the compiler; GD_NATIVE_FLAGS replaces -march=native.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKernels, generatedDir } from './gen-kernels.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native');
const outDir = join(root, 'build');
const out = join(outDir, 'gd_native.node');
const stampFile = join(outDir, 'gd_native.stamp');

function notice(reason) {
  console.warn(`@gd/tensor: native backend not built (${reason}); using WebAssembly.`);
  process.exit(0);
}

if (process.env.GD_NATIVE === '0') process.exit(0);
// In a fresh workspace install nothing is built yet: `build` compiles the addon after tsc.
if (!(await generateKernels())) process.exit(0);
if (process.platform === 'win32') notice('Windows builds are not supported yet');

function headerDir() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(process.execPath), '..', 'include', 'node'),
    join(homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'node_api.h')));
}

const include = headerDir();
if (!include) notice("Node's N-API headers (node_api.h) were not found");

const cxx = process.env.CXX || 'g++';
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.cc'));
const headers = readdirSync(srcDir).filter((f) => f.endsWith('.h'));
const arch = process.env.GD_NATIVE_FLAGS?.split(/\s+/).filter(Boolean) ?? ['-march=native'];
const common = [
  '-std=c++17',
  '-O3',
  '-fPIC',
  '-fvisibility=hidden',
  '-DNAPI_VERSION=8',
  `-I${include}`,
  `-I${generatedDir}`,
];
// The GEMM may fuse multiply-adds; elementwise kernels round like the reference backend.
// No kernel reads the floating-point exception flags or errno, so GCC may compute both sides
// of a select and vectorise loops with conditionals and sqrt (same results, no reassociation).
const perFile = (f) => [
  f === 'gemm.cc' ? '-ffp-contract=fast' : '-ffp-contract=off',
  '-fno-trapping-math',
  '-fno-math-errno',
];
const link =
  process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];

const stamp = JSON.stringify({ cxx, arch, common, node: process.versions.modules });
const newest = Math.max(
  ...[...sources, ...headers].map((f) => statSync(join(srcDir, f)).mtimeMs),
  statSync(join(generatedDir, 'elementwise.h')).mtimeMs,
  statSync(fileURLToPath(import.meta.url)).mtimeMs,
);
if (
  existsSync(out) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp &&
  statSync(out).mtimeMs >= newest
) {
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
const run = promisify(execFile);
async function compile(flags) {
  const objects = sources.map((f) => join(outDir, f.replace(/\.cc$/, '.o')));
  await Promise.all(
    sources.map((f, i) =>
      run(cxx, [...common, ...flags, ...perFile(f), '-c', join(srcDir, f), '-o', objects[i]]),
    ),
  );
  await run(cxx, [...link, ...flags, ...objects, '-o', out, '-lpthread']);
}

const t0 = Date.now();
try {
  try {
    await compile(arch);
  } catch (e) {
    // Some compilers or CPUs reject -march=native; a portable build still vectorises.
    if (process.env.GD_NATIVE_FLAGS) throw e;
    await compile([]);
  }
} catch (e) {
  // No stale addon may survive a failed build: it would load in place of WebAssembly.
  rmSync(out, { force: true });
  rmSync(stampFile, { force: true });
  const msg = String(e.stderr || e.message)
    .trim()
    .split('\n')[0];
  notice(`${cxx} failed: ${msg}`);
}
writeFileSync(stampFile, stamp);
if (process.env.GD_NATIVE_VERBOSE) console.log(`built ${out} in ${Date.now() - t0} ms`);
