/** Creation functions: tensor, zeros/ones/full/empty (and *Like), arange, linspace, eye. */
import type { DType, TypedArray } from '../dtype.js';
import { DEFAULT_FLOAT_DTYPE, checkDType, dtypeOfTypedArray, typedArrayConstructor } from '../dtype.js';
import { NDArray, allocate, fromStorageData } from '../ndarray.js';
import type { NestedArray } from '../ndarray.js';
import type { ShapeLike } from '../shape.js';
import { shapeSize, toShape } from '../shape.js';
import { fillInPlace } from './elementwise.js';

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type; see each function for its default. */
  dtype?: DType;
}

/** Data `tensor()` accepts: a number, a boolean, nested arrays of them, a typed array, or an NDArray (copied). */
export type TensorData = NestedArray | TypedArray | NDArray | readonly NestedArray[];

function pickDType(dtype: DType | undefined, fallback: DType): DType {
  if (dtype === undefined) return fallback;
  checkDType(dtype);
  return dtype;
}

// Walks nested arrays to find the shape, checking that they are not ragged.
function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  let cur = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flatten(data: unknown, shape: readonly number[], out: number[], dim: number, flags: { bool: boolean; number: boolean }): void {
  if (dim === shape.length) {
    if (typeof data === 'number') flags.number = true;
    else if (typeof data === 'boolean') flags.bool = true;
    else {
      throw new TypeError(
        Array.isArray(data)
          ? `expected a number at depth ${dim}, got a sequence of length ${data.length}`
          : `tensor(): expected numbers or booleans, got ${data === null ? 'null' : typeof data}`,
      );
    }
    out.push(Number(data));
    return;
  }
  if (!Array.isArray(data)) {
    throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
  }
  if (data.length !== shape[dim]) {
    throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${data.length})`);
  }
  for (const item of data) flatten(item, shape, out, dim + 1, flags);
}

/**
 * An array from data. Numbers default to float32 (JS cannot tell `1` from `1.0`, so gd follows
 * TF.js here rather than PyTorch's int64 inference); booleans give bool; typed arrays keep
 * their dtype and become 1-d; NDArrays are copied. Pass `dtype` to choose.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);                 // float32, shape [2, 2]
 * tensor([0, 2, 1], { dtype: 'int32' });     // class labels
 * tensor(new Float64Array([1, 2]));          // float64
 * ```
 */
export function tensor(data: TensorData, options: CreateOptions = {}): NDArray {
  if (data instanceof NDArray) return data.to(pickDType(options.dtype, data.dtype)).clone();
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const dtype = pickDType(options.dtype, dtypeOfTypedArray(typed));
    const copy = new (typedArrayConstructor(dtype))(typed.length);
    if (dtype === 'bool') for (let i = 0; i < typed.length; i++) copy[i] = typed[i] !== 0 ? 1 : 0;
    else copy.set(typed);
    return fromStorageData(copy, [typed.length]);
  }
  const shape = nestedShape(data);
  const flat: number[] = [];
  const flags = { bool: false, number: false };
  flatten(data, shape, flat, 0, flags);
  const inferred: DType = flags.bool && !flags.number ? 'bool' : DEFAULT_FLOAT_DTYPE;
  const dtype = pickDType(options.dtype, inferred);
  const buf = new (typedArrayConstructor(dtype))(flat.length);
  if (dtype === 'bool') for (let i = 0; i < flat.length; i++) buf[i] = flat[i] !== 0 ? 1 : 0;
  else buf.set(flat);
  return fromStorageData(buf, shape);
}

/**
 * An array sharing memory with a typed array (no copy), viewed with `shape` (default: 1-d).
 *
 * @example
 * ```ts
 * const buf = new Float32Array(6);
 * const x = fromTypedArray(buf, [2, 3]); // writes to x show in buf
 * ```
 */
export function fromTypedArray(data: TypedArray, shape?: ShapeLike): NDArray {
  const dims = shape === undefined ? [data.length] : toShape(shape);
  if (shapeSize(dims) !== data.length) {
    throw new RangeError(`fromTypedArray: shape [${dims.join(', ')}] needs ${shapeSize(dims)} elements, but the array has ${data.length}`);
  }
  return fromStorageData(data, dims);
}

/**
 * An array of zeros (float32 unless `dtype` says otherwise).
 *
 * @example
 * ```ts
 * zeros([2, 3]);
 * zeros(5, { dtype: 'int32' });
 * ```
 */
export function zeros(shape: ShapeLike, options: CreateOptions = {}): NDArray {
  return allocate(toShape(shape), pickDType(options.dtype, DEFAULT_FLOAT_DTYPE));
}

/** An array of ones (float32 unless `dtype` says otherwise). */
export function ones(shape: ShapeLike, options: CreateOptions = {}): NDArray {
  return fillInPlace(zeros(shape, options), 1);
}

/** An array filled with `value` (bool for a boolean value, else float32, unless `dtype` says otherwise). */
export function full(shape: ShapeLike, value: number | boolean, options: CreateOptions = {}): NDArray {
  const dtype = pickDType(options.dtype, typeof value === 'boolean' ? 'bool' : DEFAULT_FLOAT_DTYPE);
  return fillInPlace(allocate(toShape(shape), dtype), value);
}

/** An uninitialised array; in gd its memory is zeroed, as typed arrays always are. */
export function empty(shape: ShapeLike, options: CreateOptions = {}): NDArray {
  return zeros(shape, options);
}

/** Zeros with x's shape (and dtype unless given). */
export function zerosLike(x: NDArray, options: CreateOptions = {}): NDArray {
  return zeros(x.shape, { dtype: options.dtype ?? x.dtype });
}

/** Ones with x's shape (and dtype unless given). */
export function onesLike(x: NDArray, options: CreateOptions = {}): NDArray {
  return ones(x.shape, { dtype: options.dtype ?? x.dtype });
}

/** `value` everywhere, with x's shape (and dtype unless given). */
export function fullLike(x: NDArray, value: number | boolean, options: CreateOptions = {}): NDArray {
  return full(x.shape, value, { dtype: options.dtype ?? x.dtype });
}

/** An uninitialised (zeroed) array with x's shape and dtype. */
export function emptyLike(x: NDArray, options: CreateOptions = {}): NDArray {
  return zerosLike(x, options);
}

/**
 * Values `start, start + step, ...` below `end`. Integer arguments give int32 (PyTorch's
 * int64 role), any fractional argument gives float32.
 *
 * @example
 * ```ts
 * arange(5);            // tensor([0, 1, 2, 3, 4])
 * arange(0, 1, 0.25);   // tensor([0.0000, 0.2500, 0.5000, 0.7500])
 * ```
 */
export function arange(end: number, options?: CreateOptions): NDArray;
export function arange(start: number, end: number, step?: number, options?: CreateOptions): NDArray;
export function arange(a: number, b?: number | CreateOptions, c?: number, d?: CreateOptions): NDArray {
  let start = 0;
  let end: number;
  let step = 1;
  let options: CreateOptions = {};
  if (typeof b === 'number') {
    start = a;
    end = b;
    step = c ?? 1;
    options = d ?? {};
  } else {
    end = a;
    options = b ?? {};
  }
  if (![start, end, step].every(Number.isFinite)) throw new RangeError(`arange: start, end and step must be finite, got ${start}, ${end}, ${step}`);
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if ((end - start) / step < 0) {
    throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`);
  }
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = pickDType(options.dtype, allInt ? 'int32' : DEFAULT_FLOAT_DTYPE);
  const n = Math.ceil((end - start) / step);
  const out = allocate([n], dtype);
  const data = out.storage.data;
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return out;
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive (float32 by default), computed
 * symmetrically from both ends as PyTorch does.
 *
 * @example
 * ```ts
 * linspace(-3, 3, 100);
 * ```
 */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): NDArray {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: number of steps must be non-negative, got ${steps}`);
  const out = allocate([steps], pickDType(options.dtype, DEFAULT_FLOAT_DTYPE));
  const data = out.storage.data;
  if (steps === 1) data[0] = start;
  const step = (end - start) / (steps - 1);
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps && steps > 1; i++) data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return out;
}

/**
 * An identity matrix (n x m, m defaulting to n).
 *
 * @example
 * ```ts
 * eye(3);
 * ```
 */
export function eye(n: number, m: number = n, options: CreateOptions = {}): NDArray {
  const out = zeros([n, m], options);
  const data = out.storage.data;
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return out;
}
