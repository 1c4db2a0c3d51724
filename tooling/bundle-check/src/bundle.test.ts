/**
 * gd as an app ships it: a tiny training app (app/) that imports @gd/tensor, @gd/autograd,
 * @gd/nn and @gd/optim is built with Vite and with esbuild, as their users would build it
 * (nothing copied by hand), each build is served from 127.0.0.1 and opened in headless
 * Chromium, and the page trains on the wasm backend with the losses of the same steps in Node.
 *
 * Vite finds the kernels through `new URL(..., import.meta.url)` (it emits them as assets); the
 * esbuild app carries them inside its bundle (@gd/tensor/wasm-inline). Graphviz (@viz-js/viz,
 * behind autograd's renderSvg, which the app does not call) must not be loaded: Vite drops it,
 * esbuild leaves it in a chunk of its own that nothing loads.
 *
 * Without Chromium (or playwright-core, or a build) the test is skipped with a notice, except
 * under CI, where that is a failure.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, StaticSite } from '@gd/vitest-config/browser';
import {
  ISOLATION_HEADERS,
  browserMissing,
  launchChromium,
  serveStatic,
} from '@gd/vitest-config/browser';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainResult } from '../app/train.js';
import { train } from '../app/train.js';

const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const APP = fileURLToPath(new URL('../app', import.meta.url));
const TENSOR = dirname(createRequire(import.meta.url).resolve('@gd/tensor/package.json'));
const missing =
  browserMissing() ??
  (existsSync(join(TENSOR, 'dist/wasm-inline.js')) && existsSync(join(TENSOR, 'build'))
    ? null
    : '@gd/tensor is not built (pnpm build)');
if (missing && !CI) console.warn(`[bundle-check] skipped: ${missing}`);

const STEPS = 20;

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

async function buildWithVite(outDir: string): Promise<void> {
  await viteBuild({
    root: APP,
    configFile: false,
    logLevel: 'error',
    // Top-level await (gd loads its kernels as it is imported) needs ES2022.
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
}

async function buildWithEsbuild(outDir: string): Promise<void> {
  await esbuild.build({
    entryPoints: { app: join(APP, 'esbuild-main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: outDir,
    logLevel: 'error',
  });
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>gd in an esbuild app</title><link rel="icon" href="data:,">
<script type="module" src="/app.js"></script>`;

describe.skipIf(missing !== null && !CI)('a tiny training app built by bundlers', () => {
  let work: string;
  let context: BrowserContext;
  let expected: TrainResult;
  // Closed after the browser, which keeps its connections to them open.
  const sites: StaticSite[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`bundle check: ${missing}`);
    work = mkdtempSync(join(tmpdir(), 'gd-bundle-check-'));
    context = await launchChromium(join(work, 'profile'), ['--disable-gpu']);
    expected = await train(STEPS);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await Promise.all(sites.map((s) => s.close()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens the app at `site` and returns what it reports, with the page's errors. */
  async function open(site: StaticSite): Promise<{ result: TrainResult; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await page.goto(`${site.url}/`);
      await page.waitForFunction(
        () => 'gdResult' in globalThis || 'gdError' in globalThis,
        undefined,
        { timeout: 60_000 },
      );
      const error = await page.evaluate(() => (globalThis as { gdError?: string }).gdError);
      expect(error).toBeUndefined();
      const result = await page.evaluate(
        () => (globalThis as unknown as { gdResult: TrainResult }).gdResult,
      );
      return { result, errors };
    } finally {
      await page.close();
    }
  }

  async function hardwareConcurrency(site: StaticSite): Promise<number> {
    const page = await context.newPage();
    try {
      await page.goto(`${site.url}/none`);
      return await page.evaluate(() => navigator.hardwareConcurrency);
    } finally {
      await page.close();
    }
  }

  function checkTraining(r: TrainResult, bundler: string, threads = 1): void {
    console.log(
      `[bundle-check] ${bundler}: backend ${r.backend}, ${r.threads} thread(s), loss ` +
        `${r.losses[0]!.toFixed(4)} -> ${r.losses.at(-1)!.toFixed(4)} (Node on ${expected.backend}: ` +
        `${expected.losses.at(-1)!.toFixed(4)})`,
    );
    expect(r.backend).toBe('wasm');
    expect(r.threads).toBe(threads);
    expect(r.losses).toHaveLength(STEPS);
    r.losses.forEach((l, i) => expect(Math.abs(l - expected.losses[i]!)).toBeLessThan(1e-4));
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.5);
  }

  it('Vite: the kernels are emitted as an asset and fetched from it', async () => {
    const out = join(work, 'vite');
    await buildWithVite(out);
    const built = files(out);
    const kernels = built.filter((f) => f.endsWith('.wasm'));
    expect(kernels.length).toBeGreaterThan(0);
    // The app never calls renderSvg: Graphviz is not in the build at all.
    const scripts = built.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) expect(readFileSync(join(out, f), 'utf8')).not.toContain('Graphviz');
    const site = await serveStatic(
      { '/': readFileSync(join(out, 'index.html'), 'utf8') },
      { '/assets/': join(out, 'assets') },
    );
    sites.push(site);
    const { result, errors } = await open(site);
    checkTraining(result, 'Vite');
    const fetched = site.requests.filter((p) => p.endsWith('.wasm'));
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toMatch(/^\/assets\/gd_kernels_single-[\w-]+\.wasm$/);
    expect(errors).toEqual([]);
  });

  it('esbuild: the kernels come inside the bundle (@gd/tensor/wasm-inline), no .wasm request', async () => {
    const out = join(work, 'esbuild');
    await buildWithEsbuild(out);
    expect(readFileSync(join(out, 'app.js'), 'utf8')).not.toContain('Graphviz');
    // (esbuild keeps the dynamically imported module as a chunk; the page must not request it.)
    const chunks = files(out).filter((f) => f.endsWith('.js'));
    expect(chunks.some((f) => readFileSync(join(out, f), 'utf8').includes('Graphviz'))).toBe(true);
    const site = await serveStatic({ '/': PAGE }, { '/': out });
    sites.push(site);
    const { result, errors } = await open(site);
    checkTraining(result, 'esbuild');
    expect(site.requests.filter((p) => p.endsWith('.wasm'))).toEqual([]);
    expect(site.requests.filter((p) => p.startsWith('/viz'))).toEqual([]);
    expect(errors).toEqual([]);

    // Cross-origin isolated, the same bytes serve a shared memory and the GEMM's threads.
    const isolated = await serveStatic({ '/': PAGE }, { '/': out }, ISOLATION_HEADERS);
    sites.push(isolated);
    const cores = Math.min(await hardwareConcurrency(isolated), 16);
    const shared = await open(isolated);
    checkTraining(shared.result, 'esbuild, cross-origin isolated', cores);
    expect(isolated.requests.filter((p) => p.endsWith('.wasm'))).toEqual([]);
    expect(shared.errors).toEqual([]);
  });
});
