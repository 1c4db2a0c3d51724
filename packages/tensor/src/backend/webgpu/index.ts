/**
 * The WebGPU backend as the package registers it: a light stand-in whose kernels are those of
 * the device backend (device.ts, with its WGSL sources, about a tenth of the browser build),
 * loaded on demand. Node loads it as the package loads, so `setBackend('webgpu')` works there
 * at once; browsers load it in `initWebGpu()` (or at import when `globalThis.GD_BACKEND` is
 * `'webgpu'`), so pages that never use the GPU never download it.
 */
import type { DType, TypedArray } from '../../dtype.js';
import type { Backend } from '../backend.js';
import { cpuBackend, registerBackend, setBackend } from '../backend.js';
import type { WebGpuDevice } from './device.js';
import { BACKEND_CORE } from '../core.js';

/**
 * The device limits the WebGPU backend keeps to (WebGPU's names, in bytes).
 *
 * @example
 * ```ts
 * await initWebGpu();
 * console.log(webgpuBackend.limits?.maxStorageBufferBindingSize); // e.g. 134217728
 * ```
 */
export interface WebGpuLimits {
  /** The largest buffer the device creates. */
  readonly maxBufferSize: number;
  /** The largest buffer a kernel may bind as storage (never above maxBufferSize). */
  readonly maxStorageBufferBindingSize: number;
}

/**
 * The WebGPU backend: a {@link Backend} plus what is particular to a device.
 *
 * @example
 * ```ts
 * await initWebGpu();
 * console.log(webgpuBackend.adapter, webgpuBackend.cpu.name); // e.g. 'google swiftshader' 'wasm'
 * ```
 */
export interface WebGpuBackend extends Backend {
  /** The adapter in use, or null before the backend has been activated. */
  readonly adapter: string | null;
  /** The backend that runs what the GPU does not (float64, integer arithmetic). */
  readonly cpu: Backend;
  /**
   * The limits the backend keeps to, in bytes (the device's, or lower ones asked for with
   * `GD_WEBGPU_LIMITS`), or null before the backend has been activated. A kernel binds whole
   * storages: one larger than `maxStorageBufferBindingSize` (never above `maxBufferSize`) is an
   * error that names the limit and the size. Uploads and reads go in chunks of at most 16 MiB.
   */
  readonly limits: WebGpuLimits | null;
  /** Connects without blocking (a browser's main thread); loads the backend's code first. */
  activateAsync(options?: WebGpuOptions): Promise<void>;
}

/**
 * Options of {@link initWebGpu}.
 *
 * @example
 * ```ts
 * import workerUrl from '@gd/tensor/webgpu-worker?worker&url'; // Vite
 * await initWebGpu({ workerUrl });
 * ```
 */
export interface WebGpuOptions {
  /**
   * The URL of @gd/tensor's `dist/backend/webgpu/worker.js` (the worker that owns the device),
   * for bundlers that do not keep it next to the package.
   */
  workerUrl?: string | URL;
}

const isNode =
  typeof (globalThis as { process?: NodeJS.Process }).process?.versions?.node === 'string';

let device: WebGpuDevice | null = null;
let loading: Promise<WebGpuDevice> | null = null;

/** Loads the device backend's code (once). */
export function loadWebGpu(): Promise<WebGpuDevice> {
  loading ??= import('./device.js').then(
    (m) => (device = new m.WebGpuDevice(BACKEND_CORE)),
    (e: unknown) => {
      loading = null; // a chunk that failed to load may load on the next try
      throw e;
    },
  );
  return loading;
}

function loaded(): WebGpuDevice {
  if (device) return device;
  throw new Error(
    "webgpu: in a browser the WebGPU backend's code loads on demand: `await initWebGpu()` before using it (or set globalThis.GD_BACKEND = 'webgpu' before importing gd)",
  );
}

// The kernels, forwarded to the device backend.
const KERNELS = [
  'unary',
  'binary',
  'where',
  'copy',
  'fill',
  'reduce',
  'argReduce',
  'softmax',
  'matmul',
  'gather',
  'scatter',
  'im2col',
  'col2im',
  'maxPool2d',
  'avgPool2d',
  'avgPool2dBackward',
] as const;

const kernels = Object.fromEntries(
  KERNELS.map((k) => [k, (...args: never[]) => (loaded()[k] as (...a: never[]) => void)(...args)]),
) as Pick<Backend, (typeof KERNELS)[number]>;

/**
 * The WebGPU backend (registered at priority -10: never the default).
 *
 * @example
 * ```ts
 * import { setBackend, webgpuBackend } from '@gd/tensor';
 * setBackend('webgpu'); // throws, naming what it looked for, when there is no adapter
 * webgpuBackend.adapter; // e.g. 'google swiftshader'
 * ```
 */
export const webgpuBackend: WebGpuBackend = {
  ...kernels,
  name: 'webgpu',
  device: true,
  get float32Tolerance() {
    return device?.float32Tolerance;
  },
  get adapter() {
    return device?.adapter ?? null;
  },
  get cpu() {
    return cpuBackend();
  },
  get limits() {
    return device?.limits ?? null;
  },
  activate: () => loaded().activate(),
  activateAsync: async (options) => (await loadWebGpu()).activateAsync(options),
  synchronize: () => device?.synchronize(),
  synchronizeAsync: async () => device?.synchronizeAsync(),
  alloc: (dtype: DType, size: number): TypedArray => loaded().alloc(dtype, size),
};
registerBackend(webgpuBackend, -10);

if (isNode) await loadWebGpu();

/**
 * Loads and connects the WebGPU backend without blocking, then makes it the active backend:
 * what a browser (main thread or worker) calls before using the GPU.
 *
 * @example
 * ```ts
 * await initWebGpu(); // then every op runs on the GPU
 * ```
 */
export async function initWebGpu(options?: WebGpuOptions): Promise<void> {
  await webgpuBackend.activateAsync(options);
  setBackend('webgpu');
}
