/**
 * gd bundled with a minifier's keepNames, the usual way to keep class names in a minified build
 * (esbuild's `keepNames`, Vite's `esbuild: { keepNames: true }`): models print their classes'
 * names and the losses check their options as they are built, as without a bundler, and gd's
 * code that runs from function source (the reference backend's loop kernels, the wasm thread
 * pool's workers) still runs, although keepNames adds a helper of its own around named functions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamesResult } from '../app/keep-names.js';
import { names, threadedProduct } from '../app/keep-names.js';
import type { TrainResult } from '../app/train.js';
import { train } from '../app/train.js';

const MAIN = fileURLToPath(new URL('../app/keep-names-main.ts', import.meta.url));

describe('gd minified with keepNames', () => {
  let work: string;
  let script: string;
  let expected: TrainResult & NamesResult & { product: number };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gd-keep-names-'));
    script = join(work, 'main.mjs');
    await esbuild.build({
      entryPoints: [MAIN],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'es2022',
      minify: true,
      keepNames: true,
      outfile: script,
      logLevel: 'error',
    });
    expected = { ...(await train(5)), ...names(), product: threadedProduct() };
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function run(
    backend: string,
  ): TrainResult & NamesResult & { product: number; workerErrors: string[] } {
    const out = execFileSync(process.execPath, [script, backend], {
      encoding: 'utf8',
      env: { ...process.env, GD_NUM_THREADS: '2' },
    });
    return JSON.parse(out.trim().split('\n').at(-1)!);
  }

  for (const backend of ['reference', 'wasm']) {
    it(`on the ${backend} backend: trains as unbundled, prints class names, checks loss options`, () => {
      const r = run(backend);
      expect(r.backend).toBe(backend);
      expect(r.workerErrors).toEqual([]);
      if (backend === 'wasm') expect(r.threads).toBe(2);
      expect(Math.abs(r.product - expected.product)).toBeLessThan(1e-4 * expected.product);
      r.losses.forEach((l, i) =>
        expect(Math.abs(l - expected.losses[i]!)).toBeLessThan(1e-4 * Math.max(1, l)),
      );
      expect(r.summary).toBe(expected.summary);
      expect(r.summary).toMatch(/^Sequential\(\n {2}\(0\): Linear\(inFeatures=16, outFeatures=64/);
      expect(r.lossOptionError).toBe(expected.lossOptionError);
      expect(r.lossOptionError).toMatch(/MSELoss/);
    });
  }
});
