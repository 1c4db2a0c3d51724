/** Joining and splitting: cat, stack, split, chunk, unbind, repeat. */
import { promoteTypes } from '../dtype.js';
import { getBackend } from '../backend/backend.js';
import type { NDArray } from '../ndarray.js';
import { allocate, stridedOf } from '../ndarray.js';
import { formatShape, normalizeDim, shapesEqual } from '../shape.js';
import { expand, narrow, reshape, select, unsqueeze } from './views.js';
import { check, describe, isAutogradTensor } from '../check.js';

// A list of NDArrays, each checked: an autograd Tensor among them gets advice, not a crash.
function checkList(fn: string, tensors: unknown): readonly NDArray[] {
  if (!Array.isArray(tensors))
    throw new TypeError(`${fn}: tensors must be an array of NDArrays, got ${describe(tensors)}`);
  tensors.forEach((t, i) => {
    if (isAutogradTensor(t))
      throw new TypeError(
        `${fn}: tensors[${i}] is an autograd Tensor; join autograd Tensors with ${fn} from @gd/autograd (which also takes NDArrays), or pass t.value here`,
      );
    check.ndarray(fn, `tensors[${i}]`, t);
  });
  return tensors as NDArray[];
}

/**
 * Concatenates along an existing dim; sizes must match elsewhere, dtypes promote.
 *
 * @example
 * ```ts
 * cat([zeros([2, 3]), ones([1, 3])]).shape; // [3, 3]
 * ```
 */
export function cat(tensors: readonly NDArray[], dim = 0): NDArray {
  checkList('cat', tensors);
  check.dim('cat', 'dim', dim);
  if (tensors.length === 0) throw new RangeError('cat expects a non-empty list of tensors');
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  tensors.forEach((t, i) => {
    if (t.ndim === 0)
      throw new RangeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  // PyTorch still skips legacy empty 1-d tensors of shape [0] (they only take part in promotion).
  const parts = tensors
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return allocate([0], dtype);
  const ref = parts[0]!.t;
  const d = normalizeDim(dim, ref.ndim);
  let total = 0;
  for (const { t, i } of parts) {
    if (t.ndim !== ref.ndim) {
      throw new RangeError(
        `Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim} (tensor number ${i} has shape ${formatShape(t.shape)})`,
      );
    }
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RangeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
    total += t.shape[d]!;
  }
  const shape = Array.from(ref.shape);
  shape[d] = total;
  const out = allocate(shape, dtype);
  let at = 0;
  const backend = getBackend();
  for (const { t } of parts) {
    const len = t.shape[d]!;
    if (len > 0 && t.numel() > 0) backend.copy(stridedOf(t), stridedOf(narrow(out, d, at, len)));
    at += len;
  }
  return out;
}

/** Joins equally shaped arrays along a new dim. */
export function stack(tensors: readonly NDArray[], dim = 0): NDArray {
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty list of tensors');
  const ref = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, ref.shape)) {
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.ndim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

/** Views of consecutive pieces along `dim`: equal pieces of `splitSize`, or the listed sizes. */
export function split(x: NDArray, splitSize: number | readonly number[], dim = 0): NDArray[] {
  if (x.ndim === 0) throw new RangeError('split expects at least a 1-dimensional tensor');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize < 0 || (splitSize === 0 && size !== 0)) {
      throw new RangeError(
        `split: split size must be a positive integer (0 only for a dim of size 0), got ${splitSize} for dim ${d} of size ${size}`,
      );
    }
    const out: NDArray[] = [];
    for (let at = 0; at < size || (size === 0 && out.length === 0); at += splitSize) {
      out.push(narrow(x, d, at, Math.min(splitSize, size - at)));
      if (size === 0) break;
    }
    return out;
  }
  if (splitSize.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new RangeError(
      `split_with_sizes expects split sizes to be non-negative integers, but got split sizes ${formatShape(splitSize)}`,
    );
  }
  const total = splitSize.reduce((a, b) => a + b, 0);
  if (total !== size) {
    throw new RangeError(
      `split_with_sizes expects split sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split sizes ${formatShape(splitSize)}`,
    );
  }
  let at = 0;
  return splitSize.map((len) => {
    const piece = narrow(x, d, at, len);
    at += len;
    return piece;
  });
}

/**
 * Splits into pieces of size ceil(n / chunks) (the last may be smaller, and fewer than `chunks`
 * may result, as in PyTorch: 5 elements in 3 chunks give 2, 2, 1; 6 in 4 give 2, 2, 2). An empty
 * dim gives `chunks` empty pieces.
 */
export function chunk(x: NDArray, chunks: number, dim = 0): NDArray[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new RangeError(`chunk expects chunks to be a positive integer, got ${chunks}`);
  if (x.ndim === 0) throw new RangeError('chunk expects at least a 1-dimensional tensor');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  if (size === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(size / chunks), d);
}

/** Each index of `dim` as a view without that dim. */
export function unbind(x: NDArray, dim = 0): NDArray[] {
  if (x.ndim === 0)
    throw new RangeError(`unbind: dimension specified as ${dim} but the tensor has no dimensions`);
  const d = normalizeDim(dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

/** Tiles x `sizes[i]` times along each dim (sizes may add leading dims); always a copy. */
export function repeat(x: NDArray, sizes: readonly number[]): NDArray {
  if (sizes.length < x.ndim) {
    throw new RangeError(
      `Number of dimensions of repeat dims (${sizes.length}) can not be smaller than number of dimensions of tensor (${x.ndim})`,
    );
  }
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(
        `repeat: repeat counts must be non-negative integers, got ${formatShape(sizes)}`,
      );
    }
  }
  const lead = sizes.length - x.ndim;
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  // View as [1, d0, 1, d1, ...], expand the 1s to the repeat counts, then merge pairs.
  const inter: number[] = [];
  const expanded: number[] = [];
  padded.forEach((d, i) => {
    inter.push(1, d);
    expanded.push(sizes[i]!, d);
  });
  // clone, not contiguous(): the result must never alias x (all-1 counts give a contiguous view).
  const big = expand(reshape(x, inter), expanded).clone();
  return reshape(
    big,
    padded.map((d, i) => d * sizes[i]!),
  );
}
