/** Reductions (sum, mean, max, var, norm, ...) and softmax, with PyTorch's dim/keepdim rules. */
import type { DType } from '../dtype.js';
import { isFloatingDType } from '../dtype.js';
import { getBackend } from '../backend/backend.js';
import type { NDArray, VarOptions } from '../ndarray.js';
import { ValuesIndices } from '../result.js';
import { allocate, stridedOf } from '../ndarray.js';
import { formatShape, normalizeDim, normalizeDims, shapesEqual } from '../shape.js';
import type { ReduceOp } from './registry/elementwise.js';
import { squeeze } from './views.js';
import { check } from '../check.js';

type Dims = number | readonly number[] | null | undefined;

// PyTorch reads an empty dim list as "every dim" (x.sum([]) is x.sum()).
function reductionDims(dim: Dims, ndim: number): number[] {
  return normalizeDims(
    typeof dim === 'object' && dim !== null && dim.length === 0 ? null : dim,
    ndim,
  );
}

function keptShape(x: NDArray, dims: readonly number[]): number[] {
  return x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

function finish(out: NDArray, dims: readonly number[], keepdim: boolean): NDArray {
  return keepdim || dims.length === 0 ? out : squeeze(out, dims);
}

function reduceTo(op: ReduceOp, x: NDArray, dim: Dims, keepdim: boolean, dtype: DType): NDArray {
  const dims = reductionDims(dim, x.ndim);
  const out = allocate(keptShape(x, dims), dtype);
  getBackend().reduce(op, stridedOf(x), dims, stridedOf(out));
  return finish(out, dims, keepdim);
}

function intOrSame(dtype: DType): DType {
  return dtype === 'bool' ? 'int32' : dtype;
}

// max/min/argmax have no identity, so reducing over an empty dim is an error, as in PyTorch.
function requireNonEmpty(name: string, x: NDArray, dim: Dims): void {
  if (dim === null || dim === undefined || (typeof dim === 'object' && dim.length === 0)) {
    if (x.numel() === 0) {
      throw new RangeError(
        `${name}(): cannot reduce an empty tensor (input shape ${formatShape(x.shape)}) over all dims; specify the reduction dim`,
      );
    }
    return;
  }
  for (const d of reductionDims(dim, x.ndim)) {
    if (x.shape[d] === 0) {
      throw new RangeError(
        `${name}(): expected reduction dim ${d} to have non-zero size (input shape ${formatShape(x.shape)})`,
      );
    }
  }
}

/** Sum over dims; ints and bools sum to int32. */
export function sum(x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  return reduceTo('sum', x, dim, keepdim, intOrSame(x.dtype));
}

/** Product over dims. */
export function prod(x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  return reduceTo('prod', x, dim, keepdim, intOrSame(x.dtype));
}

/** Mean over dims (floating dtypes only). */
export function mean(x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  if (!isFloatingDType(x.dtype)) {
    throw new TypeError(
      `mean(): could not infer output dtype. Input dtype must be a floating point dtype. Got: ${x.dtype}`,
    );
  }
  const dims = reductionDims(dim, x.ndim);
  const count = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const s = reduceTo('sum', x, dims, keepdim, x.dtype);
  return s.div(count);
}

/** Max over dims (values only). */
export function amax(x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  requireNonEmpty('max', x, dim);
  return reduceTo('max', x, dim, keepdim, x.dtype);
}

/** Min over dims (values only). */
export function amin(x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  requireNonEmpty('min', x, dim);
  return reduceTo('min', x, dim, keepdim, x.dtype);
}

/** Values and first indices of the max/min along one dim. */
export function maxMin(
  op: 'max' | 'min',
  x: NDArray,
  dim: number,
  keepdim: boolean,
): ValuesIndices<NDArray> {
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim === 0) return new ValuesIndices(x.clone(), allocate([], 'int32'));
  requireNonEmpty(op, x, d);
  const shape = keptShape(x, [d]);
  const values = allocate(shape, x.dtype);
  const indices = allocate(shape, 'int32');
  getBackend().argReduce(op, stridedOf(x), d, stridedOf(values), stridedOf(indices));
  return new ValuesIndices(finish(values, [d], keepdim), finish(indices, [d], keepdim));
}

/** Index of the max/min along `dim`, or in the flattened array when `dim` is null. */
export function argMaxMin(
  op: 'max' | 'min',
  x: NDArray,
  dim: number | null | undefined,
  keepdim: boolean,
): NDArray {
  if (dim === null || dim === undefined) {
    requireNonEmpty(`arg${op}`, x, null);
    const flat = x.reshape(-1);
    const idx = maxMin(op, flat, 0, false).indices;
    return keepdim ? idx.reshape(x.shape.map(() => 1)) : idx;
  }
  return maxMin(op, x, dim, keepdim).indices;
}

/** Variance with `correction` subtracted from the count (two-pass, for accuracy). */
export function variance(x: NDArray, dim: Dims, options: VarOptions): NDArray {
  const { correction = 1, keepdim = false } = options;
  if (!isFloatingDType(x.dtype)) {
    throw new TypeError(`var(): input dtype must be a floating point dtype. Got: ${x.dtype}`);
  }
  const dims = reductionDims(dim, x.ndim);
  const count = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const centered = x.sub(mean(x, dims, true));
  const ss = reduceTo('sum', centered.mul(centered), dims, keepdim, x.dtype);
  return ss.div(Math.max(count - correction, 0));
}

/** log(sum(exp(x))) over dims. */
export function logsumexp(x: NDArray, dim: number | readonly number[], keepdim: boolean): NDArray {
  const dtype = isFloatingDType(x.dtype) ? x.dtype : 'float32';
  return reduceTo('logsumexp', x, dim, keepdim, dtype);
}

/** Vector p-norm over dims. */
export function norm(x: NDArray, p: number | 'fro', dim: Dims, keepdim: boolean): NDArray {
  const f = isFloatingDType(x.dtype) ? x : x.float();
  const a = f.abs();
  if (p === 'fro' || p === 2) return sum(f.mul(f), dim, keepdim).sqrt();
  if (p === Infinity) return amax(a, dim, keepdim);
  if (p === -Infinity) return amin(a, dim, keepdim);
  if (p === 0) return sum(a.ne(0), dim, keepdim).to(f.dtype);
  if (p === 1) return sum(a, dim, keepdim);
  return sum(a.pow(p), dim, keepdim).pow(1 / p);
}

/** Logical any/all over dims. */
export function anyAll(op: 'any' | 'all', x: NDArray, dim: Dims, keepdim: boolean): NDArray {
  return reduceTo(op, x, dim, keepdim, 'bool');
}

/** Running sum along `dim` (float32 accumulates in float64, as PyTorch's CPU kernel does). */
export function cumsum(x: NDArray, dim: number): NDArray {
  const d = normalizeDim(dim, x.ndim);
  const dtype = intOrSame(x.dtype);
  const out = x.to(dtype === 'float32' ? 'float64' : dtype).clone();
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  for (let i = 1; i < n; i++) out.select(d, i).add_(out.select(d, i - 1));
  return out.to(dtype);
}

/** Softmax (or log-softmax) along `dim`. */
export function softmax(x: NDArray, dim: number, log: boolean): NDArray {
  const d = normalizeDim(dim, x.ndim);
  const dtype = isFloatingDType(x.dtype) ? x.dtype : 'float32';
  const out = allocate(x.shape, dtype);
  if (x.ndim === 0) {
    out.fill_(log ? 0 : 1);
    return out;
  }
  getBackend().softmax(stridedOf(x), d, stridedOf(out), log);
  return out;
}

/** Same shape and the same elements. */
export function equal(a: NDArray, b: NDArray): boolean {
  if (!shapesEqual(a.shape, b.shape)) return false;
  return a.eq(b).all().item() !== 0;
}

/**
 * Elementwise |a - b| <= atol + rtol·|b|, or equal (infinities of one sign), as a bool array;
 * NaNs are close to each other only with `equalNan`.
 */
export function isclose(
  a: NDArray,
  b: NDArray | number,
  rtol: number,
  atol: number,
  equalNan: boolean,
): NDArray {
  check.tensorLike('isclose', 'other', b);
  check.number('isclose', 'rtol', rtol);
  check.number('isclose', 'atol', atol);
  check.bool('isclose', 'equalNan', equalNan);
  let close = a.eq(b);
  if (equalNan)
    close = close.logicalOr(
      a.isnan().logicalAnd(typeof b === 'number' ? Number.isNaN(b) : b.isnan()),
    );
  const af = isFloatingDType(a.dtype) ? a : a.double();
  const error = af.sub(b).abs();
  const bound = (typeof b === 'number' ? Math.abs(b) * rtol : b.abs().mul(rtol)) as
    NDArray | number;
  return close.logicalOr(
    error
      .isfinite()
      .logicalAnd(error.le(typeof bound === 'number' ? bound + atol : bound.add(atol))),
  );
}

/** Cumulative product along `dim` (ints and bools in int32). */
export function cumprod(x: NDArray, dim: number): NDArray {
  const d = normalizeDim(dim, x.ndim);
  const dtype = intOrSame(x.dtype);
  const out = x.to(dtype).clone();
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  for (let i = 1; i < n; i++) out.select(d, i).mul_(out.select(d, i - 1));
  return out;
}

/**
 * |a - b| <= atol + rtol * |b| elementwise (with broadcasting), as torch.isclose: infinities are
 * close only to themselves, NaNs only to NaNs and only with `equalNan`.
 */
export function allclose(
  a: NDArray,
  b: NDArray,
  rtol: number,
  atol: number,
  equalNan: boolean,
): boolean {
  const af = a.double();
  const bf = b.double();
  let close = af.eq(bf);
  if (equalNan) close = close.logicalOr(af.isnan().logicalAnd(bf.isnan()));
  const error = af.sub(bf).abs();
  close = close.logicalOr(error.isfinite().logicalAnd(error.le(bf.abs().mul(rtol).add(atol))));
  return close.all().item() !== 0;
}
