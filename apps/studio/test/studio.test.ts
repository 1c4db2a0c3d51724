/**
 * The studio end to end in headless Chromium (Debian's, driven by playwright-core through the
 * shared harness): the real server, the page's lecture sections computed by gd, and a logistic
 * model trained in the page's worker to >= 85% test accuracy, with its charts updating, its
 * ONNX export valid and equal to gd's outputs in onnxruntime-web, its weights downloadable,
 * a digit predicted on the canvas, and the stop button. Every request must go to the studio.
 * A screenshot of each section is saved under test-output/.
 *
 * Without Chromium (or playwright-core) the test is skipped with a notice, except under CI,
 * where that is a failure.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSafetensors } from '@gd/nn/safetensors';
import { decodeOnnx, readOnnxMetadata } from '@gd/onnx';
import type { BrowserContext, BrowserPage } from '@gd/vitest-config/browser';
import { WEBGPU_SWIFTSHADER_ARGS, browserMissing, launchChromium } from '@gd/vitest-config/browser';
import { defaultMnistRoot } from '@gd/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../src/index.js';
import type { Studio } from '../src/index.js';

const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** Where the screenshots go (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../test-output/', import.meta.url));
const missing = browserMissing();
if (missing && !CI) console.warn(`[@gd/studio browser test] skipped: ${missing}`);

/** The page's state as the test reads it. */
const text = (page: BrowserPage, id: string): Promise<string> =>
  page.evaluate((i) => document.getElementById(i)!.textContent ?? '', id);
const data = (page: BrowserPage, id: string, key: string): Promise<string | undefined> =>
  page.evaluate(([i, k]) => document.getElementById(i!)!.dataset[k!], [id, key]);

describe.skipIf(missing !== null && !CI)('the studio in headless Chromium', () => {
  let studio: Studio;
  let context: BrowserContext;
  let page: BrowserPage;
  let profile: string;
  const external: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`browser test: ${missing}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    studio = await startStudio({ port: 0 });
    profile = mkdtempSync(join(tmpdir(), 'gd-studio-chromium-'));
    // WebGPU on SwiftShader too, for the run on the GPU backend.
    context = await launchChromium(profile, WEBGPU_SWIFTSHADER_ARGS);
    // Everything the page loads must come from the studio itself.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(studio.url) || url.startsWith('blob:') || url.startsWith('data:'))
        return route.continue();
      external.push(url);
      return route.abort();
    });
    page = await context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(studio.url);
    await page.waitForFunction(
      () => !!document.body.dataset.ready || !!document.body.dataset.error,
      undefined,
      { timeout: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await studio?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('computes the lecture sections with gd in the page, graphs drawn by Graphviz', async () => {
    expect(await page.evaluate(() => document.body.dataset.error ?? null)).toBeNull();
    for (const id of ['one-d', 'pitfalls', 'least-squares', 'losses'])
      expect(await data(page, id, 'state'), id).toBe('ready');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // f(0) = 1, f'(0) = -2.
    expect(await text(page, 'x0-out')).toContain("f(x) = 1,  f'(x) = x.grad = -2");
    for (const id of ['f-graph', 'ls-graph']) {
      expect(await data(page, id, 'state')).toBe('ready');
      expect(
        await page.evaluate((i) => document.querySelectorAll(`#${i} svg g.node`).length, id),
      ).toBeGreaterThan(3);
    }
    // The errors gd threw, as the page shows them.
    const thrown = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#pitfall-list [data-error]')).map(
        (e) => e.dataset.error!,
      ),
    );
    expect(thrown).toEqual([
      expect.stringMatching(/does not require grad and does not have a grad_fn/),
      expect.stringMatching(/modified by an inplace operation.*ExpBackward0/),
      expect.stringMatching(
        /a leaf Variable that requires grad is being used in an in-place operation/,
      ),
      expect.stringMatching(/grad can be implicitly created only for scalar outputs/),
      expect.stringMatching(/you can only change requires_grad flags of leaf variables/),
    ]);
    const grads = await text(page, 'ls-grads');
    const diff = Number(/largest difference: (\S+)/.exec(grads)![1]);
    expect(diff).toBeLessThan(1e-5);
    for (const id of ['f-chart', 'g-chart', 'ls-chart', 'loss-reg', 'loss-reg-grad', 'loss-cls'])
      expect(Number(await data(page, id, 'points')), id).toBeGreaterThan(50);
    for (const id of ['one-d', 'pitfalls', 'least-squares', 'losses'])
      await page.locator(`#${id}`).screenshot({ path: join(SCREENSHOTS, `${id}.png`) });
  });

  it('trains a logistic model in the worker to >= 85% on the test set, exports it, and predicts a drawing', async () => {
    await page.waitForFunction(
      () => document.getElementById('train-status')!.dataset.state === 'idle',
      undefined,
      {
        timeout: 60_000,
      },
    );
    expect(await text(page, 'backend')).toMatch(
      /^WebAssembly, \d+ thread\(s\), cross-origin isolated$/,
    );
    await page.selectOption('#model', 'logistic');
    await page.selectOption('#optimizer', 'sgd');
    await page.fill('#lr', '0.1');
    await page.fill('#train-size', '6000');
    await page.fill('#epochs', '2');
    const before = Number(await data(page, 'loss-chart', 'points'));
    expect(before).toBe(0);
    const started = Date.now();
    await page.click('#start');
    // The loss chart grows while training runs.
    await page.waitForFunction(
      () => Number(document.getElementById('loss-chart')!.dataset.points) >= 3,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.waitForFunction(
      () => document.getElementById('train-status')!.dataset.state === 'done',
      undefined,
      {
        timeout: 90_000,
      },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(90);
    expect(await data(page, 'train-status', 'state')).toBe('done');
    // 20 trace points an epoch, and a test loss point per epoch.
    expect(Number(await data(page, 'loss-chart', 'points'))).toBeGreaterThanOrEqual(40);
    expect(Number(await data(page, 'acc-chart', 'points'))).toBe(4); // train and test, 2 epochs
    expect(Number(await data(page, 'tiles', 'step'))).toBe(188); // 94 batches of 64, twice
    const accuracy = Number(await data(page, 'final', 'accuracy'));
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    const confusion = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#confusion tbody tr')).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent)),
      ),
    );
    expect(confusion).toHaveLength(10);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    expect(confusion.reduce((n, row, i) => n + row[i]!, 0) / 10000).toBeCloseTo(accuracy, 6);
    // The ONNX model in onnxruntime-web gives gd's logits.
    expect(Number(await data(page, 'onnx-check', 'maxDiff'))).toBeLessThanOrEqual(1e-4);
    expect(await data(page, 'onnx-check', 'agree')).toBe(await data(page, 'onnx-check', 'count'));

    // The downloads: a valid ONNX model and the weights in safetensors.
    const download = (id: string) =>
      page.evaluate(async (i) => {
        const a = document.getElementById(i) as HTMLAnchorElement;
        return [
          a.download,
          Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())),
        ] as const;
      }, id);
    const [onnxName, onnxBytes] = await download('download-onnx');
    expect(onnxName).toBe('model.onnx');
    const model = decodeOnnx(Uint8Array.from(onnxBytes));
    expect(model.graph.node.map((n) => n.op_type)).toContain('Gemm');
    expect(model.graph.input[0]!.name).toBe('input');
    expect(model.graph.initializer.map((t) => t.name)).toEqual(
      expect.arrayContaining(['linear.weight', 'linear.bias']),
    );
    const meta = readOnnxMetadata(Uint8Array.from(onnxBytes));
    expect(JSON.parse(meta.normalization_mean!)).toEqual([0.1307]);
    expect(JSON.parse(meta.training_summary!).testAccuracy).toBeCloseTo(accuracy, 6);
    const [weightsName, weightBytes] = await download('download-weights');
    expect(weightsName).toBe('model.safetensors');
    const weights = loadSafetensors(Uint8Array.from(weightBytes));
    expect(weights.tensors['linear.weight']!.shape).toEqual([10, 784]);
    expect(weights.tensors['linear.bias']!.shape).toEqual([10]);

    // The first test digit (a 7), scaled onto the canvas as if drawn, predicted by the export.
    const digit = Array.from(
      readFileSync(join(defaultMnistRoot(), 't10k-images-idx3-ubyte')).subarray(16, 16 + 784),
    );
    await page.evaluate((px) => {
      const pad = document.getElementById('pad') as HTMLCanvasElement;
      const ctx = pad.getContext('2d')!;
      const img = ctx.createImageData(280, 280);
      for (let y = 0; y < 280; y++)
        for (let x = 0; x < 280; x++) {
          const v = px[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
          img.data.set([v, v, v, 255], (y * 280 + x) * 4);
        }
      ctx.putImageData(img, 0, 0);
      pad.dispatchEvent(new Event('predict'));
    }, digit);
    await page.waitForFunction(
      () => Number(document.getElementById('pad-label')!.dataset.seq ?? 0) > 0,
      undefined,
      {
        timeout: 10_000,
      },
    );
    expect(await data(page, 'pad-label', 'label')).toBe('7');
    await page.locator('#mnist').screenshot({ path: join(SCREENSHOTS, 'mnist.png') });
    await page.screenshot({ path: join(SCREENSHOTS, 'studio.png') });
  });

  it('stops a run with the stop button and still offers the model so far', async () => {
    // All 60,000 images for 3 epochs: 2,814 steps, far more than run before the stop lands.
    await page.fill('#train-size', '60000');
    await page.fill('#epochs', '3');
    await page.click('#start');
    await page.waitForFunction(
      () => Number(document.getElementById('loss-chart')!.dataset.points) >= 2,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.click('#stop');
    await page.waitForFunction(
      () => document.getElementById('train-status')!.dataset.state === 'done',
      undefined,
      {
        timeout: 60_000,
      },
    );
    const steps = Number(/^Stopped after (\d+) steps/.exec(await text(page, 'final'))?.[1]);
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(2814);
    expect(await text(page, 'train-status')).toBe('Stopped: the model so far is ready below.');
  });

  it('trains the same run on WebGPU as on WebAssembly (SwiftShader), and exports it', async () => {
    const runOn = async (device: string) => {
      await page.selectOption('#device', device);
      await page.selectOption('#model', 'logistic');
      await page.selectOption('#optimizer', 'sgd');
      await page.fill('#lr', '0.1');
      await page.fill('#batch-size', '100');
      await page.fill('#train-size', '1000');
      await page.fill('#test-size', '1000');
      await page.fill('#epochs', '1');
      await page.click('#start');
      await page.waitForFunction(
        () => ['done', 'error'].includes(document.getElementById('train-status')!.dataset.state!),
        undefined,
        { timeout: 240_000 },
      );
      expect(await data(page, 'train-status', 'state'), await text(page, 'train-status')).toBe(
        'done',
      );
      return {
        backend: await text(page, 'backend'),
        accuracy: Number(await data(page, 'final', 'accuracy')),
        maxDiff: Number(await data(page, 'onnx-check', 'maxDiff')),
      };
    };
    const cpu = await runOn('wasm');
    const gpu = await runOn('webgpu');
    expect(gpu.backend).toBe('WebGPU');
    expect(cpu.accuracy).toBeGreaterThan(0.6);
    // Same seed, same batches: float32 rounding on the GPU may move a borderline digit or two.
    expect(Math.abs(gpu.accuracy - cpu.accuracy)).toBeLessThanOrEqual(0.005);
    expect(gpu.maxDiff).toBeLessThanOrEqual(1e-4);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  }, 300_000);
});
