/** Counting ops: unique and bincount (not differentiable; they return new values and counts). */
import type { NDArray } from '../ndarray.js';
import { fromStorageData } from '../ndarray.js';
import { typedArrayConstructor } from '../dtype.js';
import { check } from '../check.js';
import { formatShape, normalizeDim } from '../shape.js';

/** The options of unique. */
export interface UniqueOptions {
  /** Sorted ascending (gd always sorts, as PyTorch does on CPU). */
  sorted?: boolean;
  /** Also return, for each input element, the index of its value in the result. */
  returnInverse?: boolean;
  /** Also return how often each value occurs. */
  returnCounts?: boolean;
  /**
   * The distinct slices along this dim instead of the distinct values (PyTorch's `dim`):
   * sorted lexicographically; inverse and counts then refer to slices.
   */
  dim?: number | null;
}

/** unique's result when inverse indices or counts are asked for. */
export interface UniqueResult<T> {
  /** The distinct values, ascending. */
  values: T;
  /** For each input element, the index of its value in `values` (input's shape, int32). */
  inverse?: T;
  /** How many times each value occurs (int32). */
  counts?: T;
}

/**
 * The distinct elements of the flattened array, ascending (NaNs are each distinct and last, as
 * in PyTorch); with `returnInverse`/`returnCounts`, an object with them too.
 *
 * @example
 * ```ts
 * unique(tensor([3, 1, 3])); // tensor([1., 3.])
 * unique(tensor([3, 1, 3]), { returnCounts: true }).counts; // tensor([1, 2], dtype=int32)
 * ```
 */
export function unique(x: NDArray, options: UniqueOptions = {}): NDArray | UniqueResult<NDArray> {
  const o = check.options<UniqueOptions>('unique', 'options', options, [
    'sorted',
    'returnInverse',
    'returnCounts',
    'dim',
  ]);
  for (const k of ['sorted', 'returnInverse', 'returnCounts'] as const)
    if (o[k] !== undefined) check.bool('unique', k, o[k]);
  if (o.dim !== undefined && o.dim !== null) {
    check.int('unique', 'dim', o.dim);
    return uniqueSlices(x, normalizeDim(o.dim, x.ndim), o);
  }
  const flat = x.reshape(-1).contiguous().data;
  const order = Array.from({ length: flat.length }, (_, i) => i).sort((i, j) => {
    const a = flat[i]!;
    const b = flat[j]!;
    if (Number.isNaN(a) || Number.isNaN(b))
      return Number.isNaN(a) ? (Number.isNaN(b) ? i - j : 1) : -1;
    return a - b || i - j;
  });
  const values: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(flat.length);
  for (const i of order) {
    const v = flat[i]!;
    // NaN never equals the previous value, so each NaN is its own entry.
    if (values.length === 0 || !(values[values.length - 1] === v)) {
      values.push(v);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inverse[i] = values.length - 1;
  }
  const out = fromStorageData(new (typedArrayConstructor(x.dtype))(values), [values.length]);
  if (!o.returnInverse && !o.returnCounts) return out;
  return {
    values: out,
    ...(o.returnInverse ? { inverse: fromStorageData(inverse, x.shape) } : {}),
    ...(o.returnCounts
      ? { counts: fromStorageData(Int32Array.from(counts), [counts.length]) }
      : {}),
  };
}

/**
 * unique along `dim`: the slices x.select(dim, i) compared element by element, sorted
 * lexicographically (NaN compares unequal to everything, so a slice with NaN stays apart, as in
 * PyTorch), then the distinct ones stacked back along `dim`.
 */
function uniqueSlices(x: NDArray, dim: number, o: UniqueOptions): NDArray | UniqueResult<NDArray> {
  const n = x.shape[dim]!;
  const rows = x.movedim(dim, 0).contiguous();
  const width = n === 0 ? 0 : rows.numel() / n;
  const data = rows.data;
  const at = (i: number, k: number): number => Number(data[i * width + k]);
  const compare = (i: number, j: number): number => {
    for (let k = 0; k < width; k++) {
      const a = at(i, k);
      const b = at(j, k);
      if (a < b) return -1;
      if (a > b) return 1;
    }
    return 0;
  };
  const same = (i: number, j: number): boolean => {
    for (let k = 0; k < width; k++) if (!(at(i, k) === at(j, k))) return false;
    return true;
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => compare(i, j) || i - j);
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(n);
  for (const i of order) {
    if (firsts.length === 0 || !same(firsts[firsts.length - 1]!, i)) {
      firsts.push(i);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inverse[i] = firsts.length - 1;
  }
  const picked = rows.indexSelect(0, fromStorageData(Int32Array.from(firsts), [firsts.length]));
  const out = picked.movedim(0, dim).contiguous();
  if (!o.returnInverse && !o.returnCounts) return out;
  return {
    values: out,
    ...(o.returnInverse ? { inverse: fromStorageData(inverse, [n]) } : {}),
    ...(o.returnCounts
      ? { counts: fromStorageData(Int32Array.from(counts), [counts.length]) }
      : {}),
  };
}

/** The options of bincount. */
export interface BincountOptions {
  /** A weight per element: the result sums weights instead of counting (in their dtype). */
  weights?: NDArray | null;
  /** The least length of the result. */
  minlength?: number;
}

/**
 * How often each value 0..max occurs in a 1-d array of non-negative integers (or the sum of
 * `weights` per value).
 *
 * @example
 * ```ts
 * bincount(tensor([0, 2, 2], { dtype: 'int32' })); // tensor([1, 0, 2], dtype=int32)
 * ```
 */
export function bincount(x: NDArray, options: BincountOptions = {}): NDArray {
  const o = check.options<BincountOptions>('bincount', 'options', options, [
    'weights',
    'minlength',
  ]);
  const minlength = check.int('bincount', 'minlength', o.minlength ?? 0, { min: 0 });
  if (x.ndim !== 1 || x.dtype !== 'int32')
    throw new TypeError(`bincount: input must be a 1-d int32 array, got ${x.ndim}-d ${x.dtype}`);
  const w = o.weights ?? null;
  if (w !== null) {
    check.ndarray('bincount', 'weights', w);
    if (w.ndim !== 1 || w.shape[0] !== x.shape[0])
      throw new RangeError(
        `bincount: weights must be 1-d with the input's length ${x.shape[0]}, got shape ${formatShape(w.shape)}`,
      );
  }
  const data = x.contiguous().data;
  let max = -1;
  for (const v of data) {
    if (v < 0) throw new RangeError(`bincount: input must be non-negative, got ${v}`);
    if (v > max) max = v;
  }
  const n = Math.max(max + 1, minlength);
  if (w === null) {
    const out = new Int32Array(n);
    for (const v of data) out[v]!++;
    return fromStorageData(out, [n]);
  }
  // Summed in float64, then given the weights' float dtype, as PyTorch does.
  const wd = w.contiguous().data;
  const out = new Float64Array(n);
  for (let i = 0; i < data.length; i++) out[data[i]!]! += wd[i]!;
  return fromStorageData(out, [n]).to(w.dtype === 'float32' ? 'float32' : 'float64');
}
