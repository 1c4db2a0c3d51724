/**
 * Function forms (`exp(x)` for `x.exp()`), the joins (`cat`, `stack`), and convolution and
 * pooling — written as PyTorch writes `torch.exp(x)` or `F.conv2d(...)`.
 */
import type { AvgPool2dOptions, Conv2dOptions, FoldOptions, Pair, Pool2dOptions } from '@gd/tensor';
import type {
  BinaryOp,
  GeluArgs,
  ReduceArgs,
  SortArgs,
  TopkOptions,
  UniqueOptions,
  UniqueResult,
} from '@gd/tensor';
import {
  NDArray,
  check,
  describe,
  einsumWith,
  formatShape,
  meshgridWith,
  conv2dOutputShape,
  resultType,
  tensor as tensorArray,
  zeros as zerosArray,
  shapesEqual,
} from '@gd/tensor';
import { runOp } from './function.js';
import { COPIES } from './ops/shape-ops.js';
import { CONVOLUTION, FOLDING, POOLING } from './ops/nn-ops.js';
import { LOSSES } from './ops/loss-ops.js';
import type { LossReduction } from './ops/loss-ops.js';
import type { ClampArgs, TensorLike, TensorValuesIndices } from './tensor.js';
import { NORM_OPS } from './ops/norm-ops.js';
import { LINALG, columnMajor } from './ops/linalg.js';
import { LEVEL, Tensor } from './tensor.js';
import { inputTensor } from './checks.js';

// The inputs of cat/stack: Tensors, with NDArrays taken as constants (no gradient).
function tensorList(fn: string, tensors: unknown): Tensor[] {
  if (!Array.isArray(tensors))
    throw new TypeError(`${fn}: tensors must be an array of Tensors, got ${describe(tensors)}`);
  return tensors.map((t: unknown, i) => {
    if (t instanceof Tensor) return t;
    if (t instanceof NDArray) return Tensor.fromArray(t);
    throw new TypeError(`${fn}: tensors[${i}] must be a Tensor or an NDArray, got ${describe(t)}`);
  });
}

function lhs(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor) return a;
  const dtype =
    b instanceof Tensor
      ? resultType(b.value, a)
      : resultType(a, typeof b === 'boolean' ? b : Number(b));
  return Tensor.fromArray(tensorArray(Number(a), { dtype }));
}

// The function forms, made from the method's name (each typed where it is declared): `name(x,
// ...args)` is `x.name(...args)` with x checked, and a binary `name(a, b)` takes a JS number
// on either side.
type Method = (...args: unknown[]) => never;
const method =
  (name: keyof Tensor) =>
  (x: Tensor, ...args: unknown[]): never =>
    (inputTensor(name, x) as unknown as Record<string, Method>)[name]!(...args);
// The binary ops of the registry; add and sub also take alpha.
type BinaryMethod = Exclude<BinaryOp, 'add' | 'sub'>;
const binary =
  (name: BinaryMethod) =>
  (a: TensorLike, b: TensorLike): Tensor =>
    lhs(a, b)[name](b);
const scaled =
  (name: 'add' | 'sub') =>
  (a: TensorLike, b: TensorLike, alpha = 1): Tensor =>
    lhs(a, b)[name](b, alpha);

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
/** atan2(a, b), the angle of the point (b, a). */
export const atan2 = binary('atan2');
/** Python-style modulo (the sign of the divisor). */
export const remainder = binary('remainder');
/** Floor of the quotient (Python's `//`). */
export const floorDivide = binary('floorDivide');
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
/** Elementwise logical and (non-zero is true). */
export const logicalAnd = binary('logicalAnd');
/** Elementwise logical or (non-zero is true). */
export const logicalOr = binary('logicalOr');
/** Elementwise logical xor (non-zero is true). */
export const logicalXor = binary('logicalXor');
/** `-x`. */
export const neg: (x: Tensor) => Tensor = method('neg');
/** |x|. */
export const abs: (x: Tensor) => Tensor = method('abs');
/** -1, 0 or 1 (0 for NaN). */
export const sign: (x: Tensor) => Tensor = method('sign');
/** x². */
export const square: (x: Tensor) => Tensor = method('square');
/** 1 / x. */
export const reciprocal: (x: Tensor) => Tensor = method('reciprocal');
/** e^x. */
export const exp: (x: Tensor) => Tensor = method('exp');
/** e^x - 1, accurate near 0. */
export const expm1: (x: Tensor) => Tensor = method('expm1');
/** log base 2. */
export const log2: (x: Tensor) => Tensor = method('log2');
/** 1 / sqrt(x). */
export const rsqrt: (x: Tensor) => Tensor = method('rsqrt');
/** Tangent. */
export const tan: (x: Tensor) => Tensor = method('tan');
/** The error function. */
export const erf: (x: Tensor) => Tensor = method('erf');
/** Round down. */
export const floor: (x: Tensor) => Tensor = method('floor');
/** Round up. */
export const ceil: (x: Tensor) => Tensor = method('ceil');
/** Round half to even. */
export const round: (x: Tensor) => Tensor = method('round');
/** Round toward zero. */
export const trunc: (x: Tensor) => Tensor = method('trunc');
/** Logical not (a bool tensor). */
export const logicalNot: (x: Tensor) => Tensor = method('logicalNot');
/** Whether each element is NaN. */
export const isnan: (x: Tensor) => Tensor = method('isnan');
/** Whether each element is ±Infinity. */
export const isinf: (x: Tensor) => Tensor = method('isinf');
/** Whether each element is finite. */
export const isfinite: (x: Tensor) => Tensor = method('isfinite');
/** Natural log. */
export const log: (x: Tensor) => Tensor = method('log');
/** log(1 + x). */
export const log1p: (x: Tensor) => Tensor = method('log1p');
/** Square root. */
export const sqrt: (x: Tensor) => Tensor = method('sqrt');
/** Sine. */
export const sin: (x: Tensor) => Tensor = method('sin');
/** Cosine. */
export const cos: (x: Tensor) => Tensor = method('cos');
/** Hyperbolic tangent. */
export const tanh: (x: Tensor) => Tensor = method('tanh');
/** Logistic sigmoid. */
export const sigmoid: (x: Tensor) => Tensor = method('sigmoid');
/** max(x, 0). */
export const relu: (x: Tensor) => Tensor = method('relu');
/** GELU. */
export const gelu: (x: Tensor, ...args: GeluArgs) => Tensor = method('gelu');
/** Limits x to [min, max] (numbers or tensors, positional or `{ min, max }`). */
export const clamp: (x: Tensor, ...args: ClampArgs) => Tensor = method('clamp');
/** Sum over dims. */
export const sum: (x: Tensor, ...args: ReduceArgs) => Tensor = method('sum');
/** Mean over dims. */
export const mean: (x: Tensor, ...args: ReduceArgs) => Tensor = method('mean');
/** Softmax along a dim. */
export const softmax = (x: Tensor, dim: number): Tensor => x.softmax(dim);
/** Log-softmax along a dim. */
export const logSoftmax = (x: Tensor, dim: number): Tensor => x.logSoftmax(dim);
/** log(sum(exp(x))) over dims. */
export const logsumexp: (x: Tensor, ...args: ReduceArgs) => Tensor = method('logsumexp');
/** Matrix product. */
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);
/** Transpose of a ≤2-d tensor. */
export const t: (x: Tensor) => Tensor = method('t');
/** Reshape. */
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => x.reshape(shape);
/** Flatten dims. */
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor =>
  x.flatten(startDim, endDim);

/**
 * Concatenates along an existing dim (differentiable in every input).
 *
 * @example
 * ```ts
 * cat([a, b], 1);
 * ```
 */
export function cat(tensors: readonly (Tensor | NDArray)[], dim = 0): Tensor {
  // @gd/tensor's cat, the op's forward, checks dim (before anything else happens).
  return runOp(COPIES, 'cat', tensorList('cat', tensors), { dim });
}

/** Stacks equally shaped tensors along a new dim. */
export function stack(inputs: readonly (Tensor | NDArray)[], dim = 0): Tensor {
  const tensors = tensorList('stack', inputs);
  check.dim('stack', 'dim', dim);
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty list of tensors');
  const ref = tensors[0]!;
  tensors.forEach((x, i) => {
    if (!shapesEqual(x.shape, ref.shape)) {
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(x.shape)} at entry ${i}`,
      );
    }
  });
  const d = dim < 0 ? dim + ref.ndim + 1 : dim;
  return cat(
    tensors.map((x) => x.unsqueeze(d)),
    d,
  );
}

/**
 * Extracts sliding blocks: [N, C, H, W] -> [N, C*kh*kw, L] (`torch.nn.functional.unfold`).
 */
export function unfold(input: Tensor, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  if (input.ndim !== 4)
    throw new RangeError(
      `unfold: expected a 4-d input [N, C, H, W], got shape ${formatShape(input.shape)}`,
    );
  return runOp(FOLDING, 'unfold', [input], {
    kernelSize,
    options,
    size: [input.shape[2]!, input.shape[3]!],
  });
}

/** Sums sliding blocks back into an image (`torch.nn.functional.fold`). */
export function fold(
  input: Tensor,
  outputSize: Pair,
  kernelSize: Pair,
  options: FoldOptions = {},
): Tensor {
  return runOp(FOLDING, 'fold', [input], { kernelSize, options, size: pairOf(outputSize) });
}

/** Options of {@link addmm}. */
export interface AddmmOptions {
  /** The input's scale (default 1; with 0 the input is not read). */
  beta?: number;
  /** The product's scale (default 1). */
  alpha?: number;
}

/**
 * `beta * input + alpha * (mat1 @ mat2)` for 2-d matrices (`torch.addmm`), input broadcast to
 * the product's shape: one op, recorded as PyTorch's `AddmmBackward0`. It is what a Linear
 * layer runs on a batch of rows (`F.linear` calls it), one node and one output where a product
 * and an add would make two of each.
 *
 * @example
 * ```ts
 * addmm(bias, x, weight.t()); // x [N, in], weight [out, in], bias [out] -> [N, out]
 * ```
 */
export function addmm(
  input: Tensor,
  mat1: Tensor,
  mat2: Tensor,
  options: AddmmOptions = {},
): Tensor {
  const named = { input, mat1, mat2 };
  for (const [name, t] of Object.entries(named)) {
    if (!(t instanceof Tensor))
      throw new TypeError(`addmm: ${name} must be a Tensor, got ${describe(t)}`);
  }
  const o = check.options<AddmmOptions>('addmm', 'options', options, ['beta', 'alpha']);
  const beta = o.beta === undefined ? 1 : check.number('addmm', 'beta', o.beta);
  const alpha = o.alpha === undefined ? 1 : check.number('addmm', 'alpha', o.alpha);
  return runOp(LINALG, 'addmm', [input, mat1, mat2], {
    beta,
    alpha,
    mat2ColumnMajor: columnMajor(mat2),
  });
}

/**
 * 2-d convolution (`torch.nn.functional.conv2d`): one op, with gradients of every order
 * (recorded as PyTorch's `ConvolutionBackward0`).
 *
 * @example
 * ```ts
 * conv2d(x, weight, bias, { padding: 1 }); // x [N, C, H, W], weight [O, C, 3, 3]
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv2dOptions = {},
): Tensor {
  // Checks the arguments against the caller's shapes: past it, the weight is 4-d, and a
  // padding='same' has stride 1.
  convProbe(input, weight, options);
  const batched = input.ndim === 4;
  let x = batched ? input : input.unsqueeze(0);
  // padding='same' with an odd total padding (an even kernel): PyTorch puts the extra zero
  // row/column at the bottom/right. Pad those here, and the rest symmetrically.
  if (options.padding === 'same') {
    const [dh, dw] = pairOf(options.dilation ?? 1);
    const th = dh * (weight.shape[2]! - 1);
    const tw = dw * (weight.shape[3]! - 1);
    if (th % 2 !== 0 || tw % 2 !== 0) {
      const [n0, c0, h0, w0] = x.shape as [number, number, number, number];
      if (th % 2 !== 0)
        x = cat([x, Tensor.fromArray(zerosArray([n0, c0, 1, w0], { dtype: x.dtype }))], 2);
      if (tw % 2 !== 0)
        x = cat(
          [x, Tensor.fromArray(zerosArray([n0, c0, h0 + (th % 2), 1], { dtype: x.dtype }))],
          3,
        );
      options = { ...options, padding: [Math.floor(th / 2), Math.floor(tw / 2)] };
    }
  }
  const [, , kh, kw] = weight.shape as [number, number, number, number];
  // The bias is checked by the op's forward, @gd/tensor's conv2d, with the same message.
  const resolved = {
    ...(options.stride !== undefined ? { stride: options.stride } : {}),
    ...(options.dilation !== undefined ? { dilation: options.dilation } : {}),
    ...(options.groups !== undefined ? { groups: options.groups } : {}),
    padding: resolvePadding(options, kh, kw),
  };
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const out = runOp(CONVOLUTION, 'convolution', inputs, { options: resolved, hasBias: !!bias });
  return batched ? out : out.squeeze(0);
}

function pairOf(p: Pair): [number, number] {
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}

function resolvePadding(options: Conv2dOptions, kh: number, kw: number): Pair {
  const p = options.padding;
  if (p === undefined || p === 'valid') return 0;
  if (p === 'same') {
    const [dh, dw] = pairOf(options.dilation ?? 1);
    return [(dh * (kh - 1)) / 2, (dw * (kw - 1)) / 2];
  }
  return p;
}

// The output shape of conv2d: @gd/tensor checks the arguments with its messages, on shapes only.
function convProbe(x: Tensor, weight: Tensor, options: Conv2dOptions): readonly number[] {
  if (x.dtype !== weight.dtype) {
    throw new TypeError(
      `conv2d: input (${x.dtype}) and weight (${weight.dtype}) must have the same dtype`,
    );
  }
  return conv2dOutputShape(x.shape, weight.shape, options);
}

/**
 * 2-d max pooling (`torch.nn.functional.max_pool2d`).
 *
 * @example
 * ```ts
 * maxPool2d(x, 2); // halves H and W
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor {
  return runOp(POOLING, 'maxPool2d', [input], { kernelSize, options });
}

/** 2-d average pooling (`torch.nn.functional.avg_pool2d`). */
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  return runOp(POOLING, 'avgPool2d', [input], { kernelSize, options });
}

/**
 * Fused softmax cross-entropy for logits [N, C] (float) and int32 class indices [N], each in
 * [0, C): one op whose forward is a shifted log-sum-exp pass and whose backward is
 * (softmax(x) - onehot(y)) · g (/ N for `'mean'`). No weights, ignored targets or label
 * smoothing (`F.crossEntropy` handles those and checks the targets before calling this).
 * The gradFn is `NllLossBackward0`, as for PyTorch's `F.cross_entropy`.
 *
 * @example
 * ```ts
 * const logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], { requiresGrad: true });
 * softmaxCrossEntropy(logits, tensor([0, 2], { dtype: 'int32' })).backward();
 * ```
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: Tensor,
  reduction: LossReduction = 'mean',
): Tensor {
  if (logits.ndim !== 2 || target.ndim !== 1 || target.shape[0] !== logits.shape[0]) {
    throw new RangeError(
      `softmaxCrossEntropy: expected logits [N, C] and target [N], got ${formatShape(logits.shape)} and ${formatShape(target.shape)}`,
    );
  }
  if (target.dtype !== 'int32')
    throw new TypeError(`softmaxCrossEntropy: expected int32 class indices, got ${target.dtype}`);
  return runOp(LOSSES, 'softmaxCrossEntropy', [logits, target], { reduction });
}

/**
 * Layer normalisation over the last dims `normalizedShape` (`torch.layer_norm`): (x - mean) /
 * sqrt(var + eps) · weight + bias, with each row's biased variance. One op (PyTorch's
 * `native_layer_norm`): one kernel forward and one backward for x, weight and bias together.
 *
 * @example
 * ```ts
 * const y = layerNorm(x, [64], weight, bias); // x [N, L, 64]
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  const inputs = [inputTensor('layerNorm', input)];
  if (weight !== null) inputs.push(inputTensor('layerNorm', weight));
  if (bias !== null) inputs.push(inputTensor('layerNorm', bias));
  return runOp(NORM_OPS, 'nativeLayerNorm', inputs, {
    normalizedShape: [...normalizedShape],
    eps,
    hasWeight: weight !== null,
    hasBias: bias !== null,
  });
}

// ---- the ops of issue 14 ----------------------------------------------------------------------

/**
 * Einstein summation, differentiable in every operand (two operands at a time become one
 * batched matmul): matrix (`'ij,jk->ik'`), batched, outer (`'i,j->ij'`), trace (`'ii->'`),
 * transpose (`'ij->ji'`) and contractions over several indices.
 *
 * @example
 * ```ts
 * const scores = einsum('bhqd,bhkd->bhqk', q, k);
 * ```
 */
export function einsum(
  equation: string,
  ...operands: (Tensor | NDArray | readonly (Tensor | NDArray)[])[]
): Tensor {
  const list = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands;
  return einsumWith(LEVEL, equation, tensorList('einsum', list));
}
/**
 * Coordinate grids from 1-d tensors (`indexing: 'ij'` by default, or `'xy'`), differentiable.
 *
 * @example
 * ```ts
 * const [ys, xs] = meshgrid([arange(2), arange(3)]);
 * ```
 */
export function meshgrid(
  tensors: readonly (Tensor | NDArray)[],
  options: { indexing?: 'ij' | 'xy' } = {},
): Tensor[] {
  const o = check.options<{ indexing?: 'ij' | 'xy' }>('meshgrid', 'options', options, ['indexing']);
  return meshgridWith(LEVEL, tensorList('meshgrid', tensors), o.indexing ?? 'ij');
}
/** Sorted values (differentiable) and indices along a dim. */
export const sort: (x: Tensor, ...args: SortArgs) => TensorValuesIndices = method('sort');
/** The indices that sort along a dim. */
export const argsort: (x: Tensor, ...args: SortArgs) => Tensor = method('argsort');
/** The k largest (or smallest) values and their indices. */
export const topk: (
  x: Tensor,
  k: number,
  dim?: number | TopkOptions,
  largest?: boolean,
) => TensorValuesIndices = method('topk');
/** Cumulative product along a dim. */
export const cumprod: (x: Tensor, dim: number) => Tensor = method('cumprod');
/** The distinct values; with options, inverse indices and counts too. */
export const unique: (x: Tensor, options?: UniqueOptions) => Tensor | UniqueResult<Tensor> =
  method('unique');
/** Counts of each value of a 1-d int tensor. */
export const bincount: (
  x: Tensor,
  options?: { weights?: Tensor | NDArray | null; minlength?: number },
) => Tensor = method('bincount');
/** Elementwise closeness as a bool tensor. */
export const isclose: (
  a: Tensor,
  b: Tensor | NDArray | number,
  rtol?: number,
  atol?: number,
  equalNan?: boolean,
) => Tensor = method('isclose');
/** NaN and infinities replaced by finite numbers. */
export const nanToNum: (
  x: Tensor,
  nan?: number,
  posinf?: number | null,
  neginf?: number | null,
) => Tensor = method('nanToNum');
/** The lower triangle. */
export const tril: (x: Tensor, diagonal?: number) => Tensor = method('tril');
/** The upper triangle. */
export const triu: (x: Tensor, diagonal?: number) => Tensor = method('triu');
/** Diagonal matrix from a vector, or a matrix's diagonal. */
export const diag: (x: Tensor, diagonal?: number) => Tensor = method('diag');
/** Each element repeated along a dim. */
export const repeatInterleave: (
  x: Tensor,
  repeats: number | readonly number[] | NDArray,
  dim?: number | null,
) => Tensor = method('repeatInterleave');
/** Shifted with wrap-around. */
export const roll: (
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[] | null,
) => Tensor = method('roll');
/** Reversed along dims. */
export const flip: (x: Tensor, dims: number | readonly number[]) => Tensor = method('flip');
