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
  /** The elements, in the layout the owning tensors' strides describe. */
  readonly data: TypedArray;
  /** The dtype of `data`. */
  readonly dtype: DType;
  /** Incremented by every in-place write to any view of this storage. */
  version = 0;

  constructor(data: TypedArray) {
    this.data = data;
    this.dtype = dtypeOfTypedArray(data);
  }
}
