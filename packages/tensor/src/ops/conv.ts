/**
 * 2-d convolution (im2col + matmul) and pooling, NCHW, with the gradient kernels autograd
 * builds on. Unbatched [C, H, W] inputs are accepted, as in PyTorch.
 */
import type { Conv2dGeometry } from '../backend/backend.js';
import { getBackend } from '../backend/backend.js';
import type { ArgKind, SignatureRow } from '../signatures.js';
import { checkRow } from '../signatures.js';
import { NDArray, allocate, allocateUninitialized, stridedOf } from '../ndarray.js';
import { formatShape, shapesEqual } from '../shape.js';
import { cat } from './join.js';

/** An int or an (h, w) pair, as PyTorch's `_pair` accepts. */
export type Pair = number | readonly [number, number];

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step of the kernel, one number or [down, across] (default 1). */
  stride?: Pair;
  /** Zero padding on each side, or 'valid' (none) or 'same' (output size = input size; stride 1). */
  padding?: Pair | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Channels split into this many groups, each convolved apart (default 1). */
  groups?: number;
}

/** Options of the pooling functions. */
export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: Pair | null;
  /** Implicit padding on each side (default 0): -∞ for max pooling, zeros for average. */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Use ceil instead of floor for the output size. */
  ceilMode?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Count padded zeros in the divisor (PyTorch's default, true). */
  countIncludePad?: boolean;
}

const CONV = { stride: 'pair', padding: 'padding', dilation: 'pair', groups: 'int' };
const POOL = { stride: 'pair|null', padding: 'pair', dilation: 'pair', ceilMode: 'bool' };
const AVG_POOL = {
  stride: 'pair|null',
  padding: 'pair',
  ceilMode: 'bool',
  countIncludePad: 'bool',
};
const FOLD = { dilation: 'pair', padding: 'pair', stride: 'pair' };

/**
 * What the convolution, pooling and fold functions take: positional parameters (in the
 * signature notation) and their options' schema. Each checks its arguments from here first.
 */
export const CONV_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  conv2d: {
    args: ['input:array', 'weight:array', 'bias?:array|null', 'options?:options'],
    options: CONV,
  },
  conv2dOutputShape: {
    args: ['inputShape:shape', 'weightShape:shape', 'options?:options'],
    options: CONV,
  },
  conv2dBackwardInput: {
    args: ['gradOut:array', 'inputShape:shape', 'weight:array', 'options?:options'],
    options: CONV,
  },
  conv2dBackwardWeight: {
    args: ['gradOut:array', 'input:array', 'weightShape:shape', 'options?:options'],
    options: CONV,
  },
  maxPool2d: { args: ['input:array', 'kernelSize:pair', 'options?:options'], options: POOL },
  maxPool2dWithIndices: {
    args: ['input:array', 'kernelSize:pair', 'options?:options'],
    options: POOL,
  },
  maxPool2dBackward: { args: ['gradOut:array', 'indices:array', 'inputShape:shape'] },
  avgPool2d: { args: ['input:array', 'kernelSize:pair', 'options?:options'], options: AVG_POOL },
  avgPool2dBackward: {
    args: ['gradOut:array', 'inputShape:shape', 'kernelSize:pair', 'options?:options'],
    options: AVG_POOL,
  },
  unfold: { args: ['input:array', 'kernelSize:pair', 'options?:options'], options: FOLD },
  fold: {
    args: ['input:array', 'outputSize:pair', 'kernelSize:pair', 'options?:options'],
    options: FOLD,
  },
};

/** The kinds of {@link CONV_SIGNATURES} beyond the base ones. */
export const CONV_KINDS: Readonly<Record<string, ArgKind>> = {
  array: { test: (v) => v instanceof NDArray, accepts: 'an NDArray', wrong: [1] },
};

/**
 * Checks a call of one of {@link CONV_SIGNATURES}'s functions: each argument's kind, then the
 * options' keys and kinds.
 *
 * @example
 * ```ts
 * checkConvCall('maxPool2d', [x, '2']); // TypeError: maxPool2d: kernelSize must be ...
 * ```
 */
export function checkConvCall(fn: string, args: readonly unknown[]): void {
  checkRow(fn, CONV_SIGNATURES[fn]!, args, CONV_KINDS);
}

/** An int or an (h, w) pair as a pair, each at least `min` (errors name it `name`). */
export function pair(v: Pair, name: string, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const x of p) {
    if (!Number.isInteger(x) || x < min)
      throw new RangeError(
        `${name} must be ${min > 0 ? 'positive' : 'non-negative'} integers, got ${JSON.stringify(v)}`,
      );
  }
  return p;
}

// Whether an input of `shape` is batched (4-d) or not (3-d); other ranks are refused.
function isBatched(shape: readonly number[], name: string): boolean {
  if (shape.length === 4 || shape.length === 3) return shape.length === 4;
  throw new RangeError(
    `Expected 3D (unbatched) or 4D (batched) input to ${name}, but got input of size: ${formatShape(shape)}`,
  );
}

function as4d(x: NDArray, name: string): { x4: NDArray; batched: boolean } {
  const batched = isBatched(x.shape, name);
  return { x4: batched ? x : x.unsqueeze(0), batched };
}

// padding='same' keeps the size only with stride 1.
function checkSameStride(stride: readonly [number, number]): void {
  if (stride[0] !== 1 || stride[1] !== 1)
    throw new RangeError("padding='same' is not supported for strided convolutions");
}

// The [N, C, H, W] form of a 3-d (unbatched) or 4-d input shape given to a gradient function.
function shape4Of(
  shape: readonly number[],
  name: string,
): { shape4: readonly number[]; batched: boolean } {
  if (shape.length === 4) return { shape4: shape, batched: true };
  if (shape.length === 3) return { shape4: [1, ...shape], batched: false };
  throw new RangeError(
    `${name}: expected a 3-d (unbatched) or 4-d (batched) input shape, but got ${formatShape(shape)}`,
  );
}

// Checks that a gradient has the shape of the forward output ([N, ...rest], or rest when unbatched).
function checkGradShape(
  name: string,
  gradOut: NDArray,
  out4: readonly number[],
  batched: boolean,
): void {
  const expected = batched ? out4 : out4.slice(1);
  if (!shapesEqual(gradOut.shape, expected)) {
    throw new RangeError(
      `${name}: expected gradOut of shape ${formatShape(expected)} (the forward output's), but got ${formatShape(gradOut.shape)}`,
    );
  }
}

/** The output size of a window of size k, stride s, padding p, dilation d along one dim. */
export function outDim(
  size: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceil: boolean,
): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // A window that would start entirely in the right padding is dropped (PyTorch's rule).
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Geometry and output size of a 2-d convolution over an input of shape `shape4` [N, C, H, W]. */
function convGeometry(
  shape4: readonly number[],
  kh: number,
  kw: number,
  options: Conv2dOptions,
): { g: Conv2dGeometry; oh: number; ow: number } {
  const stride = pair(options.stride ?? 1, 'stride', 1);
  const dilation = pair(options.dilation ?? 1, 'dilation', 1);
  let padding: [number, number];
  if (options.padding === 'valid') padding = [0, 0];
  else if (options.padding === 'same') {
    checkSameStride(stride);
    const total = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)];
    if (total[0]! % 2 || total[1]! % 2) {
      throw new RangeError(
        `padding='same' needs an even total padding in gd (symmetric only); kernel ${kh}x${kw} with dilation ${dilation.join('x')} needs ${total.join(', ')}`,
      );
    }
    padding = [total[0]! / 2, total[1]! / 2];
  } else padding = pair(options.padding ?? 0, 'padding', 0);
  const [h, w] = [shape4[2]!, shape4[3]!];
  const oh = outDim(h, kh, stride[0], padding[0], dilation[0], false);
  const ow = outDim(w, kw, stride[1], padding[1], dilation[1], false);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `conv2d: calculated output size (${oh}x${ow}) is too small for input of shape ${formatShape(shape4)} and kernel ${kh}x${kw}`,
    );
  }
  return { g: { kernel: [kh, kw], stride, padding, dilation }, oh, ow };
}

function unfold(x4: NDArray, g: Conv2dGeometry, l: number): NDArray {
  const cols = allocateUninitialized(
    [x4.shape[0]!, x4.shape[1]! * g.kernel[0] * g.kernel[1], l],
    x4.dtype,
  );
  getBackend().im2col(stridedOf(x4), g, stridedOf(cols));
  return cols;
}

function checkConvArgs(
  shape4: readonly number[],
  weightShape: readonly number[],
  groups: number,
): void {
  if (weightShape.length !== 4)
    throw new RangeError(
      `conv2d: expected a 4-d weight [out, in/groups, kh, kw], got shape ${formatShape(weightShape)}`,
    );
  if (!Number.isInteger(groups) || groups < 1)
    throw new RangeError(`conv2d: groups must be a positive integer, got ${groups}`);
  // PyTorch's checks and messages, in its order.
  const c = shape4[1]!;
  if (weightShape[1]! * groups !== c)
    throw new RangeError(
      `Given groups=${groups}, weight of size ${formatShape(weightShape)}, expected input${formatShape(shape4)} to have ${weightShape[1]! * groups} channels, but got ${c} channels instead`,
    );
  if (weightShape[0]! % groups)
    throw new RangeError(
      `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${formatShape(weightShape)} instead`,
    );
}

/**
 * The output shape of {@link conv2d} for these shapes and options, after the same checks
 * (channels, groups, kernel fit) and with the same messages — without computing anything.
 *
 * @example
 * ```ts
 * conv2dOutputShape([8, 1, 28, 28], [16, 1, 3, 3], { padding: 1 }); // [8, 16, 28, 28]
 * ```
 */
export function conv2dOutputShape(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Conv2dOptions = {},
): number[] {
  checkConvCall('conv2dOutputShape', [inputShape, weightShape, options]);
  const batched = isBatched(inputShape, 'conv2d');
  const shape4 = batched ? inputShape : [1, ...inputShape];
  checkConvArgs(shape4, weightShape, options.groups ?? 1);
  const [o, , kh, kw] = weightShape as [number, number, number, number];
  let oh: number;
  let ow: number;
  if (options.padding === 'same') {
    checkSameStride(pair(options.stride ?? 1, 'stride', 1));
    [oh, ow] = [shape4[2]!, shape4[3]!];
  } else {
    ({ oh, ow } = convGeometry(shape4, kh, kw, options));
  }
  return batched ? [shape4[0]!, o, oh, ow] : [o, oh, ow];
}

/**
 * 2-d cross-correlation, as `torch.nn.functional.conv2d`.
 *
 * @example
 * ```ts
 * conv2d(randn([8, 1, 28, 28]), randn([16, 1, 3, 3]), zeros(16), { padding: 1 }).shape; // [8, 16, 28, 28]
 * ```
 */
export function conv2d(
  input: NDArray,
  weight: NDArray,
  bias: NDArray | null = null,
  options: Conv2dOptions = {},
): NDArray {
  checkConvCall('conv2d', [input, weight, bias, options]);
  const { x4, batched } = as4d(input, 'conv2d');
  const groups = options.groups ?? 1;
  checkConvArgs(x4.shape, weight.shape, groups);
  if (x4.dtype !== weight.dtype)
    throw new TypeError(
      `conv2d: input (${x4.dtype}) and weight (${weight.dtype}) must have the same dtype`,
    );
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const { g, oh, ow } = convGeometry(x4.shape, kh, kw, options);
  if (bias) checkBias(bias, o, x4.dtype);
  const n = x4.shape[0]!;
  const fused = groups === 1 ? fusedConv2d(x4, weight, bias, g, [n, o, oh, ow]) : null;
  if (fused) return batched ? fused : fused.squeeze(0);
  const cols = unfold(x4, g, oh * ow);
  const w2 = weight.reshape([o, cg * kh * kw]);
  const k = cg * kh * kw;
  const og = o / groups;
  const parts: NDArray[] = [];
  for (let gi = 0; gi < groups; gi++) {
    const wg = groups === 1 ? w2 : w2.narrow(0, gi * og, og);
    const cg2 = groups === 1 ? cols : cols.narrow(1, gi * k, k);
    parts.push(wg.matmul(cg2));
  }
  let out = (groups === 1 ? parts[0]! : cat(parts, 1)).reshape([n, o, oh, ow]);
  if (bias) out = out.add_(bias.reshape([1, o, 1, 1]));
  return batched ? out : out.squeeze(0);
}

function checkBias(bias: NDArray, o: number, dtype: string): void {
  if (bias.ndim !== 1 || bias.shape[0] !== o)
    throw new RangeError(`conv2d: expected bias of shape [${o}], got ${formatShape(bias.shape)}`);
  if (bias.dtype !== dtype)
    throw new TypeError(
      `conv2d: input (${dtype}) and bias (${bias.dtype}) must have the same dtype`,
    );
}

// The backend's fused convolution (one group), or null where it has none or declines the arrays.
function fusedConv2d(
  x4: NDArray,
  weight: NDArray,
  bias: NDArray | null,
  g: Conv2dGeometry,
  outShape: readonly number[],
): NDArray | null {
  const backend = getBackend();
  if (!backend.conv2d) return null;
  const out = allocateUninitialized(outShape, x4.dtype);
  const w = weight.contiguous();
  const b = bias?.contiguous() ?? null;
  return backend.conv2d(stridedOf(x4), stridedOf(w), b && stridedOf(b), g, stridedOf(out))
    ? out
    : null;
}

/** The gradient of {@link conv2d} with respect to its input. */
export function conv2dBackwardInput(
  gradOut: NDArray,
  inputShape: readonly number[],
  weight: NDArray,
  options: Conv2dOptions = {},
): NDArray {
  checkConvCall('conv2dBackwardInput', [gradOut, inputShape, weight, options]);
  const { shape4, batched } = shape4Of(inputShape, 'conv2dBackwardInput');
  const groups = options.groups ?? 1;
  checkConvArgs(shape4, weight.shape, groups);
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const { g, oh, ow } = convGeometry(shape4, kh, kw, options);
  checkGradShape('conv2dBackwardInput', gradOut, [shape4[0]!, o, oh, ow], batched);
  const g4 = batched ? gradOut : gradOut.unsqueeze(0);
  const n = shape4[0]!;
  const backend = getBackend();
  if (groups === 1 && backend.conv2dBackwardInput) {
    const dx = allocateUninitialized(shape4, gradOut.dtype);
    const [gc, wc] = [g4.contiguous(), weight.contiguous()];
    if (backend.conv2dBackwardInput(stridedOf(gc), stridedOf(wc), g, stridedOf(dx)))
      return batched ? dx : dx.squeeze(0);
  }
  const k = cg * kh * kw;
  const og = o / groups;
  const w2 = weight.reshape([o, k]);
  const go = g4.reshape([n, o, oh * ow]);
  const parts: NDArray[] = [];
  for (let gi = 0; gi < groups; gi++) {
    const wg = groups === 1 ? w2 : w2.narrow(0, gi * og, og);
    const gg = groups === 1 ? go : go.narrow(1, gi * og, og);
    parts.push(wg.t().matmul(gg));
  }
  const gcols = groups === 1 ? parts[0]! : cat(parts, 1);
  const out = allocate(shape4, gradOut.dtype);
  getBackend().col2im(stridedOf(gcols), g, stridedOf(out));
  return batched ? out : out.squeeze(0);
}

/** The gradient of {@link conv2d} with respect to its weight. */
export function conv2dBackwardWeight(
  gradOut: NDArray,
  input: NDArray,
  weightShape: readonly number[],
  options: Conv2dOptions = {},
): NDArray {
  checkConvCall('conv2dBackwardWeight', [gradOut, input, weightShape, options]);
  const { x4, batched } = as4d(input, 'conv2d');
  const groups = options.groups ?? 1;
  checkConvArgs(x4.shape, weightShape, groups);
  const [o, cg, kh, kw] = weightShape as [number, number, number, number];
  const { g, oh, ow } = convGeometry(x4.shape, kh, kw, options);
  checkGradShape('conv2dBackwardWeight', gradOut, [x4.shape[0]!, o, oh, ow], batched);
  const g4 = batched ? gradOut : gradOut.unsqueeze(0);
  const backend = getBackend();
  if (groups === 1 && backend.conv2dBackwardWeight && x4.dtype === gradOut.dtype) {
    const dw = allocateUninitialized(weightShape, gradOut.dtype);
    const gc = g4.contiguous();
    if (backend.conv2dBackwardWeight(stridedOf(gc), stridedOf(x4), g, stridedOf(dw))) return dw;
  }
  const cols = unfold(x4, g, oh * ow);
  const n = x4.shape[0]!;
  const k = cg * kh * kw;
  const og = o / groups;
  const go = g4.reshape([n, o, oh * ow]);
  const parts: NDArray[] = [];
  for (let gi = 0; gi < groups; gi++) {
    const gg = groups === 1 ? go : go.narrow(1, gi * og, og);
    const cc = groups === 1 ? cols : cols.narrow(1, gi * k, k);
    parts.push(gg.matmul(cc.transpose(1, 2)).sum(0));
  }
  return (groups === 1 ? parts[0]! : cat(parts, 0)).reshape([o, cg, kh, kw]);
}

/** Geometry and output size of a pooling window over an input of shape `shape4` [N, C, H, W]. */
function poolGeometry(
  shape4: readonly number[],
  kernelSize: Pair,
  options: Pool2dOptions,
  name: string,
): { g: Conv2dGeometry; oh: number; ow: number } {
  const kernel = pair(kernelSize, 'kernel_size', 1);
  const stride = pair(options.stride ?? kernel, 'stride', 1);
  const padding = pair(options.padding ?? 0, 'padding', 0);
  const dilation = pair(options.dilation ?? 1, 'dilation', 1);
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
    throw new RangeError(
      `${name}: pad should be at most half of effective kernel size, but got pad=${padding.join('x')} and kernel_size=${kernel.join('x')}`,
    );
  }
  const ceil = options.ceilMode ?? false;
  const oh = outDim(shape4[2]!, kernel[0], stride[0], padding[0], dilation[0], ceil);
  const ow = outDim(shape4[3]!, kernel[1], stride[1], padding[1], dilation[1], ceil);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `${name}: output size ${oh}x${ow} is too small for input of shape ${formatShape(shape4)}`,
    );
  }
  return { g: { kernel, stride, padding, dilation }, oh, ow };
}

/**
 * 2-d max pooling with the flat in-plane index of each maximum (for the gradient).
 *
 * @example
 * ```ts
 * const { values, indices } = maxPool2dWithIndices(x, 2);
 * ```
 */
export function maxPool2dWithIndices(
  input: NDArray,
  kernelSize: Pair,
  options: Pool2dOptions = {},
): {
  /** The maxima, [N, C, outH, outW] (or [C, outH, outW]). */
  values: NDArray;
  /** Where each maximum is, as int32 flat positions in its input plane (h·W + w). */
  indices: NDArray;
} {
  checkConvCall('maxPool2dWithIndices', [input, kernelSize, options]);
  const { x4, batched } = as4d(input, 'max_pool2d');
  const { g, oh, ow } = poolGeometry(x4.shape, kernelSize, options, 'max_pool2d');
  const shape = [x4.shape[0]!, x4.shape[1]!, oh, ow];
  const values = allocateUninitialized(shape, x4.dtype);
  const indices = allocateUninitialized(shape, 'int32');
  getBackend().maxPool2d(stridedOf(x4), g, stridedOf(values), stridedOf(indices));
  return batched ? { values, indices } : { values: values.squeeze(0), indices: indices.squeeze(0) };
}

/** 2-d max pooling, as `torch.nn.functional.max_pool2d`. */
export function maxPool2d(input: NDArray, kernelSize: Pair, options: Pool2dOptions = {}): NDArray {
  checkConvCall('maxPool2d', [input, kernelSize, options]);
  return maxPool2dWithIndices(input, kernelSize, options).values;
}

/** The gradient of max pooling: each output gradient goes to its maximum's position. */
export function maxPool2dBackward(
  gradOut: NDArray,
  indices: NDArray,
  inputShape: readonly number[],
): NDArray {
  checkConvCall('maxPool2dBackward', [gradOut, indices, inputShape]);
  shape4Of(inputShape, 'maxPool2dBackward');
  if (
    !shapesEqual(gradOut.shape, indices.shape) ||
    !shapesEqual(indices.shape.slice(0, -2), inputShape.slice(0, -2))
  ) {
    throw new RangeError(
      `maxPool2dBackward: gradOut ${formatShape(gradOut.shape)} and indices ${formatShape(indices.shape)} must have the same shape, with the leading dims of the input ${formatShape(inputShape)}`,
    );
  }
  const planes = inputShape.slice(0, -2);
  const hw = inputShape.at(-2)! * inputShape.at(-1)!;
  const backend = getBackend();
  if (backend.maxPool2dBackward && gradOut.dtype !== 'int32' && gradOut.dtype !== 'bool') {
    const out = allocateUninitialized(inputShape, gradOut.dtype);
    const as4 = (t: NDArray): NDArray => (t.ndim === 3 ? t.unsqueeze(0) : t);
    const [g4, i4, o4] = [as4(gradOut), as4(indices), as4(out)];
    if (backend.maxPool2dBackward(stridedOf(g4), stridedOf(i4), stridedOf(o4))) return out;
  }
  const out = allocate([...planes, hw], gradOut.dtype);
  out.scatterAdd_(-1, indices.reshape([...planes, -1]), gradOut.reshape([...planes, -1]));
  return out.reshape(inputShape);
}

/** 2-d average pooling, as `torch.nn.functional.avg_pool2d`. */
export function avgPool2d(
  input: NDArray,
  kernelSize: Pair,
  options: AvgPool2dOptions = {},
): NDArray {
  checkConvCall('avgPool2d', [input, kernelSize, options]);
  const { x4, batched } = as4d(input, 'avg_pool2d');
  const { g, oh, ow } = poolGeometry(x4.shape, kernelSize, options, 'avg_pool2d');
  const out = allocateUninitialized([x4.shape[0]!, x4.shape[1]!, oh, ow], x4.dtype);
  getBackend().avgPool2d(stridedOf(x4), g, stridedOf(out), options.countIncludePad ?? true);
  return batched ? out : out.squeeze(0);
}

/** The gradient of {@link avgPool2d} with respect to its input. */
export function avgPool2dBackward(
  gradOut: NDArray,
  inputShape: readonly number[],
  kernelSize: Pair,
  options: AvgPool2dOptions = {},
): NDArray {
  checkConvCall('avgPool2dBackward', [gradOut, inputShape, kernelSize, options]);
  const { shape4, batched } = shape4Of(inputShape, 'avgPool2dBackward');
  const { g, oh, ow } = poolGeometry(shape4, kernelSize, options, 'avg_pool2d');
  checkGradShape('avgPool2dBackward', gradOut, [shape4[0]!, shape4[1]!, oh, ow], batched);
  const out = allocate(shape4, gradOut.dtype);
  getBackend().avgPool2dBackward(
    stridedOf(batched ? gradOut : gradOut.unsqueeze(0)),
    g,
    stridedOf(out),
    options.countIncludePad ?? true,
  );
  return batched ? out : out.squeeze(0);
}
