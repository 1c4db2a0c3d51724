/**
 * Where the WebAssembly kernels come from: the package's own build/ folder by default, or what
 * the caller hands to `initWasm` (a URL, the bytes, or a compiled module), for bundlers that do
 * not copy build/ next to the bundle. This module comes with the runtime (runtime.ts re-exports
 * it): it is loaded on demand, with the rest of the backend, not by every page up front. It
 * stays beside source.ts because the default URLs are relative to this folder.
 *
 * The two kernel files differ only in whether the memory they import is shared (threads) or
 * not, so either file serves both: the bytes are patched to the memory this page can have.
 */
import type * as NodeFs from 'node:fs';
import type { WasmSource } from './source.js';

type Proc = { versions?: { node?: string } };
const isNode = !!(globalThis as { process?: Proc }).process?.versions?.node;

/** How to tell gd where the kernels are, for error messages. */
export const WASM_HELP =
  "tell gd where they are with `await initWasm({ wasm: url })` (the URL of @gd/tensor's build/gd_kernels_single.wasm as your bundler serves it, or its bytes), or embed them: `import { wasm } from '@gd/tensor/wasm-inline'; await initWasm({ wasm })`";

/**
 * The kernels are not where gd looked: the message names the place, `help` says how to tell gd
 * where they are.
 */
export class KernelsNotFound extends Error {
  readonly help = WASM_HELP;
}

/**
 * Vite's dev server serves its users' dependencies pre-bundled by esbuild from its cache
 * (`node_modules/.vite/deps/chunk-*.js`), where `import.meta.url` no longer points into the
 * package; the package itself is still in `node_modules/@gd/tensor` beside the cache.
 */
const VITE_DEPS = /\/node_modules\/\.vite\/deps\/[^/]*$/;

/**
 * The default location: build/ next to the package (three levels above this module), or next
 * to the package in node_modules when this module runs from Vite's dependency cache.
 */
export function defaultWasmUrl(shared: boolean, moduleUrl = import.meta.url): URL {
  const here = new URL(moduleUrl);
  if (VITE_DEPS.test(here.pathname)) {
    const file = shared ? 'gd_kernels.wasm' : 'gd_kernels_single.wasm';
    return new URL(`../../@gd/tensor/build/${file}`, here.origin + here.pathname);
  }
  // Two literal URLs (not a template), so that bundlers which handle `new URL(literal,
  // import.meta.url)` (Vite, Rollup and webpack plugins, Parcel) emit the files as assets.
  return shared
    ? new URL('../../../build/gd_kernels.wasm', import.meta.url)
    : new URL('../../../build/gd_kernels_single.wasm', import.meta.url);
}

function readLeb(b: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = b[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/**
 * A copy of a wasm binary whose imported memory is shared (or not), found by walking the
 * import section; the byte stays as it is when there is no imported memory.
 */
export function withSharedMemory(bytes: Uint8Array, shared: boolean): Uint8Array {
  const b = bytes.slice();
  let at = 8; // magic and version
  while (at < b.length) {
    const id = b[at]!;
    const [size, body] = readLeb(b, at + 1);
    if (id === 2) {
      let [count, p] = readLeb(b, body);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [len, q] = readLeb(b, p);
          p = q + len;
        }
        const kind = b[p++]!;
        if (kind === 2) {
          b[p] = shared ? b[p]! | 2 : b[p]! & ~2;
          return b;
        }
        if (kind === 0 || kind === 4) p = readLeb(b, p + (kind === 4 ? 1 : 0))[1];
        else if (kind === 3) p += 2;
        else {
          // A table: its element type, then limits (flags, min, max when flag bit 0 is set).
          const flags = b[p + 1]!;
          p = readLeb(b, p + 2)[1];
          if (flags & 1) p = readLeb(b, p)[1];
        }
      }
      return b;
    }
    at = body + size;
  }
  return b;
}

function isWasm(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  if (isNode && url.protocol === 'file:') {
    const specifier = 'node:fs';
    const fs = (await import(/* @vite-ignore */ specifier)) as typeof NodeFs;
    try {
      return new Uint8Array(fs.readFileSync(url));
    } catch (e) {
      throw new KernelsNotFound(
        `kernels not found at ${url.href} (${(e as Error).message.split('\n')[0]})`,
      );
    }
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new KernelsNotFound(
      `kernels could not be fetched from ${url.href} (${(e as Error).message})`,
    );
  }
  if (!response.ok) {
    throw new KernelsNotFound(`kernels not found at ${url.href} (HTTP ${response.status})`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isWasm(bytes)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new KernelsNotFound(
      `${url.href} is not a WebAssembly file (${type}): the server sent something else`,
    );
  }
  return bytes;
}

function asBytes(source: ArrayBuffer | ArrayBufferView): Uint8Array {
  const bytes = ArrayBuffer.isView(source)
    ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
    : new Uint8Array(source);
  if (!isWasm(bytes)) throw new Error('the bytes given are not a WebAssembly module');
  return bytes;
}

/**
 * The kernel module for a shared (threads) or a plain memory, from `source`, or from build/
 * next to the package when there is none. A compiled module is returned as it is: it must
 * import the kind of memory asked for (the caller falls back to a plain memory otherwise).
 */
export async function loadKernels(
  source: WasmSource | undefined,
  shared: boolean,
): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let bytes: Uint8Array;
  if (source === undefined || typeof source === 'string' || source instanceof URL) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const url =
      source === undefined ? defaultWasmUrl(shared) : new URL(source, base ?? import.meta.url);
    bytes = await fetchBytes(url).catch((e: unknown) => {
      // pnpm links only direct dependencies into node_modules: an app that imports gd through
      // @gd/autograd alone has no node_modules/@gd/tensor for the pre-bundled code to find.
      if (
        e instanceof KernelsNotFound &&
        source === undefined &&
        VITE_DEPS.test(new URL(import.meta.url).pathname)
      ) {
        throw new KernelsNotFound(
          `${e.message} (Vite pre-bundled @gd/tensor; add it to your dependencies, or to optimizeDeps.exclude in vite.config)`,
        );
      }
      throw e;
    });
  } else {
    bytes = asBytes(source);
  }
  return WebAssembly.compile(withSharedMemory(bytes, shared) as BufferSource);
}
