/**
 * Random creation functions and in-place fills, drawn from a seeded {@link Generator}
 * (the default one unless `generator` is given), reproducing PyTorch's CPU streams.
 */
import type { DType } from '../dtype.js';
import type { DTypeLike } from '../dtype.js';
import { DEFAULT_FLOAT_DTYPE, isFloatingDType, toDType } from '../dtype.js';
import { check, describe } from '../check.js';
import type { NDArray } from '../ndarray.js';
import { allocate, bumpVersion, fromStorageData } from '../ndarray.js';
import type { ShapeLike } from '../shape.js';
import { toShape } from '../shape.js';
import { Generator, defaultGenerator } from '../random/generator.js';
import { copyInto } from './elementwise.js';

/** Options of the random creation functions. */
export interface RandomOptions {
  /** Element type (`'int64'` gives int32, see `DTypeLike`). */
  dtype?: DTypeLike;
  /** The generator to draw from (default: the global one seeded by `manualSeed`). */
  generator?: Generator;
}

// The options object of a random creation function: its keys, and a real Generator.
function checkRandomOptions(fn: string, options: RandomOptions): void {
  check.options(fn, 'options', options, ['dtype', 'generator']);
  if (options.generator !== undefined && !(options.generator instanceof Generator))
    throw new TypeError(`${fn}: generator must be a Generator, got ${describe(options.generator)}`);
}

function floatDType(name: string, dtype: DTypeLike | undefined): DType {
  const d = toDType(name, dtype ?? DEFAULT_FLOAT_DTYPE);
  if (!isFloatingDType(d))
    throw new TypeError(`${name}: expected a floating point dtype, got ${d}`);
  return d;
}

// Runs a fill that needs a contiguous float buffer, copying back for views.
function fillVia(x: NDArray, fill: (buf: Float32Array | Float64Array) => void): NDArray {
  if (x.isContiguous() && isFloatingDType(x.dtype)) {
    fill(x.data as Float32Array | Float64Array);
    bumpVersion(x);
    return x;
  }
  const tmp = allocate(x.shape, x.dtype === 'float64' ? 'float64' : 'float32');
  fill(tmp.storage.data as Float32Array | Float64Array);
  return copyInto(x, tmp);
}

/**
 * Uniform samples from [0, 1).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * rand([2, 3]);
 * ```
 */
export function rand(shape: ShapeLike, options: RandomOptions = {}): NDArray {
  checkRandomOptions('rand', options);
  const out = allocate(toShape(shape), floatDType('rand', options.dtype));
  (options.generator ?? defaultGenerator).uniform_(out.storage.data as Float32Array | Float64Array);
  return out;
}

/**
 * Standard normal samples.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const X = randn([1000, 3]);
 * ```
 */
export function randn(shape: ShapeLike, options: RandomOptions = {}): NDArray {
  checkRandomOptions('randn', options);
  const out = allocate(toShape(shape), floatDType('randn', options.dtype));
  (options.generator ?? defaultGenerator).normal_(out.storage.data as Float32Array | Float64Array);
  return out;
}

/** Normal samples with the given mean and standard deviation. */
export function normal(
  mean: number,
  std: number,
  shape: ShapeLike,
  options: RandomOptions = {},
): NDArray {
  checkRandomOptions('normal', options);
  check.number('normal', 'mean', mean);
  check.number('normal', 'std', std);
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const out = allocate(toShape(shape), floatDType('normal', options.dtype));
  (options.generator ?? defaultGenerator).normal_(
    out.storage.data as Float32Array | Float64Array,
    mean,
    std,
  );
  return out;
}

/**
 * Random integers in [low, high) (int32 unless `dtype` says otherwise).
 *
 * @example
 * ```ts
 * randint(10, [5]);      // in [0, 10)
 * randint(-3, 3, [2, 2]);
 * ```
 */
export function randint(high: number, shape: ShapeLike, options?: RandomOptions): NDArray;
export function randint(
  low: number,
  high: number,
  shape: ShapeLike,
  options?: RandomOptions,
): NDArray;
export function randint(
  a: number,
  b: number | ShapeLike,
  c?: ShapeLike | RandomOptions,
  d?: RandomOptions,
): NDArray {
  let low = 0;
  let high: number;
  let shape: ShapeLike;
  let options: RandomOptions;
  if (typeof b === 'number' && c !== undefined && (typeof c === 'number' || Array.isArray(c))) {
    low = a;
    high = b;
    shape = c as ShapeLike;
    options = d ?? {};
  } else {
    high = a;
    shape = b as ShapeLike;
    options = (c as RandomOptions | undefined) ?? {};
  }
  checkRandomOptions('randint', options);
  check.number('randint', 'high', high);
  check.number('randint', 'low', low);
  const dtype = toDType('randint', options.dtype ?? 'int32');
  if (dtype === 'bool') throw new TypeError('randint: bool dtype is not supported');
  const out = allocate(toShape(shape), dtype);
  (options.generator ?? defaultGenerator).randint_(
    out.storage.data as Int32Array | Float32Array | Float64Array,
    low,
    high,
  );
  return out;
}

/**
 * A random permutation of 0..n-1 (int32).
 *
 * @example
 * ```ts
 * randperm(5); // e.g. tensor([2, 0, 4, 1, 3])
 * ```
 */
export function randperm(n: number, options: RandomOptions = {}): NDArray {
  checkRandomOptions('randperm', options);
  check.int('randperm', 'n', n, { min: 0 });
  const perm = fromStorageData((options.generator ?? defaultGenerator).randperm(n), [n]);
  return options.dtype && options.dtype !== 'int32' ? perm.to(options.dtype) : perm;
}

/**
 * 1 with probability `probs[i]`, else 0, in probs' shape and dtype.
 *
 * @example
 * ```ts
 * bernoulli(full([3], 0.5));
 * ```
 */
export function bernoulli(probs: NDArray, options: { generator?: Generator } = {}): NDArray {
  if (!isFloatingDType(probs.dtype))
    throw new TypeError(`bernoulli: expected floating point probabilities, got ${probs.dtype}`);
  const p = probs.contiguous();
  const out = allocate(probs.shape, probs.dtype);
  (options.generator ?? defaultGenerator).bernoulli_(
    out.storage.data as Float32Array | Float64Array,
    p.data as Float32Array | Float64Array,
  );
  return out;
}

/** Uniform samples with x's shape (and float dtype unless given). */
export function randLike(x: NDArray, options: RandomOptions = {}): NDArray {
  return rand(x.shape, {
    dtype: options.dtype ?? x.dtype,
    ...(options.generator ? { generator: options.generator } : {}),
  });
}

/** Normal samples with x's shape (and float dtype unless given). */
export function randnLike(x: NDArray, options: RandomOptions = {}): NDArray {
  return randn(x.shape, {
    dtype: options.dtype ?? x.dtype,
    ...(options.generator ? { generator: options.generator } : {}),
  });
}

/** Fills x in place with uniform samples from [from, to). */
export function uniformInPlace(
  x: NDArray,
  from: number,
  to: number,
  generator: Generator = defaultGenerator,
): NDArray {
  if (!isFloatingDType(x.dtype))
    throw new TypeError(`uniform_: expected a floating point tensor, got ${x.dtype}`);
  if (!(from <= to))
    throw new RangeError(
      `uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`,
    );
  return fillVia(x, (buf) => generator.uniform_(buf, from, to));
}

/** Fills x in place with normal samples. */
export function normalInPlace(
  x: NDArray,
  mean: number,
  std: number,
  generator: Generator = defaultGenerator,
): NDArray {
  if (!isFloatingDType(x.dtype))
    throw new TypeError(`normal_: expected a floating point tensor, got ${x.dtype}`);
  if (!(std >= 0)) throw new RangeError(`normal_ expects std >= 0.0, but found std ${std}`);
  return fillVia(x, (buf) => generator.normal_(buf, mean, std));
}

/** Fills x in place with 1 (probability p) or 0. */
export function bernoulliInPlace(
  x: NDArray,
  p: number,
  generator: Generator = defaultGenerator,
): NDArray {
  if (x.isContiguous()) {
    generator.bernoulli_(x.data, p);
    bumpVersion(x);
    return x;
  }
  const tmp = allocate(x.shape, x.dtype);
  generator.bernoulli_(tmp.storage.data, p);
  return copyInto(x, tmp);
}
