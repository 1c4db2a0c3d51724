/**
 * NDArray: gd's plain N-d array. Shape, strides and offset over a shared {@link Storage};
 * every method delegates to an op in `ops/`, and every kernel runs on the active backend.
 */
import type { DType, DTypeLike, TypedArray } from './dtype.js';
import { isFloatingDType, toDType, typedArrayConstructor } from './dtype.js';
import type { StridedArray } from './backend/backend.js';
import { getBackend } from './backend/backend.js';
import './backend/default.js';
import { Storage, hostAsync, releaseStorage } from './storage.js';
import type { Shape } from './shape.js';
import {
  contiguousStrides,
  isContiguousLayout,
  normalizeDim,
  shapeArgs,
  shapeSize,
} from './shape.js';
import { formatTensor } from './format.js';
import * as V from './ops/views.js';
import * as E from './ops/elementwise.js';
import type { TensorLike } from './ops/elementwise.js';
import * as R from './ops/reduce.js';
import * as L from './ops/linalg.js';
import * as J from './ops/join.js';
import * as I from './ops/indexing.js';
import type { IndexSpec } from './ops/indexing.js';
import * as Rand from './ops/random.js';
import * as C from './ops/composite.js';
import * as Count from './ops/counting.js';
import type { BincountOptions, UniqueOptions, UniqueResult } from './ops/counting.js';
import type { Generator } from './random/generator.js';
import { GENERATED_UNARY_OPS } from './ops/registry/elementwise.js';
import type { GeneratedUnaryMethods } from './ops/registry/params.js';
import { resolveParams } from './ops/registry/params.js';
import type { Dims, ReduceArgs } from './check.js';
import {
  check,
  describe,
  positionalOrOptions,
  reduceArgs,
  reduceOneDimArgs,
  isAutogradTensor,
  isOptionsObject,
} from './check.js';
import type { ValuesIndices } from './result.js';
import { installChecks } from './signatures.js';

/** A nested JS array of numbers or booleans, as returned by {@link NDArray.toArray}. */
export type NestedArray = number | boolean | NestedArray[];

/** Options of var/std. */
export interface VarOptions {
  /** Subtracted from the element count in the divisor (1: Bessel's correction, the default). */
  correction?: number;
  /** Keep reduced dims as size 1. */
  keepdim?: boolean;
}

/** The bounds of clamp: numbers, arrays (broadcast), or null/undefined for none. */
export type ClampBound = number | NDArray | null | undefined;

/** The arguments of clamp: `(min, max)`, or PyTorch's keywords `({ min, max })`. */
export type ClampArgs =
  | [min?: ClampBound, max?: ClampBound]
  | [
      options: {
        /** Lower bound (none when null or left out). */
        min?: ClampBound;
        /** Upper bound (none when null or left out). */
        max?: ClampBound;
      },
    ];

/** The arguments of sort/argsort: `(dim?, descending?)` or `({ dim, descending, stable })`. */
export type SortArgs =
  | [dim?: number, descending?: boolean]
  | [options: C.SortOptions]
  | [dim: number, options: C.SortOptions];

/** The arguments of gelu: `('tanh')` or `({ approximate: 'tanh' })`. */
export type GeluArgs =
  | [approximate?: 'none' | 'tanh']
  | [
      options: {
        /** `none` (default): the exact x·Φ(x); `tanh`: the tanh approximation. */
        approximate?: 'none' | 'tanh';
      },
    ];

/** The arguments of var/std: `(dim?, options?)` or `({ dim, correction, keepdim })`. */
export type VarArgs =
  | [dim?: Dims, options?: VarOptions]
  | [
      options: VarOptions & {
        /** The dim or dims reduced (default: all). */
        dim?: Dims;
      },
    ];

/**
 * An N-d array of one dtype, a view over a shared storage.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/tensor';
 * const x = tensor([[1, 2], [3, 4]]);
 * x.matmul(x.t()).sum().item(); // 54
 * ```
 */
/**
 * The methods generated from the op registry's entries (`x.elu(alpha)`, `x.elu_(alpha)`,
 * `x.mish()`, ...): see `ops/registry/elementwise.ts` for what each computes.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface NDArray extends GeneratedUnaryMethods<NDArray> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class NDArray {
  /** The buffer this array views (shared with other views of it). */
  declare readonly storage: Storage;
  /** Element type. */
  declare readonly dtype: DType;
  /** Size of each dim. */
  declare readonly shape: readonly number[];
  /** Elements to skip in storage to move one step along each dim. */
  declare readonly strides: readonly number[];
  /** Position of element [0, 0, ...] in storage. */
  declare readonly offset: number;

  /** Low-level constructor; users create arrays with `tensor`, `zeros`, `arange` and the like. */
  constructor(
    storage: Storage,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
  ) {
    this.storage = storage;
    this.dtype = storage.dtype;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
  }

  // ---- metadata ---------------------------------------------------------------------------

  /** Number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return shapeSize(this.shape);
  }

  /** The shape, or the size of one dim (PyTorch's `size()`). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return Array.from(this.shape);
    if (this.ndim === 0)
      throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
    return this.shape[normalizeDim(dim, this.ndim)]!;
  }

  /** Whether elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  /** The storage's version counter, bumped by every in-place op on any view of it. */
  get version(): number {
    return this.storage.version;
  }

  /**
   * The elements as a typed array in row-major order: the storage itself (writes go through)
   * when this array is contiguous, otherwise a fresh copy.
   */
  get data(): TypedArray {
    if (this.isContiguous()) {
      const d = this.storage.data;
      const n = this.numel();
      return this.offset === 0 && n === d.length ? d : d.subarray(this.offset, this.offset + n);
    }
    return this.contiguous().storage.data;
  }

  /** The value of a one-element array. */
  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return this.storage.data[this.offset]!;
  }

  /** The elements as nested JS arrays (PyTorch's name for {@link NDArray.toArray}). */
  tolist(): NestedArray {
    return this.toArray();
  }

  /** The elements as nested JS arrays (booleans for bool arrays); a number for 0-d. */
  toArray(): NestedArray {
    const data = this.storage.data;
    const isBool = this.dtype === 'bool';
    const build = (dim: number, off: number): NestedArray => {
      if (dim === this.ndim) return isBool ? data[off] !== 0 : data[off]!;
      const out: NestedArray[] = new Array(this.shape[dim]!);
      for (let i = 0; i < this.shape[dim]!; i++)
        out[i] = build(dim + 1, off + i * this.strides[dim]!);
      return out;
    };
    return build(0, this.offset);
  }

  /**
   * The elements as a typed array in row-major order, without blocking: on a device backend
   * (WebGPU) the values are read back asynchronously; on the CPU backends this is `data`.
   *
   * @example
   * ```ts
   * const values = await x.dataAsync(); // Float32Array
   * ```
   */
  async dataAsync(): Promise<TypedArray> {
    const c = this.contiguous();
    await hostAsync(c.storage);
    return c.data;
  }

  /**
   * {@link NDArray.toArray} without blocking (see {@link NDArray.dataAsync}).
   *
   * @example
   * ```ts
   * await x.toArrayAsync(); // [[1, 2], [3, 4]]
   * ```
   */
  async toArrayAsync(): Promise<NestedArray> {
    await hostAsync(this.storage);
    return this.toArray();
  }

  /**
   * {@link NDArray.item} without blocking (see {@link NDArray.dataAsync}).
   *
   * @example
   * ```ts
   * const loss = await lossTensor.itemAsync();
   * ```
   */
  async itemAsync(): Promise<number> {
    await hostAsync(this.storage);
    return this.item();
  }

  /** PyTorch-style rendering, e.g. `tensor([1.0000, 2.0000])`. */
  toString(): string {
    const c = this.contiguous();
    const d = c.storage.data;
    const o = c.offset;
    return formatTensor(this.shape, (i) => d[o + i]!, this.dtype);
  }

  /** Makes `console.log(x)` in Node print like PyTorch. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- conversions and copies --------------------------------------------------------------

  /**
   * A copy converted to `dtype` (this array itself when it already has that dtype). `'int64'`
   * is accepted and means gd's integer type, int32 (see `DTypeLike`).
   */
  to(dtype: DTypeLike): NDArray {
    dtype = toDType('to', dtype);
    if (dtype === this.dtype) return this;
    const out = allocateUninitialized(this.shape, dtype);
    getBackend().copy(stridedOf(this), stridedOf(out));
    return out;
  }
  /** `to('float32')`. */
  float(): NDArray {
    return this.to('float32');
  }
  /** `to('float64')`. */
  double(): NDArray {
    return this.to('float64');
  }
  /** `to('int32')`. */
  int(): NDArray {
    return this.to('int32');
  }
  /** PyTorch's `long()`: gd's integer type, int32 (see `DTypeLike`). */
  long(): NDArray {
    return this.to('int32');
  }
  /** `to('bool')`. */
  bool(): NDArray {
    return this.to('bool');
  }

  /** A contiguous copy with its own storage. */
  clone(): NDArray {
    const out = allocateUninitialized(this.shape, this.dtype);
    getBackend().copy(stridedOf(this), stridedOf(out));
    return out;
  }

  /** This array if contiguous, otherwise a contiguous copy. */
  contiguous(): NDArray {
    return this.isContiguous() ? this : this.clone();
  }

  // ---- views --------------------------------------------------------------------------------

  /** Same elements, new shape (one size may be -1); throws for non-contiguous layouts it cannot express. */
  view(...shape: number[] | [readonly number[]]): NDArray {
    return V.view(this, shapeArgs(shape));
  }
  /** Same elements, new shape; copies only when a view is impossible. */
  reshape(...shape: number[] | [readonly number[]]): NDArray {
    return V.reshape(this, shapeArgs(shape));
  }
  /** `view(other.shape)`. */
  viewAs(other: NDArray): NDArray {
    return V.view(this, other.shape);
  }
  /** `reshape(other.shape)`. */
  reshapeAs(other: NDArray): NDArray {
    return V.reshape(this, other.shape);
  }
  /** Swaps two dims. */
  transpose(dim0: number, dim1: number): NDArray {
    return V.transpose(this, dim0, dim1);
  }
  /** Reorders dims. */
  permute(...dims: number[] | [readonly number[]]): NDArray {
    return V.permute(this, shapeArgs(dims));
  }
  /** Transpose of a ≤2-d array. */
  t(): NDArray {
    return V.t(this);
  }
  /** All dims reversed (PyTorch's deprecated-for->2-d `.T`; fine for matrices). */
  get T(): NDArray {
    return V.permute(
      this,
      this.shape.map((_, i) => this.ndim - 1 - i),
    );
  }
  /** Transposes the last two dims. */
  get mT(): NDArray {
    if (this.ndim < 2)
      throw new RangeError(
        `tensor.mT is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`,
      );
    return V.transpose(this, -2, -1);
  }
  /** Drops size-1 dims (all, or the given ones). */
  squeeze(dim?: number | readonly number[]): NDArray {
    return V.squeeze(this, dim);
  }
  /** Inserts a size-1 dim. */
  unsqueeze(dim: number): NDArray {
    return V.unsqueeze(this, dim);
  }
  /** Broadcasts to a larger shape without copying (-1 keeps a size). */
  expand(...sizes: number[] | [readonly number[]]): NDArray {
    return V.expand(this, shapeArgs(sizes));
  }
  /** `expand(other.shape)`. */
  expandAs(other: NDArray): NDArray {
    return V.expand(this, other.shape);
  }
  /** Merges dims startDim..endDim. */
  flatten(startDim = 0, endDim = -1): NDArray {
    return V.flatten(this, startDim, endDim);
  }
  /** Splits one dim into several. */
  unflatten(dim: number, sizes: readonly number[]): NDArray {
    return V.unflatten(this, dim, sizes);
  }
  /** `[start, start+length)` along `dim`. */
  narrow(dim: number, start: number, length: number): NDArray {
    return V.narrow(this, dim, start, length);
  }
  /** Index `index` of `dim`, dropping the dim. */
  select(dim: number, index: number): NDArray {
    return V.select(this, dim, index);
  }
  /** Python-style `start:end:step` along `dim`. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): NDArray {
    return V.slice(this, dim, start, end, step);
  }
  /** Moves dims to new positions. */
  movedim(source: number | readonly number[], destination: number | readonly number[]): NDArray {
    return V.movedim(this, source, destination);
  }
  /**
   * NumPy/PyTorch indexing: numbers select, `':'`/`'1:3'`/`'::2'` strings or
   * `{ start, end, step }` slice, `null` inserts a dim, `'...'` fills the rest, and int or bool
   * arrays index by value (a copy).
   *
   * @example
   * ```ts
   * x.index(0, '1:3');          // x[0, 1:3]
   * x.index('...', null);       // x[..., None]
   * logp.index(arange(n), y);   // logp[arange(n), y]
   * ```
   */
  index(...specs: IndexSpec[]): NDArray {
    return I.index(this, specs);
  }
  /** Writes `values` into the positions `index(...specs)` selects (PyTorch's `x[specs] = values`). */
  indexPut_(specs: readonly IndexSpec[], values: TensorLike, accumulate = false): NDArray {
    return I.indexPut(this, specs, values, accumulate);
  }

  // ---- joins, splits and gathers ------------------------------------------------------------

  /** Views of consecutive pieces of `splitSize` (or the listed sizes) along `dim`. */
  split(splitSize: number | readonly number[], dim = 0): NDArray[] {
    return J.split(this, splitSize, dim);
  }
  /** `chunks` nearly equal views along `dim`. */
  chunk(chunks: number, dim = 0): NDArray[] {
    return J.chunk(this, chunks, dim);
  }
  /** Every index of `dim` as a separate view. */
  unbind(dim = 0): NDArray[] {
    return J.unbind(this, dim);
  }
  /** Tiles the array `sizes` times along each dim (a copy). */
  repeat(...sizes: number[] | [readonly number[]]): NDArray {
    return J.repeat(this, shapeArgs(sizes));
  }
  /** Values at `index` along `dim` (torch.gather). */
  gather(dim: number, index: NDArray): NDArray {
    return I.gather(this, dim, index);
  }
  /** A copy with `src` written at `index` along `dim`. */
  scatter(dim: number, index: NDArray, src: NDArray | number): NDArray {
    return I.scatter(this.clone(), dim, index, src, false);
  }
  /** In-place {@link NDArray.scatter}. */
  scatter_(dim: number, index: NDArray, src: NDArray | number): NDArray {
    return I.scatter(this, dim, index, src, false);
  }
  /** A copy with `src` added at `index` along `dim`. */
  scatterAdd(dim: number, index: NDArray, src: NDArray): NDArray {
    return I.scatter(this.clone(), dim, index, src, true);
  }
  /** In-place {@link NDArray.scatterAdd}. */
  scatterAdd_(dim: number, index: NDArray, src: NDArray): NDArray {
    return I.scatter(this, dim, index, src, true);
  }
  /** The entries of `dim` listed in the 1-d int array `index`. */
  indexSelect(dim: number, index: NDArray): NDArray {
    return I.indexSelect(this, dim, index);
  }
  /** The elements where `mask` (broadcast) is true, as a 1-d array. */
  maskedSelect(mask: NDArray): NDArray {
    return I.maskedSelect(this, mask);
  }
  /** A copy with `value` where `mask` is true. */
  maskedFill(mask: NDArray, value: number | boolean | NDArray): NDArray {
    return E.where(mask, value, this).to(this.dtype);
  }
  /** In-place {@link NDArray.maskedFill}. */
  maskedFill_(mask: NDArray, value: number | boolean | NDArray): NDArray {
    return E.copyInto(this, E.where(mask, value, this));
  }
  /** `cond ? this : other`. */
  where(cond: NDArray, other: TensorLike): NDArray {
    return E.where(cond, this, other);
  }
  /** Indices of non-zero elements, shape [n, ndim]. */
  nonzero(): NDArray {
    return I.nonzero(this);
  }

  // ---- elementwise math ---------------------------------------------------------------------

  /** `this + alpha * other`. */
  add(other: TensorLike, alpha = 1): NDArray {
    return E.binaryOp('add', this, other, alpha);
  }
  /** `this - alpha * other`. */
  sub(other: TensorLike, alpha = 1): NDArray {
    return E.binaryOp('sub', this, other, alpha);
  }
  /** Elementwise product. */
  mul(other: TensorLike): NDArray {
    return E.binaryOp('mul', this, other);
  }
  /** True division (integers give floats). */
  div(other: TensorLike): NDArray {
    return E.binaryOp('div', this, other);
  }
  /** Elementwise power. */
  pow(exponent: TensorLike): NDArray {
    check.tensorLike('pow', 'exponent', exponent);
    // As PyTorch: a scalar 0.5 or -0.5 on a float tensor is sqrt / rsqrt, so -0 keeps its sign.
    if ((exponent === 0.5 || exponent === -0.5) && isFloatingDType(this.dtype)) {
      return E.unaryOp(exponent === 0.5 ? 'sqrt' : 'rsqrt', this);
    }
    return E.binaryOp('pow', this, exponent);
  }
  /** Python-style modulo (sign of the divisor). */
  remainder(other: TensorLike): NDArray {
    return E.binaryOp('remainder', this, other);
  }
  /** Floor of the quotient. */
  floorDivide(other: TensorLike): NDArray {
    return E.binaryOp('floorDivide', this, other);
  }
  /** Elementwise atan2(this, other). */
  atan2(other: TensorLike): NDArray {
    return E.binaryOp('atan2', this, other);
  }
  /** Elementwise maximum (NaN wins). */
  maximum(other: TensorLike): NDArray {
    return E.binaryOp('maximum', this, other);
  }
  /** Elementwise minimum (NaN wins). */
  minimum(other: TensorLike): NDArray {
    return E.binaryOp('minimum', this, other);
  }
  /** `-this`. */
  neg(): NDArray {
    return E.unaryOp('neg', this);
  }
  /** x². */
  square(): NDArray {
    return E.unaryOp('square', this);
  }
  /** GELU; `'tanh'` (or `{ approximate: 'tanh' }`) uses the tanh formula. */
  gelu(...args: GeluArgs): NDArray {
    return E.unaryOp(geluApproximate(args) === 'tanh' ? 'geluTanh' : 'gelu', this);
  }
  /**
   * Limits values to [min, max]: either bound may be omitted (null/undefined), given by name
   * (`{ min: 0 }`) or be an array (broadcast, as PyTorch's tensor bounds).
   */
  clamp(...args: ClampArgs): NDArray {
    const [min, max] = clampArgs('clamp', args, isNDArray);
    if (min instanceof NDArray || max instanceof NDArray) return clampByArrays(this, min, max);
    return E.unaryOp('clamp', this, ...clampBounds(min, max));
  }
  /** Alias of {@link NDArray.clamp}. */
  clip(...args: ClampArgs): NDArray {
    return this.clamp(...args);
  }
  /** Elementwise ==. */
  eq(other: TensorLike): NDArray {
    return E.binaryOp('eq', this, other);
  }
  /** Elementwise !=. */
  ne(other: TensorLike): NDArray {
    return E.binaryOp('ne', this, other);
  }
  /** Elementwise <. */
  lt(other: TensorLike): NDArray {
    return E.binaryOp('lt', this, other);
  }
  /** Elementwise <=. */
  le(other: TensorLike): NDArray {
    return E.binaryOp('le', this, other);
  }
  /** Elementwise >. */
  gt(other: TensorLike): NDArray {
    return E.binaryOp('gt', this, other);
  }
  /** Elementwise >=. */
  ge(other: TensorLike): NDArray {
    return E.binaryOp('ge', this, other);
  }
  /** Elementwise logical and. */
  logicalAnd(other: TensorLike): NDArray {
    return E.binaryOp('logicalAnd', this, other);
  }
  /** Elementwise logical or. */
  logicalOr(other: TensorLike): NDArray {
    return E.binaryOp('logicalOr', this, other);
  }
  /** Elementwise logical xor. */
  logicalXor(other: TensorLike): NDArray {
    return E.binaryOp('logicalXor', this, other);
  }
  /** Elementwise logical not. */
  logicalNot(): NDArray {
    return E.unaryOp('logicalNot', this);
  }
  /** True where NaN. */
  isnan(): NDArray {
    return E.unaryOp('isnan', this);
  }
  /** True where ±Infinity. */
  isinf(): NDArray {
    return E.unaryOp('isinf', this);
  }
  /** True where finite. */
  isfinite(): NDArray {
    return E.unaryOp('isfinite', this);
  }
  /** Same shape and equal elements (PyTorch's `torch.equal`). */
  equal(other: NDArray): boolean {
    return R.equal(this, other);
  }
  /** |this - other| <= atol + rtol·|other| everywhere (NaNs equal only with `equalNan`). */
  allclose(other: NDArray, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
    return R.allclose(this, other, rtol, atol, equalNan);
  }

  // ---- in place -------------------------------------------------------------------------------

  /** In-place `this += alpha * other`. */
  add_(other: TensorLike, alpha = 1): NDArray {
    return E.binaryOpInPlace('add', this, other, alpha);
  }
  /** In-place `this -= alpha * other`. */
  sub_(other: TensorLike, alpha = 1): NDArray {
    return E.binaryOpInPlace('sub', this, other, alpha);
  }
  /** In-place `this *= other`. */
  mul_(other: TensorLike): NDArray {
    return E.binaryOpInPlace('mul', this, other);
  }
  /** In-place `this /= other`. */
  div_(other: TensorLike): NDArray {
    return E.binaryOpInPlace('div', this, other);
  }
  /** In-place power. */
  pow_(exponent: TensorLike): NDArray {
    check.tensorLike('pow_', 'exponent', exponent);
    return E.binaryOpInPlace('pow', this, exponent);
  }
  /** In-place elementwise maximum. */
  maximum_(other: TensorLike): NDArray {
    return E.binaryOpInPlace('maximum', this, other);
  }
  /** In-place negation. */
  neg_(): NDArray {
    return E.unaryOpInPlace('neg', this);
  }
  /** In-place clamp. */
  clamp_(...args: ClampArgs): NDArray {
    const [min, max] = clampArgs('clamp_', args, isNDArray);
    if (min instanceof NDArray || max instanceof NDArray)
      return E.copyInto(this, clampByArrays(this, min, max));
    return E.unaryOpInPlace('clamp', this, ...clampBounds(min, max));
  }
  /** Sets every element to 0. */
  zero_(): NDArray {
    return E.fillInPlace(this, 0);
  }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): NDArray {
    return E.fillInPlace(this, value);
  }
  /** Copies `src` (broadcast, converted) into this array. */
  copy_(src: TensorLike): NDArray {
    return E.copyInto(this, src);
  }
  /** Fills with uniform samples from [from, to). */
  uniform_(from = 0, to = 1, options: { generator?: Generator } = {}): NDArray {
    return Rand.uniformInPlace(this, from, to, options.generator);
  }
  /** Fills with normal samples. */
  normal_(mean = 0, std = 1, options: { generator?: Generator } = {}): NDArray {
    return Rand.normalInPlace(this, mean, std, options.generator);
  }
  /** Fills with 1 with probability p, else 0. */
  bernoulli_(p = 0.5, options: { generator?: Generator } = {}): NDArray {
    return Rand.bernoulliInPlace(this, p, options.generator);
  }

  // ---- reductions -----------------------------------------------------------------------------

  /** Sum over `dim` (all dims when omitted); ints and bools sum to int32. */
  sum(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('sum', args);
    return R.sum(this, dim, keepdim);
  }
  /** Mean over `dim` (floating dtypes only, as in PyTorch). */
  mean(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('mean', args);
    return R.mean(this, dim, keepdim);
  }
  /** Product over `dim`. */
  prod(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('prod', args);
    return R.prod(this, dim, keepdim);
  }
  /**
   * The largest element; or, along `dim`, the values and their indices, read by name or
   * destructured (`const [values, indices] = x.max(1)`).
   */
  max(): NDArray;
  max(dim: number, keepdim?: boolean): ValuesIndices<NDArray>;
  max(options: { dim: number; keepdim?: boolean }): ValuesIndices<NDArray>;
  max(...args: unknown[]): NDArray | ValuesIndices<NDArray> {
    const { dim, keepdim } = maxMinArgs('max', args);
    return dim === null ? R.amax(this, null, false) : R.maxMin('max', this, dim, keepdim);
  }
  /** The smallest element; or, along `dim`, the values and their indices (see `max`). */
  min(): NDArray;
  min(dim: number, keepdim?: boolean): ValuesIndices<NDArray>;
  min(options: { dim: number; keepdim?: boolean }): ValuesIndices<NDArray>;
  min(...args: unknown[]): NDArray | ValuesIndices<NDArray> {
    const { dim, keepdim } = maxMinArgs('min', args);
    return dim === null ? R.amin(this, null, false) : R.maxMin('min', this, dim, keepdim);
  }
  /** Max over one or several dims (values only). */
  amax(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('amax', args);
    return R.amax(this, dim, keepdim);
  }
  /** Min over one or several dims (values only). */
  amin(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('amin', args);
    return R.amin(this, dim, keepdim);
  }
  /** Index of the max (of the flattened array when `dim` is omitted). */
  argmax(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceOneDimArgs('argmax', args);
    return R.argMaxMin('max', this, dim, keepdim);
  }
  /** Index of the min (of the flattened array when `dim` is omitted). */
  argmin(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceOneDimArgs('argmin', args);
    return R.argMaxMin('min', this, dim, keepdim);
  }
  /** Variance with `correction` (default 1). */
  var(...args: VarArgs): NDArray {
    const { dim, ...options } = varArgs('var', args);
    return R.variance(this, dim, options);
  }
  /** Standard deviation with `correction` (default 1). */
  std(...args: VarArgs): NDArray {
    const { dim, ...options } = varArgs('std', args);
    return R.variance(this, dim, options).sqrt();
  }
  /** log(sum(exp(x))) over `dim`, computed stably. */
  logsumexp(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('logsumexp', args);
    if (dim === null || dim === undefined)
      throw new TypeError('logsumexp: dim is required (an integer dim or an array of dims)');
    return R.logsumexp(this, dim, keepdim);
  }
  /** The p-norm (2 by default; Infinity, -Infinity, 0 and 'fro' too). */
  norm(p: number | 'fro' = 2, dim?: number | readonly number[] | null, keepdim = false): NDArray {
    return R.norm(this, p, dim, keepdim);
  }
  /** True if any element (along `dim`) is non-zero. */
  any(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('any', args);
    return R.anyAll('any', this, dim, keepdim);
  }
  /** True if every element (along `dim`) is non-zero. */
  all(...args: ReduceArgs): NDArray {
    const { dim, keepdim } = reduceArgs('all', args);
    return R.anyAll('all', this, dim, keepdim);
  }
  /** Cumulative sum along `dim`. */
  cumsum(dim: number): NDArray {
    return R.cumsum(this, dim);
  }
  /** Cumulative product along `dim`. */
  cumprod(dim: number): NDArray {
    return R.cumprod(this, dim);
  }
  /**
   * Sorted along `dim` (default -1), with the indices that sort: `const [v, i] = x.sort()`,
   * `x.sort(0, true)` or `x.sort({ dim: 0, descending: true })`. Equal values keep their order.
   */
  sort(...args: SortArgs): ValuesIndices<NDArray> {
    const { dim, descending } = C.sortArgs('sort', args);
    return C.sortWith(LEVEL, this, dim, descending);
  }
  /** The indices that sort along `dim` (see {@link NDArray.sort}). */
  argsort(...args: SortArgs): NDArray {
    const { dim, descending } = C.sortArgs('argsort', args);
    return C.sortIndices(this, dim, descending);
  }
  /**
   * The `k` largest values along `dim` (default -1) and their indices, largest first;
   * `topk(k, dim, false)` or `topk(k, { largest: false })` for the smallest.
   */
  topk(k: number, dim?: number | C.TopkOptions, largest?: boolean): ValuesIndices<NDArray> {
    return C.topkWith(LEVEL, this, k, dim, largest);
  }
  /** The distinct values, ascending (see `unique` for the options). */
  unique(options?: UniqueOptions): NDArray | UniqueResult<NDArray> {
    return Count.unique(this, options);
  }
  /** How often each value occurs in a 1-d int array (see `bincount`). */
  bincount(options?: BincountOptions): NDArray {
    return Count.bincount(this, options);
  }
  /** Reversed along each of `dims` (a copy). */
  flip(dims: number | readonly number[]): NDArray {
    return C.flipWith(LEVEL, this, dims);
  }
  /** Shifted along `dims` by `shifts`, wrapping around (the flattened array without dims). */
  roll(shifts: number | readonly number[], dims?: number | readonly number[] | null): NDArray {
    return C.rollWith(LEVEL, this, shifts, dims ?? undefined);
  }
  /** The lower triangle of the last two dims (relative to `diagonal`), zeros elsewhere. */
  tril(diagonal = 0): NDArray {
    return C.triangleWith(LEVEL, this, diagonal, true);
  }
  /** The upper triangle of the last two dims (relative to `diagonal`), zeros elsewhere. */
  triu(diagonal = 0): NDArray {
    return C.triangleWith(LEVEL, this, diagonal, false);
  }
  /** A diagonal matrix from a 1-d array, or the diagonal of a 2-d one. */
  diag(diagonal = 0): NDArray {
    return C.diagWith(LEVEL, this, diagonal);
  }
  /** Each element repeated `repeats` times along `dim` (the flattened array without dim). */
  repeatInterleave(repeats: number | readonly number[] | NDArray, dim?: number | null): NDArray {
    return C.repeatInterleaveWith(LEVEL, this, repeats, dim);
  }
  /** NaN, +inf and -inf replaced by finite numbers (see `nanToNum`). */
  nanToNum(nan = 0, posinf?: number | null, neginf?: number | null): NDArray {
    return C.nanToNumWith(LEVEL, this, nan, posinf, neginf);
  }
  /** Elementwise closeness to `other` as a bool array (see {@link NDArray.allclose}). */
  isclose(other: NDArray | number, rtol = 1e-5, atol = 1e-8, equalNan = false): NDArray {
    return R.isclose(this, other, rtol, atol, equalNan);
  }
  /** Softmax along `dim`. */
  softmax(dim: number): NDArray {
    return R.softmax(this, dim, false);
  }
  /** log(softmax(x)) along `dim`, computed stably. */
  logSoftmax(dim: number): NDArray {
    return R.softmax(this, dim, true);
  }

  // ---- linear algebra -----------------------------------------------------------------------

  /** Matrix product with PyTorch's rules for 1-d, 2-d and batched operands. */
  matmul(other: NDArray): NDArray {
    return L.matmul(this, other);
  }
  /** 2-d matrix product. */
  mm(other: NDArray): NDArray {
    return L.mm(this, other);
  }
  /** Batched (3-d) matrix product. */
  bmm(other: NDArray): NDArray {
    return L.bmm(this, other);
  }
  /** Matrix-vector product. */
  mv(other: NDArray): NDArray {
    return L.mv(this, other);
  }
  /** Dot product of 1-d arrays. */
  dot(other: NDArray): NDArray {
    return L.dot(this, other);
  }
  /** Outer product of 1-d arrays. */
  outer(other: NDArray): NDArray {
    return L.outer(this, other);
  }
}

const isNDArray = (v: unknown): v is NDArray => v instanceof NDArray;

/** Reads max/min's forms: `()` for the whole array, `(dim, keepdim?)` or `({ dim, keepdim })`. */
export function maxMinArgs(
  fn: string,
  args: readonly unknown[],
): {
  /** The dim reduced, or null for the whole array. */
  dim: number | null;
  /** Whether the reduced dim stays, with size 1. */
  keepdim: boolean;
} {
  if (args.length === 0) return { dim: null, keepdim: false };
  const { dim, keepdim } = reduceOneDimArgs(fn, args);
  if (dim === null || dim === undefined) {
    if (keepdim) throw new TypeError(`${fn}: keepdim needs a dim`);
    return { dim: null, keepdim: false };
  }
  return { dim, keepdim };
}

/** Reads var/std's forms: `(dim?, { correction, keepdim })` or `({ dim, correction, keepdim })`. */
export function varArgs(
  fn: string,
  args: readonly unknown[],
): VarOptions & {
  /** The dim or dims reduced (null or undefined: all). */
  dim: Dims;
} {
  const o = positionalOrOptions(fn, args, ['dim', 'correction', 'keepdim']);
  return {
    dim: check.dims(fn, 'dim', o.dim),
    correction:
      o.correction === undefined ? 1 : check.number(fn, 'correction', o.correction, { min: 0 }),
    keepdim: o.keepdim === undefined ? false : check.bool(fn, 'keepdim', o.keepdim),
  };
}

/** Reads gelu's `approximate` from either form. */
export function geluApproximate(args: readonly unknown[]): 'none' | 'tanh' {
  const o = positionalOrOptions('gelu', args, ['approximate']);
  return o.approximate === undefined
    ? 'none'
    : check.oneOf('gelu', 'approximate', o.approximate, ['none', 'tanh'] as const);
}

/** Reads clamp's bounds from either form, checking their kinds. */
export function clampArgs<T>(
  fn: string,
  args: readonly unknown[],
  isTensor: (v: unknown) => v is T,
): [number | T | null, number | T | null] {
  const o = positionalOrOptions(fn, args, ['min', 'max']);
  const bound = (name: string, v: unknown): number | T | null => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' || isTensor(v)) return v;
    const hint = isOptionsObject(v) ? `; did you mean ${fn}({ min, max }) or ${fn}(min, max)?` : '';
    throw new TypeError(`${fn}: ${name} must be a number or tensor, got ${describe(v)}${hint}`);
  };
  const min = bound('min', o.min);
  const max = bound('max', o.max);
  if (min === null && max === null)
    throw new TypeError(`${fn}: at least one of 'min' or 'max' must not be None`);
  return [min, max];
}

// clamp with array bounds: max(min(x, max), min) as PyTorch computes it, so min wins where the
// bounds cross.
function clampByArrays(x: NDArray, min: number | NDArray | null, max: number | NDArray | null) {
  let out = x;
  if (max !== null) out = out.minimum(max);
  if (min !== null) out = out.maximum(min);
  return out;
}

// The kernel's bounds: a missing one is infinite (clampArgs has refused a call with neither).
function clampBounds(min: number | null, max: number | null): [number, number] {
  return [min ?? -Infinity, max ?? Infinity];
}

// One method per generated registry op, and its in-place form; arguments are checked from the
// entry's typed parameters.
for (const op of GENERATED_UNARY_OPS) {
  const methods: Record<string, (this: NDArray, ...args: unknown[]) => NDArray> = {
    [op](...args) {
      const [p0, p1] = resolveParams(op, args);
      return E.unaryOp(op, this, p0, p1);
    },
    [`${op}_`](...args) {
      const [p0, p1] = resolveParams(op, args);
      return E.unaryOpInPlace(op, this, p0, p1);
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(NDArray.prototype, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  }
}

// Every method listed in the signature table checks its arguments first.
const isArrayOrNumber = (v: unknown): boolean =>
  v instanceof NDArray || typeof v === 'number' || typeof v === 'boolean';
installChecks(NDArray.prototype, {
  array: { test: isNDArray, accepts: 'an NDArray', wrong: [1] },
  arrayOrNumber: {
    test: isArrayOrNumber,
    accepts: 'an NDArray, a number or a boolean',
    wrong: '1',
  },
  index: { test: isNDArray, accepts: 'an int or bool NDArray', wrong: '0' },
  hint: (v) =>
    isAutogradTensor(v)
      ? '; an autograd Tensor is converted with t.value (or t.detach().value)'
      : '',
});

// The composite ops (ops/composite.ts) at this level.
const LEVEL: C.Level<NDArray> = { cat: J.cat, constant: (a) => a, values: (a) => a };

// ---- construction helpers used by the ops --------------------------------------------------

/** A zero-filled contiguous array. */
export function allocate(shape: Shape, dtype: DType): NDArray {
  const size = shapeSize(shape);
  return new NDArray(
    new Storage(getBackend().alloc(dtype, size)),
    Array.from(shape),
    contiguousStrides(shape),
    0,
  );
}

/**
 * A contiguous array with unspecified contents, for a result the kernel writes in full (every
 * element): the backend may skip zero-filling it.
 */
export function allocateUninitialized(shape: Shape, dtype: DType): NDArray {
  const size = shapeSize(shape);
  const backend = getBackend();
  const data = backend.allocUninitialized
    ? backend.allocUninitialized(dtype, size)
    : backend.alloc(dtype, size);
  return new NDArray(new Storage(data), Array.from(shape), contiguousStrides(shape), 0);
}

/**
 * Hands the memory of a storage that nothing will read or write again to the backend, which may
 * give it to a later allocation of the same dtype and size instead of allocating anew. For code
 * that knows every view of the storage is dead: autograd's engine calls it for the gradients it
 * consumed during a backward pass. Any later read of the storage throws.
 *
 * @example
 * ```ts
 * const g = someGradient(); // held by nothing else
 * recycleStorage(g.storage); // g must not be used afterwards
 * ```
 */
export function recycleStorage(storage: Storage): void {
  const data = releaseStorage(storage);
  getBackend().recycle?.(data);
}

/** A contiguous array over an existing typed array (no copy). */
export function fromStorageData(data: TypedArray, shape: Shape): NDArray {
  return new NDArray(new Storage(data), Array.from(shape), contiguousStrides(shape), 0);
}

/** A 0-d array holding `value`. */
export function scalarArray(value: number, dtype: DType): NDArray {
  const data = new (typedArrayConstructor(dtype))(1);
  data[0] = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  return new NDArray(new Storage(data), [], [], 0);
}

/** A new view of `base`'s storage. */
export function viewOf(
  base: NDArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): NDArray {
  return new NDArray(base.storage, shape, strides, offset);
}

/** The kernel-facing description of an array. */
export function stridedOf(x: NDArray): StridedArray {
  return { data: kernelData(x.storage), shape: x.shape, strides: x.strides, offset: x.offset };
}

/**
 * The typed array the active backend's kernels read: the raw array on a device backend (its
 * own bookkeeping knows where the values are), otherwise the host values, brought back first
 * when a device backend used before wrote them (a switch from WebGPU to a CPU backend).
 */
export function kernelData(storage: Storage): TypedArray {
  return getBackend().device ? storage.raw : storage.data;
}

/** Marks an in-place write on x's storage. */
export function bumpVersion(x: NDArray): void {
  x.storage.version++;
}
