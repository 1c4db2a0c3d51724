#!/usr/bin/env node
// Renders the op registry into the fast kernels' generated sources (build/generated/): the
// C++ header the native addon includes and the AssemblyScript module the WebAssembly kernels
// import. Reads the registry from dist/ (built by tsc first). Files are rewritten only when
// their text changes, so the kernel builds stay incremental. In an installed package dist/
// and build/generated/ both ship, and this has nothing to do.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const codegen = join(root, 'dist', 'backend', 'fast', 'codegen.js');
export const generatedDir = join(root, 'build', 'generated');

/** Writes the generated sources; false when neither they nor the built registry exist. */
export async function generateKernels() {
  if (!existsSync(codegen)) return existsSync(join(generatedDir, 'elementwise.h'));
  const { nativeSource, wasmSource } = await import(pathToFileURL(codegen).href);
  mkdirSync(generatedDir, { recursive: true });
  for (const [file, text] of [
    ['elementwise.h', nativeSource()],
    ['elementwise.ts', wasmSource()],
  ]) {
    const path = join(generatedDir, file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  }
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!(await generateKernels())) {
    console.error('gen-kernels: build the package first (dist/backend/fast/codegen.js is missing)');
    process.exit(1);
  }
}
