// The on-demand backends (the wasm runtime with its kernel loader, the WebGPU device) share no
// module with the page: were they to import one of @gd/tensor's modules, esbuild would move it
// into a chunk of its own that every page loads up front as one more file, compressed apart
// (about 1.3 KB gzipped more in the size budget, the last time it happened). They get what they
// need from @gd/tensor's backend core instead (packages/tensor/src/backend/core.ts).
import { basename } from 'node:path';
import * as esbuild from 'esbuild';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without types
import { ENTRY, budgetBuildOptions } from './budget.mjs';

it('the page loads one chunk of code up front: the on-demand backends share none of its modules', async () => {
  const result: esbuild.BuildResult<{ metafile: true }> = await esbuild.build(
    budgetBuildOptions(ENTRY, '/gd-chunks'),
  );
  const outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([path, output]) => [basename(path), output]),
  );
  const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint)!;
  const upFront = outputs[entry]!.imports.filter((i) => i.kind === 'import-statement');
  // Besides the page's own chunk, at most esbuild's helpers (a few hundred bytes, no gd module).
  for (const { path } of upFront) {
    const chunk = outputs[basename(path)]!;
    const gdModules = Object.keys(chunk.inputs).filter((i) => i.includes('/dist/'));
    expect(gdModules, `${basename(path)}, loaded up front beside the page`).toEqual([]);
  }
  // The on-demand chunks are there (the test would pass vacuously otherwise).
  const dynamic = outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import');
  expect(dynamic.map((i) => basename(i.path).replace(/-\w+\.js$/, '')).sort()).toEqual([
    'device',
    'runtime',
  ]);
});
