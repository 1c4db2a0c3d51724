/**
 * The native backend's large buffers: uninitialised memory from Node's allocator, and a pool of
 * buffers that autograd handed back when their tensors died (a gradient consumed by the next
 * node of the backward pass). A training step then reuses last step's gradient buffers for its
 * activations instead of allocating them anew, which halves the bytes a convolutional step
 * allocates and with them the garbage collections they start.
 */
import type { DType, TypedArray } from '../../dtype.js';
import { dtypeByteSize, dtypeOfTypedArray } from '../../dtype.js';
import { referenceBackend } from '../reference/index.js';

/** Buffers with fewer elements are left to the garbage collector (cheap to allocate). */
export const MIN_POOLED_ELEMENTS = 4096;
/** The most bytes the pool holds; buffers handed back beyond it are dropped. */
export const MAX_POOLED_BYTES = 128 * 1024 * 1024;

type TypedArrayCtor = new (buffer: ArrayBufferLike, offset: number, length: number) => TypedArray;
const CTORS: Record<DType, TypedArrayCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};
const DTYPE_CODES: Record<DType, number> = { float32: 0, float64: 1, int32: 2, bool: 3 };
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } })
  .Buffer;

const pooled = new Map<number, TypedArray[]>();
let pooledBytes = 0;

const keyOf = (dtype: DType, size: number): number => size * 4 + DTYPE_CODES[dtype];

/**
 * A buffer for `size` elements whose contents are unspecified: a pooled one of that dtype and
 * size, else Node's `Buffer.allocUnsafeSlow` (a 30 MB im2col matrix every step is otherwise
 * zero-filled just to be overwritten). Small buffers are zeroed as usual.
 */
export function allocUninitialized(dtype: DType, size: number): TypedArray {
  if (!NodeBuffer || size < MIN_POOLED_ELEMENTS) return referenceBackend.alloc(dtype, size);
  const reused = pooled.get(keyOf(dtype, size))?.pop();
  if (reused) {
    pooledBytes -= reused.byteLength;
    return reused;
  }
  const bytes = NodeBuffer.allocUnsafeSlow(size * dtypeByteSize(dtype));
  return new CTORS[dtype](bytes.buffer, bytes.byteOffset, size);
}

/**
 * Takes back the buffer of a tensor that died (its Storage no longer lets anything read it).
 * Only a typed array that covers its whole ArrayBuffer is kept, never part of a buffer something
 * else may use.
 */
export function recycle(data: TypedArray): void {
  const buffer = data.buffer;
  if (
    data.length < MIN_POOLED_ELEMENTS ||
    !(buffer instanceof ArrayBuffer) ||
    data.byteOffset !== 0 ||
    data.byteLength !== buffer.byteLength ||
    pooledBytes + data.byteLength > MAX_POOLED_BYTES
  ) {
    return;
  }
  const key = keyOf(dtypeOfTypedArray(data), data.length);
  let list = pooled.get(key);
  if (!list) pooled.set(key, (list = []));
  list.push(data);
  pooledBytes += data.byteLength;
}

/** The bytes the pool holds now (for tests and memory reports). */
export function pooledBufferBytes(): number {
  return pooledBytes;
}

/**
 * Drops every pooled buffer, leaving its memory to the garbage collector (PyTorch's
 * `torch.cuda.empty_cache()` for this pool).
 */
export function emptyBufferPool(): void {
  pooled.clear();
  pooledBytes = 0;
}
