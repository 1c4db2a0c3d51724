/**
 * The drawing page end to end in headless Chromium (Debian's package, driven by playwright-core):
 * draw a digit with the mouse, read the prediction computed by onnxruntime-web in the page, switch
 * to the server, read it again; replay MNIST test digits onto the canvas and compare both ways.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import type { GdServer } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import { loadMnist, pixelsOf } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the test leaves its screenshot of the page (for people to look at). */
export const SCREENSHOT = join(tmpdir(), 'gd-serve-page.png');

let server: GdServer;
let context: BrowserContext;
let page: Page;
let profile: string;
const external: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  server = await startServer({ model: await mnistModelFile(), name: 'mnist', port: 0 });
  await server.ready;
  profile = mkdtempSync(join(tmpdir(), 'gd-serve-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 960, height: 600 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Everything the page loads must come from gd-serve itself.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url)) return route.continue();
    external.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function drawStrokes(strokes: [number, number][][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0]!;
    await page.mouse.move(box.x + x0, box.y + y0);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
    await page.mouse.up();
  }
}

/** The number of the page's latest shown prediction. */
const seqNow = () =>
  page.evaluate(() => Number(document.getElementById('label')!.dataset.seq ?? 0));

/** Waits for a prediction newer than `after` made in `source`, and reads it. */
async function prediction(
  source: 'browser' | 'server',
  after: number,
): Promise<{ label: string; bars: number[] }> {
  await page.waitForFunction(
    ([src, seq]) => {
      const el = document.getElementById('label')!;
      const status = document.getElementById('status')!;
      return (
        Number(el.dataset.seq ?? 0) > (seq as number) &&
        el.dataset.source === src &&
        status.dataset.state === 'ready'
      );
    },
    [source, after] as const,
    { timeout: 30_000 },
  );
  return page.evaluate(() => ({
    label: document.getElementById('label')!.dataset.label!,
    bars: JSON.parse(document.getElementById('bars')!.dataset.probabilities ?? '[]') as number[],
  }));
}

async function setMode(server_: boolean): Promise<void> {
  const box = page.locator('#use-server');
  if ((await box.isChecked()) !== server_) await box.click();
  await page.waitForSelector('#status[data-state="ready"]');
}

async function replay(pixels: number[]): Promise<void> {
  // An MNIST digit scaled x10 onto the 280x280 canvas, white on black like a drawing.
  await page.evaluate((px) => {
    const canvas = document.getElementById('pad') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(280, 280);
    for (let y = 0; y < 280; y++) {
      for (let x = 0; x < 280; x++) {
        const v = px[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
        img.data.set([v, v, v, 255], (y * 280 + x) * 4);
      }
    }
    ctx.putImageData(img, 0, 0);
  }, pixels);
}

describe('the page at / in headless Chromium', () => {
  it('loads the model into onnxruntime-web (WebAssembly without a GPU) from the server alone', async () => {
    const status = await page.locator('#status').textContent();
    expect(status).toMatch(/^Ready: mnist in the browser \((WebAssembly|WebGPU)\)$/);
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  /** Draws on a clear pad in browser mode, then switches to the server: both labels. */
  async function drawBothWays(strokes: [number, number][][]): Promise<[string, string]> {
    await setMode(false);
    await page.click('#clear');
    let seq = await seqNow();
    await drawStrokes(strokes);
    const inBrowser = await prediction('browser', seq);
    seq = await seqNow();
    await setMode(true); // re-predicts the same drawing on the server
    const onServer = await prediction('server', seq);
    return [inBrowser.label, onServer.label];
  }

  it('recognises a drawn 1, in the browser and on the server', async () => {
    const labels = await drawBothWays([
      [
        [128, 70],
        [146, 52],
      ],
      [
        [146, 50],
        [146, 235],
      ],
    ]);
    expect(labels).toEqual(['1', '1']);
    expect(await page.locator('#status').textContent()).toMatch(/^server \(cpu\): [\d.]+ ms$/);
    expect(await page.locator('#where').textContent()).toBe('on the server');
  });

  it('recognises a drawn 7 and 0 both ways', async () => {
    const seven: [number, number][][] = [
      [
        [70, 60],
        [210, 60],
        [120, 240],
      ],
    ];
    const zero: [number, number][][] = [
      Array.from({ length: 25 }, (_, k) => {
        const t = (k / 24) * Math.PI * 2;
        return [140 + 55 * Math.sin(t), 140 - 85 * Math.cos(t)] as [number, number];
      }),
    ];
    expect(await drawBothWays(seven)).toEqual(['7', '7']);
    expect(await drawBothWays(zero)).toEqual(['0', '0']);
  });

  it('agrees with the server on replayed MNIST test digits (same preprocessing, same model)', async () => {
    const test = loadMnist('t10k', 12);
    let correct = 0;
    for (let i = 0; i < 12; i++) {
      await setMode(false);
      await replay(pixelsOf(test, i));
      let seq = await seqNow();
      await page.evaluate(() => window.gdDigits.predict());
      const b = await prediction('browser', seq);
      seq = await seqNow();
      await setMode(true);
      const s = await prediction('server', seq);
      expect(b.label).toBe(s.label);
      expect(b.bars).toHaveLength(10);
      b.bars.forEach((p, k) => expect(Math.abs(p - (s.bars[k] ?? -1))).toBeLessThan(1e-4));
      if (b.label === String(test.labels[i])) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(10);
  });

  it('looks right (a screenshot is left for people to check)', async () => {
    await setMode(false);
    await page.click('#clear');
    const seq = await seqNow();
    await drawStrokes([
      [
        [95, 75],
        [140, 50],
        [185, 75],
        [180, 120],
        [90, 235],
        [200, 235],
      ],
    ]);
    const p = await prediction('browser', seq);
    expect(p.label).toBe('2');
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(pageErrors).toEqual([]);
    expect(external).toEqual([]);
  });
});
