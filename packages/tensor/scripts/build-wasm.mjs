#!/usr/bin/env node
// Compiles the WebAssembly kernels (assembly/*.ts, AssemblyScript) into build/: one module
// importing a shared memory (threads) and one importing a plain memory (pages that are not
// cross-origin isolated). Skips the work when the outputs are newer than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKernels, generatedDir } from './gen-kernels.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'assembly');
const out = join(root, 'build');
const outputs = [
  ['gd_kernels.wasm', ['--sharedMemory']],
  ['gd_kernels_single.wasm', []],
];
if (!(await generateKernels())) {
  console.error('build-wasm: build the package first (the op registry is read from dist/)');
  process.exit(1);
}
const newest = Math.max(
  ...readdirSync(src).map((f) => statSync(join(src, f)).mtimeMs),
  statSync(join(generatedDir, 'elementwise.ts')).mtimeMs,
  statSync(fileURLToPath(import.meta.url)).mtimeMs,
);
if (outputs.every(([f]) => existsSync(join(out, f)) && statSync(join(out, f)).mtimeMs >= newest)) {
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const asc = join(
  dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')),
  'bin',
  'asc.js',
);
for (const [file, extra] of outputs) {
  execFileSync(
    process.execPath,
    [
      asc,
      join(src, 'index.ts'),
      '--outFile',
      join(out, file),
      '-O3',
      '--enable',
      'simd',
      '--enable',
      'threads',
      '--importMemory',
      ...extra,
      '--initialMemory',
      '32',
      '--maximumMemory',
      '32768',
      '--runtime',
      'stub',
      '--noAssert',
    ],
    { stdio: 'inherit', cwd: root },
  );
}
