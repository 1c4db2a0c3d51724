/**
 * The WebAssembly backend in a real browser: headless Chromium (Debian's package, driven by
 * playwright-core, which apps/serve depends on) loads @gd/tensor from a tiny local server, fetches
 * the kernel module over HTTP, and computes a 128x784x512 matmul, a softmax and sums on the wasm
 * backend and on the reference backend in the same page.
 *
 * Two pages: one cross-origin isolated (COOP same-origin + COEP require-corp, so SharedArrayBuffer
 * exists and the GEMM splits across Web Workers over a shared memory; the package is bundled with
 * esbuild, as an app would ship it), one not isolated (one thread, gd_kernels_single.wasm; the
 * package's ES modules from dist/ loaded as they are).
 *
 * Then the WebGPU backend in a page (Chromium's SwiftShader adapter): tensors on the GPU from the
 * page's main thread, read with the async readers.
 *
 * Without Chromium (or playwright-core, or a build) the test is skipped with a notice, except
 * under CI, where that is a failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from '@gd/vitest-config/browser';
import { WEBGPU_SWIFTSHADER_ARGS, launchChromium } from '@gd/vitest-config/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Gd from '../src/index.js';
import { manualSeed, matmul, randn } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && existsSync(p),
);

/** Resolves `id` as seen from the package.json at `from` (relative to the workspace root). */
function resolveFrom(from: string, id: string): string | null {
  try {
    return createRequire(join(ROOT, from)).resolve(id);
  } catch {
    return null;
  }
}

// Neither is a dependency of @gd/tensor: playwright-core comes from apps/serve, esbuild from vite.
const PLAYWRIGHT =
  resolveFrom('package.json', 'playwright-core') ??
  resolveFrom('../../apps/serve/package.json', 'playwright-core');
const VITE = resolveFrom('package.json', 'vite/package.json') ?? vitePackage();
const ESBUILD = VITE ? createRequire(VITE).resolve('esbuild') : null;

function vitePackage(): string | null {
  const vitest = resolveFrom('package.json', 'vitest/package.json');
  if (!vitest) return null;
  try {
    return createRequire(vitest).resolve('vite/package.json');
  } catch {
    return null;
  }
}

const missing = !CHROMIUM
  ? 'no Chromium (install it: apt-get install -y chromium, or set CHROMIUM_PATH)'
  : !PLAYWRIGHT
    ? 'playwright-core not installed (pnpm install in the workspace)'
    : !existsSync(join(ROOT, 'build/gd_kernels.wasm')) ||
        !existsSync(join(ROOT, 'build/gd_kernels_single.wasm'))
      ? 'the wasm kernels are not built (node scripts/build-wasm.mjs)'
      : !existsSync(join(ROOT, 'dist/index.js'))
        ? 'dist/ is not built (tsc -p tsconfig.build.json)'
        : null;
if (missing && !CI) console.warn(`[@gd/tensor browser test] skipped: ${missing}`);

// The piece of esbuild used here (not a typed dependency).
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/**
 * Where the bundle is served: the package finds its kernels at `../../../build/` from its own
 * module URL (dist/backend/wasm/index.js), so a bundle that inlines that module sits three
 * directories below the folder that holds build/.
 */
const BUNDLE_PATH = 'app/js/esm/gd.js';

interface Site {
  url: string;
  /** Paths the pages requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves /iso/ (cross-origin isolated, loading the bundle when there is one) and /plain/ (no
 * isolation headers, loading dist/index.js), each with build/ and dist/ beneath it.
 */
async function serve(bundle: string | null): Promise<Site> {
  const requests: string[] = [];
  const page = (src: string): string =>
    `<!doctype html><meta charset="utf-8"><title>@gd/tensor wasm</title><link rel="icon" href="data:,">
<script>
import(${JSON.stringify(src)}).then(
  (m) => { globalThis.gd = m; },
  (e) => { globalThis.gdError = String((e && e.stack) || e); },
);
</script>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const m = /^\/(iso|plain)\/(.*)$/.exec(path);
    const send = (status: number, type: string, body: string | Buffer): void => {
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
      if (m?.[1] === 'iso') {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
        headers['cross-origin-resource-policy'] = 'same-origin';
      }
      res.writeHead(status, headers).end(body);
    };
    if (!m) return send(404, 'text/plain', 'not found');
    const [, site, rest = ''] = m;
    if (rest === '') {
      return send(
        200,
        TYPES['.html']!,
        page(`./${site === 'iso' && bundle ? BUNDLE_PATH : 'dist/index.js'}`),
      );
    }
    if (site === 'iso' && bundle && rest === BUNDLE_PATH) return send(200, TYPES['.js']!, bundle);
    const file = normalize(join(ROOT, rest));
    const allowed = [join(ROOT, 'dist') + sep, join(ROOT, 'build') + sep].some((d) =>
      file.startsWith(d),
    );
    const type = TYPES[extname(file)];
    if (!allowed || !type || !existsSync(file)) return send(404, 'text/plain', 'not found');
    send(200, type, readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

async function bundlePackage(): Promise<string | null> {
  if (!ESBUILD) return null;
  const esbuild = createRequire(import.meta.url)(ESBUILD) as Esbuild;
  const out = await esbuild.build({
    stdin: {
      contents: "export * from './dist/index.js';",
      resolveDir: ROOT,
      sourcefile: 'entry.js',
    },
    bundle: true,
    format: 'esm', // the package has top-level awaits
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? null;
}

/** What a page reports back. */
interface PageResult {
  isolated: boolean;
  cores: number;
  backend: string;
  wasmThreads: number;
  /** Max abs differences wasm vs reference: matmul, softmax, row sums, total sum. */
  diffs: number[];
  /** The first values of the reference matmul and the total sum, to check against Node. */
  head: number[];
  total: number;
  workersCreated: number;
  /** Workers seen running a GEMM task (each reports its first one). */
  workersRan: number;
  workerErrors: string[];
}

/** Runs in the page, where `globalThis.gd` is the package. */
async function inPage(): Promise<PageResult> {
  const g = globalThis as unknown as { gd: typeof Gd };
  const gd = g.gd;

  // Count the workers the backend starts, and make each report when it first runs a GEMM task:
  // the worker's script is loaded through a shim that wraps the instance's gemm export.
  const probe = { created: 0, ran: 0, errors: [] as string[] };
  const Original = globalThis.Worker;
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      const shim = `
        const Instance = WebAssembly.Instance;
        let told = false;
        WebAssembly.Instance = function (module, imports) {
          const exports = new Instance(module, imports).exports;
          const gemm = exports.gemm;
          return { exports: { ...exports, gemm: (...args) => {
            if (!told) { told = true; postMessage('gd-gemm'); }
            return gemm(...args);
          } } };
        };
        importScripts(${JSON.stringify(String(url))});`;
      super(URL.createObjectURL(new Blob([shim], { type: 'text/javascript' })), options);
      probe.created++;
      this.addEventListener('message', (e) => {
        if (e.data === 'gd-gemm') probe.ran++;
      });
      this.addEventListener('error', (e) => probe.errors.push(e.message));
    }
  };

  gd.setBackend('wasm');
  const backend = gd.getBackend().name;
  gd.manualSeed(0);
  const a = gd.randn([128, 784]);
  const b = gd.randn([784, 512]);
  const compute = (name: string): Gd.NDArray[] => {
    gd.setBackend(name);
    const c = gd.matmul(a, b);
    const s = c.softmax(1);
    return [c, s, s.sum(1), s.sum()];
  };
  const ref = compute('reference');
  const wasm = compute('wasm');
  const diffs = ref.map((r, i) => {
    const x = r.data;
    const y = wasm[i]!.data;
    if (x.length !== y.length) return Infinity;
    let m = 0;
    for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(Number(x[j]) - Number(y[j])));
    return m;
  });

  // Workers start on the first threaded GEMM and join the jobs that follow once they are up.
  const threads = gd.wasmThreads();
  for (let i = 0; threads > 1 && probe.ran === 0 && probe.errors.length === 0 && i < 50; i++) {
    await new Promise((done) => setTimeout(done, 20));
    const c = gd.matmul(a, b).data;
    const r = ref[0]!.data;
    for (let j = 0; j < r.length; j++) diffs[0] = Math.max(diffs[0]!, Math.abs(r[j]! - c[j]!));
  }
  // Let the last reports arrive.
  await new Promise((done) => setTimeout(done, 50));
  gd.setBackend('reference');
  globalThis.Worker = Original;
  return {
    isolated: globalThis.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    backend,
    wasmThreads: threads,
    diffs,
    head: Array.from(ref[0]!.data.subarray(0, 8)),
    total: ref[3]!.item(),
    workersCreated: probe.created,
    workersRan: probe.ran,
    workerErrors: probe.errors,
  };
}

describe.skipIf(missing !== null && !CI)('the wasm backend in headless Chromium', () => {
  let site: Site;
  let context: BrowserContext;
  let profile: string;
  let bundled = false;
  let bundleText: string | null = null;
  const pageErrors: string[] = [];
  let expected: { head: number[]; total: number };

  beforeAll(async () => {
    if (missing) throw new Error(`browser test: ${missing}`);
    const bundle = await bundlePackage();
    bundled = bundle !== null;
    bundleText = bundle;
    site = await serve(bundle);
    profile = mkdtempSync(join(tmpdir(), 'gd-tensor-chromium-'));
    context = await launchChromium(profile, ['--disable-gpu']);
    // The same numbers in Node (the reference backend), for the page's reference run.
    manualSeed(0);
    const c = matmul(randn([128, 784]), randn([784, 512]));
    expected = {
      head: Array.from(c.data.subarray(0, 8)),
      total: c.softmax(1).sum().item(),
    };
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<PageResult> {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    try {
      await page.goto(`${site.url}${path}`);
      await page.waitForFunction(() => 'gd' in globalThis || 'gdError' in globalThis, undefined, {
        timeout: 60_000,
      });
      const error = await page.evaluate(() => (globalThis as { gdError?: string }).gdError ?? null);
      expect(error).toBeNull();
      return await page.evaluate(inPage);
    } finally {
      await page.close();
    }
  }

  function checkNumbers(r: PageResult): void {
    expect(r.backend).toBe('wasm');
    expect(r.diffs).toHaveLength(4);
    for (const d of r.diffs) expect(d).toBeLessThan(1e-4);
    r.head.forEach((v, i) => expect(Math.abs(v - expected.head[i]!)).toBeLessThan(1e-4));
    expect(r.total).toBeCloseTo(128, 3); // 128 rows of probabilities
    expect(Math.abs(r.total - expected.total)).toBeLessThan(1e-4);
  }

  it.skipIf(!ESBUILD)(
    'a browser bundle takes the stand-in for the native addon (package.json "browser")',
    () => {
      expect(bundleText).toContain('// dist/backend/native/browser.js');
      expect(bundleText).not.toContain('// dist/backend/native/index.js');
      expect(bundleText).not.toContain('gd_native.node');
    },
  );

  it('cross-origin isolated: shared memory, GEMM on Web Workers, same numbers as the reference', async () => {
    const r = await open('/iso/');
    console.log(
      `[@gd/tensor browser test] isolated page (${bundled ? 'esbuild bundle' : 'dist modules'}): ` +
        `crossOriginIsolated=${r.isolated}, ${r.cores} cores, wasmThreads()=${r.wasmThreads}, ` +
        `${r.workersCreated} workers started, ${r.workersRan} ran GEMM tasks; ` +
        `max diffs ${r.diffs.map((d) => d.toExponential(1)).join(' ')}`,
    );
    expect(r.isolated).toBe(true);
    checkNumbers(r);
    expect(site.requests).toContain(`/iso/${bundled ? BUNDLE_PATH : 'dist/index.js'}`);
    expect(site.requests).toContain('/iso/build/gd_kernels.wasm');
    expect(r.wasmThreads).toBe(Math.max(1, Math.min(r.cores, 16)));
    expect(r.workerErrors).toEqual([]);
    if (r.wasmThreads > 1) {
      expect(r.workersCreated).toBe(r.wasmThreads - 1);
      expect(r.workersRan).toBeGreaterThan(0);
    } else {
      expect(r.workersCreated).toBe(0);
    }
    expect(pageErrors).toEqual([]);
  });

  it('not isolated: no SharedArrayBuffer, one thread on the single-threaded module', async () => {
    const r = await open('/plain/');
    console.log(
      `[@gd/tensor browser test] plain page (dist modules): crossOriginIsolated=${r.isolated}, ` +
        `wasmThreads()=${r.wasmThreads}; max diffs ${r.diffs.map((d) => d.toExponential(1)).join(' ')}`,
    );
    expect(r.isolated).toBe(false);
    checkNumbers(r);
    expect(site.requests).toContain('/plain/dist/backend/wasm/index.js');
    expect(site.requests).toContain('/plain/build/gd_kernels_single.wasm');
    expect(site.requests).not.toContain('/plain/build/gd_kernels.wasm');
    // The WebGPU backend's code is loaded only by pages that use it.
    expect(site.requests).not.toContain('/plain/dist/backend/webgpu/device.js');
    expect(r.wasmThreads).toBe(1);
    expect(r.workersCreated).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/** What the WebGPU page reports back. */
interface GpuPageResult {
  /** The message of setBackend('webgpu') before the backend's code was loaded. */
  notLoaded: string;
  backend: string;
  adapter: string | null;
  /** The message of a synchronous read on the page's main thread (which may not block). */
  syncError: string;
  head: number[];
  total: number;
  rowSums: number[];
  /** conv2d + max pooling + relu on the GPU vs the reference backend, max abs difference. */
  convDiff: number;
}

/** Runs in the page: WebGPU from the main thread, every read asynchronous. */
async function inGpuPage(): Promise<GpuPageResult> {
  const gd = (globalThis as unknown as { gd: typeof Gd }).gd;
  let notLoaded = '';
  try {
    gd.setBackend('webgpu');
  } catch (e) {
    notLoaded = (e as Error).message;
  }
  await gd.initWebGpu();
  gd.manualSeed(0);
  const a = gd.randn([128, 784]);
  const b = gd.randn([784, 512]);
  const c = gd.matmul(a, b);
  const s = c.softmax(1);
  let syncError = '';
  try {
    s.sum().item();
  } catch (e) {
    syncError = (e as Error).message;
  }
  const x = gd.randn([2, 3, 12, 12]);
  const w = gd.randn([4, 3, 3, 3]);
  const net = (): Gd.NDArray => gd.maxPool2d(gd.conv2d(x, w, null, { padding: 1 }), 2).relu();
  const onGpu = await net().dataAsync();
  gd.setBackend('reference');
  const onCpu = net().data;
  let convDiff = 0;
  onCpu.forEach((v, i) => (convDiff = Math.max(convDiff, Math.abs(v - onGpu[i]!))));
  gd.setBackend('webgpu');
  return {
    notLoaded,
    backend: gd.getBackend().name,
    adapter: gd.webgpuBackend.adapter,
    syncError,
    head: Array.from((await c.dataAsync()).subarray(0, 8)),
    total: await s.sum().itemAsync(),
    rowSums: (await s.sum(1).toArrayAsync()) as number[],
    convDiff,
  };
}

describe.skipIf(missing !== null && !CI)('the WebGPU backend in headless Chromium', () => {
  let site: Site;
  let context: BrowserContext;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`browser test: ${missing}`);
    site = await serve(null);
    profile = mkdtempSync(join(tmpdir(), 'gd-tensor-chromium-gpu-'));
    // WebGPU on Chromium's SwiftShader: a software adapter wherever there is no GPU.
    context = (await launchChromium(profile, WEBGPU_SWIFTSHADER_ARGS)) as unknown as BrowserContext;
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('matmul, softmax and conv/pool on the GPU from the main thread, read back asynchronously; a synchronous read names the async form', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${site.url}/plain/`);
      await page.waitForFunction(() => 'gd' in globalThis || 'gdError' in globalThis, undefined, {
        timeout: 60_000,
      });
      const r = await page.evaluate(inGpuPage);
      console.log(`[@gd/tensor browser test] WebGPU page: adapter ${r.adapter}`);
      expect(r.notLoaded).toMatch(/loads on demand: `await initWebGpu\(\)`/);
      expect(r.backend).toBe('webgpu');
      expect(r.adapter).toBeTruthy();
      expect(r.syncError).toMatch(/await t\.dataAsync\(\)/);
      manualSeed(0);
      const c = matmul(randn([128, 784]), randn([784, 512]));
      r.head.forEach((v, i) => expect(Math.abs(v - c.data[i]!)).toBeLessThan(1e-3));
      expect(r.total).toBeCloseTo(128, 3);
      for (const v of r.rowSums) expect(v).toBeCloseTo(1, 5);
      expect(r.convDiff).toBeLessThan(1e-4);
      expect(site.requests).toContain('/plain/dist/backend/webgpu/worker.js');
      expect(site.requests).toContain('/plain/dist/backend/webgpu/device.js');
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
