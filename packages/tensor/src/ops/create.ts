/** Creation functions: tensor, zeros/ones/full/empty (and *Like), arange, linspace, eye. */
import type { DType, DTypeLike, TypedArray } from '../dtype.js';
import {
  DEFAULT_FLOAT_DTYPE,
  dtypeOfTypedArray,
  toDType,
  typedArrayConstructor,
} from '../dtype.js';
import { check, describe, isAutogradTensor } from '../check.js';
import { NDArray, allocate, fromStorageData, scalarArray } from '../ndarray.js';
import type { NestedArray } from '../ndarray.js';
import type { ShapeLike } from '../shape.js';
import { formatShape, nestedShape, shapeSize, toShape } from '../shape.js';
import { fillInPlace } from './elementwise.js';
import { fma } from '../random/float64math.js';
import { fmaf } from '../random/float32math.js';

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type; see each function for its default (`'int64'` gives int32, see `DTypeLike`). */
  dtype?: DTypeLike;
}

/**
 * Data `tensor()` accepts: a number, a boolean, nested arrays of them, a typed array (a
 * BigInt64Array, such as onnxruntime's int64 outputs, becomes int32 when its values fit), or an
 * NDArray (copied).
 */
export type TensorData =
  NestedArray | TypedArray | BigInt64Array | NDArray | readonly NestedArray[];

// The dtype asked for, else `fallback` (errors name \`tensor\`, whichever creation function asks).
function pickDType(dtype: DTypeLike | undefined, fallback: DType): DType {
  return dtype === undefined ? fallback : toDType('tensor', dtype);
}

const CREATE_KEYS = ['dtype'];

// The options object of a creation function, its keys checked.
function createOptions(fn: string, options: unknown): CreateOptions {
  return check.options<CreateOptions>(fn, 'options', options, CREATE_KEYS);
}

// int64 values as int32, refusing any that would not fit.
function fromBigInt64(data: BigInt64Array): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > 2147483647n || v < -2147483648n)
      throw new RangeError(`tensor: int64 value ${v} at position ${i} does not fit gd's int32`);
    out[i] = Number(v);
  }
  return out;
}

function flatten(
  data: unknown,
  shape: readonly number[],
  out: number[],
  dim: number,
  flags: { bool: boolean; number: boolean },
): void {
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
    throw new RangeError(
      `expected sequence of length ${shape[dim]} at dim ${dim} (got ${data.length})`,
    );
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
  createOptions('tensor', options);
  // A scalar skips the nested-array walk: autograd makes one per op with a JS number operand.
  if (typeof data === 'number' || typeof data === 'boolean') {
    const dtype = pickDType(
      options.dtype,
      typeof data === 'boolean' ? 'bool' : DEFAULT_FLOAT_DTYPE,
    );
    return scalarArray(Number(data), dtype);
  }
  if (data instanceof NDArray) return data.to(pickDType(options.dtype, data.dtype)).clone();
  if (isAutogradTensor(data))
    throw new TypeError(
      'tensor: data is an autograd Tensor; use t.value for its NDArray, or tensor() from @gd/autograd',
    );
  if (data instanceof BigInt64Array) return tensor(fromBigInt64(data), options);
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof DataView)) dtypeOfTypedArrayChecked(data);
    const typed = data as TypedArray;
    const dtype = pickDType(options.dtype, dtypeOfTypedArray(typed));
    return fromStorageData(copyAs(typed, dtype), [typed.length]);
  }
  if (!Array.isArray(data))
    throw new TypeError(
      `tensor: data must be a number, a boolean, a (nested) array of them, a typed array or an NDArray, got ${describe(data)}`,
    );
  const shape = nestedShape(data);
  const flat: number[] = [];
  const flags = { bool: false, number: false };
  flatten(data, shape, flat, 0, flags);
  const inferred: DType = flags.bool && !flags.number ? 'bool' : DEFAULT_FLOAT_DTYPE;
  const dtype = pickDType(options.dtype, inferred);
  return fromStorageData(copyAs(flat, dtype), shape);
}

// A new typed array of `dtype` holding `values` (bool stores 1 for every nonzero value).
function copyAs(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = new (typedArrayConstructor(dtype))(values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
  return out;
}

function dtypeOfTypedArrayChecked(data: ArrayBufferView): void {
  try {
    dtypeOfTypedArray(data as TypedArray);
  } catch {
    throw new TypeError(
      `tensor: a ${data.constructor.name} has no gd dtype; pass a Float32Array, Float64Array, Int32Array, Uint8Array (bool), BigInt64Array or a plain array`,
    );
  }
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
  if (!ArrayBuffer.isView(data) || data instanceof DataView)
    throw new TypeError(
      `fromTypedArray: data must be a Float32Array, Float64Array, Int32Array or Uint8Array, got ${describe(data)}`,
    );
  const dims = shape === undefined ? [data.length] : toShape(shape);
  if (shapeSize(dims) !== data.length) {
    throw new RangeError(
      `fromTypedArray: shape ${formatShape(dims)} needs ${shapeSize(dims)} elements, but the array has ${data.length}`,
    );
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
  createOptions('zeros', options);
  return allocate(toShape(shape), pickDType(options.dtype, DEFAULT_FLOAT_DTYPE));
}

/** An array of ones (float32 unless `dtype` says otherwise). */
export function ones(shape: ShapeLike, options: CreateOptions = {}): NDArray {
  return fillInPlace(zeros(shape, options), 1);
}

/** An array filled with `value` (bool for a boolean value, else float32, unless `dtype` says otherwise). */
export function full(
  shape: ShapeLike,
  value: number | boolean,
  options: CreateOptions = {},
): NDArray {
  createOptions('full', options);
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new TypeError(`full: value must be a number or a boolean, got ${describe(value)}`);
  const dtype = pickDType(options.dtype, typeof value === 'boolean' ? 'bool' : DEFAULT_FLOAT_DTYPE);
  return fillInPlace(allocate(toShape(shape), dtype), value);
}

/** An uninitialised array; in gd its memory is zeroed, as typed arrays always are. */
export function empty(shape: ShapeLike, options: CreateOptions = {}): NDArray {
  return zeros(shape, options);
}

/** Zeros with x's shape (and dtype unless given). */
export function zerosLike(x: NDArray, options: CreateOptions = {}): NDArray {
  check.ndarray('zerosLike', 'x', x);
  createOptions('zerosLike', options);
  return zeros(x.shape, { dtype: options.dtype ?? x.dtype });
}

/** Ones with x's shape (and dtype unless given). */
export function onesLike(x: NDArray, options: CreateOptions = {}): NDArray {
  check.ndarray('onesLike', 'x', x);
  createOptions('onesLike', options);
  return ones(x.shape, { dtype: options.dtype ?? x.dtype });
}

/** `value` everywhere, with x's shape (and dtype unless given). */
export function fullLike(
  x: NDArray,
  value: number | boolean,
  options: CreateOptions = {},
): NDArray {
  check.ndarray('fullLike', 'x', x);
  createOptions('fullLike', options);
  return full(x.shape, value, { dtype: options.dtype ?? x.dtype });
}

/** An uninitialised (zeroed) array with x's shape and dtype. */
export function emptyLike(x: NDArray, options: CreateOptions = {}): NDArray {
  return zerosLike(x, options);
}

// PyTorch's CPU range kernels are compiled with floating-point contraction, so `start + step * i`
// is one fused multiply-add (a single rounding): `fma` and `fmaf` emulate it exactly.

// ---- ranges ----------------------------------------------------------------------------------

// The lanes of one AVX2 vector in PyTorch's vectorized arange kernel, per dtype.
const ARANGE_VECTOR_LANES: Record<DType, number> = { float32: 8, float64: 4, int32: 8, bool: 32 };

/**
 * Values `start, start + step, ...` below `end`. Integer arguments give int32 (PyTorch's
 * int64 role), any fractional argument gives float32.
 *
 * Values are bit-identical to PyTorch's CPU kernel with AVX2 (the kernel computes blocks of
 * vector lanes as `base + j * step`, so an element can differ by an ulp from `start + i * step`).
 * With an int32 dtype, start, end and step are truncated to integers first, as in PyTorch.
 *
 * @example
 * ```ts
 * arange(5);            // tensor([0, 1, 2, 3, 4])
 * arange(0, 1, 0.25);   // tensor([0.0000, 0.2500, 0.5000, 0.7500])
 * ```
 */
export function arange(end: number, options?: CreateOptions): NDArray;
export function arange(start: number, end: number, step?: number, options?: CreateOptions): NDArray;
export function arange(
  a: number,
  b?: number | CreateOptions,
  c?: number,
  d?: CreateOptions,
): NDArray {
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
  check.number('arange', typeof b === 'number' ? 'start' : 'end', a);
  if (typeof b === 'number') check.number('arange', 'end', end);
  check.number('arange', 'step', step);
  createOptions('arange', options);
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = pickDType(options.dtype, allInt ? 'int32' : DEFAULT_FLOAT_DTYPE);
  if (dtype === 'bool') throw new TypeError('arange does not support dtype bool');
  if (![start, end, step].every(Number.isFinite)) {
    throw new RangeError(
      `arange: start, end and step must be finite, got ${start}, ${end}, ${step}`,
    );
  }
  // The kernel's accumulate type: int64 (here int32) truncates the arguments, floats use double.
  const isInt = dtype === 'int32';
  const xs = isInt ? Math.trunc(start) : start;
  const xe = isInt ? Math.trunc(end) : end;
  const xstep = isInt ? Math.trunc(step) : step;
  if (xstep === 0)
    throw new RangeError(
      `arange: step must be nonzero${step !== 0 ? ` (step ${step} truncates to 0 for ${dtype})` : ''}`,
    );
  if (!((xstep > 0 && xe >= xs) || (xstep < 0 && xe <= xs))) {
    throw new RangeError(
      `arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`,
    );
  }
  const n = Math.ceil((end - start) / step);
  if (n > 2 ** 31 - 1) throw new RangeError(`arange: too many elements (${n})`);
  const out = allocate([n], dtype);
  const data = out.storage.data;
  if (isInt) {
    for (let i = 0; i < n; i++) data[i] = xs + xstep * i;
    return out;
  }
  // PyTorch's vectorized loop: blocks of two vectors, each vector filled from its first
  // element as base + j * step; the tail that does not fill two vectors is scalar.
  const lanes = ARANGE_VECTOR_LANES[dtype];
  let i = 0;
  for (; i <= n - 2 * lanes; i += 2 * lanes) {
    for (let v = i; v < i + 2 * lanes; v += lanes) {
      const base = dtype === 'float32' ? Math.fround(fma(step, v, start)) : fma(step, v, start);
      for (let j = 0; j < lanes; j++) data[v + j] = fma(j, step, base);
    }
  }
  for (; i < n; i++) data[i] = fma(step, i, start);
  return out;
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive (float32 by default), computed
 * symmetrically from both ends as PyTorch does: element i is `start + step * i` in the first
 * half and `end - step * (steps - 1 - i)` in the second, in the output dtype's precision with a
 * fused multiply-add, which reproduces PyTorch's CPU kernel bit for bit. For int32, start and end
 * are truncated first and the step is a float64, as in PyTorch.
 *
 * @example
 * ```ts
 * linspace(-3, 3, 100);
 * ```
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: CreateOptions = {},
): NDArray {
  check.number('linspace', 'start', start);
  check.number('linspace', 'end', end);
  check.int('linspace', 'steps', steps);
  createOptions('linspace', options);
  if (steps < 0)
    throw new RangeError(`linspace: number of steps must be non-negative, got ${steps}`);
  const dtype = pickDType(options.dtype, DEFAULT_FLOAT_DTYPE);
  if (dtype === 'bool') throw new TypeError('linspace does not support dtype bool');
  const out = allocate([steps], dtype);
  const data = out.storage.data;
  if (steps === 0) return out;
  if (steps === 1) {
    data[0] = dtype === 'int32' ? Math.trunc(start) : start;
    return out;
  }
  const half = Math.floor(steps / 2);
  if (dtype === 'float32') {
    const s = Math.fround(start);
    const e = Math.fround(end);
    const step = Math.fround(Math.fround(e - s) / Math.fround(steps - 1));
    for (let i = 0; i < steps; i++) {
      data[i] =
        i < half ? fmaf(step, Math.fround(i), s) : fmaf(-step, Math.fround(steps - 1 - i), e);
    }
  } else {
    const s = dtype === 'int32' ? Math.trunc(start) : start;
    const e = dtype === 'int32' ? Math.trunc(end) : end;
    const step = (e - s) / (steps - 1);
    for (let i = 0; i < steps; i++)
      data[i] = i < half ? fma(step, i, s) : fma(-step, steps - 1 - i, e);
  }
  return out;
}

/**
 * An identity matrix (n x m, m defaulting to n).
 *
 * @example
 * ```ts
 * eye(3);
 * eye(2, 3, { dtype: 'int32' });
 * eye(3, { dtype: 'bool' });
 * ```
 */
export function eye(n: number, options?: CreateOptions): NDArray;
export function eye(n: number, m?: number, options?: CreateOptions): NDArray;
export function eye(n: number, m?: number | CreateOptions, options: CreateOptions = {}): NDArray {
  if (typeof m === 'object') {
    options = m;
    m = undefined;
  }
  const cols = m ?? n;
  check.int('eye', 'n', n);
  check.int('eye', 'm', cols);
  if (n < 0) throw new RangeError(`eye: n must be a non-negative integer, got ${n}`);
  if (cols < 0) throw new RangeError(`eye: m must be a non-negative integer, got ${cols}`);
  const out = zeros([n, cols], options);
  const data = out.storage.data;
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  return out;
}
