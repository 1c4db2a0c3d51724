// A headless-Chromium harness for the browser tests: Debian's Chromium driven by
// playwright-core (a dependency of apps/serve), esbuild (from vitest's vite) for bundles, and a
// tiny static server on 127.0.0.1 (WebGPU and module workers need a secure context, which a
// data: URL is not). Nothing is downloaded.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE = fileURLToPath(new URL('../..', import.meta.url));

/** @param {string} from @param {string} id */
function resolveFrom(from, id) {
  try {
    return createRequire(join(WORKSPACE, from)).resolve(id);
  } catch {
    return null;
  }
}

/** The Chromium executable, or null. */
export function findChromium() {
  return (
    [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
      (p) => !!p && existsSync(p),
    ) ?? null
  );
}

const PLAYWRIGHT = resolveFrom('apps/serve/package.json', 'playwright-core');
const VITE = (() => {
  const vitest = resolveFrom('tooling/vitest/package.json', 'vitest/package.json');
  try {
    return vitest ? createRequire(vitest).resolve('vite/package.json') : null;
  } catch {
    return null;
  }
})();
const ESBUILD = VITE ? createRequire(VITE).resolve('esbuild') : null;

/** Where esbuild is (vite's), or null. */
export function esbuildPath() {
  return ESBUILD;
}

/** Why the browser tests cannot run here, or null. */
export function browserMissing() {
  if (!findChromium()) return 'no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  if (!PLAYWRIGHT) return 'playwright-core is not installed (pnpm install in the workspace)';
  if (!ESBUILD) return 'esbuild (from vite) is not installed';
  return null;
}

/**
 * Bundles `contents` (an ES module) for the browser with esbuild, resolving imports from
 * `resolveDir`.
 */
export async function bundle(contents, resolveDir) {
  const esbuild = createRequire(import.meta.url)(ESBUILD);
  const out = await esbuild.build({
    stdin: { contents, resolveDir, sourcefile: 'entry.js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves `routes` (path -> body) and the files under `mounts` (URL prefix -> directory) on
 * 127.0.0.1, recording the paths requested; `headers` go on every response (COOP/COEP for a
 * cross-origin-isolated page, say).
 */
export async function serveStatic(routes, mounts, headers = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const send = (status, type, body) =>
      res
        .writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-store' })
        .end(body);
    if (path in routes) {
      const type = TYPES[extname(path)] ?? TYPES['.html'];
      return send(200, type, routes[path]);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      const type = TYPES[extname(file)];
      if (file.startsWith(normalize(dir) + sep) && type && existsSync(file)) {
        return send(200, type, readFileSync(file));
      }
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, wasm threads). */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** Headless Chromium on the profile directory, with the machine's closed network in mind. */
export function launchChromium(profile, extraArgs = []) {
  const { chromium } = createRequire(import.meta.url)(PLAYWRIGHT);
  return chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Chromium's flags for WebGPU on its SwiftShader adapter (a software GPU). */
export const WEBGPU_SWIFTSHADER_ARGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
];
