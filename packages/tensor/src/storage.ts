/**
 * The buffer behind one or more tensors. Views share a Storage, so writes through one view are
 * seen by the others, and the version counter (bumped by every in-place op) is shared too —
 * autograd reads it to detect values modified after they were saved for backward.
 */
import type { DType, TypedArray } from './dtype.js';
import { dtypeOfTypedArray } from './dtype.js';

/**
 * A typed array plus the version counter its views share.
 *
 * @example
 * ```ts
 * const s = new Storage(new Float32Array(4));
 * s.version; // 0, bumped by in-place ops on any tensor viewing s
 * ```
 */
export class Storage {
  // Null once the memory was handed back for reuse (releaseStorage). A field that changes value
  // rather than shape: redefining `raw` on a dead storage turned it into a slow dictionary-mode
  // object, a few microseconds for every recycled gradient.
  declare private live: TypedArray | null;
  /** The dtype of `data`. */
  declare readonly dtype: DType;
  /** Incremented by every in-place write to any view of this storage. */
  declare version: number;

  constructor(data: TypedArray) {
    this.live = data;
    this.dtype = dtypeOfTypedArray(data);
    this.version = 0;
  }

  /**
   * The elements as kernels see them, without asking a device backend to bring them to the
   * host first: for backend code only (user code reads {@link Storage.data}). Throws once the
   * memory was handed back for reuse.
   */
  get raw(): TypedArray {
    const data = this.live;
    if (data === null) throw releasedError();
    return data;
  }

  /**
   * The elements, in the layout the owning tensors' strides describe, for code on the host. When
   * a device backend (WebGPU) holds newer values, they are read back first, and the host copy
   * becomes the one that counts (the caller may write to it).
   */
  get data(): TypedArray {
    if (hostAccess) hostAccess(this.raw);
    return this.raw;
  }
}

let hostAccess: ((data: TypedArray) => void) | null = null;

function releasedError(): Error {
  return new Error(
    "this tensor's memory was handed back for reuse: it was a gradient that autograd's backward " +
      'pass consumed and nothing else held, or a cleared .grad that was only read through ' +
      'borrowGrad() (to keep a gradient, read it through .grad, or use registerHook or retainGrad)',
  );
}

/**
 * Detaches a storage from its memory, which the caller hands on for reuse: every later read of
 * the storage, through any view, throws. Returns the memory. Backend and engine code only.
 */
export function releaseStorage(storage: Storage): TypedArray {
  const data = storage.raw;
  (storage as unknown as { live: TypedArray | null }).live = null;
  return data;
}

/**
 * Installs the hook that a device backend uses to bring its values to the host whenever code
 * reads {@link Storage.data}. Backend code only.
 *
 * @example
 * ```ts
 * setHostAccessHook((data) => myDevice.download(data));
 * ```
 */
export function setHostAccessHook(hook: ((data: TypedArray) => void) | null): void {
  hostAccess = hook;
}

let asyncHostAccess: ((data: TypedArray) => Promise<void>) | null = null;

/**
 * Installs the hook that brings a device backend's values to the host without blocking (the
 * async readers: `dataAsync`, `toArrayAsync`, `itemAsync`). Backend code only.
 *
 * @example
 * ```ts
 * setAsyncHostAccessHook(async (data) => myDevice.downloadAsync(data));
 * ```
 */
export function setAsyncHostAccessHook(hook: ((data: TypedArray) => Promise<void>) | null): void {
  asyncHostAccess = hook;
}

/**
 * Brings the storage's values to the host without blocking the thread (a no-op on CPU
 * backends); afterwards {@link Storage.data} reads them without waiting.
 *
 * @example
 * ```ts
 * await hostAsync(storage);
 * storage.data[0];
 * ```
 */
export async function hostAsync(storage: Storage): Promise<void> {
  if (asyncHostAccess) await asyncHostAccess(storage.raw);
}
