/**
 * Creation functions: every @gd/tensor creator, returning Tensors, with a `requiresGrad`
 * option (only floating point tensors may require gradients).
 */
import type { DTypeLike, NDArray, RandomOptions, ShapeLike, TensorData } from '@gd/tensor';
import { check } from '@gd/tensor';
import * as T from '@gd/tensor';
import { Tensor } from './tensor.js';

/** Options of the creation functions. */
export interface TensorOptions {
  /** Element type (`'int64'` gives int32, gd's integer type). */
  dtype?: DTypeLike;
  /** Record ops on the result for backward (floating point dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomTensorOptions extends TensorOptions {
  /** The generator to draw from (default: the global one that `manualSeed` seeds). */
  generator?: T.Generator;
}

function wrap(value: NDArray, options: TensorOptions): Tensor {
  const t = Tensor.fromArray(value);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

const TENSOR_KEYS = ['dtype', 'requiresGrad'];
const RANDOM_KEYS = ['dtype', 'requiresGrad', 'generator'];

// The @gd/tensor options of a creation call, its own keys checked first.
function dtypeOnly(options: TensorOptions, fn: string): { dtype?: DTypeLike } {
  check.options(fn, 'options', options, TENSOR_KEYS);
  if (options.requiresGrad !== undefined) check.bool(fn, 'requiresGrad', options.requiresGrad);
  return options.dtype === undefined ? {} : { dtype: options.dtype };
}

function randomOnly(options: RandomTensorOptions, fn: string): RandomOptions {
  check.options(fn, 'options', options, RANDOM_KEYS);
  if (options.requiresGrad !== undefined) check.bool(fn, 'requiresGrad', options.requiresGrad);
  return {
    ...(options.dtype === undefined ? {} : { dtype: options.dtype }),
    ...(options.generator ? { generator: options.generator } : {}),
  };
}

// The values of a *Like function's model: a Tensor's, or an NDArray itself.
function valueOf(x: Tensor | NDArray, fn: string): NDArray {
  if (x instanceof Tensor) return x.value;
  if (x instanceof T.NDArray) return x;
  throw new TypeError(`${fn}: input must be a Tensor or an NDArray, got ${T.describe(x)}`);
}

/**
 * A tensor from data (numbers default to float32; see @gd/tensor's `tensor`).
 *
 * @example
 * ```ts
 * const x = tensor([0.0], { requiresGrad: true });
 * const labels = tensor([3, 1, 4], { dtype: 'int32' });
 * ```
 */
export function tensor(data: TensorData | Tensor, options: TensorOptions = {}): Tensor {
  const source = data instanceof Tensor ? data.value : data;
  return wrap(T.tensor(source, dtypeOnly(options, 'tensor')), options);
}

/** Zeros. */
export function zeros(shape: ShapeLike, options: TensorOptions = {}): Tensor {
  return wrap(T.zeros(shape, dtypeOnly(options, 'zeros')), options);
}
/** Ones. */
export function ones(shape: ShapeLike, options: TensorOptions = {}): Tensor {
  return wrap(T.ones(shape, dtypeOnly(options, 'ones')), options);
}
/** `value` everywhere. */
export function full(
  shape: ShapeLike,
  value: number | boolean,
  options: TensorOptions = {},
): Tensor {
  return wrap(T.full(shape, value, dtypeOnly(options, 'full')), options);
}
/** Uninitialised (zeroed) memory. */
export function empty(shape: ShapeLike, options: TensorOptions = {}): Tensor {
  return wrap(T.empty(shape, dtypeOnly(options, 'empty')), options);
}
/** Zeros shaped like x. */
export function zerosLike(x: Tensor | NDArray, options: TensorOptions = {}): Tensor {
  return wrap(T.zerosLike(valueOf(x, 'zerosLike'), dtypeOnly(options, 'zerosLike')), options);
}
/** Ones shaped like x. */
export function onesLike(x: Tensor | NDArray, options: TensorOptions = {}): Tensor {
  return wrap(T.onesLike(valueOf(x, 'onesLike'), dtypeOnly(options, 'onesLike')), options);
}
/** `value` everywhere, shaped like x. */
export function fullLike(
  x: Tensor | NDArray,
  value: number | boolean,
  options: TensorOptions = {},
): Tensor {
  return wrap(T.fullLike(valueOf(x, 'fullLike'), value, dtypeOnly(options, 'fullLike')), options);
}
/** Zeroed memory shaped like x. */
export function emptyLike(x: Tensor | NDArray, options: TensorOptions = {}): Tensor {
  return wrap(T.emptyLike(valueOf(x, 'emptyLike'), dtypeOnly(options, 'emptyLike')), options);
}
/**
 * `start, start + step, ...` below `end` (int32 for integer arguments).
 *
 * @example
 * ```ts
 * arange(5); // tensor([0, 1, 2, 3, 4])
 * ```
 */
export function arange(end: number, options?: TensorOptions): Tensor;
export function arange(start: number, end: number, step?: number, options?: TensorOptions): Tensor;
export function arange(
  a: number,
  b?: number | TensorOptions,
  c?: number,
  d?: TensorOptions,
): Tensor {
  if (typeof b === 'number') {
    const options = d ?? {};
    return wrap(T.arange(a, b, c ?? 1, dtypeOnly(options, 'arange')), options);
  }
  const options = b ?? {};
  return wrap(T.arange(a, dtypeOnly(options, 'arange')), options);
}
/**
 * `steps` evenly spaced values from start to end.
 *
 * @example
 * ```ts
 * const x = linspace(-3, 3, 100, { requiresGrad: true });
 * ```
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: TensorOptions = {},
): Tensor {
  return wrap(T.linspace(start, end, steps, dtypeOnly(options, 'linspace')), options);
}
/** Identity matrix. */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  return wrap(T.eye(n, m, dtypeOnly(options, 'eye')), options);
}
/** Uniform samples in [0, 1). */
export function rand(shape: ShapeLike, options: RandomTensorOptions = {}): Tensor {
  return wrap(T.rand(shape, randomOnly(options, 'rand')), options);
}
/**
 * Standard normal samples (PyTorch's stream for the same seed).
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const X = randn([1000, 3]);
 * ```
 */
export function randn(shape: ShapeLike, options: RandomTensorOptions = {}): Tensor {
  return wrap(T.randn(shape, randomOnly(options, 'randn')), options);
}
/** Normal samples with mean and std. */
export function normal(
  mean: number,
  std: number,
  shape: ShapeLike,
  options: RandomTensorOptions = {},
): Tensor {
  return wrap(T.normal(mean, std, shape, randomOnly(options, 'normal')), options);
}
/** Random integers in [low, high). */
export function randint(high: number, shape: ShapeLike, options?: RandomTensorOptions): Tensor;
export function randint(
  low: number,
  high: number,
  shape: ShapeLike,
  options?: RandomTensorOptions,
): Tensor;
export function randint(
  a: number,
  b: number | ShapeLike,
  c?: ShapeLike | RandomTensorOptions,
  d?: RandomTensorOptions,
): Tensor {
  if (typeof b === 'number' && c !== undefined && (typeof c === 'number' || Array.isArray(c))) {
    const options = d ?? {};
    return wrap(T.randint(a, b, c as ShapeLike, randomOnly(options, 'randint')), options);
  }
  const options = (c as RandomTensorOptions | undefined) ?? {};
  return wrap(T.randint(a, b as ShapeLike, randomOnly(options, 'randint')), options);
}
/** A random permutation of 0..n-1. */
export function randperm(n: number, options: RandomTensorOptions = {}): Tensor {
  return wrap(T.randperm(n, randomOnly(options, 'randperm')), options);
}
/** 1 with probability probs[i], else 0. */
export function bernoulli(probs: Tensor, options: { generator?: T.Generator } = {}): Tensor {
  return Tensor.fromArray(T.bernoulli(probs.value, options));
}
/** Uniform samples shaped like x. */
export function randLike(x: Tensor | NDArray, options: RandomTensorOptions = {}): Tensor {
  return wrap(T.randLike(valueOf(x, 'randLike'), randomOnly(options, 'randLike')), options);
}
/** Normal samples shaped like x. */
export function randnLike(x: Tensor | NDArray, options: RandomTensorOptions = {}): Tensor {
  return wrap(T.randnLike(valueOf(x, 'randnLike'), randomOnly(options, 'randnLike')), options);
}
/** A tensor sharing a typed array's memory. */
export function fromTypedArray(
  data: T.TypedArray,
  shape?: ShapeLike,
  options: TensorOptions = {},
): Tensor {
  return wrap(T.fromTypedArray(data, shape), options);
}
