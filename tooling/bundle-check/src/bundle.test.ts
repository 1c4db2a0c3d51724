/**
 * gd as an app ships it: a tiny training app (app/) that imports @gd/tensor, @gd/autograd,
 * @gd/nn and @gd/optim is built with Vite and with esbuild, as their users would build it
 * (nothing copied by hand), each build is served from 127.0.0.1 and opened in headless
 * Chromium, and the page trains on the wasm backend with the losses of the same steps in Node.
 *
 * Vite finds the kernels through `new URL(..., import.meta.url)` (it emits them as assets); under
 * Vite's dev server, where the packages are pre-bundled into its dependency cache, gd finds them
 * in node_modules/@gd/tensor/build. The esbuild app carries them inside its bundle (@gd/tensor/wasm-inline). Graphviz (@viz-js/viz,
 * behind renderSvg in @gd/autograd/graph, which the app does not import) is in neither build,
 * and the wasm backend's runtime, with the kernels' loader, is a chunk loaded as the backend starts. The WebGPU backend's code is a
 * chunk loaded only by the pages that call initWebGpu; those (Chromium's SwiftShader adapter)
 * train on the GPU, with the device worker built by each bundler.
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
  WEBGPU_SWIFTSHADER_ARGS,
  browserMissing,
  launchChromium,
  serveStatic,
} from '@gd/vitest-config/browser';
import * as esbuild from 'esbuild';
import { createServer as viteDevServer, build as viteBuild } from 'vite';
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
    // Top-level await (gd loads its kernels as it is imported) needs ES2022, and module
    // workers (the WebGPU device worker).
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
    // As an app that keeps class names builds (the esbuild app below does not): gd's code that
    // runs from function source must survive the name helper (see keep-names.test.ts).
    esbuild: { keepNames: true },
  });
}

async function buildWithEsbuild(outDir: string): Promise<void> {
  await esbuild.build({
    entryPoints: {
      app: join(APP, 'esbuild-main.ts'),
      'gd-webgpu-worker': '@gd/tensor/webgpu-worker',
    },
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
  let cpu: BrowserContext;
  let gpu: BrowserContext;
  let expected: TrainResult;
  let vite: StaticSite;
  let esb: StaticSite;
  // Closed after the browsers, which keep their connections to them open.
  const sites: StaticSite[] = [];
  const serve = async (...args: Parameters<typeof serveStatic>): Promise<StaticSite> => {
    const site = await serveStatic(...args);
    sites.push(site);
    return site;
  };

  beforeAll(async () => {
    if (missing) throw new Error(`bundle check: ${missing}`);
    work = mkdtempSync(join(tmpdir(), 'gd-bundle-check-'));
    await Promise.all([buildWithVite(join(work, 'vite')), buildWithEsbuild(join(work, 'esb'))]);
    const html = readFileSync(join(work, 'vite/index.html'), 'utf8');
    vite = await serve({ '/': html }, { '/assets/': join(work, 'vite/assets') });
    esb = await serve({ '/': PAGE }, { '/': join(work, 'esb') });
    cpu = await launchChromium(join(work, 'profile'), ['--disable-gpu']);
    gpu = await launchChromium(join(work, 'profile-gpu'), WEBGPU_SWIFTSHADER_ARGS);
    expected = await train(STEPS);
  }, 120_000);

  afterAll(async () => {
    await cpu?.close();
    await gpu?.close();
    await Promise.all(sites.map((s) => s.close()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens the app at `url` and returns what it reports, with the page's errors. */
  async function open(
    context: BrowserContext,
    url: string,
  ): Promise<{ result?: TrainResult; error?: string; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await page.goto(url);
      await page.waitForFunction(
        () => 'gdResult' in globalThis || 'gdError' in globalThis,
        undefined,
        { timeout: 60_000 },
      );
      return {
        ...(await page.evaluate(() => {
          const g = globalThis as { gdResult?: TrainResult; gdError?: string };
          return { result: g.gdResult, error: g.gdError };
        })),
        errors,
      };
    } finally {
      await page.close();
    }
  }

  /** Opens the app and checks that it trained with no error. */
  async function trained(context: BrowserContext, url: string): Promise<TrainResult> {
    const { result, error, errors } = await open(context, url);
    expect(error).toBeUndefined();
    expect(errors).toEqual([]);
    return result!;
  }

  async function hardwareConcurrency(site: StaticSite): Promise<number> {
    const page = await cpu.newPage();
    try {
      await page.goto(`${site.url}/none`);
      return await page.evaluate(() => navigator.hardwareConcurrency);
    } finally {
      await page.close();
    }
  }

  function checkTraining(r: TrainResult, what: string, backend: string, threads = 1): void {
    console.log(
      `[bundle-check] ${what}: backend ${r.backend}, ${r.threads} thread(s), loss ` +
        `${r.losses[0]!.toFixed(4)} -> ${r.losses.at(-1)!.toFixed(4)} (Node on ${expected.backend}: ` +
        `${expected.losses.at(-1)!.toFixed(4)})`,
    );
    expect(r.backend).toBe(backend);
    expect(r.threads).toBe(threads);
    expect(r.losses).toHaveLength(STEPS);
    // float32 throughout; the GPU accumulates sums in float32.
    const tolerance = backend === 'webgpu' ? 1e-3 : 1e-4;
    r.losses.forEach((l, i) =>
      expect(Math.abs(l - expected.losses[i]!)).toBeLessThan(tolerance * Math.max(1, l)),
    );
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.5);
  }

  const fetched = (site: StaticSite, pattern: RegExp): string[] =>
    site.requests.filter((p) => pattern.test(p));
  const DEVICE_CHUNK = /\/(assets\/)?device-[\w-]+\.js$/;
  // The wasm backend's thread pool: loaded only where a shared memory allows threads.
  const THREADS_CHUNK = /\/(assets\/)?threads-[\w-]+\.js$/;

  it('Vite: the kernels are emitted as an asset and fetched from it', async () => {
    const built = files(join(work, 'vite'));
    expect(built.filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);
    // The app never imports @gd/autograd/graph: Graphviz is not in the build at all.
    const scripts = built.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) {
      expect(readFileSync(join(work, 'vite', f), 'utf8')).not.toContain('Graphviz');
    }
    checkTraining(await trained(cpu, `${vite.url}/`), 'Vite', 'wasm');
    const wasm = fetched(vite, /\.wasm$/);
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatch(/^\/assets\/gd_kernels_single-[\w-]+\.wasm$/);
    expect(fetched(vite, DEVICE_CHUNK)).toEqual([]);
    expect(fetched(vite, THREADS_CHUNK)).toEqual([]);
  });

  it("Vite's dev server: the pre-bundled package finds its kernels in node_modules", async () => {
    // What an app that installed gd from npm gets under `vite dev`: the packages pre-bundled
    // into Vite's dependency cache (workspace links would be served as sources instead).
    const requests: string[] = [];
    const server = await viteDevServer({
      root: APP,
      configFile: false,
      logLevel: 'error',
      server: { host: '127.0.0.1', strictPort: false, hmr: false },
      optimizeDeps: {
        include: ['@gd/tensor', '@gd/autograd', '@gd/nn', '@gd/optim'],
        force: true,
        esbuildOptions: { target: 'es2022' },
      },
      plugins: [
        {
          name: 'record-requests',
          configureServer: (dev) => {
            dev.middlewares.use((req, _res, next) => {
              requests.push(req.url ?? '');
              next();
            });
          },
        },
      ],
    });
    try {
      await server.listen();
      const url = server.resolvedUrls!.local[0]!;
      checkTraining(await trained(cpu, url), 'Vite dev server', 'wasm');
      const wasm = requests.filter((r) => /\.wasm(\?|$)/.test(r));
      // (the app's node_modules is its parent's, outside Vite's root: served under /@fs/)
      expect(wasm).toHaveLength(1);
      expect(wasm[0]).toMatch(/\/node_modules\/@gd\/tensor\/build\/gd_kernels_single\.wasm$/);
      expect(requests.some((r) => r.includes('/node_modules/.vite/deps/'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('esbuild: the kernels come inside the bundle (@gd/tensor/wasm-inline), no .wasm request', async () => {
    const out = join(work, 'esb');
    // The app never imports @gd/autograd/graph: Graphviz is in none of the chunks.
    const chunks = files(out).filter((f) => f.endsWith('.js'));
    expect(chunks.some((f) => readFileSync(join(out, f), 'utf8').includes('Graphviz'))).toBe(false);
    // The wasm backend's runtime (and the kernels' loader) is a chunk of its own, loaded as the backend starts.
    expect(chunks.some((f) => /^runtime-[\w-]+\.js$/.test(f))).toBe(true);
    checkTraining(await trained(cpu, `${esb.url}/`), 'esbuild', 'wasm');
    expect(fetched(esb, /\.wasm$/)).toEqual([]);
    expect(fetched(esb, /^\/viz/)).toEqual([]);
    expect(fetched(esb, DEVICE_CHUNK)).toEqual([]);
    expect(fetched(esb, THREADS_CHUNK)).toEqual([]);

    // Cross-origin isolated, the same bytes serve a shared memory and the GEMM's threads.
    const isolated = await serve({ '/': PAGE }, { '/': out }, ISOLATION_HEADERS);
    const cores = Math.min(await hardwareConcurrency(isolated), 16);
    const shared = await trained(cpu, `${isolated.url}/`);
    checkTraining(shared, 'esbuild, cross-origin isolated', 'wasm', cores);
    expect(fetched(isolated, /\.wasm$/)).toEqual([]);
    expect(fetched(isolated, THREADS_CHUNK)).toHaveLength(1);
  });

  it('WebGPU: the backend loads on demand, with the device worker each bundler built', async () => {
    const onVite = await trained(gpu, `${vite.url}/?webgpu`);
    checkTraining(onVite, 'Vite, WebGPU', 'webgpu');
    expect(fetched(vite, DEVICE_CHUNK)).toHaveLength(1);
    expect(fetched(vite, /\/assets\/worker-[\w-]+\.js$/)).toHaveLength(1);

    const onEsbuild = await trained(gpu, `${esb.url}/?webgpu=/gd-webgpu-worker.js`);
    checkTraining(onEsbuild, 'esbuild, WebGPU', 'webgpu');
    expect(fetched(esb, DEVICE_CHUNK)).toHaveLength(1);
    expect(esb.requests).toContain('/gd-webgpu-worker.js');

    // A worker URL that is not there: the error names it and the option, without a long wait.
    const missingWorker = await open(gpu, `${esb.url}/?webgpu=/nope/worker.js`);
    expect(missingWorker.error).toContain(
      `the device worker could not be started from ${esb.url}/nope/worker.js`,
    );
    expect(missingWorker.error).toContain('initWebGpu({ workerUrl })');
  });
});
