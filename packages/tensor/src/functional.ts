/**
 * Function forms of the NDArray methods (`exp(x)` for `x.exp()`), for code written in
 * `torch.exp(x)` style.
 *
 * @example
 * ```ts
 * import { exp, linspace, mul, sin } from '@gd/tensor';
 * const x = linspace(-3, 3, 100);
 * const y = mul(sin(x.mul(5)), exp(x.square().div(-2)));
 * ```
 */
import type { ClampArgs, GeluArgs, SortArgs } from './ndarray.js';
import type { Level, TopkOptions } from './ops/composite.js';
import { einsumWith, meshgridWith } from './ops/composite.js';
import type { BincountOptions, UniqueOptions, UniqueResult } from './ops/counting.js';
import { cat } from './ops/join.js';
import { NDArray } from './ndarray.js';
import type { ValuesIndices } from './result.js';
import type { ReduceArgs } from './check.js';
import { check, describe } from './check.js';

// The array a function form works on, checked (`exp(3)` names the problem).
function self(fn: string, x: NDArray): NDArray {
  return x instanceof NDArray ? x : check.ndarray(fn, 'input', x);
}
import type { TensorLike } from './ops/elementwise.js';
import { binaryOp } from './ops/elementwise.js';

/** `a + alpha * b`. */
export const add = (a: TensorLike, b: TensorLike, alpha = 1): NDArray =>
  binaryOp('add', a, b, alpha);
/** `a - alpha * b`. */
export const sub = (a: TensorLike, b: TensorLike, alpha = 1): NDArray =>
  binaryOp('sub', a, b, alpha);
/** `a * b`. */
export const mul = (a: TensorLike, b: TensorLike): NDArray => binaryOp('mul', a, b);
/** `a / b`. */
export const div = (a: TensorLike, b: TensorLike): NDArray => binaryOp('div', a, b);
/** `a ** b`. */
export const pow = (a: TensorLike, b: TensorLike): NDArray => binaryOp('pow', a, b);
/** Elementwise maximum. */
export const maximum = (a: TensorLike, b: TensorLike): NDArray => binaryOp('maximum', a, b);
/** Elementwise minimum. */
export const minimum = (a: TensorLike, b: TensorLike): NDArray => binaryOp('minimum', a, b);
/** Python-style modulo (the sign of the divisor). */
export const remainder = (a: TensorLike, b: TensorLike): NDArray => binaryOp('remainder', a, b);
/** Floor of the quotient (Python's `//`). */
export const floorDivide = (a: TensorLike, b: TensorLike): NDArray => binaryOp('floorDivide', a, b);
/** Elementwise atan2. */
export const atan2 = (a: TensorLike, b: TensorLike): NDArray => binaryOp('atan2', a, b);
/** Elementwise ==. */
export const eq = (a: TensorLike, b: TensorLike): NDArray => binaryOp('eq', a, b);
/** Elementwise !=. */
export const ne = (a: TensorLike, b: TensorLike): NDArray => binaryOp('ne', a, b);
/** Elementwise <. */
export const lt = (a: TensorLike, b: TensorLike): NDArray => binaryOp('lt', a, b);
/** Elementwise <=. */
export const le = (a: TensorLike, b: TensorLike): NDArray => binaryOp('le', a, b);
/** Elementwise >. */
export const gt = (a: TensorLike, b: TensorLike): NDArray => binaryOp('gt', a, b);
/** Elementwise >=. */
export const ge = (a: TensorLike, b: TensorLike): NDArray => binaryOp('ge', a, b);
/** Elementwise logical and. */
export const logicalAnd = (a: TensorLike, b: TensorLike): NDArray => binaryOp('logicalAnd', a, b);
/** Elementwise logical or. */
export const logicalOr = (a: TensorLike, b: TensorLike): NDArray => binaryOp('logicalOr', a, b);
/** Elementwise logical xor. */
export const logicalXor = (a: TensorLike, b: TensorLike): NDArray => binaryOp('logicalXor', a, b);

/** `-x`. */
export const neg = (x: NDArray): NDArray => self('neg', x).neg();
/** |x|. */
export const abs = (x: NDArray): NDArray => self('abs', x).abs();
/** Sign of x. */
export const sign = (x: NDArray): NDArray => self('sign', x).sign();
/** e^x. */
export const exp = (x: NDArray): NDArray => self('exp', x).exp();
/** Natural log. */
export const log = (x: NDArray): NDArray => self('log', x).log();
/** log base 2. */
export const log2 = (x: NDArray): NDArray => self('log2', x).log2();
/** log(1 + x). */
export const log1p = (x: NDArray): NDArray => self('log1p', x).log1p();
/** e^x - 1. */
export const expm1 = (x: NDArray): NDArray => self('expm1', x).expm1();
/** Square root. */
export const sqrt = (x: NDArray): NDArray => self('sqrt', x).sqrt();
/** 1 / sqrt(x). */
export const rsqrt = (x: NDArray): NDArray => self('rsqrt', x).rsqrt();
/** 1 / x. */
export const reciprocal = (x: NDArray): NDArray => self('reciprocal', x).reciprocal();
/** x². */
export const square = (x: NDArray): NDArray => self('square', x).square();
/** Sine. */
export const sin = (x: NDArray): NDArray => self('sin', x).sin();
/** Cosine. */
export const cos = (x: NDArray): NDArray => self('cos', x).cos();
/** Tangent. */
export const tan = (x: NDArray): NDArray => self('tan', x).tan();
/** Hyperbolic tangent. */
export const tanh = (x: NDArray): NDArray => self('tanh', x).tanh();
/** Logistic sigmoid. */
export const sigmoid = (x: NDArray): NDArray => self('sigmoid', x).sigmoid();
/** max(x, 0). */
export const relu = (x: NDArray): NDArray => self('relu', x).relu();
/** GELU. */
export const gelu = (x: NDArray, ...args: GeluArgs): NDArray => self('gelu', x).gelu(...args);
/** x · sigmoid(x). */
export const silu = (x: NDArray): NDArray => self('silu', x).silu();
/** log(1 + e^x). */
export const softplus = (x: NDArray): NDArray => self('softplus', x).softplus();
/** x for x > 0, slope · x otherwise. */
export const leakyRelu = (x: NDArray, negativeSlope = 0.01): NDArray =>
  self('leakyRelu', x).leakyRelu(negativeSlope);
/** The error function. */
export const erf = (x: NDArray): NDArray => self('erf', x).erf();
/** Round down. */
export const floor = (x: NDArray): NDArray => self('floor', x).floor();
/** Round up. */
export const ceil = (x: NDArray): NDArray => self('ceil', x).ceil();
/** Round half to even. */
export const round = (x: NDArray): NDArray => self('round', x).round();
/** Round toward zero. */
export const trunc = (x: NDArray): NDArray => self('trunc', x).trunc();
/** Limits x to [min, max]. */
export const clamp = (x: NDArray, ...args: ClampArgs): NDArray => self('clamp', x).clamp(...args);
/** Logical not. */
export const logicalNot = (x: NDArray): NDArray => self('logicalNot', x).logicalNot();
/** True where NaN. */
export const isnan = (x: NDArray): NDArray => self('isnan', x).isnan();
/** True where ±Infinity. */
export const isinf = (x: NDArray): NDArray => self('isinf', x).isinf();
/** True where finite. */
export const isfinite = (x: NDArray): NDArray => self('isfinite', x).isfinite();

/** Sum over dims. */
export const sum = (x: NDArray, ...args: ReduceArgs): NDArray => self('sum', x).sum(...args);
/** Mean over dims. */
export const mean = (x: NDArray, ...args: ReduceArgs): NDArray => self('mean', x).mean(...args);
/** Product over dims. */
export const prod = (x: NDArray, ...args: ReduceArgs): NDArray => self('prod', x).prod(...args);
/** Max over dims (values only). */
export const amax = (x: NDArray, ...args: ReduceArgs): NDArray => self('amax', x).amax(...args);
/** Min over dims (values only). */
export const amin = (x: NDArray, ...args: ReduceArgs): NDArray => self('amin', x).amin(...args);
/** Max along a dim with indices. */
export const max = (
  x: NDArray,
  ...args: [dim: number, keepdim?: boolean] | [options: { dim: number; keepdim?: boolean }]
): ValuesIndices<NDArray> => self('max', x).max(...(args as [number, boolean?]));
/** Min along a dim with indices. */
export const min = (
  x: NDArray,
  ...args: [dim: number, keepdim?: boolean] | [options: { dim: number; keepdim?: boolean }]
): ValuesIndices<NDArray> => self('min', x).min(...(args as [number, boolean?]));
/** Index of the max. */
export const argmax = (x: NDArray, ...args: ReduceArgs): NDArray =>
  self('argmax', x).argmax(...args);
/** Index of the min. */
export const argmin = (x: NDArray, ...args: ReduceArgs): NDArray =>
  self('argmin', x).argmin(...args);
/** The p-norm over dims. */
export const norm = (
  x: NDArray,
  p: number | 'fro' = 2,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => self('norm', x).norm(p, dim, keepdim);
/** True if any element (along dims) is non-zero. */
export const any = (x: NDArray, ...args: ReduceArgs): NDArray => self('any', x).any(...args);
/** True if every element (along dims) is non-zero. */
export const all = (x: NDArray, ...args: ReduceArgs): NDArray => self('all', x).all(...args);
/** Cumulative sum along a dim. */
export const cumsum = (x: NDArray, dim: number): NDArray => self('cumsum', x).cumsum(dim);
/** log(sum(exp(x))) over dims. */
export const logsumexp = (x: NDArray, ...args: ReduceArgs): NDArray =>
  self('logsumexp', x).logsumexp(...args);
/** Softmax along a dim. */
export const softmax = (x: NDArray, dim: number): NDArray => self('softmax', x).softmax(dim);
/** Log-softmax along a dim. */
export const logSoftmax = (x: NDArray, dim: number): NDArray =>
  self('logSoftmax', x).logSoftmax(dim);

/** Transpose of a ≤2-d array. */
export const t = (x: NDArray): NDArray => self('t', x).t();
/** Swaps two dims. */
export const transpose = (x: NDArray, dim0: number, dim1: number): NDArray =>
  self('transpose', x).transpose(dim0, dim1);
/** Reorders dims. */
export const permute = (x: NDArray, dims: readonly number[]): NDArray =>
  self('permute', x).permute(dims);
/** New shape, copying only if needed. */
export const reshape = (x: NDArray, shape: readonly number[]): NDArray =>
  self('reshape', x).reshape(shape);
/** Merges dims. */
export const flatten = (x: NDArray, startDim = 0, endDim = -1): NDArray =>
  self('flatten', x).flatten(startDim, endDim);
/** Drops size-1 dims. */
export const squeeze = (x: NDArray, dim?: number | readonly number[]): NDArray =>
  self('squeeze', x).squeeze(dim);
/** Inserts a size-1 dim. */
export const unsqueeze = (x: NDArray, dim: number): NDArray => self('unsqueeze', x).unsqueeze(dim);
/** Values at `index` along `dim`. */
export const gather = (x: NDArray, dim: number, index: NDArray): NDArray =>
  self('gather', x).gather(dim, index);
/** Entries of `dim` listed in `index`. */
export const indexSelect = (x: NDArray, dim: number, index: NDArray): NDArray =>
  self('indexSelect', x).indexSelect(dim, index);
/** Elements where the mask is true. */
export const maskedSelect = (x: NDArray, mask: NDArray): NDArray =>
  self('maskedSelect', x).maskedSelect(mask);
/** A copy of x. */
export const clone = (x: NDArray): NDArray => self('clone', x).clone();

// ---- the ops of issue 14 ----------------------------------------------------------------------

const LEVEL: Level<NDArray> = { cat, constant: (a) => a, values: (a) => a };

/**
 * Einstein summation over NDArrays (see the autograd form for gradients).
 *
 * @example
 * ```ts
 * einsum('ij,jk->ik', a, b); // a.matmul(b)
 * einsum('ii->', m);         // the trace
 * ```
 */
export function einsum(equation: string, ...operands: (NDArray | readonly NDArray[])[]): NDArray {
  const list = (
    operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands
  ) as NDArray[];
  list.forEach((x, i) => check.ndarray('einsum', `operands[${i}]`, x));
  return einsumWith(LEVEL, equation, list);
}
/**
 * Coordinate grids from 1-d arrays (`indexing: 'ij'` by default, or `'xy'`).
 *
 * @example
 * ```ts
 * const [ys, xs] = meshgrid([arange(2), arange(3)]); // both [2, 3]
 * ```
 */
export function meshgrid(
  tensors: readonly NDArray[],
  options: { indexing?: 'ij' | 'xy' } = {},
): NDArray[] {
  if (!Array.isArray(tensors))
    throw new TypeError(`meshgrid: tensors must be an array of NDArrays, got ${describe(tensors)}`);
  tensors.forEach((x, i) => check.ndarray('meshgrid', `tensors[${i}]`, x));
  const o = check.options<{ indexing?: 'ij' | 'xy' }>('meshgrid', 'options', options, ['indexing']);
  return meshgridWith(LEVEL, tensors, o.indexing ?? 'ij');
}
/** Sorted values and indices along a dim. */
export const sort = (x: NDArray, ...args: SortArgs): ValuesIndices<NDArray> =>
  self('sort', x).sort(...args);
/** The indices that sort along a dim. */
export const argsort = (x: NDArray, ...args: SortArgs): NDArray =>
  self('argsort', x).argsort(...args);
/** The k largest (or smallest) values and their indices. */
export const topk = (
  x: NDArray,
  k: number,
  dim?: number | TopkOptions,
  largest?: boolean,
): ValuesIndices<NDArray> => self('topk', x).topk(k, dim, largest);
/** Cumulative product along a dim. */
export const cumprod = (x: NDArray, dim: number): NDArray => self('cumprod', x).cumprod(dim);
/** The distinct values, ascending; with options, inverse indices and counts too. */
export const unique = (x: NDArray, options?: UniqueOptions): NDArray | UniqueResult<NDArray> =>
  self('unique', x).unique(options);
/** Counts of each value of a 1-d int array. */
export const bincount = (x: NDArray, options?: BincountOptions): NDArray =>
  self('bincount', x).bincount(options);
/** Elementwise closeness as a bool array. */
export const isclose = (
  a: NDArray,
  b: NDArray | number,
  rtol = 1e-5,
  atol = 1e-8,
  equalNan = false,
): NDArray => self('isclose', a).isclose(b, rtol, atol, equalNan);
/** NaN and infinities replaced by finite numbers. */
export const nanToNum = (
  x: NDArray,
  nan = 0,
  posinf?: number | null,
  neginf?: number | null,
): NDArray => self('nanToNum', x).nanToNum(nan, posinf, neginf);
/** The lower triangle. */
export const tril = (x: NDArray, diagonal = 0): NDArray => self('tril', x).tril(diagonal);
/** The upper triangle. */
export const triu = (x: NDArray, diagonal = 0): NDArray => self('triu', x).triu(diagonal);
/** Diagonal matrix from a vector, or a matrix's diagonal. */
export const diag = (x: NDArray, diagonal = 0): NDArray => self('diag', x).diag(diagonal);
/** Each element repeated along a dim. */
export const repeatInterleave = (
  x: NDArray,
  repeats: number | readonly number[] | NDArray,
  dim?: number | null,
): NDArray => self('repeatInterleave', x).repeatInterleave(repeats, dim);
/** Shifted with wrap-around. */
export const roll = (
  x: NDArray,
  shifts: number | readonly number[],
  dims?: number | readonly number[] | null,
): NDArray => self('roll', x).roll(shifts, dims);
/** Reversed along dims. */
export const flip = (x: NDArray, dims: number | readonly number[]): NDArray =>
  self('flip', x).flip(dims);
