/**
 * @gd/tensor/functional — function forms of the NDArray methods (`exp(x)` for `x.exp()`,
 * `add(2, x)` with a JS number on either side), for code written in `torch.exp(x)` style on
 * NDArrays. An entry point of its own: each is the method of the same name, which a page has
 * without it (at the autograd level, `@gd/autograd` exports the same forms for Tensors).
 *
 * @example
 * ```ts
 * import { linspace } from '@gd/tensor';
 * import { exp, mul, sin } from '@gd/tensor/functional';
 * const x = linspace(-3, 3, 100);
 * const y = mul(sin(x.mul(5)), exp(x.square().div(-2)));
 * console.log(y.shape); // [100]
 * ```
 *
 * @packageDocumentation
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
import type { TensorLike } from './ops/elementwise.js';
import { binaryOp } from './ops/elementwise.js';
import type { BinaryOp } from './ops/registry/elementwise.js';

// The array a function form works on, checked (`exp(3)` names the problem).
function self(fn: string, x: NDArray): NDArray {
  return x instanceof NDArray ? x : check.ndarray(fn, 'input', x);
}

// The function forms, made from the op's name (each typed where it is declared): `name(x,
// ...args)` is `x.name(...args)` with x checked, and a binary `name(a, b)` takes a JS number
// on either side.
type Method = (...args: unknown[]) => never;
const method =
  (name: keyof NDArray) =>
  (x: NDArray, ...args: unknown[]): never =>
    (self(name, x) as unknown as Record<string, Method>)[name]!(...args);
const binary =
  (name: BinaryOp) =>
  (a: TensorLike, b: TensorLike): NDArray =>
    binaryOp(name, a, b);
const scaled =
  (name: BinaryOp) =>
  (a: TensorLike, b: TensorLike, alpha?: number): NDArray =>
    binaryOp(name, a, b, alpha);

/** `a + alpha * b`. */
export const add = scaled('add');
/** `a - alpha * b`. */
export const sub = scaled('sub');
/** `a * b`. */
export const mul = binary('mul');
/** `a / b`. */
export const div = binary('div');
/** `a ** b`. */
export const pow = binary('pow');
/** Elementwise maximum. */
export const maximum = binary('maximum');
/** Elementwise minimum. */
export const minimum = binary('minimum');
/** Python-style modulo (the sign of the divisor). */
export const remainder = binary('remainder');
/** Floor of the quotient (Python's `//`). */
export const floorDivide = binary('floorDivide');
/** Elementwise atan2. */
export const atan2 = binary('atan2');
/** Elementwise ==. */
export const eq = binary('eq');
/** Elementwise !=. */
export const ne = binary('ne');
/** Elementwise <. */
export const lt = binary('lt');
/** Elementwise <=. */
export const le = binary('le');
/** Elementwise >. */
export const gt = binary('gt');
/** Elementwise >=. */
export const ge = binary('ge');
/** Elementwise logical and. */
export const logicalAnd = binary('logicalAnd');
/** Elementwise logical or. */
export const logicalOr = binary('logicalOr');
/** Elementwise logical xor. */
export const logicalXor = binary('logicalXor');

/** `-x`. */
export const neg: (x: NDArray) => NDArray = method('neg');
/** |x|. */
export const abs: (x: NDArray) => NDArray = method('abs');
/** Sign of x. */
export const sign: (x: NDArray) => NDArray = method('sign');
/** e^x. */
export const exp: (x: NDArray) => NDArray = method('exp');
/** Natural log. */
export const log: (x: NDArray) => NDArray = method('log');
/** log base 2. */
export const log2: (x: NDArray) => NDArray = method('log2');
/** log(1 + x). */
export const log1p: (x: NDArray) => NDArray = method('log1p');
/** e^x - 1. */
export const expm1: (x: NDArray) => NDArray = method('expm1');
/** Square root. */
export const sqrt: (x: NDArray) => NDArray = method('sqrt');
/** 1 / sqrt(x). */
export const rsqrt: (x: NDArray) => NDArray = method('rsqrt');
/** 1 / x. */
export const reciprocal: (x: NDArray) => NDArray = method('reciprocal');
/** x². */
export const square: (x: NDArray) => NDArray = method('square');
/** Sine. */
export const sin: (x: NDArray) => NDArray = method('sin');
/** Cosine. */
export const cos: (x: NDArray) => NDArray = method('cos');
/** Tangent. */
export const tan: (x: NDArray) => NDArray = method('tan');
/** Hyperbolic tangent. */
export const tanh: (x: NDArray) => NDArray = method('tanh');
/** Logistic sigmoid. */
export const sigmoid: (x: NDArray) => NDArray = method('sigmoid');
/** max(x, 0). */
export const relu: (x: NDArray) => NDArray = method('relu');
/** GELU. */
export const gelu: (x: NDArray, ...args: GeluArgs) => NDArray = method('gelu');
/** x · sigmoid(x). */
export const silu: (x: NDArray) => NDArray = method('silu');
/** log(1 + e^x). */
export const softplus: (x: NDArray) => NDArray = method('softplus');
/** x for x > 0, slope · x otherwise. */
export const leakyRelu = (x: NDArray, negativeSlope = 0.01): NDArray =>
  self('leakyRelu', x).leakyRelu(negativeSlope);
/** The error function. */
export const erf: (x: NDArray) => NDArray = method('erf');
/** Round down. */
export const floor: (x: NDArray) => NDArray = method('floor');
/** Round up. */
export const ceil: (x: NDArray) => NDArray = method('ceil');
/** Round half to even. */
export const round: (x: NDArray) => NDArray = method('round');
/** Round toward zero. */
export const trunc: (x: NDArray) => NDArray = method('trunc');
/** Limits x to [min, max]. */
export const clamp: (x: NDArray, ...args: ClampArgs) => NDArray = method('clamp');
/** Logical not. */
export const logicalNot: (x: NDArray) => NDArray = method('logicalNot');
/** True where NaN. */
export const isnan: (x: NDArray) => NDArray = method('isnan');
/** True where ±Infinity. */
export const isinf: (x: NDArray) => NDArray = method('isinf');
/** True where finite. */
export const isfinite: (x: NDArray) => NDArray = method('isfinite');

/** Sum over dims. */
export const sum: (x: NDArray, ...args: ReduceArgs) => NDArray = method('sum');
/** Mean over dims. */
export const mean: (x: NDArray, ...args: ReduceArgs) => NDArray = method('mean');
/** Product over dims. */
export const prod: (x: NDArray, ...args: ReduceArgs) => NDArray = method('prod');
/** Max over dims (values only). */
export const amax: (x: NDArray, ...args: ReduceArgs) => NDArray = method('amax');
/** Min over dims (values only). */
export const amin: (x: NDArray, ...args: ReduceArgs) => NDArray = method('amin');
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
export const argmax: (x: NDArray, ...args: ReduceArgs) => NDArray = method('argmax');
/** Index of the min. */
export const argmin: (x: NDArray, ...args: ReduceArgs) => NDArray = method('argmin');
/** The p-norm over dims. */
export const norm = (
  x: NDArray,
  p: number | 'fro' = 2,
  dim?: number | readonly number[] | null,
  keepdim = false,
): NDArray => self('norm', x).norm(p, dim, keepdim);
/** True if any element (along dims) is non-zero. */
export const any: (x: NDArray, ...args: ReduceArgs) => NDArray = method('any');
/** True if every element (along dims) is non-zero. */
export const all: (x: NDArray, ...args: ReduceArgs) => NDArray = method('all');
/** Cumulative sum along a dim. */
export const cumsum: (x: NDArray, dim: number) => NDArray = method('cumsum');
/** log(sum(exp(x))) over dims. */
export const logsumexp: (x: NDArray, ...args: ReduceArgs) => NDArray = method('logsumexp');
/** Softmax along a dim. */
export const softmax: (x: NDArray, dim: number) => NDArray = method('softmax');
/** Log-softmax along a dim. */
export const logSoftmax: (x: NDArray, dim: number) => NDArray = method('logSoftmax');

/** Transpose of a ≤2-d array. */
export const t: (x: NDArray) => NDArray = method('t');
/** Swaps two dims. */
export const transpose: (x: NDArray, dim0: number, dim1: number) => NDArray = method('transpose');
/** Reorders dims. */
export const permute: (x: NDArray, dims: readonly number[]) => NDArray = method('permute');
/** New shape, copying only if needed. */
export const reshape: (x: NDArray, shape: readonly number[]) => NDArray = method('reshape');
/** Merges dims. */
export const flatten = (x: NDArray, startDim = 0, endDim = -1): NDArray =>
  self('flatten', x).flatten(startDim, endDim);
/** Drops size-1 dims. */
export const squeeze: (x: NDArray, dim?: number | readonly number[]) => NDArray = method('squeeze');
/** Inserts a size-1 dim. */
export const unsqueeze: (x: NDArray, dim: number) => NDArray = method('unsqueeze');
/** Values at `index` along `dim`. */
export const gather: (x: NDArray, dim: number, index: NDArray) => NDArray = method('gather');
/** Entries of `dim` listed in `index`. */
export const indexSelect: (x: NDArray, dim: number, index: NDArray) => NDArray =
  method('indexSelect');
/** Elements where the mask is true. */
export const maskedSelect: (x: NDArray, mask: NDArray) => NDArray = method('maskedSelect');
/** A copy of x. */
export const clone: (x: NDArray) => NDArray = method('clone');

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
export const sort: (x: NDArray, ...args: SortArgs) => ValuesIndices<NDArray> = method('sort');
/** The indices that sort along a dim. */
export const argsort: (x: NDArray, ...args: SortArgs) => NDArray = method('argsort');
/** The k largest (or smallest) values and their indices. */
export const topk: (
  x: NDArray,
  k: number,
  dim?: number | TopkOptions,
  largest?: boolean,
) => ValuesIndices<NDArray> = method('topk');
/** Cumulative product along a dim. */
export const cumprod: (x: NDArray, dim: number) => NDArray = method('cumprod');
/** The distinct values, ascending; with options, inverse indices and counts too. */
export const unique: (x: NDArray, options?: UniqueOptions) => NDArray | UniqueResult<NDArray> =
  method('unique');
/** Counts of each value of a 1-d int array. */
export const bincount: (x: NDArray, options?: BincountOptions) => NDArray = method('bincount');
/** Elementwise closeness as a bool array. */
export const isclose: (
  a: NDArray,
  b: NDArray | number,
  rtol?: number,
  atol?: number,
  equalNan?: boolean,
) => NDArray = method('isclose');
/** NaN and infinities replaced by finite numbers. */
export const nanToNum: (
  x: NDArray,
  nan?: number,
  posinf?: number | null,
  neginf?: number | null,
) => NDArray = method('nanToNum');
/** The lower triangle. */
export const tril: (x: NDArray, diagonal?: number) => NDArray = method('tril');
/** The upper triangle. */
export const triu: (x: NDArray, diagonal?: number) => NDArray = method('triu');
/** Diagonal matrix from a vector, or a matrix's diagonal. */
export const diag: (x: NDArray, diagonal?: number) => NDArray = method('diag');
/** Each element repeated along a dim. */
export const repeatInterleave: (
  x: NDArray,
  repeats: number | readonly number[] | NDArray,
  dim?: number | null,
) => NDArray = method('repeatInterleave');
/** Shifted with wrap-around. */
export const roll: (
  x: NDArray,
  shifts: number | readonly number[],
  dims?: number | readonly number[] | null,
) => NDArray = method('roll');
/** Reversed along dims. */
export const flip: (x: NDArray, dims: number | readonly number[]) => NDArray = method('flip');
