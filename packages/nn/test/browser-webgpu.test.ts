/**
 * A model defined with @gd/nn trains on the page's GPU: headless Chromium with WebGPU on its
 * SwiftShader adapter loads an esbuild bundle of @gd/nn (and autograd, tensor), connects with
 * `initWebGpu()` from the page's main thread, and runs SGD steps on a small MLP, reading each
 * loss with `itemAsync()`. The losses equal those of the same steps in Node on the CPU.
 *
 * Without Chromium (or playwright-core, or a build) the test is skipped with a notice, except
 * under CI, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, StaticSite } from '@gd/vitest-config/browser';
import {
  WEBGPU_SWIFTSHADER_ARGS,
  browserMissing,
  bundle,
  launchChromium,
  serveStatic,
} from '@gd/vitest-config/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ag from '@gd/autograd';
import type * as GdAutograd from '@gd/autograd';
import * as nn from '../src/index.js';
import type * as GdNn from '../src/index.js';
import type * as GdTensor from '@gd/tensor';

const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// @gd/tensor's package directory: its dist/ (the WebGPU worker) and build/ (wasm kernels).
const TENSOR = dirname(
  createRequire(join(ROOT, 'package.json')).resolve('@gd/tensor/package.json'),
);
const missing =
  browserMissing() ??
  (existsSync(join(TENSOR, 'dist/backend/webgpu/worker.js'))
    ? null
    : '@gd/tensor is not built (pnpm build)');
if (missing && !CI) console.warn(`[@gd/nn browser test] skipped: ${missing}`);

/** Where the bundle sits: @gd/tensor finds dist/ and build/ three directories above it. */
const BUNDLE = '/app/js/esm/gd.js';
const STEPS = 20;

interface Gd {
  nn: typeof GdNn;
  ag: typeof GdAutograd;
  tensor: typeof GdTensor;
}

/** The training run, written once for the page and for Node: `gd` is the library. */
async function train(
  gd: Gd,
  steps: number,
): Promise<{ losses: number[]; accuracy: number; backend: string }> {
  const { nn: n, ag: a } = gd;
  a.manualSeed(0);
  const X = a.randn([256, 20]);
  // Labels come from the host, as a data loader gives them (the fused cross-entropy checks
  // them there).
  const labels = await X.matmul(a.randn([20, 1]))
    .gt(0)
    .squeeze(1)
    .to('int32')
    .toArrayAsync();
  const y = a.tensor(labels as number[], { dtype: 'int32' });
  const model = new n.Sequential(new n.Linear(20, 32), new n.ReLU(), new n.Linear(32, 2));
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    model.zeroGrad();
    const loss = n.F.crossEntropy(model.call(X), y);
    loss.backward();
    a.noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.5));
    });
    losses.push(await loss.itemAsync());
  }
  const hits = a.noGrad(() => model.call(X).argmax(1).eq(y).sum());
  return {
    losses,
    accuracy: (await hits.itemAsync()) / 256,
    backend: gd.tensor.getBackend().name,
  };
}

describe.skipIf(missing !== null && !CI)('@gd/nn training on WebGPU in headless Chromium', () => {
  let site: StaticSite;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (missing) throw new Error(`browser test: ${missing}`);
    const code = await bundle(
      "export * as nn from '@gd/nn'; export * as ag from '@gd/autograd'; export * as tensor from '@gd/tensor';",
      ROOT,
    );
    const page = `<!doctype html><meta charset="utf-8"><title>@gd/nn on WebGPU</title><link rel="icon" href="data:,">
<script type="module">
import(${JSON.stringify(BUNDLE)}).then(
  (m) => { globalThis.gd = m; },
  (e) => { globalThis.gdError = String((e && e.stack) || e); },
);
</script>`;
    site = await serveStatic(
      { '/': page, [BUNDLE]: code },
      { '/dist/': join(TENSOR, 'dist'), '/build/': join(TENSOR, 'build') },
    );
    profile = mkdtempSync(join(tmpdir(), 'gd-nn-chromium-'));
    context = await launchChromium(profile, WEBGPU_SWIFTSHADER_ARGS);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('an MLP trains on the page GPU with the losses of the same steps on the CPU in Node', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${site.url}/`);
      await page.waitForFunction(() => 'gd' in globalThis || 'gdError' in globalThis, undefined, {
        timeout: 60_000,
      });
      expect(
        await page.evaluate(() => (globalThis as { gdError?: string }).gdError ?? null),
      ).toBeNull();
      const source = train.toString();
      const onGpu = await page.evaluate(
        async ({ source, steps }) => {
          const gd = (globalThis as unknown as { gd: Gd }).gd;
          await gd.tensor.initWebGpu();
          // The run is written once for both sides and sent to the page as source.
          const run = new Function(`return (${source})`)() as typeof train;
          return run(gd, steps);
        },
        { source, steps: STEPS },
      );
      const onCpu = await train({ nn, ag, tensor: await import('@gd/tensor') }, STEPS);
      expect(onGpu.backend).toBe('webgpu');
      expect(onCpu.backend).not.toBe('webgpu');
      onGpu.losses.forEach((l, i) => expect(Math.abs(l - onCpu.losses[i]!)).toBeLessThan(1e-4));
      expect(onGpu.losses.at(-1)!).toBeLessThan(onGpu.losses[0]! * 0.7);
      expect(Math.abs(onGpu.accuracy - onCpu.accuracy)).toBeLessThanOrEqual(2 / 256);
      expect(site.requests).toContain('/dist/backend/webgpu/worker.js');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);
});
