/**
 * The WebAssembly backend: SIMD kernels compiled from assembly/ (AssemblyScript) into
 * build/gd_kernels*.wasm, the same in Node and in browsers. Tensors stay in ordinary typed
 * arrays (garbage-collected as usual); each kernel call copies its operands into the module's
 * memory, runs, and copies the result out, which costs O(size) against the GEMM's O(size^1.5).
 * Large GEMMs split across workers that share the memory (when SharedArrayBuffer is there:
 * Node, or a cross-origin-isolated page); everything else runs on the calling thread.
 */
import type { Backend } from '../backend.js';
import { markUnavailable, registerBackend, setBackend } from '../backend.js';
import { BACKEND_CORE } from '../core.js';
import type { WasmStarted } from './runtime.js';
import type { WasmSource } from './source.js';
import { providedKernels } from './source.js';

type Proc = { versions?: { node?: string }; env?: Record<string, string | undefined> };
const proc = (globalThis as { process?: Proc }).process;
const isNode = !!proc?.versions?.node;

/** Why the backend is not registered, or null when it is. */
export let wasmUnavailableReason: string | null = null;

// The smallest module using a v128 instruction: validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

/**
 * Loads the runtime's code (with the kernels' loader), then the kernels (from `source`, else
 * from build/), and starts it; throws why not.
 */
async function init(source?: WasmSource): Promise<WasmStarted> {
  if (typeof WebAssembly !== 'object') throw new Error('this JavaScript engine has no WebAssembly');
  if (!WebAssembly.validate(SIMD_PROBE)) throw new Error('this engine has no WebAssembly SIMD');
  const g = globalThis as { crossOriginIsolated?: boolean };
  const shared =
    typeof SharedArrayBuffer === 'function' && (isNode || g.crossOriginIsolated === true);
  // The loader comes with the runtime's code: one chunk fetched before the kernels.
  const { loadKernels, startWasm } = await import('./runtime.js');
  const module = await loadKernels(source, shared);
  return startWasm(module, shared, source instanceof WebAssembly.Module, BACKEND_CORE);
}

// The GEMM's thread count, once the backend started.
let gemmThreads = 0;

/**
 * The WebAssembly backend, or null where WebAssembly SIMD or the kernel module is missing (see
 * {@link initWasm} to load the kernels from elsewhere; this binding is set when it succeeds).
 *
 * @example
 * ```ts
 * import { setBackend, wasmBackend } from '@gd/tensor';
 * if (wasmBackend) setBackend('wasm');
 * ```
 */
export let wasmBackend: Backend | null = null;

function start(started: WasmStarted): Backend {
  gemmThreads = started.threads;
  wasmBackend = started.backend;
  wasmUnavailableReason = null;
  registerBackend(wasmBackend, 10);
  return wasmBackend;
}

function unavailable(e: unknown): void {
  const message = (e as Error).message.split('\n')[0]!;
  // Kernels not found (load.ts's KernelsNotFound) carry how to tell gd where they are.
  const help = (e as { help?: string }).help;
  wasmUnavailableReason = help ? `${message}; ${help}` : message;
  markUnavailable('wasm', wasmUnavailableReason);
}

// The load in progress or done (shared by overlapping initWasm calls).
let loading: Promise<Backend> | null = null;

/**
 * Options of {@link initWasm}.
 *
 * @example
 * ```ts
 * const options: WasmOptions = { wasm: new URL('/gd/gd_kernels_single.wasm', location.href) };
 * await initWasm(options);
 * ```
 */
export interface WasmOptions {
  /**
   * The kernels: the URL of `gd_kernels_single.wasm` from @gd/tensor's `build/` folder as your
   * app serves it (`gd_kernels.wasm` serves as well), its bytes, or a `WebAssembly.Module`
   * compiled from them. One file serves both cases: gd makes its memory shared (threads) on a
   * cross-origin-isolated page and plain elsewhere. Without it, build/ next to the package.
   * A relative URL is resolved against the page (in Node, pass a `file:` URL or the bytes).
   */
  wasm?: WasmSource;
}

/**
 * Loads the WebAssembly kernels from where you say, registers the wasm backend and makes it
 * the active one. Needed where the kernels are not at their default place (build/ next to the
 * package, which Node, unbundled pages and Vite builds find by themselves): an esbuild bundle,
 * say. Once loaded, later calls only make the backend active.
 *
 * @example
 * ```ts
 * import { initWasm } from '@gd/tensor';
 * import wasmUrl from '@gd/tensor/kernels.wasm'; // esbuild: loader { '.wasm': 'file' }
 * await initWasm({ wasm: wasmUrl });
 *
 * // or with the kernels inside the bundle (about 20 KB gzipped):
 * import { wasm } from '@gd/tensor/wasm-inline';
 * await initWasm({ wasm });
 * ```
 */
export async function initWasm(options: WasmOptions = {}): Promise<Backend> {
  // Calls that overlap share one load.
  loading ??= init(options.wasm).then(start, (e: unknown) => {
    loading = null;
    unavailable(e);
    throw new Error(`wasm backend: ${wasmUnavailableReason}`);
  });
  if (!wasmBackend) await loading;
  return setBackend('wasm');
}

/** How many threads the WebAssembly GEMM uses (0 where the backend is not available). */
export function wasmThreads(): number {
  return wasmBackend ? gemmThreads : 0;
}

// The kernels at their default place (or those @gd/tensor/wasm-inline provided when it was
// imported first), loaded as the package is imported.
try {
  start(await init(providedKernels()));
} catch (e) {
  unavailable(e);
}
if (wasmBackend) loading = Promise.resolve(wasmBackend);
