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
import type { NDArray, ValuesIndices } from './ndarray.js';
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
export const neg = (x: NDArray): NDArray => x.neg();
/** |x|. */
export const abs = (x: NDArray): NDArray => x.abs();
/** Sign of x. */
export const sign = (x: NDArray): NDArray => x.sign();
/** e^x. */
export const exp = (x: NDArray): NDArray => x.exp();
/** Natural log. */
export const log = (x: NDArray): NDArray => x.log();
/** log base 2. */
export const log2 = (x: NDArray): NDArray => x.log2();
/** log(1 + x). */
export const log1p = (x: NDArray): NDArray => x.log1p();
/** e^x - 1. */
export const expm1 = (x: NDArray): NDArray => x.expm1();
/** Square root. */
export const sqrt = (x: NDArray): NDArray => x.sqrt();
/** 1 / sqrt(x). */
export const rsqrt = (x: NDArray): NDArray => x.rsqrt();
/** 1 / x. */
export const reciprocal = (x: NDArray): NDArray => x.reciprocal();
/** x². */
export const square = (x: NDArray): NDArray => x.square();
/** Sine. */
export const sin = (x: NDArray): NDArray => x.sin();
/** Cosine. */
export const cos = (x: NDArray): NDArray => x.cos();
/** Tangent. */
export const tan = (x: NDArray): NDArray => x.tan();
/** Hyperbolic tangent. */
export const tanh = (x: NDArray): NDArray => x.tanh();
/** Logistic sigmoid. */
export const sigmoid = (x: NDArray): NDArray => x.sigmoid();
/** max(x, 0). */
export const relu = (x: NDArray): NDArray => x.relu();
/** GELU. */
export const gelu = (x: NDArray, approximate: 'none' | 'tanh' = 'none'): NDArray =>
  x.gelu(approximate);
/** x · sigmoid(x). */
export const silu = (x: NDArray): NDArray => x.silu();
/** log(1 + e^x). */
export const softplus = (x: NDArray): NDArray => x.softplus();
/** x for x > 0, slope · x otherwise. */
export const leakyRelu = (x: NDArray, negativeSlope = 0.01): NDArray => x.leakyRelu(negativeSlope);
/** The error function. */
export const erf = (x: NDArray): NDArray => x.erf();
/** Round down. */
export const floor = (x: NDArray): NDArray => x.floor();
/** Round up. */
export const ceil = (x: NDArray): NDArray => x.ceil();
/** Round half to even. */
export const round = (x: NDArray): NDArray => x.round();
/** Round toward zero. */
export const trunc = (x: NDArray): NDArray => x.trunc();
/** Limits x to [min, max]. */
export const clamp = (x: NDArray, min?: number | null, max?: number | null): NDArray =>
  x.clamp(min, max);
/** Logical not. */
export const logicalNot = (x: NDArray): NDArray => x.logicalNot();
/** True where NaN. */
export const isnan = (x: NDArray): NDArray => x.isnan();
/** True where ±Infinity. */
export const isinf = (x: NDArray): NDArray => x.isinf();
/** True where finite. */
export const isfinite = (x: NDArray): NDArray => x.isfinite();

/** Sum over dims. */
export const sum = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.sum(dim, keepdim);
/** Mean over dims. */
export const mean = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.mean(dim, keepdim);
/** Product over dims. */
export const prod = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.prod(dim, keepdim);
/** Max over dims (values only). */
export const amax = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.amax(dim, keepdim);
/** Min over dims (values only). */
export const amin = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.amin(dim, keepdim);
/** Max along a dim with indices. */
export const max = (x: NDArray, dim: number, keepdim = false): ValuesIndices => x.max(dim, keepdim);
/** Min along a dim with indices. */
export const min = (x: NDArray, dim: number, keepdim = false): ValuesIndices => x.min(dim, keepdim);
/** Index of the max. */
export const argmax = (x: NDArray, dim?: number | null, keepdim = false): NDArray =>
  x.argmax(dim, keepdim);
/** Index of the min. */
export const argmin = (x: NDArray, dim?: number | null, keepdim = false): NDArray =>
  x.argmin(dim, keepdim);
/** The p-norm over dims. */
export const norm = (
  x: NDArray,
  p: number | 'fro' = 2,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.norm(p, dim, keepdim);
/** True if any element (along dims) is non-zero. */
export const any = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.any(dim, keepdim);
/** True if every element (along dims) is non-zero. */
export const all = (
  x: NDArray,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => x.all(dim, keepdim);
/** Cumulative sum along a dim. */
export const cumsum = (x: NDArray, dim: number): NDArray => x.cumsum(dim);
/** log(sum(exp(x))) over dims. */
export const logsumexp = (x: NDArray, dim: number | readonly number[], keepdim = false): NDArray =>
  x.logsumexp(dim, keepdim);
/** Softmax along a dim. */
export const softmax = (x: NDArray, dim: number): NDArray => x.softmax(dim);
/** Log-softmax along a dim. */
export const logSoftmax = (x: NDArray, dim: number): NDArray => x.logSoftmax(dim);

/** Transpose of a ≤2-d array. */
export const t = (x: NDArray): NDArray => x.t();
/** Swaps two dims. */
export const transpose = (x: NDArray, dim0: number, dim1: number): NDArray =>
  x.transpose(dim0, dim1);
/** Reorders dims. */
export const permute = (x: NDArray, dims: readonly number[]): NDArray => x.permute(dims);
/** New shape, copying only if needed. */
export const reshape = (x: NDArray, shape: readonly number[]): NDArray => x.reshape(shape);
/** Merges dims. */
export const flatten = (x: NDArray, startDim = 0, endDim = -1): NDArray =>
  x.flatten(startDim, endDim);
/** Drops size-1 dims. */
export const squeeze = (x: NDArray, dim?: number | readonly number[]): NDArray => x.squeeze(dim);
/** Inserts a size-1 dim. */
export const unsqueeze = (x: NDArray, dim: number): NDArray => x.unsqueeze(dim);
/** Values at `index` along `dim`. */
export const gather = (x: NDArray, dim: number, index: NDArray): NDArray => x.gather(dim, index);
/** Entries of `dim` listed in `index`. */
export const indexSelect = (x: NDArray, dim: number, index: NDArray): NDArray =>
  x.indexSelect(dim, index);
/** Elements where the mask is true. */
export const maskedSelect = (x: NDArray, mask: NDArray): NDArray => x.maskedSelect(mask);
/** A copy of x. */
export const clone = (x: NDArray): NDArray => x.clone();
