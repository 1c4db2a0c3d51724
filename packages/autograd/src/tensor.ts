/**
 * Tensor: the differentiable array users touch (PyTorch's `torch.Tensor`). It wraps an
 * `NDArray` from @gd/tensor and records, when grad mode is on, the graph that `backward()`
 * walks. Every op is a row of a table in `ops/`; this class only routes method calls there.
 */
import type {
  DType,
  DTypeLike,
  GeluArgs,
  Level,
  SortArgs,
  TopkOptions,
  UniqueOptions,
  UniqueResult,
  IndexSpec,
  NestedArray,
  ReduceArgs,
  ShapeLike,
  TypedArray,
  VarOptions,
} from '@gd/tensor';
import {
  NDArray,
  ValuesIndices,
  check,
  clampArgs,
  describe,
  installChecks,
  diagWith,
  flipWith,
  repeatInterleaveWith,
  rollWith,
  sortArgs,
  topkArgs,
  triangleWith,
  geluApproximate,
  maxMinArgs,
  normalizeSpecs,
  reduceArgs,
  reduceOneDimArgs,
  toDType,
  varArgs,
  canCast,
  formatShape,
  formatTensor,
  isFloatingDType,
  resultType,
  tensor as tensorArray,
  zeros as zerosArray,
  full as fullArray,
  shapesEqual,
} from '@gd/tensor';
import type { Generator, GeneratedUnaryMethods, GeneratedUnaryOp } from '@gd/tensor';
import { GENERATED_UNARY_OPS, recycleStorage, resolveParams, unaryEntry } from '@gd/tensor';
import { OpNode, runOp, runOpOutputs } from './function.js';
import { isGradEnabled } from './grad-mode.js';
import { isTraceRoot, isTracingOrigins, isTracked, moveOrigin } from './origins.js';
import type { GradHook, Node, RemovableHandle } from './node.js';
import { AccumulateGrad } from './node.js';
import type { BackwardOptions } from './engine.js';
import type { OpTable } from './function.js';
import { runBackward } from './engine.js';
import { checkEntry } from './checks.js';
import { BINARY, SELECT, UNARY } from './ops/pointwise.js';
import { GENERATED, callRegistryOp } from './ops/generated.js';
import type { RegistryAttrs } from './ops/generated.js';
import { COPIES, INDEXING, VIEWS } from './ops/shape-ops.js';
import { CUMPROD, REDUCTIONS, SOFTMAX } from './ops/reduction.js';
import { SORTING } from './ops/sorting.js';
import { LINALG, columnMajor } from './ops/linalg.js';

/** A tensor or a JS scalar standing for a constant. */
export type TensorLike = Tensor | number | boolean;

/** An index for {@link Tensor.index}: the @gd/tensor forms, with Tensors allowed as index arrays. */
export type TensorIndex = IndexSpec | Tensor;

/**
 * Values and indices of max/min along a dim (and sort/topk): `r.values`, `r.indices`, or
 * destructured as `const [values, indices] = r`.
 */
export type TensorValuesIndices = ValuesIndices<Tensor>;

/** clamp's arguments: bounds as numbers or tensors, positional or `{ min, max }`. */
export type ClampArgs =
  | [min?: number | Tensor | null, max?: number | Tensor | null]
  | [
      options: {
        /** Lower bound (none when null or left out). */
        min?: number | Tensor | null;
        /** Upper bound (none when null or left out). */
        max?: number | Tensor | null;
      },
    ];

function indexArray(index: Tensor | NDArray): NDArray {
  return index instanceof Tensor ? index.value : index;
}

function toSpecs(specs: readonly TensorIndex[]): IndexSpec[] {
  return normalizeSpecs(
    'index',
    specs.map((s) => (s instanceof Tensor ? s.value : s)),
  );
}

// An index as an op input: a Tensor keeps its identity (an exporter follows where it came from).
function indexTensor(index: Tensor | NDArray): Tensor {
  return index instanceof Tensor ? index : Tensor.fromArray(index);
}

/** The largest finite float32 (nanToNum's default for +inf). */
const FLOAT32_MAX = 3.4028234663852886e38;

const isTensorBound = (v: unknown): v is Tensor | NDArray =>
  v instanceof Tensor || v instanceof NDArray;

/** A JS scalar as a constant 0-d tensor of the dtype the op computes in. */
function constant(value: number | boolean, like: Tensor): Tensor {
  const dtype = resultType(like.value, value);
  return Tensor.fromArray(
    tensorArray(typeof value === 'boolean' ? Number(value) : value, { dtype }),
  );
}

/**
 * Turns the other operand of a binary op into a tensor. An NDArray is a constant (it takes no
 * part in the graph), as a tensor that does not require grad would.
 */
export function operand(x: TensorLike | NDArray, like: Tensor, fn = 'op', param = 'other'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || typeof x === 'boolean') return constant(x, like);
  if (x instanceof NDArray) return Tensor.fromArray(x);
  throw new TypeError(
    `${fn}: ${param} must be a Tensor, an NDArray, a number or a boolean, got ${describe(x)}`,
  );
}

/**
 * The methods generated from the op registry (`x.elu(alpha)`, `x.elu_(alpha)`, `x.mish()`,
 * ...), differentiable through their registry derivatives, and the methods that differ only in
 * the op they run, generated from tables at the end of this file.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor extends GeneratedUnaryMethods<Tensor> {
  // ---- conversion

  /** `to('float32')`. */
  float(): Tensor;
  /** `to('float64')`. */
  double(): Tensor;
  /** `to('int32')`. */
  int(): Tensor;
  /** PyTorch's `long()`: gd's integer type, int32. */
  long(): Tensor;
  /** `to('bool')`. */
  bool(): Tensor;

  // ---- gathers

  /** Values at `index` along `dim`. */
  gather(dim: number, index: Tensor | NDArray): Tensor;
  /** Entries of `dim` listed in the 1-d int `index`. */
  indexSelect(dim: number, index: Tensor | NDArray): Tensor;

  // ---- arithmetic

  /** Elementwise atan2. */
  atan2(other: TensorLike): Tensor;
  /** Elementwise maximum. */
  maximum(other: TensorLike): Tensor;
  /** Elementwise minimum. */
  minimum(other: TensorLike): Tensor;
  /** Python-style modulo. */
  remainder(other: TensorLike): Tensor;
  /** `-this`. */
  neg(): Tensor;
  /** x². */
  square(): Tensor;

  // ---- comparisons and logic (not differentiable)

  /** Elementwise ==. */
  eq(other: TensorLike): Tensor;
  /** Elementwise !=. */
  ne(other: TensorLike): Tensor;
  /** Elementwise <. */
  lt(other: TensorLike): Tensor;
  /** Elementwise <=. */
  le(other: TensorLike): Tensor;
  /** Elementwise >. */
  gt(other: TensorLike): Tensor;
  /** Elementwise >=. */
  ge(other: TensorLike): Tensor;
  /** Elementwise logical and. */
  logicalAnd(other: TensorLike): Tensor;
  /** Elementwise logical or. */
  logicalOr(other: TensorLike): Tensor;
  /** Elementwise logical xor. */
  logicalXor(other: TensorLike): Tensor;
  /** Elementwise logical not. */
  logicalNot(): Tensor;
  /** True where NaN. */
  isnan(): Tensor;
  /** True where ±Infinity. */
  isinf(): Tensor;
  /** True where finite. */
  isfinite(): Tensor;

  // ---- reductions

  /** Sum over dims (all when omitted). */
  sum(...args: ReduceArgs): Tensor;
  /** Mean over dims. */
  mean(...args: ReduceArgs): Tensor;
  /** Product over dims. */
  prod(...args: ReduceArgs): Tensor;
  /** Max over dims (values only; ties share the gradient). */
  amax(...args: ReduceArgs): Tensor;
  /** Min over dims (values only; ties share the gradient). */
  amin(...args: ReduceArgs): Tensor;
  /** Index of the max (int32, not differentiable). */
  argmax(...args: ReduceArgs): Tensor;
  /** Index of the min (int32, not differentiable). */
  argmin(...args: ReduceArgs): Tensor;
  /** Variance with `correction` (default 1). */
  var(...args: VarArgs): Tensor;
  /** Standard deviation with `correction` (default 1). */
  std(...args: VarArgs): Tensor;
  /** Cumulative sum along `dim`. */
  cumsum(dim: number): Tensor;
  /** Cumulative product along `dim` (differentiable, zeros included). */
  cumprod(dim: number): Tensor;
  /** Softmax along `dim`. */
  softmax(dim: number): Tensor;
  /** Log-softmax along `dim`. */
  logSoftmax(dim: number): Tensor;
}

/**
 * A differentiable N-d array.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * const x = tensor([0.0], { requiresGrad: true });
 * const y = x.pow(2).sub(x.mul(2)).add(1);
 * y.backward();
 * x.grad!.item(); // -2
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Tensor {
  /** The values (an @gd/tensor NDArray, sharing storage with views of this tensor). */
  declare readonly value: NDArray;
  /** The node that computed this tensor, or null for leaves. */
  declare gradFn: Node | null;
  /** The tensor this one is a view of (storage shared), if any. */
  base: Tensor | null = null;
  private leafRequiresGrad = false;
  private gradValue: Tensor | null = null;
  // Whether gradValue is a tensor backward made that nothing outside has been handed (not read
  // through `.grad`, not assigned by the caller): its memory may be reused once it is cleared.
  private gradReusable = false;
  private accumulator: AccumulateGrad | null = null;
  private readonly hooks: GradHook[] = [];
  private retains = false;

  protected constructor(value: NDArray, gradFn: Node | null) {
    this.value = value;
    this.gradFn = gradFn;
  }

  /** Wraps an NDArray (no copy) as a tensor, with its gradFn when it was computed by an op. */
  static fromArray(value: NDArray, gradFn: Node | null = null): Tensor {
    return new Tensor(value, gradFn);
  }

  // ---- autograd state -------------------------------------------------------------------------

  /** Whether gradients flow to (or through) this tensor. */
  get requiresGrad(): boolean {
    return this.gradFn !== null || this.leafRequiresGrad;
  }
  /** Sets it on a leaf, as {@link Tensor.requiresGrad_}. */
  set requiresGrad(flag: boolean) {
    this.requiresGrad_(flag);
  }

  /** True for tensors not computed by a recorded op (user-created, or results under noGrad). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * The accumulated gradient: populated by backward for leaves that require grad (and for
   * non-leaves after {@link Tensor.retainGrad}); null otherwise. Assign null to clear it.
   */
  get grad(): Tensor | null {
    // Whoever reads it may keep it: its memory is no longer the engine's to reuse.
    this.gradReusable = false;
    return this.gradValue;
  }

  /**
   * The accumulated gradient, as {@link Tensor.grad}, for code that uses it within the call and
   * keeps no reference to it or its views (an optimizer's update, a norm). Unlike reading
   * `.grad`, it leaves a gradient that backward made free for reuse: clearing `.grad` (as
   * `zeroGrad()` does) then hands its memory to the next backward pass, as PyTorch's allocator
   * reuses a freed gradient's block. A gradient kept from here and read after `.grad` was cleared
   * throws a clear error.
   *
   * @example
   * ```ts
   * for (const p of params) { const g = p.borrowGrad(); if (g) p.sub_(g, lr); }
   * ```
   */
  borrowGrad(): Tensor | null {
    return this.gradValue;
  }

  /** Replaces the gradient (null clears it); a tensor must match this one's shape and dtype. */
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!shapesEqual(g.shape, this.shape)) {
        throw new Error(
          `assigned grad has data of a different size: ${formatShape(g.shape)} vs the tensor's ${formatShape(this.shape)}`,
        );
      }
      if (g.dtype !== this.dtype)
        throw new TypeError(
          `assigned grad has dtype ${g.dtype}, but the tensor has dtype ${this.dtype}`,
        );
    }
    const old = this.gradValue;
    // A gradient backward made and nobody read through `.grad` dies here: reuse its memory.
    if (old !== null && this.gradReusable && old.value.storage !== g?.value.storage)
      recycleStorage(old.value.storage);
    this.gradReusable = false;
    this.gradValue = g;
  }

  /** Whether this non-leaf keeps its gradient (see {@link Tensor.retainGrad}). */
  get retainsGrad(): boolean {
    return this.retains;
  }

  /**
   * Sets whether autograd records ops on this leaf (in place; returns this). Only floating
   * point tensors can require gradients; only leaves can stop requiring them.
   *
   * @example
   * ```ts
   * const w = zeros([3]).requiresGrad_();
   * ```
   */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf) {
      if (!flag) {
        throw new Error(
          "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use varNoGrad = v.detach().",
        );
      }
      return this;
    }
    if (flag && !isFloatingDType(this.dtype)) {
      throw new TypeError(
        `only Tensors of floating point dtype can require gradients (got ${this.dtype})`,
      );
    }
    this.leafRequiresGrad = flag;
    return this;
  }

  /** Makes backward populate `.grad` of this non-leaf tensor too. */
  retainGrad(): void {
    if (!this.requiresGrad)
      throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this.isLeaf) return;
    this.retains = true;
    this.gradFn!.retainGradOf = this;
  }

  /**
   * Registers `hook(grad)` to run when this tensor's gradient is computed; it may return a
   * replacement gradient.
   *
   * @example
   * ```ts
   * const h = x.registerHook((g) => g.mul(2)); // doubles x's gradient
   * h.remove();
   * ```
   */
  registerHook(hook: GradHook): RemovableHandle {
    if (!this.requiresGrad)
      throw new Error("cannot register a hook on a tensor that doesn't require gradient");
    const list = this.isLeaf ? this.hooks : this.gradFn!.preHooks;
    list.push(hook);
    return {
      remove: () => {
        const i = list.indexOf(hook);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }

  /** Runs this leaf's hooks on its incoming gradient. @internal */
  runHooks(g: Tensor): Tensor {
    let out = g;
    for (const hook of this.hooks) out = hook(out) ?? out;
    return out;
  }

  /** Adds a gradient into `.grad` (engine use). @internal */
  accumulateGrad(g: Tensor, createGraph: boolean, exclusive = false): void {
    if (createGraph) {
      this.gradValue = this.gradValue ? this.gradValue.add(g) : g;
      this.gradReusable = false;
      return;
    }
    const d = g.detach();
    // The first gradient is copied unless the engine says nobody else holds it: backward
    // formulas may hand the same tensor to several inputs, and an in-place update of one
    // `.grad` must not change another.
    // (A hook may have kept the gradient it saw.)
    const unheld = exclusive && this.hooks.length === 0;
    if (this.gradValue === null && unheld && d.value.isContiguous()) {
      this.gradValue = Tensor.fromArray(d.value);
      this.gradReusable = true;
      return;
    }
    if (this.gradValue === null) {
      this.gradValue = Tensor.fromArray(d.value.clone());
      this.gradReusable = true;
    } else if (this.gradValue.requiresGrad) {
      this.gradValue = this.gradValue.detach().add(d);
      this.gradReusable = false;
    } else this.gradValue.value.add_(d.value);
    // Copied or added in, and held by nobody else (gradient accumulation over several backward
    // passes, or zeroGrad({ setToNone: false })): its memory goes back for the next allocation.
    if (unheld) recycleStorage(d.value.storage);
  }

  /** The node that receives this leaf's gradient. @internal */
  gradAccumulator(): AccumulateGrad {
    this.accumulator ??= new AccumulateGrad(this);
    return this.accumulator;
  }

  /**
   * Computes the gradient of this tensor with respect to the graph leaves, accumulating into
   * their `.grad`. A non-scalar tensor needs `gradient` (the vector in the vector-Jacobian
   * product).
   *
   * @example
   * ```ts
   * y.backward();                      // scalar y
   * y.backward(onesLike(y));           // vector y
   * y.backward(null, { retainGraph: true });
   * ```
   */
  backward(gradient: Tensor | null = null, options: BackwardOptions = {}): void {
    checkEntry('backward', [gradient, options]);
    runBackward([this], [gradient], options);
  }

  /** A new tensor sharing storage, cut from the graph (requiresGrad false). */
  detach(): Tensor {
    return Tensor.fromArray(this.value);
  }

  /** Cuts this tensor from the graph in place: it becomes a leaf that does not require grad. */
  detach_(): this {
    if (this.base !== null && this.base.requiresGrad) {
      throw new Error("Can't detach views in-place. Use detach() instead.");
    }
    this.gradFn = null;
    this.leafRequiresGrad = false;
    return this;
  }

  /** The values as a tensor outside the graph, sharing storage (PyTorch's `.data`). */
  get data(): Tensor {
    return this.detach();
  }

  // ---- metadata and conversion -----------------------------------------------------------------

  /** Element type. */
  get dtype(): DType {
    return this.value.dtype;
  }
  /** Size of each dim. */
  get shape(): readonly number[] {
    return this.value.shape;
  }
  /** Strides of each dim. */
  get strides(): readonly number[] {
    return this.value.strides;
  }
  /** Number of dims. */
  get ndim(): number {
    return this.value.ndim;
  }
  /** Version counter of the storage (bumped by in-place ops). */
  get version(): number {
    return this.value.version;
  }
  /** Number of elements. */
  numel(): number {
    return this.value.numel();
  }
  /** The shape, or the size of one dim. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.value.size() : this.value.size(dim);
  }
  /** Number of dims (PyTorch's `dim()`). */
  dim(): number {
    return this.value.ndim;
  }
  /** Whether the layout is row-major without gaps. */
  isContiguous(): boolean {
    return this.value.isContiguous();
  }
  /** The value of a one-element tensor. */
  item(): number {
    return this.value.item();
  }
  /** Nested JS arrays of the values. */
  toArray(): NestedArray {
    return this.value.toArray();
  }
  /**
   * The values as a typed array, read without blocking: the way to read a tensor on the
   * WebGPU backend from a thread that must not block (a browser's main thread).
   *
   * @example
   * ```ts
   * const probs = await model.call(x).softmax(1).dataAsync();
   * ```
   */
  dataAsync(): Promise<TypedArray> {
    return this.value.dataAsync();
  }
  /**
   * {@link Tensor.toArray} without blocking.
   *
   * @example
   * ```ts
   * await t.toArrayAsync(); // [1, 2, 3]
   * ```
   */
  toArrayAsync(): Promise<NestedArray> {
    return this.value.toArrayAsync();
  }
  /**
   * {@link Tensor.item} without blocking: `await loss.itemAsync()` reads a loss without
   * stalling the GPU's queue behind a blocking read.
   *
   * @example
   * ```ts
   * const value = await loss.itemAsync();
   * ```
   */
  itemAsync(): Promise<number> {
    return this.value.itemAsync();
  }
  /** Nested JS arrays of the values (PyTorch's name for {@link Tensor.toArray}). */
  tolist(): NestedArray {
    return this.value.toArray();
  }
  /** PyTorch-style rendering, with `requires_grad=True` or `grad_fn=<...>` when relevant. */
  toString(): string {
    const c = this.value.contiguous();
    const d = c.storage.data;
    const o = c.offset;
    const suffixes = this.gradFn
      ? [`grad_fn=<${this.gradFn.name}>`]
      : this.requiresGrad
        ? ['requires_grad=True']
        : [];
    return formatTensor(this.shape, (i) => d[o + i]!, this.dtype, { suffixes });
  }
  /** Makes `console.log(t)` print like PyTorch in Node. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * A copy converted to `dtype` (differentiable between float dtypes); `'int64'` means gd's
   * integer type, int32.
   */
  to(dtype: DTypeLike): Tensor {
    dtype = toDType('to', dtype);
    if (dtype === this.dtype) return this;
    return runOp(COPIES, 'toDtype', [this], { dtype });
  }
  /** A copy (gradient flows back unchanged). */
  clone(): Tensor {
    return runOp(COPIES, 'clone', [this], {});
  }
  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    return this.isContiguous() ? this : runOp(COPIES, 'contiguous', [this], {});
  }
  /** Zeros of `shape` with this tensor's dtype. */
  newZeros(shape: ShapeLike): Tensor {
    return Tensor.fromArray(zerosArray(shape, { dtype: this.dtype }));
  }
  /** Ones of `shape` with this tensor's dtype. */
  newOnes(shape: ShapeLike): Tensor {
    return Tensor.fromArray(fullArray(shape, 1, { dtype: this.dtype }));
  }
  /** `value` everywhere in `shape`, with this tensor's dtype. */
  newFull(shape: ShapeLike, value: number): Tensor {
    return Tensor.fromArray(fullArray(shape, value, { dtype: this.dtype }));
  }

  // ---- views --------------------------------------------------------------------------------

  /** Same elements, new shape (one size may be -1); a view. */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return runOp(VIEWS, 'view', [this], { shape: shapeArgs(shape) });
  }
  /** Same elements, new shape; copies only when a view is impossible. */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return runOp(VIEWS, 'reshape', [this], { shape: shapeArgs(shape) });
  }
  /** `view(other.shape)`. */
  viewAs(other: Tensor): Tensor {
    return this.view(other.shape);
  }
  /** `reshape(other.shape)`. */
  reshapeAs(other: Tensor): Tensor {
    return this.reshape(other.shape);
  }
  /** Swaps two dims. */
  transpose(dim0: number, dim1: number): Tensor {
    return runOp(VIEWS, 'transpose', [this], { dim0, dim1 });
  }
  /** Reorders dims. */
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return runOp(VIEWS, 'permute', [this], { dims: shapeArgs(dims) });
  }
  /** Transpose of a ≤2-d tensor. */
  t(): Tensor {
    if (this.ndim > 2) this.value.t(); // throws PyTorch's message
    return this.ndim < 2
      ? this
      : runOp(VIEWS, 'transpose', [this], { dim0: 0, dim1: 1 }, 'TBackward0');
  }
  /** All dims reversed. */
  get T(): Tensor {
    return this.permute(this.shape.map((_, i) => this.ndim - 1 - i));
  }
  /** The last two dims swapped. */
  get mT(): Tensor {
    // Fewer than two dims: @gd/tensor's mT throws PyTorch's message.
    if (this.ndim < 2) return Tensor.fromArray(this.value.mT);
    return this.transpose(-2, -1);
  }
  /** Drops size-1 dims (all, or the given ones). */
  squeeze(dim?: number | readonly number[]): Tensor {
    const dims = dim === undefined ? null : typeof dim === 'number' ? [dim] : dim;
    return runOp(
      VIEWS,
      'squeeze',
      [this],
      { dims },
      dims === null ? 'SqueezeBackward0' : 'SqueezeBackward1',
    );
  }
  /** Inserts a size-1 dim. */
  unsqueeze(dim: number): Tensor {
    return runOp(VIEWS, 'unsqueeze', [this], { dim });
  }
  /** Broadcasts to a larger shape without copying. */
  expand(...sizes: number[] | [readonly number[]]): Tensor {
    return runOp(VIEWS, 'expand', [this], { shape: shapeArgs(sizes) });
  }
  /** `expand(other.shape)`. */
  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape);
  }
  /** Merges dims startDim..endDim. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return runOp(VIEWS, 'flatten', [this], { startDim, endDim });
  }
  /** Splits one dim into several. */
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return runOp(VIEWS, 'unflatten', [this], { dim, sizes });
  }
  /** `[start, start+length)` along `dim`. */
  narrow(dim: number, start: number, length: number): Tensor {
    return runOp(VIEWS, 'narrow', [this], { dim, start, length });
  }
  /** Index `index` of `dim`, dropping the dim. */
  select(dim: number, index: number): Tensor {
    return runOp(VIEWS, 'select', [this], { dim, index });
  }
  /** Python-style `start:end:step` along `dim`. */
  slice(dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return runOp(VIEWS, 'slice', [this], { dim, start, end, step });
  }
  /** Moves dims to new positions. */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor {
    const norm = (d: number): number => (d < 0 ? d + this.ndim : d);
    const src = (typeof source === 'number' ? [source] : source).map(norm);
    const dst = (typeof destination === 'number' ? [destination] : destination).map(norm);
    this.value.movedim(src, dst); // validates with @gd/tensor's messages
    const perm = new Array<number>(this.ndim).fill(-1);
    src.forEach((d, i) => (perm[dst[i]!] = d));
    const rest = this.shape.map((_, i) => i).filter((i) => !src.includes(i));
    let r = 0;
    for (let i = 0; i < this.ndim; i++) if (perm[i] === -1) perm[i] = rest[r++]!;
    return this.permute(perm);
  }
  /**
   * NumPy/PyTorch indexing (see `NDArray.index`); index arrays may be Tensors.
   *
   * @example
   * ```ts
   * logp.index(arange(n), labels); // logp[range(n), labels], differentiable
   * ```
   */
  index(...specs: TensorIndex[]): Tensor {
    return runOp(INDEXING, 'index', [this], { specs: toSpecs(specs) });
  }
  /** A copy with `values` written (or added) at the indexed positions. */
  indexPut(specs: readonly TensorIndex[], values: TensorLike, accumulate = false): Tensor {
    return runOp(INDEXING, 'indexPut', [this, operand(values, this, 'indexPut', 'values')], {
      specs: toSpecs(specs),
      accumulate,
    });
  }
  /** In-place {@link Tensor.indexPut} (PyTorch's `x[specs] = values`). */
  indexPut_(specs: readonly TensorIndex[], values: TensorLike, accumulate = false): this {
    const v = operand(values, this, 'indexPut_', 'values');
    return this.inPlace(
      [v],
      (self) => self.indexPut(specs, v, accumulate),
      () => this.value.indexPut_(toSpecs(specs), v.value, accumulate),
    );
  }

  // ---- joins, gathers ---------------------------------------------------------------------------

  /** Views of consecutive pieces along `dim`. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    let at = 0;
    return this.value.split(splitSize, dim).map((piece) => {
      const len = piece.shape[dim < 0 ? dim + this.ndim : dim]!;
      const out = this.narrow(dim, at, len);
      at += len;
      return out;
    });
  }
  /** `chunks` nearly equal views along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    const d = dim < 0 ? dim + this.ndim : dim;
    return this.split(
      this.value.chunk(chunks, d).map((p) => p.shape[d]!),
      d,
    );
  }
  /** Every index of `dim` as a view. */
  unbind(dim = 0): Tensor[] {
    const d = dim < 0 ? dim + this.ndim : dim;
    return Array.from({ length: this.shape[d]! }, (_, i) => this.select(d, i));
  }
  /** Tiles the tensor along each dim. */
  repeat(...sizes: number[] | [readonly number[]]): Tensor {
    return runOp(COPIES, 'repeat', [this], { sizes: shapeArgs(sizes) });
  }
  /** A copy with `src` written at `index` along `dim`. */
  scatter(dim: number, index: Tensor | NDArray, src: TensorLike | NDArray): Tensor {
    const idx = Tensor.fromArray(indexArray(index));
    if (src instanceof NDArray) src = Tensor.fromArray(src);
    if (src instanceof Tensor)
      return runOp(INDEXING, 'scatter', [this, idx, src], { dim, value: null });
    return runOp(INDEXING, 'scatter', [this, idx], { dim, value: Number(src) });
  }
  /** A copy with `src` added at `index` along `dim`. */
  scatterAdd(dim: number, index: Tensor | NDArray, src: Tensor): Tensor {
    return runOp(INDEXING, 'scatterAdd', [this, Tensor.fromArray(indexArray(index)), src], { dim });
  }
  /** In-place {@link Tensor.scatter}. */
  scatter_(dim: number, index: Tensor | NDArray, src: TensorLike | NDArray): this {
    if (src instanceof NDArray) src = Tensor.fromArray(src);
    const others = src instanceof Tensor ? [src] : [];
    return this.inPlace(
      others,
      (self) => self.scatter(dim, index, src),
      () =>
        this.value.scatter_(
          dim,
          indexArray(index),
          src instanceof Tensor ? src.value : Number(src),
        ),
    );
  }
  /** In-place {@link Tensor.scatterAdd}. */
  scatterAdd_(dim: number, index: Tensor | NDArray, src: Tensor): this {
    return this.inPlace(
      [src],
      (self) => self.scatterAdd(dim, index, src),
      () => this.value.scatterAdd_(dim, indexArray(index), src.value),
    );
  }
  /** Elements where `mask` is true, as a 1-d tensor. */
  maskedSelect(mask: Tensor | NDArray): Tensor {
    if (mask instanceof NDArray) mask = Tensor.fromArray(mask);
    const shape = mask.value.shape.length >= this.ndim ? mask.shape : this.shape;
    const x = shapesEqual(this.shape, shape) ? this : this.expand(shape);
    return x.index(mask.expand(x.shape));
  }
  /** A copy with `value` where `mask` is true. */
  maskedFill(mask: Tensor | NDArray, value: number | boolean | Tensor | NDArray): Tensor {
    if (typeof value === 'object') {
      // A tensor value (PyTorch takes a 0-d one): where(mask, value, this) in this dtype.
      const v = operand(value, this, 'maskedFill', 'value');
      return where(Tensor.fromArray(indexArray(mask)), v.to(this.dtype), this);
    }
    return runOp(INDEXING, 'maskedFill', [this, Tensor.fromArray(indexArray(mask))], {
      value: Number(value),
    });
  }
  /** In-place {@link Tensor.maskedFill}. */
  maskedFill_(mask: Tensor | NDArray, value: number | boolean | Tensor | NDArray): this {
    const v = typeof value === 'object' ? operand(value, this, 'maskedFill_', 'value') : value;
    return this.inPlace(
      typeof v === 'object' ? [v] : [],
      (self) => self.maskedFill(mask, v),
      () => this.value.maskedFill_(indexArray(mask), typeof v === 'object' ? v.value : v),
    );
  }
  /** `cond ? this : other`. */
  where(cond: Tensor | NDArray, other: TensorLike | NDArray): Tensor {
    return where(cond, this, other);
  }
  /** Indices of non-zero elements, shape [n, ndim] (int32). */
  nonzero(): Tensor {
    return Tensor.fromArray(this.value.nonzero());
  }

  // ---- arithmetic ---------------------------------------------------------------------------

  /** `this + alpha * other`. */
  add(other: TensorLike, alpha = 1): Tensor {
    if (typeof alpha !== 'number') check.number('add', 'alpha', alpha);
    return runOp(BINARY, 'add', [this, operand(other, this, 'add')], { alpha });
  }
  /** `this - alpha * other`. */
  sub(other: TensorLike, alpha = 1): Tensor {
    if (typeof alpha !== 'number') check.number('sub', 'alpha', alpha);
    return runOp(BINARY, 'sub', [this, operand(other, this, 'sub')], { alpha });
  }
  /** Elementwise product. */
  mul(other: TensorLike): Tensor {
    return runOp(BINARY, 'mul', [this, operand(other, this, 'mul')], {});
  }
  /** True division. */
  div(other: TensorLike): Tensor {
    return runOp(BINARY, 'div', [this, operand(other, this, 'div')], {});
  }
  /** Elementwise power (a scalar exponent saves only this tensor). */
  pow(exponent: TensorLike): Tensor {
    if (typeof exponent === 'number') return runOp(UNARY, 'powScalar', [this], { exponent });
    return runOp(
      BINARY,
      'pow',
      [this, operand(exponent, this, 'pow', 'exponent')],
      {},
      'PowBackward1',
    );
  }
  /** Floor of the quotient (not differentiable: its gradient is zero almost everywhere). */
  floorDivide(other: TensorLike): Tensor {
    return Tensor.fromArray(this.value.floorDivide(operand(other, this, 'floorDivide').value));
  }
  /** GELU (exact, or the tanh approximation: `gelu('tanh')` or `gelu({ approximate: 'tanh' })`). */
  gelu(...args: GeluArgs): Tensor {
    return runOp(UNARY, 'gelu', [this], { approximate: geluApproximate(args) });
  }
  /**
   * Limits values to [min, max]: bounds as numbers or tensors (broadcast), positional or by
   * name (`{ min: 0 }`), either one omitted.
   */
  clamp(...args: ClampArgs): Tensor {
    const [min, max] = clampArgs('clamp', args, isTensorBound);
    if (isTensorBound(min) || isTensorBound(max)) {
      // Tensor bounds: max(min(x, max), min), as PyTorch computes clamp with tensors.
      const upper = max === null ? this : this.minimum(operand(max, this, 'clamp'));
      return min === null ? upper : upper.maximum(operand(min, this, 'clamp'));
    }
    return runOp(UNARY, 'clamp', [this], { min, max }, 'ClampBackward1');
  }
  /** Alias of {@link Tensor.clamp}. */
  clip(...args: ClampArgs): Tensor {
    return this.clamp(...args);
  }

  // ---- comparisons and logic (not differentiable) ------------------------------------------------

  /** Same shape and the same values. */
  equal(other: Tensor): boolean {
    return this.value.equal(other.value);
  }
  /** Close everywhere (see `NDArray.allclose`). */
  allclose(other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
    return this.value.allclose(other.value, rtol, atol, equalNan);
  }

  // ---- reductions -----------------------------------------------------------------------------

  /** The largest element; or, along `dim`, values and indices. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): TensorValuesIndices;
  max(options: { dim: number; keepdim?: boolean }): TensorValuesIndices;
  max(...args: unknown[]): Tensor | TensorValuesIndices {
    const { dim, keepdim } = maxMinArgs('max', args);
    if (dim === null)
      return runOp(REDUCTIONS, 'amax', [this], { dims: null, keepdim: false }, 'MaxBackward1');
    return this.maxMin('max', dim, keepdim);
  }
  /** The smallest element; or, along `dim`, values and indices. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): TensorValuesIndices;
  min(options: { dim: number; keepdim?: boolean }): TensorValuesIndices;
  min(...args: unknown[]): Tensor | TensorValuesIndices {
    const { dim, keepdim } = maxMinArgs('min', args);
    if (dim === null)
      return runOp(REDUCTIONS, 'amin', [this], { dims: null, keepdim: false }, 'MinBackward1');
    return this.maxMin('min', dim, keepdim);
  }
  private maxMin(op: 'max' | 'min', dim: number, keepdim: boolean): TensorValuesIndices {
    const values = runOp(
      REDUCTIONS,
      'maxDim',
      [this],
      { dim, keepdim, op },
      op === 'max' ? 'MaxBackward0' : 'MinBackward0',
    );
    const indices =
      op === 'max' ? this.value.max(dim, keepdim).indices : this.value.min(dim, keepdim).indices;
    return new ValuesIndices(values, Tensor.fromArray(indices));
  }
  /** log(sum(exp(x))) over dims, stably. */
  logsumexp(...args: ReduceArgs): Tensor {
    const { dim, keepdim } = reduceArgs('logsumexp', args);
    // Without dims, @gd/tensor's logsumexp throws PyTorch's message.
    if (dim === null || dim === undefined) return Tensor.fromArray(this.value.logsumexp(...args));
    return runOp(REDUCTIONS, 'logsumexp', [this], { dims: dimList(dim) ?? [], keepdim });
  }
  /** The p-norm (2 by default). */
  norm(
    p: number | 'fro' = 2,
    dim: number | readonly number[] | null = null,
    keepdim = false,
  ): Tensor {
    if (p === 2 || p === 'fro')
      return runOp(REDUCTIONS, 'norm2', [this], { dims: dimList(dim), keepdim });
    if (p === Infinity) return this.abs().amax(dim, keepdim);
    if (p === -Infinity) return this.abs().amin(dim, keepdim);
    if (p === 1) return this.abs().sum(dim, keepdim);
    return runOp(REDUCTIONS, 'normP', [this], { p, dims: dimList(dim), keepdim });
  }
  /** Any non-zero (bool). */
  any(...args: ReduceArgs): Tensor {
    return Tensor.fromArray(this.value.any(...args));
  }
  /** All non-zero (bool). */
  all(...args: ReduceArgs): Tensor {
    return Tensor.fromArray(this.value.all(...args));
  }
  /**
   * Sorted along `dim` (default -1) with the indices that sort: `const [v, i] = x.sort()`,
   * `x.sort(0, true)`, `x.sort({ dim: 0, descending: true })`. The values are differentiable
   * (gathered at the indices).
   */
  sort(...args: SortArgs): TensorValuesIndices {
    const { dim, descending } = sortArgs('sort', args);
    const [values, indices] = runOpOutputs(SORTING, 'sort', [this], { dim, descending });
    return new ValuesIndices(values!, indices!);
  }
  /** The indices that sort along `dim` (int32). */
  argsort(...args: SortArgs): Tensor {
    const { dim, descending } = sortArgs('argsort', args);
    return runOp(SORTING, 'argsort', [this], { dim, descending });
  }
  /** The `k` largest (or smallest) values along `dim` and their indices (values differentiable). */
  topk(k: number, dim?: number | TopkOptions, largest?: boolean): TensorValuesIndices {
    const a = topkArgs(this.shape, k, dim, largest);
    const [values, indices] = runOpOutputs(SORTING, 'topk', [this], { k, ...a });
    return new ValuesIndices(values!, indices!);
  }
  /** The distinct values, ascending; with options, inverse indices and counts (not differentiable). */
  unique(options?: UniqueOptions): Tensor | UniqueResult<Tensor> {
    const [values, ...rest] = runOpOutputs(SORTING, 'unique', [this], { options: options ?? {} });
    if (!options?.returnInverse && !options?.returnCounts) return values!;
    return {
      values: values!,
      ...(options.returnInverse ? { inverse: rest.shift()! } : {}),
      ...(options.returnCounts ? { counts: rest.shift()! } : {}),
    };
  }
  /** Counts of each value of a 1-d int tensor (weights: a Tensor or NDArray). */
  bincount(options: { weights?: Tensor | NDArray | null; minlength?: number } = {}): Tensor {
    const o = check.options<{ weights?: unknown; minlength?: number }>(
      'bincount',
      'options',
      options,
      ['weights', 'minlength'],
    );
    const w = o.weights;
    const minlength = check.int('bincount', 'minlength', o.minlength ?? 0, { min: 0 });
    if (w === undefined || w === null) return runOp(SORTING, 'bincount', [this], { minlength });
    if (!(w instanceof Tensor) && !(w instanceof NDArray))
      throw new TypeError(`bincount: weights must be a Tensor or an NDArray, got ${describe(w)}`);
    const weights = w instanceof Tensor ? w : Tensor.fromArray(w);
    return runOp(SORTING, 'bincount', [this, weights], { minlength });
  }
  /** Reversed along each of `dims` (differentiable). */
  flip(dims: number | readonly number[]): Tensor {
    return flipWith(LEVEL, this, dims);
  }
  /** Shifted along `dims` with wrap-around (differentiable). */
  roll(shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
    return rollWith(LEVEL, this, shifts, dims ?? undefined);
  }
  /** The lower triangle of the last two dims (differentiable). */
  tril(diagonal = 0): Tensor {
    return triangleWith(LEVEL, this, diagonal, true);
  }
  /** The upper triangle of the last two dims (differentiable). */
  triu(diagonal = 0): Tensor {
    return triangleWith(LEVEL, this, diagonal, false);
  }
  /** A diagonal matrix from a 1-d tensor, or the diagonal of a 2-d one (differentiable). */
  diag(diagonal = 0): Tensor {
    return diagWith(LEVEL, this, diagonal);
  }
  /** Each element repeated along `dim` (differentiable). */
  repeatInterleave(repeats: number | readonly number[] | NDArray, dim?: number | null): Tensor {
    return repeatInterleaveWith(LEVEL, this, repeats, dim);
  }
  /** NaN and infinities replaced by finite numbers (gradient 0 where replaced). */
  nanToNum(nan = 0, posinf?: number | null, neginf?: number | null): Tensor {
    // The arguments' kinds are checked by the signature table's wrapper (installChecks below).
    const big = this.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
    return runOp(SORTING, 'nanToNum', [this], {
      nan,
      posinf: posinf ?? big,
      neginf: neginf ?? -big,
    });
  }
  /** Elementwise closeness as a bool tensor (not differentiable). */
  isclose(other: Tensor | NDArray | number, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
    const attrs = { rtol, atol, equalNan };
    if (typeof other === 'number') return runOp(SORTING, 'isclose', [this], { other, ...attrs });
    const o = other instanceof NDArray ? Tensor.fromArray(other) : other;
    return runOp(SORTING, 'isclose', [this, o], { other: null, ...attrs });
  }

  // ---- linear algebra -----------------------------------------------------------------------

  /** Matrix product with PyTorch's rules. */
  matmul(other: Tensor): Tensor {
    return runOp(LINALG, 'matmul', [this, other], { bColumnMajor: columnMajor(other) });
  }
  /** 2-d matrix product. */
  mm(other: Tensor): Tensor {
    if (this.ndim !== 2 || other.ndim !== 2) this.value.mm(other.value); // throws the message
    return this.matmul(other);
  }
  /** Batched matrix product. */
  bmm(other: Tensor): Tensor {
    if (this.ndim !== 3 || other.ndim !== 3 || this.shape[0] !== other.shape[0])
      this.value.bmm(other.value);
    return this.matmul(other);
  }
  /** Matrix-vector product. */
  mv(other: Tensor): Tensor {
    if (this.ndim !== 2 || other.ndim !== 1) this.value.mv(other.value);
    return this.matmul(other);
  }
  /** Dot product of 1-d tensors. */
  dot(other: Tensor): Tensor {
    if (this.ndim !== 1 || other.ndim !== 1) this.value.dot(other.value);
    return this.matmul(other);
  }
  /** Outer product of 1-d tensors. */
  outer(other: Tensor): Tensor {
    if (this.ndim !== 1 || other.ndim !== 1) this.value.outer(other.value);
    return this.unsqueeze(1).mul(other.unsqueeze(0));
  }

  // ---- in place -----------------------------------------------------------------------------

  /**
   * Runs an in-place op. Outside the graph it writes straight into storage. When the result
   * must be recorded, it computes `compute(old self)` out of place (with the graph), copies the
   * values in, and makes that result's node this tensor's gradFn (PyTorch's history rebase).
   */
  private inPlace(
    others: readonly Tensor[],
    compute: (self: Tensor) => Tensor,
    direct: () => unknown,
  ): this {
    if (isGradEnabled() && this.isLeaf && this.leafRequiresGrad)
      throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
    const recording = isGradEnabled() && (this.requiresGrad || others.some((t) => t.requiresGrad));
    if (!recording) {
      if (isTracingOrigins() && (isTracked(this) || others.some(isTracked)))
        return this.inPlaceTraced(compute, direct);
      direct();
      return this;
    }
    if (this.base !== null) {
      throw new Error(
        "gd does not yet support in-place operations on views that take part in the autograd graph (PyTorch rebases the base tensor's history here): use the out-of-place op, or clone() the view first.",
      );
    }
    const before = Tensor.fromArray(this.value.clone(), this.gradFn);
    const result = compute(before);
    if (!canCast(result.dtype, this.dtype)) {
      throw new TypeError(
        `result type ${result.dtype} can't be cast to the desired output type ${this.dtype}`,
      );
    }
    this.value.copy_(result.value);
    this.gradFn = result.gradFn;
    // An op that saved its output saved `result`; as in PyTorch it must watch this tensor, so
    // that later in-place changes to it are caught at backward time.
    if (result.gradFn instanceof OpNode) result.gradFn.rebindOutput(result, this);
    if (result.gradFn && result.gradFn.retainGradOf === null && this.retains)
      result.gradFn.retainGradOf = this;
    return this;
  }

  /**
   * An in-place op that autograd does not record, while an exporter traces: the tensor takes
   * over the origin of the out-of-place result (the history rebase of {@link Tensor.inPlace},
   * for origins), so that the export computes the values written.
   */
  private inPlaceTraced(compute: (self: Tensor) => Tensor, direct: () => unknown): this {
    if (this.base !== null || isTraceRoot(this))
      throw new Error(
        `an in-place op on ${this.base !== null ? 'a view' : 'a model input'} cannot be traced for export (the exported graph would miss the write): use the out-of-place op`,
      );
    const before = Tensor.fromArray(this.value.clone());
    moveOrigin(this, before);
    const result = compute(before);
    direct();
    moveOrigin(result, this);
    return this;
  }

  /** In-place `this += alpha * other`. */
  add_(other: TensorLike, alpha = 1): this {
    const o = operand(other, this, 'add_');
    return this.inPlace(
      [o],
      (s) => s.add(o, alpha),
      () => this.value.add_(o.value, alpha),
    );
  }
  /** In-place `this -= alpha * other`. */
  sub_(other: TensorLike, alpha = 1): this {
    const o = operand(other, this, 'sub_');
    return this.inPlace(
      [o],
      (s) => s.sub(o, alpha),
      () => this.value.sub_(o.value, alpha),
    );
  }
  /** In-place `this *= other`. */
  mul_(other: TensorLike): this {
    const o = operand(other, this, 'mul_');
    return this.inPlace(
      [o],
      (s) => s.mul(o),
      () => this.value.mul_(o.value),
    );
  }
  /** In-place `this /= other`. */
  div_(other: TensorLike): this {
    const o = operand(other, this, 'div_');
    return this.inPlace(
      [o],
      (s) => s.div(o),
      () => this.value.div_(o.value),
    );
  }
  /** In-place power. */
  pow_(exponent: TensorLike): this {
    const o = operand(exponent, this, 'pow_', 'exponent');
    return this.inPlace(
      [o],
      (s) => s.pow(typeof exponent === 'number' ? exponent : o),
      () => this.value.pow_(o.value),
    );
  }
  /** In-place negation. */
  neg_(): this {
    return this.inPlace(
      [],
      (s) => s.neg(),
      () => this.value.neg_(),
    );
  }
  /** In-place clamp. */
  clamp_(...args: ClampArgs): this {
    const [min, max] = clampArgs('clamp_', args, isTensorBound);
    const bound = (b: number | Tensor | NDArray | null) =>
      b === null || typeof b === 'number' ? b : operand(b, this, 'clamp_');
    const lo = bound(min);
    const hi = bound(max);
    const others = [lo, hi].filter((b): b is Tensor => b instanceof Tensor);
    return this.inPlace(
      others,
      (s) => s.clamp(lo, hi),
      () =>
        this.value.clamp_(
          lo instanceof Tensor ? lo.value : lo,
          hi instanceof Tensor ? hi.value : hi,
        ),
    );
  }
  /** Sets every element to 0. */
  zero_(): this {
    return this.inPlace(
      [],
      (s) => s.mul(0),
      () => this.value.zero_(),
    );
  }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): this {
    return this.inPlace(
      [],
      (s) => s.mul(0).add(Number(value)),
      () => this.value.fill_(value),
    );
  }
  /** Copies `src` (broadcast, converted) into this tensor; the gradient flows to src. */
  copy_(src: TensorLike): this {
    const o = operand(src, this, 'copy_', 'src');
    return this.inPlace(
      [o],
      (s) => s.mul(0).add(o.to(s.dtype)),
      () => this.value.copy_(o.value),
    );
  }
  /** Fills with uniform samples (outside the graph). */
  uniform_(from = 0, to = 1, options: { generator?: Generator } = {}): this {
    return this.inPlace(
      [],
      () => this.detach().uniform_(from, to, options),
      () => this.value.uniform_(from, to, options),
    );
  }
  /** Fills with normal samples (outside the graph). */
  normal_(mean = 0, std = 1, options: { generator?: Generator } = {}): this {
    return this.inPlace(
      [],
      () => this.detach().normal_(mean, std, options),
      () => this.value.normal_(mean, std, options),
    );
  }
  /** Fills with 1 (probability p) or 0 (outside the graph). */
  bernoulli_(p = 0.5, options: { generator?: Generator } = {}): this {
    return this.inPlace(
      [],
      () => this.detach().bernoulli_(p, options),
      () => this.value.bernoulli_(p, options),
    );
  }
}

/** The node that receives `t`'s gradient: its gradFn, or its AccumulateGrad for leaves. */
export function gradEdge(t: Tensor): Node {
  return t.gradFn ?? t.gradAccumulator();
}

function shapeArgs(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && typeof args[0] !== 'number') return Array.from(args[0]!);
  return args as number[];
}

/** var/std's arguments: `(dim?, { correction, keepdim })` or `({ dim, correction, keepdim })`. */
export type VarArgs =
  | [dim?: number | readonly number[] | null, options?: VarOptions]
  | [
      options: VarOptions & {
        /** The dim or dims reduced (default: all). */
        dim?: number | readonly number[] | null;
      },
    ];

function dimList(dim: number | readonly number[] | null | undefined): readonly number[] | null {
  if (dim === null || dim === undefined) return null;
  return typeof dim === 'number' ? [dim] : dim;
}

/**
 * `cond ? a : b`, differentiable in a and b.
 *
 * @example
 * ```ts
 * where(x.gt(0), x, 0); // relu
 * ```
 */
export function where(
  cond: Tensor | NDArray,
  a: TensorLike | NDArray,
  b: TensorLike | NDArray,
): Tensor {
  if (cond instanceof NDArray) cond = Tensor.fromArray(cond);
  else if (!(cond instanceof Tensor))
    throw new TypeError(`where: condition must be a bool Tensor, got ${describe(cond)}`);
  if (a instanceof NDArray) a = Tensor.fromArray(a);
  if (b instanceof NDArray) b = Tensor.fromArray(b);
  // operand() refuses anything else with where's message, the input before the other.
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : cond;
  const ta = operand(a, b instanceof Tensor ? b : like, 'where', 'input');
  const tb = operand(b, ta, 'where', 'other');
  return runOp(SELECT, 'where', [cond, ta, tb], {});
}

/**
 * The composite ops of @gd/tensor (ops/composite.ts) at this level: differentiable through the
 * Tensor ops they are made of.
 */
export const LEVEL: Level<Tensor> = {
  cat: (tensors, dim) => runOp(COPIES, 'cat', tensors, { dim }),
  constant: (a) => Tensor.fromArray(a),
  values: (t) => t.value,
};

// ---- the methods declared in the interface above, generated -------------------------------------

/** Defines methods on Tensor.prototype as a class body does (writable, not enumerable). */
function defineMethods(methods: Record<string, (this: Tensor, ...args: never) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  }
}

const CONVERSIONS = {
  float: 'float32',
  double: 'float64',
  int: 'int32',
  long: 'int32',
  bool: 'bool',
};
for (const [name, dtype] of Object.entries(CONVERSIONS)) {
  defineMethods({
    [name](this: Tensor) {
      return this.to(dtype as DType);
    },
  });
}

for (const op of ['gather', 'indexSelect'] as const) {
  defineMethods({
    [op](this: Tensor, dim: number, index: Tensor | NDArray) {
      return runOp(INDEXING, op, [this, indexTensor(index)], { dim });
    },
  });
}

for (const op of ['atan2', 'maximum', 'minimum', 'remainder'] as const) {
  defineMethods({
    [op](this: Tensor, other: TensorLike) {
      return runOp(BINARY, op, [this, operand(other, this, op)], {});
    },
  });
}

for (const op of ['neg', 'square'] as const) {
  defineMethods({
    [op](this: Tensor) {
      return runOp(UNARY, op, [this], {});
    },
  });
}

// Computed on the values: comparisons and logic are not differentiable.
for (const op of [
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
] as const) {
  defineMethods({
    [op](this: Tensor, other: TensorLike) {
      return Tensor.fromArray(this.value[op](operand(other, this, op).value));
    },
  });
}
for (const op of ['logicalNot', 'isnan', 'isinf', 'isfinite'] as const) {
  defineMethods({
    [op](this: Tensor) {
      return Tensor.fromArray(this.value[op]());
    },
  });
}

// The reductions over dims, with the gradFn PyTorch records when dims are given (its overload
// with `dim`; without, each records its op's default name, e.g. SumBackward0).
const REDUCTIONS_OVER_DIMS = {
  sum: 'SumBackward1',
  mean: 'MeanBackward1',
  prod: 'ProdBackward1',
  amax: undefined,
  amin: undefined,
} as const;
for (const [op, withDims] of Object.entries(REDUCTIONS_OVER_DIMS)) {
  const reduction = op as keyof typeof REDUCTIONS_OVER_DIMS;
  defineMethods({
    [op](this: Tensor, ...args: ReduceArgs) {
      const { dim, keepdim } = reduceArgs(op, args);
      const dims = dimList(dim);
      return runOp(REDUCTIONS, reduction, [this], { dims, keepdim }, dims ? withDims : undefined);
    },
  });
}
for (const op of ['argmax', 'argmin'] as const) {
  defineMethods({
    [op](this: Tensor, ...args: ReduceArgs) {
      const { dim, keepdim } = reduceOneDimArgs(op, args);
      return Tensor.fromArray(this.value[op](dim, keepdim));
    },
  });
}
for (const op of ['var', 'std'] as const) {
  defineMethods({
    [op](this: Tensor, ...args: VarArgs) {
      const { dim, correction, keepdim } = varArgs(op, args);
      return runOp(REDUCTIONS, op, [this], {
        dims: dimList(dim),
        correction: correction!,
        keepdim: keepdim!,
      });
    },
  });
}

// The ops along one dim, by their tables.
const ALONG_DIM = {
  cumsum: REDUCTIONS,
  cumprod: CUMPROD,
  softmax: SOFTMAX,
  logSoftmax: SOFTMAX,
} as const;
for (const [op, table] of Object.entries(ALONG_DIM)) {
  defineMethods({
    [op](this: Tensor, dim: number) {
      return runOp(table as OpTable<Record<string, { dim: number }>>, op, [this], { dim });
    },
  });
}

// Every method listed in @gd/tensor's signature table checks its arguments first; NDArrays
// are taken where a Tensor operand or index is (as constants).
const isTensor = (v: unknown): boolean => v instanceof Tensor;
const isIndex = (v: unknown): boolean => v instanceof Tensor || v instanceof NDArray;
installChecks(Tensor.prototype, {
  array: { test: isTensor, accepts: 'a Tensor', wrong: [1] },
  arrayOrNumber: {
    test: (v) => isIndex(v) || typeof v === 'number' || typeof v === 'boolean',
    accepts: 'a Tensor, an NDArray, a number or a boolean',
    wrong: '1',
  },
  index: { test: isIndex, accepts: 'an int or bool Tensor or NDArray', wrong: '0' },
  hint: (v) => (v instanceof NDArray ? '; wrap an NDArray with Tensor.fromArray(a)' : ''),
});

// The parameters of a call to a generated op, by name (what its node records).
function registryAttrs(op: GeneratedUnaryOp, args: readonly unknown[]): RegistryAttrs {
  const values = resolveParams(op, args);
  return Object.fromEntries((unaryEntry(op).params ?? []).map((p, i) => [p.name, values[i]!]));
}

// One method per generated registry op and its in-place form, arguments checked from the
// entry's typed parameters.
for (const op of GENERATED_UNARY_OPS) {
  const methods: Record<string, (this: Tensor, ...args: unknown[]) => Tensor> = {
    [op](...args) {
      return runOp(GENERATED, op, [this], registryAttrs(op, args));
    },
    [`${op}_`](...args) {
      const attrs = registryAttrs(op, args);
      return this['inPlace'](
        [],
        (s) => runOp(GENERATED, op, [s], attrs),
        () => callRegistryOp(this.value, op, attrs, true),
      );
    },
  };
  defineMethods(methods);
}
